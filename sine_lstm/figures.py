"""`make figures`: each claim of the post, computed by our code and drawn.

In the post's order:
  一  why memory is needed        memory_baseline()      out/figures/1_memory.png
  二  the vanilla RNN              (cell.SimpleRNNCell, `train --cell rnn`)
  二  vanishing/exploding grads    gradient_decay()       out/figures/2_gradients.png
  三  pinned gates = a plain RNN   pinned_gates_gap()     (a number; see the README)
  三  what the gates do            gate_activity()        out/figures/3_gates.png
      stateful vs stateless       stateful_vs_stateless() out/figures/4_stateful.png
Each function returns the numbers its figure shows; the tests check them.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

if __name__ == "__main__":  # before TensorFlow loads, so its start-up chatter stays quiet
    from sine_lstm.quiet import import_keras

    import_keras()

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from sine_lstm import data
from sine_lstm.atomic import atomic_path
from sine_lstm.cell import LSTMCell, SimpleRNNCell
from sine_lstm.config import Config
from sine_lstm.model import cost
from sine_lstm.plots import BLUE, RED
from sine_lstm.train import train


@functools.lru_cache(maxsize=4)
def trained(config: Config):
    """`train(config)` without saving, once per config: several figures share a run."""
    return train(config.replace(gif=False), verbose=False, save=False)


# 一 ---------------------------------------------------------------------------------------
def memory_baseline(config: Config | None = None) -> dict:
    """Train the LSTM and a per-step feed-forward model (no memory) on the same stream.

    From sin x alone, cos x is ambiguous: sin x = 0.5 at x = π/6 (cos x = +0.87) and at
    x = 5π/6 (cos x = −0.87). A model that sees one point at a time can do no better
    than predicting 0 around there: its cost stays near T·E[cos²x] = T/2 = 10.
    """
    config = (config or Config()).replace(gif=False)
    lstm = trained(config)
    keras.utils.set_random_seed(config.seed)
    normal = keras.initializers.RandomNormal(0.0, 1.0)
    inputs = keras.Input(batch_shape=(config.batch_size, config.time_steps, 1))
    h = layers.Dense(
        config.cell_size, kernel_initializer=normal, bias_initializer="ones", name="in_hidden"
    )(inputs)
    h = layers.Dense(config.cell_size, activation="tanh", name="no_memory")(h)  # per step
    out = layers.Dense(1, kernel_initializer=normal, name="out_hidden")(h)
    baseline = keras.Model(inputs, out)
    baseline.compile(optimizer=keras.optimizers.Adam(config.lr, epsilon=1e-8), loss=cost)
    _, sin_x, cos_x = data.stream(config.steps, config.batch_size, config.time_steps)
    baseline.fit(sin_x, cos_x, batch_size=config.batch_size, shuffle=False, verbose=0)
    last = 10  # the last 10 steps' row 0: x over about one period
    x, _, cos_w = data.stream(config.steps, 1, config.time_steps)  # row 0 of every batch
    sin_rows = sin_x[-last * config.batch_size :]  # the last 10 batches, whole
    ff_rows = np.asarray(baseline.predict(sin_rows, batch_size=config.batch_size, verbose=0))
    # its cost on the last 20 batches once trained: the best it got, still about 10
    last_ff = float(np.mean(_per_batch_costs(baseline, sin_x, cos_x, config)[-20:]))
    return {
        "lstm_final_cost": lstm.final_cost,
        "baseline_final_cost": last_ff,
        "x": x[-last:, :, 0].ravel(),
        "target": cos_w[-last:, :, 0].ravel(),
        "lstm_pred": lstm.record.pred_history()[-last:].ravel(),
        "baseline_pred": ff_rows[:: config.batch_size, :, 0].ravel(),  # row 0 of each
    }


def _per_batch_costs(model, sin_x, cos_x, config) -> np.ndarray:
    pred = model.predict(sin_x, batch_size=config.batch_size, verbose=0)  # no state: fine
    err = ((pred - cos_x) ** 2).reshape(config.steps, config.batch_size, -1)
    return err.sum(axis=2).mean(axis=1)  # (steps,) the original's cost per batch


# 二 ---------------------------------------------------------------------------------------
def gradient_decay(n_max: int = 100, units: int = 10, seed: int = 0) -> dict[str, np.ndarray]:
    """‖∂h_T/∂h_{T−n}‖ / ‖∂h_T/∂h_T‖ for n = 0 … n_max, measured with GradientTape.

    The post: an error sent back multiplies by W at each step, so 0.9ⁿ → 0 and
    1.1ⁿ → ∞. Measured here for the linear recurrence h_t = W·h_{t−1} with W = 0.9·I
    and 1.1·I (exactly 0.9ⁿ and 1.1ⁿ), for the tanh RNN, and for our LSTM through
    its cell state with forget-gate bias 0, 1 and 5. The LSTM's long path is the
    product of its forget gates: it keeps the gradient only while f stays near 1
    (σ(5) ≈ 0.993), which training can learn.
    """
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    xs = tf.constant(rng.normal(size=(n_max, 4, units)).astype("float32"))  # (time, batch, in)
    curves = {}
    for w in (0.9, 1.1):
        curves[f"linear, W = {w}·I"] = _ratios(
            lambda x, s, w=w: [w * s[0]], [tf.ones((4, units))], xs, 0
        )
    rnn = SimpleRNNCell(units)
    rnn.build((None, units))
    curves["tanh RNN"] = _ratios(lambda x, s: rnn(x, s)[1], [tf.zeros((4, units))], xs, 0)
    for bias in (0.0, 1.0, 5.0):
        cell = LSTMCell(units, forget_bias=bias)
        cell.build((None, units))
        zeros = [tf.zeros((4, units)), tf.zeros((4, units))]
        curves[f"LSTM, forget bias {bias:g}"] = _ratios(
            lambda x, s, c=cell: c(x, s)[1], zeros, xs, 1
        )
    return curves


def _ratios(step, states, xs, watch: int) -> np.ndarray:
    """Run `step` over xs; return ‖∂Σ s_T/∂s_{T−n}‖ / ‖∂Σ s_T/∂s_T‖ for the state `watch`."""
    with tf.GradientTape(persistent=True) as tape:
        history = []
        for x in xs:
            tape.watch(states)
            history.append(states[watch])
            states = step(x, states)
        history.append(states[watch])
        loss = tf.reduce_sum(history[-1])
    grads = tape.gradient(loss, history)  # ∂loss/∂s_t for every t
    norms = np.array([float(tf.norm(g)) if g is not None else 0.0 for g in grads])[::-1]
    return norms / norms[0]  # index n: n steps back


# 三 ---------------------------------------------------------------------------------------
def pinned_gates_gap(units: int = 8, time: int = 30, seed: int = 0) -> float:
    """Max |LSTM with f=0, i=1, o=1 − the RNN h_t = tanh(tanh(W_c·x_t + U_c·h_{t−1} + b_c))|.

    The post says those gates make the LSTM a standard RNN. They do, up to the second
    tanh: h_t = o·tanh(c_t) with c_t = c̃_t = tanh(…) is tanh(tanh(…)), not tanh(…).
    """
    keras.utils.set_random_seed(seed)
    cell = LSTMCell(units, pin={"f": 0.0, "i": 1.0, "o": 1.0})
    cell.build((None, 3))
    x = np.random.default_rng(seed).normal(size=(2, time, 3)).astype("float32")
    lstm_out = np.asarray(layers.RNN(cell, return_sequences=True)(x))  # (batch, time, units)
    w_c = np.asarray(cell.kernel)[:, 2 * units : 3 * units]  # candidate's slice, gate order ifco
    u_c = np.asarray(cell.recurrent_kernel)[:, 2 * units : 3 * units]
    b_c = np.asarray(cell.bias)[2 * units : 3 * units]
    h = np.zeros((2, units), "float32")
    rnn_out = []
    for t in range(time):
        h = np.tanh(np.tanh(x[:, t] @ w_c + h @ u_c + b_c))
        rnn_out.append(h)
    return float(np.abs(lstm_out - np.stack(rnn_out, 1)).max())


def gate_activity(config: Config | None = None, windows: int = 10) -> dict:
    """Train the demo, then run the next `windows` batches through the trained cell.

    Ten windows of 20 points cover x over about one period (6.4 rad). Returns i, f,
    o and c as (time, units) arrays for row 0, with x, (time,).
    """
    config = (config or Config()).replace(gif=False)
    model = trained(config).model
    lstm = model.get_layer("lstm")
    h, c = (tf.convert_to_tensor(s) for s in lstm.states)  # the state training left
    trace = {name: [] for name in ("x", "i", "f", "o", "c")}
    for k in range(config.steps, config.steps + windows):  # the batches after training's
        x, sin_x, _ = data.batch(k, config.batch_size, config.time_steps)
        inputs = model.get_layer("in_hidden")(sin_x)  # (batch, time, units)
        for t in range(config.time_steps):
            step = lstm.cell.step(inputs[:, t], [h, c])
            h, c = step["h"], step["c"]
            trace["x"].append(x[0, t, 0])
            for name in ("i", "f", "o", "c"):
                trace[name].append(np.asarray(step[name])[0])  # (units,) of row 0
    return {name: np.stack(values) for name, values in trace.items()}


# stateful vs stateless -------------------------------------------------------------------
def stateful_vs_stateless(config: Config | None = None, last: int = 50) -> dict:
    """Squared error per time step within a window, over the last `last` steps of training.

    Without carried state, each window starts from zeros and must guess its first
    points; with it, the window starts where the previous one ended.
    """
    config = (config or Config()).replace(gif=False)
    out = {}
    for name, stateful in (("stateful", True), ("stateless", False)):
        result = trained(config.replace(stateful=stateful))
        k = np.arange(config.steps - last, config.steps)
        _, _, target = data.stream(config.steps, 1, config.time_steps)  # row 0 of each batch
        err = (result.record.pred_history()[k] - target[k, :, 0]) ** 2  # (last, time)
        out[name] = err.mean(axis=0)
        out[f"{name}_final_cost"] = result.final_cost
    return out


# drawing ---------------------------------------------------------------------------------
def _figure(width: float = 6.4, height: float = 3.6):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")


def draw_all(folder: Path, config: Config | None = None) -> dict:
    """Compute and draw every figure into `folder`; return the numbers behind them."""
    config = (config or Config()).replace(gif=False)
    folder.mkdir(parents=True, exist_ok=True)
    numbers = {}

    m = memory_baseline(config)
    fig = _figure()
    ax = fig.add_subplot()
    ax.plot(m["x"], m["target"], color=RED, label="target cos x")
    ax.plot(
        m["x"],
        m["lstm_pred"],
        "--",
        color=BLUE,
        label=f"LSTM (final cost {m['lstm_final_cost']:.3f})",
    )
    ax.plot(
        m["x"],
        m["baseline_pred"],
        ":",
        color="black",
        linewidth=2,
        label=f"no memory (final cost {m['baseline_final_cost']:.2f})",
    )
    ax.set(
        xlabel="x",
        ylabel="cos x",
        ylim=(-1.2, 1.2),
        title="(1) from sin x alone, cos x is ambiguous; memory resolves it",
    )
    ax.legend(fontsize=8, loc="lower left")
    _save(fig, folder / "1_memory.png")
    numbers["memory"] = {k: m[k] for k in ("lstm_final_cost", "baseline_final_cost")}

    g = gradient_decay()
    fig = _figure()
    ax = fig.add_subplot()
    n = np.arange(len(next(iter(g.values()))))
    styles = {
        "linear, W = 0.9·I": ("gray", ":"),
        "linear, W = 1.1·I": ("gray", "--"),
        "tanh RNN": ("black", "-"),
    }
    for name, ratios in g.items():
        colour, style = styles.get(name, (None, "-"))
        ax.semilogy(n, np.maximum(ratios, 1e-30), style, color=colour, label=name)
    ax.set(
        xlabel="n, steps back",
        ylabel="gradient norm n steps back (n = 0: 1)",
        ylim=(1e-30, 1e5),
        title="(2) the gradient n steps back: 0.9ⁿ vanishes, 1.1ⁿ explodes",
    )
    ax.legend(fontsize=7, ncols=2)
    _save(fig, folder / "2_gradients.png")
    numbers["gradients_at_50"] = {k: float(v[50]) for k, v in g.items()}

    numbers["pinned_gates_gap"] = pinned_gates_gap()

    a = gate_activity(config)
    fig = _figure(7.5, 5.0)
    for idx, name in enumerate(("i", "f", "o", "c")):
        ax = fig.add_subplot(2, 2, idx + 1)
        vmin, vmax = (0, 1) if name != "c" else (-np.abs(a["c"]).max(), np.abs(a["c"]).max())
        image = ax.imshow(
            a[name].T,
            aspect="auto",
            cmap="viridis" if name != "c" else "RdBu_r",
            vmin=vmin,
            vmax=vmax,
        )
        fig.colorbar(image, ax=ax)
        ax.set(
            title={
                "i": "input gate i",
                "f": "forget gate f",
                "o": "output gate o",
                "c": "cell state c",
            }[name],
            xlabel="x (the 10 windows after training)",
            ylabel="unit",
        )
    fig.suptitle("(3) the trained LSTM's gates and cell state over one period of the sine")
    _save(fig, folder / "3_gates.png")
    numbers["mean_forget_gate"] = float(a["f"].mean())

    s = stateful_vs_stateless(config)
    fig = _figure()
    ax = fig.add_subplot()
    ax.semilogy(
        s["stateful"],
        "o-",
        color=BLUE,
        label=f"state carried (cost {s['stateful_final_cost']:.3f})",
    )
    ax.semilogy(
        s["stateless"],
        "s-",
        color=RED,
        label=f"state reset every batch (cost {s['stateless_final_cost']:.3f})",
    )
    ax.set(
        xlabel="time step within the window",
        ylabel="squared error, last 50 steps",
        title="stateful batching: without the carried state, a window starts blind",
    )
    ax.legend(fontsize=8)
    _save(fig, folder / "4_stateful.png")
    numbers["stateful"] = {
        k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in s.items()
    }
    return numbers


def main(argv: list[str] | None = None) -> int:
    folder = Path((argv or sys.argv[1:] or ["out/figures"])[0])
    n = draw_all(folder)
    m, g, st = n["memory"], n["gradients_at_50"], n["stateful"]
    print(
        f"(1) final cost: LSTM {m['lstm_final_cost']:.3f}, no memory {m['baseline_final_cost']:.2f}"
    )
    print(
        "(2) gradient 50 steps back, relative: "
        + ", ".join(f"{name} {value:.3g}" for name, value in g.items())
    )
    print(f"(3) pinned gates vs tanh(tanh(...)) RNN: max difference {n['pinned_gates_gap']:.2g}")
    print(f"(3) mean forget gate of the trained model: {n['mean_forget_gate']:.2f}")
    print(
        f"stateful vs stateless, squared error at the window's first step: "
        f"{st['stateful'][0]:.3f} vs {st['stateless'][0]:.3f}; final cost "
        f"{st['stateful_final_cost']:.3f} vs {st['stateless_final_cost']:.3f}"
    )
    print(f"wrote {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
