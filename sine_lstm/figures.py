"""`make figures`: each claim of the post, computed by our code and drawn.

In the post's order:
  一  why memory is needed        memory_baseline()       out/figures/1_memory.png
  二  the vanilla RNN vs the LSTM  rnn_vs_lstm()           out/figures/2_rnn_vs_lstm.png
  二  vanishing/exploding grads    gradient_decay()        out/figures/3_gradients.png
  三  pinned gates = an RNN        pinned_gates()          out/figures/4_pinned_gates.png
  三  what the gates do            gate_activity()         out/figures/5_gates.png
      stateful vs stateless       stateful_vs_stateless() out/figures/6_stateful.png
      how far back it looks       memory_reach()          out/figures/7_memory_reach.png
Each function returns the numbers its figure shows (the tests check them); each
`draw_*` draws one figure to a PNG.
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
from sine_lstm.cell import LSTMCell, SimpleRNNCell
from sine_lstm.config import Config
from sine_lstm.model import cost
from sine_lstm.outputs import atomic_path
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

    Returns the two final costs and row 0 of the last 10 windows of training: x, sin x,
    the target cos x and both predictions, (200,) each; `same_sin_x`, the x in that
    stretch where sin x = 0.5 (one with cos x > 0, one with cos x < 0).
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
    x, sin_w, cos_w = data.stream(config.steps, 1, config.time_steps)  # row 0 of every batch
    sin_rows = sin_x[-last * config.batch_size :]  # the last 10 batches, whole
    ff_rows = np.asarray(baseline.predict(sin_rows, batch_size=config.batch_size, verbose=0))
    # its cost on the last 20 batches once trained: the best it got, still about 10
    last_ff = float(np.mean(_per_batch_costs(baseline, sin_x, cos_x, config)[-20:]))
    x = x[-last:, :, 0].ravel()  # (last·time,)
    k = np.arange(np.floor(x[0] / (2 * np.pi)), np.ceil(x[-1] / (2 * np.pi)) + 1)
    same = np.concatenate([np.pi / 6 + 2 * np.pi * k, 5 * np.pi / 6 + 2 * np.pi * k])
    return {
        "lstm_final_cost": lstm.final_cost,
        "baseline_final_cost": last_ff,
        "x": x,
        "sin_x": sin_w[-last:, :, 0].ravel(),
        "target": cos_w[-last:, :, 0].ravel(),
        "lstm_pred": lstm.record.pred_history()[-last:].ravel(),
        "baseline_pred": ff_rows[:: config.batch_size, :, 0].ravel(),  # row 0 of each
        "same_sin_x": np.sort(same[(same >= x[0]) & (same <= x[-1])]),
    }


def _per_batch_costs(model, sin_x, cos_x, config) -> np.ndarray:
    pred = model.predict(sin_x, batch_size=config.batch_size, verbose=0)  # no state: fine
    err = ((pred - cos_x) ** 2).reshape(config.steps, config.batch_size, -1)
    return err.sum(axis=2).mean(axis=1)  # (steps,) the original's cost per batch


# 二 ---------------------------------------------------------------------------------------
def rnn_vs_lstm(config: Config | None = None, last: int = 10) -> dict:
    """Train the demo with section 二's vanilla RNN and with the LSTM: same seed, same stream.

    The same model (Dense, recurrent layer, Dense) with `Config(cell="rnn")` or
    `cell="lstm"`. Telling the rising half of the sine from the falling half needs
    only a short memory, so the RNN learns it too; with the defaults (seed 0) it ends
    at about twice the LSTM's cost, though other seeds rank them differently.

    Returns `rnn_costs` and `lstm_costs`, (steps,) the cost of every step; the two
    final costs; and row 0 of the last `last` windows: x, the target and both fits.
    """
    config = (config or Config()).replace(gif=False)
    x, _, target = data.stream(config.steps, 1, config.time_steps)  # row 0 of every batch
    out = {"x": x[-last:, :, 0].ravel(), "target": target[-last:, :, 0].ravel()}
    for cell in ("rnn", "lstm"):
        result = trained(config.replace(cell=cell))
        out[f"{cell}_costs"] = result.costs
        out[f"{cell}_final_cost"] = result.final_cost
        out[f"{cell}_pred"] = result.record.pred_history()[-last:].ravel()  # (last·time,)
    return out


def gradient_decay(n_max: int = 100, units: int = 10, seed: int = 0) -> dict[str, np.ndarray]:
    """‖∂h_T/∂h_{T−n}‖ / ‖∂h_T/∂h_T‖ for n = 0 … n_max, measured with GradientTape.

    The post: an error sent back multiplies by W at each step, so 0.9ⁿ → 0 and
    1.1ⁿ → ∞. Measured here for the linear recurrence h_t = W·h_{t−1} with W = 0.9·I
    and 1.1·I (exactly 0.9ⁿ and 1.1ⁿ), for the tanh RNN, and for our LSTM through
    its cell state with forget-gate bias 0, 1 and 5. The LSTM's long path is the
    product of its forget gates: it keeps the gradient only while f stays near 1
    (σ(5) ≈ 0.993), which training can learn.

    Computed in float64: the smallest ratios reach 1e-25 within 100 steps, past the
    point (about 1e-20 here) where float32 drops them to 0. The weights are the cells'
    usual float32 draw.
    """
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    xs = tf.constant(rng.normal(size=(n_max, 4, units)))  # (time, batch, in), float64
    zeros = tf.zeros((4, units), "float64")  # (batch, units)
    curves = {}
    for w in (0.9, 1.1):
        curves[f"linear, W = {w}·I"] = _ratios(
            lambda x, s, w=w: [w * s[0]], [tf.ones((4, units), "float64")], xs, 0
        )
    cells = {"tanh RNN": SimpleRNNCell(units)}
    for bias in (0.0, 1.0, 5.0):
        cells[f"LSTM, forget bias {bias:g}"] = LSTMCell(units, forget_bias=bias)
    for cell in cells.values():
        cell.build((None, units))  # every float32 draw first, in this order: same weights
    for name, cell in cells.items():
        cell = _float64_twin(cell, units)
        if isinstance(cell, LSTMCell):  # watch c, the cell state: the LSTM's long path
            curves[name] = _ratios(lambda x, s, c=cell: c(x, s)[1], [zeros, zeros], xs, 1)
        else:
            curves[name] = _ratios(lambda x, s, c=cell: c(x, s)[1], [zeros], xs, 0)
    return curves


def _float64_twin(cell: layers.Layer, input_dim: int) -> layers.Layer:
    """The built `cell` again, computing in float64, with the same weights."""
    floatx = keras.config.floatx()
    keras.config.set_floatx("float64")  # the cells' initial draws follow floatx
    try:
        twin = type(cell).from_config({**cell.get_config(), "dtype": "float64"})
        twin.build((None, input_dim))
    finally:
        keras.config.set_floatx(floatx)
    twin.set_weights(cell.get_weights())  # float32 values, stored as float64
    return twin


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
def pinned_gates(units: int = 8, time: int = 30, seed: int = 0) -> dict:
    """The LSTM with f=0, i=1, o=1 next to two RNNs with its candidate's weights W_c, U_c, b_c.

    The post says those gates make the LSTM a standard RNN. They do, up to a second
    tanh: h_t = o·tanh(c_t) with c_t = c̃_t = tanh(…) is tanh(tanh(…)), not tanh(…).
    The pinned LSTM equals h_t = tanh(tanh(W_c·x_t + U_c·h_{t−1} + b_c)) to float32
    rounding; the standard RNN h_t = tanh(W_c·x_t + U_c·h_{t−1} + b_c) differs.

    Returns h_t of each over the same random inputs, (2, time, units): `lstm`,
    `tanh_tanh` and `tanh`; and the max |lstm − each|: `gap_tanh_tanh`, `gap_tanh`.
    """
    keras.utils.set_random_seed(seed)
    cell = LSTMCell(units, pin={"f": 0.0, "i": 1.0, "o": 1.0})
    cell.build((None, 3))
    x = np.random.default_rng(seed).normal(size=(2, time, 3)).astype("float32")
    lstm_out = np.asarray(layers.RNN(cell, return_sequences=True)(x))  # (batch, time, units)
    w_c = np.asarray(cell.kernel)[:, 2 * units : 3 * units]  # candidate's slice, gate order ifco
    u_c = np.asarray(cell.recurrent_kernel)[:, 2 * units : 3 * units]
    b_c = np.asarray(cell.bias)[2 * units : 3 * units]
    h2 = h1 = np.zeros((2, units), "float32")  # (batch, units)
    tanh_tanh, tanh = [], []
    for t in range(time):
        h2 = np.tanh(np.tanh(x[:, t] @ w_c + h2 @ u_c + b_c))  # the pinned LSTM, written out
        h1 = np.tanh(x[:, t] @ w_c + h1 @ u_c + b_c)  # the post's standard RNN
        tanh_tanh.append(h2)
        tanh.append(h1)
    out = {"lstm": lstm_out, "tanh_tanh": np.stack(tanh_tanh, 1), "tanh": np.stack(tanh, 1)}
    for name in ("tanh_tanh", "tanh"):
        out[f"gap_{name}"] = float(np.abs(lstm_out - out[name]).max())
    return out


def pinned_gates_gap(units: int = 8, time: int = 30, seed: int = 0) -> float:
    """Max |LSTM with f=0, i=1, o=1 − the RNN h_t = tanh(tanh(W_c·x_t + U_c·h_{t−1} + b_c))|."""
    return pinned_gates(units, time, seed)["gap_tanh_tanh"]


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


# how far back the trained model looks ----------------------------------------------------
REACH_MODELS = {  # key: (the change to the config, the figure's label)
    "lstm": ({}, "LSTM, state carried"),
    "rnn": ({"cell": "rnn"}, "vanilla RNN, state carried"),
    "stateless": ({"stateful": False}, "LSTM trained stateless, state reset every window"),
}


def memory_reach(config: Config | None = None, n_max: int = 100, windows: int = 15) -> dict:
    """How much the trained model's prediction ŷ_t moves with the input n steps back.

    In principle one step back would do: cos x is the slope of sin x, and
    10π·(sin x_t − sin x_{t−1}) ≈ cos x. But one step moves sin x by at most
    1/(10π) ≈ 0.03, so a model that read the slope off two points would need weights
    of ±31 on them. How far back the trained models actually look is measured here
    as |∂ŷ_t/∂ sin x_{t−n}|, averaged over t, for n = 0 … n_max, for
    the demo's LSTM, the vanilla RNN trained the same way (`cell="rnn"`) and the LSTM
    trained stateless (`stateful=False`).

    The stretch is row 0 of the `windows` batches after training's, one run of the
    curve, from a zero state (not the state training left; the first n_max steps
    are the warm-up). The stateful models carry the state across window starts; the
    stateless one is run as it was trained, its state reset to zeros at every window
    start, so its dependence on an earlier window is exactly 0. The average over t
    takes the outputs t = n_max … T−1 (T = windows·time_steps; by default 200 outputs,
    about one period of the sine), so every n averages over the same steps; for the
    stateless model it counts the zeros across the window start.

    TensorFlow only: the trained cell is run step by step under `tf.GradientTape`.

    Returns `n`, (n_max+1,); for each model key ("lstm", "rnn", "stateless") the
    curve, (n_max+1,); `{key}_jacobian`, (T−n_max, T), row j = ∂ŷ_{t_j}/∂ sin x over the
    whole stretch, with `t`, the t_j; `{key}_reach` (see `reach`); `{key}_decay`,
    the curve's mean factor per step from n_max/2 to n_max (0.9 would be the post's
    0.9ⁿ; NaN where the curve is 0); `{key}_final_cost`; and `window`, the time
    steps per window.
    """
    config = (config or Config()).replace(gif=False)
    if windows * config.time_steps <= n_max:
        raise ValueError(f"{windows} windows are too short to look {n_max} steps back")
    _, sin_x, _ = data.stream(windows, 1, config.time_steps, start=config.steps)
    sin_x = sin_x.reshape(1, -1, 1)  # (1, T, 1): row 0 of the batches, one after another
    t = np.arange(n_max, sin_x.shape[1])  # the outputs measured
    out = {"n": np.arange(n_max + 1), "t": t, "window": config.time_steps}
    for key, (change, _) in REACH_MODELS.items():
        model_config = config.replace(**change)
        result = trained(model_config)
        reset = None if model_config.stateful else config.time_steps
        jacobian = _input_jacobian(result.model, sin_x, t, reset)  # (len(t), T)
        rows = np.arange(len(t))
        curve = np.array([np.abs(jacobian[rows, t - n]).mean() for n in out["n"]])
        out[key] = curve
        out[f"{key}_jacobian"] = jacobian
        out[f"{key}_reach"] = reach(curve)
        half = n_max // 2
        with np.errstate(divide="ignore", invalid="ignore"):  # the stateless curve: 0 / 0
            out[f"{key}_decay"] = float((curve[n_max] / curve[half]) ** (1 / (n_max - half)))
        out[f"{key}_final_cost"] = result.final_cost
    return out


def _input_jacobian(model, sin_x: np.ndarray, t: np.ndarray, reset: int | None) -> np.ndarray:
    """∂ŷ_t/∂ sin x_s of the trained `model` over one stretch: row j for t[j], column s.

    The stretch is copied once per output into a batch; copy j's loss is ŷ at t[j].
    The rows never mix, so one backward pass gives every row of the Jacobian. The
    state starts at zeros and, if `reset` is given, returns to zeros every `reset`
    steps: a constant, so no gradient crosses it.
    """
    in_hidden, out_hidden = model.get_layer("in_hidden"), model.get_layer("out_hidden")
    cell = model.get_layer("lstm").cell
    x = tf.constant(np.repeat(sin_x, len(t), axis=0))  # (outputs, T, 1)
    zeros = [tf.zeros((len(t), size)) for size in np.atleast_1d(cell.state_size)]
    with tf.GradientTape() as tape:
        tape.watch(x)
        inputs = in_hidden(x)  # (outputs, T, units)
        states, hs = zeros, []
        for step in range(x.shape[1]):
            if reset and step % reset == 0:
                states = zeros  # a window starts: the state training began it with
            h, states = cell.call(inputs[:, step], states)  # (outputs, units)
            hs.append(h)
        y = out_hidden(tf.stack(hs, axis=1))[..., 0]  # (outputs, T): ŷ of every step
        picked = tf.reduce_sum(y * tf.one_hot(t, x.shape[1]))  # Σ_j ŷ_{t_j} of copy j
    return tape.gradient(picked, x).numpy()[..., 0]  # (outputs, T)


def reach(curve: np.ndarray, fraction: float = 0.01, peak_over: int = 6) -> int:
    """The n from which `curve` stays below `fraction` of its peak over n < `peak_over`.

    len(curve) if it never does: the model looks further back than was measured.
    """
    above = np.nonzero(curve >= fraction * curve[:peak_over].max())[0]
    return int(above.max()) + 1


# drawing ---------------------------------------------------------------------------------
RNN_COLOUR = "#e08a00"  # the vanilla RNN, apart from the LSTM's blue
COST = "final cost: Σ (pred − target)² over a window's 20 points, mean of the last 20 steps"


def _figure(width: float = 6.4, height: float = 3.6):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")


def draw_memory(m: dict, path: Path) -> None:
    """Figure 1: the LSTM's fit and the memoryless model's, with the input sin x."""
    fig = _figure(6.4, 4.2)
    ax = fig.add_subplot()
    ax.axhline(0, color="0.85", linewidth=0.8)
    ax.plot(m["x"], m["sin_x"], color="0.6", linewidth=1, label="input sin x")
    ax.plot(m["x"], m["target"], color=RED, label="target cos x")
    lstm_label = f"LSTM (final cost {m['lstm_final_cost']:.3f})"
    ax.plot(m["x"], m["lstm_pred"], "--", color=BLUE, label=lstm_label)
    baseline_label = f"no memory (final cost {m['baseline_final_cost']:.2f})"
    ax.plot(m["x"], m["baseline_pred"], ":", color="black", linewidth=2, label=baseline_label)
    for x in m["same_sin_x"]:  # the same input, opposite targets
        ax.axvline(x, color="0.6", linestyle=":", linewidth=1)
        ax.plot([x, x], [np.sin(x), np.cos(x)], "o", color="0.3", markersize=4)
        ax.text(
            x,
            1.3,
            f"sin x = {np.sin(x):.1f}\ncos x = {np.cos(x):+.2f}",
            ha="center",
            va="center",
            fontsize=7,
            bbox={"facecolor": "white", "edgecolor": "0.6", "boxstyle": "round"},
        )
    ax.set(
        xlabel="x (row 0 of the last 10 training windows)",
        ylabel="value",
        ylim=(-1.2, 1.5),  # room above for the labels
        yticks=[-1, -0.5, 0, 0.5, 1],
        title="(1) from sin x alone, cos x is ambiguous; memory resolves it",
    )
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, title=COST, title_fontsize=7)
    _save(fig, path)


def draw_gradients(g: dict, path: Path) -> None:
    """Figure 2: the gradient n steps back, relative to n = 0, on a log scale."""
    fig = _figure(6.4, 4.0)
    ax = fig.add_subplot()
    n = np.arange(len(next(iter(g.values()))))
    styles = {  # name: (label, colour, line style)
        "linear, W = 0.9·I": ("linear, W = 0.9·I: 0.9ⁿ", "gray", ":"),
        "linear, W = 1.1·I": ("linear, W = 1.1·I: 1.1ⁿ", "gray", "--"),
        "tanh RNN": ("tanh RNN, through h", "black", "-"),
        "LSTM, forget bias 0": ("LSTM through c, f ≈ σ(0) = 0.5", "tab:blue", "-"),
        "LSTM, forget bias 1": ("LSTM through c, f ≈ σ(1) = 0.73", "tab:orange", "-"),
        "LSTM, forget bias 5": ("LSTM through c, f ≈ σ(5) = 0.993", "tab:green", "-"),
    }
    for name, ratios in g.items():
        label, colour, style = styles.get(name, (name, None, "-"))
        ax.semilogy(n, ratios, style, color=colour, label=label)
    values = np.concatenate(list(g.values()))
    low, high = np.log10(values[values > 0].min()), np.log10(values.max())
    ax.set(
        xlabel="n, steps back",
        ylabel="gradient norm n steps back (n = 0: 1)",
        ylim=(10 ** (np.floor(low) - 1), 10 ** (np.ceil(high) + 1)),
        title="(3) the gradient n steps back: 0.9ⁿ vanishes, 1.1ⁿ explodes",
    )
    ax.legend(fontsize=7, ncols=2, loc="lower left", title="computed in float64", title_fontsize=7)
    _save(fig, path)


def draw_gates(a: dict, path: Path) -> None:
    """Figure 3: i, f, o and c of the trained model, per unit, against x."""
    fig = _figure(7.5, 5.0)
    units = a["i"].shape[1]
    dx = a["x"][1] - a["x"][0]
    extent = (a["x"][0] - dx / 2, a["x"][-1] + dx / 2, units - 0.5, -0.5)  # pixels centred on x
    titles = {"i": "input gate i", "f": "forget gate f", "o": "output gate o", "c": "cell state c"}
    for idx, name in enumerate(("i", "f", "o", "c")):
        ax = fig.add_subplot(2, 2, idx + 1)
        vmin, vmax = (0, 1) if name != "c" else (-np.abs(a["c"]).max(), np.abs(a["c"]).max())
        image = ax.imshow(
            a[name].T,
            aspect="auto",
            cmap="viridis" if name != "c" else "RdBu_r",
            vmin=vmin,
            vmax=vmax,
            extent=extent,
            interpolation="nearest",
        )
        fig.colorbar(image, ax=ax)
        ax.set(title=titles[name], xlabel="x (row 0, the 10 windows after training)", ylabel="unit")
    fig.suptitle("(5) the trained LSTM's gates and cell state over one period of the sine")
    _save(fig, path)


def draw_stateful(s: dict, path: Path) -> None:
    """Figure 4: squared error per time step within a window, state carried or reset."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure()
    ax = fig.add_subplot()
    ax.semilogy(
        s["stateful"],
        "o-",
        color=BLUE,
        label=f"state carried (final cost {s['stateful_final_cost']:.3f})",
    )
    ax.semilogy(
        s["stateless"],
        "s-",
        color=RED,
        label=f"state reset every batch (final cost {s['stateless_final_cost']:.3f})",
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.set(
        xlabel="time step within the window",
        ylabel="squared error, row 0,\nmean of the last 50 steps",
        title="(6) stateful batching: without the carried state,\na window starts blind",
    )
    ax.legend(fontsize=8)
    _save(fig, path)


def draw_rnn_vs_lstm(r: dict, path: Path) -> None:
    """Figure 5: the cost of every step, and the fits at the end, RNN and LSTM."""
    fig = _figure(9.6, 3.8)
    cost_ax, fit_ax = fig.subplots(1, 2, width_ratios=(1, 1.3))
    for cell, name, colour in (("rnn", "vanilla RNN", RNN_COLOUR), ("lstm", "LSTM", BLUE)):
        cost_ax.semilogy(
            r[f"{cell}_costs"],
            color=colour,
            linewidth=1,
            label=f"{name} (final cost {r[f'{cell}_final_cost']:.3f})",
        )
    cost_ax.set(xlabel="training step", ylabel="cost (Σ over a window's 20 points)")
    cost_ax.set_title("cost of every step", fontsize=10)
    cost_ax.legend(fontsize=8)
    fit_ax.plot(r["x"], r["target"], color=RED, label="target cos x")
    fit_ax.plot(r["x"], r["rnn_pred"], "--", color=RNN_COLOUR, label="vanilla RNN")
    fit_ax.plot(r["x"], r["lstm_pred"], "--", color=BLUE, label="LSTM")
    fit_ax.set(xlabel="x (row 0 of the last 10 training windows)", ylabel="cos x", ylim=(-1.2, 1.2))
    fit_ax.set_title("the fit at the end of training", fontsize=10)
    fit_ax.legend(fontsize=8, loc="upper left")
    fig.suptitle("(2) the vanilla RNN and the LSTM on the same stream, same seed")
    _save(fig, path)


def draw_pinned_gates(p: dict, path: Path, unit: int = 0) -> None:
    """Figure 6: the pinned LSTM's h_t on the tanh(tanh(·)) RNN's, and apart from tanh(·)'s."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure(9.6, 3.8)
    trace_ax, gap_ax = fig.subplots(1, 2)
    t = np.arange(p["lstm"].shape[1])
    trace_ax.plot(t, p["tanh"][0, :, unit], color=RNN_COLOUR, label="RNN, tanh(z)")
    trace_ax.plot(
        t, p["lstm"][0, :, unit], color=BLUE, linewidth=3, alpha=0.5, label="LSTM, f=0 i=1 o=1"
    )
    trace_ax.plot(t, p["tanh_tanh"][0, :, unit], "--", color="black", label="RNN, tanh(tanh(z))")
    trace_ax.set(xlabel="time step", ylabel=f"h_t, unit {unit}, row 0")
    trace_ax.set_title("z = W_c·x_t + U_c·h_{t−1} + b_c, the same weights", fontsize=9)
    trace_ax.legend(fontsize=8)
    for name, label, colour in (
        ("tanh_tanh", "vs tanh(tanh(z)): float32 rounding", "black"),
        ("tanh", "vs tanh(z): the second tanh", RNN_COLOUR),
    ):
        gap = np.abs(p["lstm"] - p[name]).max(axis=(0, 2))  # (time,) over rows and units
        gap_ax.semilogy(
            t, gap, "o-", color=colour, markersize=3, label=f"{label} (max {p[f'gap_{name}']:.1e})"
        )
    gap_ax.set(xlabel="time step", ylabel="max |h_t of the LSTM − h_t of the RNN|")
    gap_ax.set_title("the difference, every unit and row", fontsize=9)
    gap_ax.legend(fontsize=8)
    for ax in (trace_ax, gap_ax):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    fig.suptitle("(4) the LSTM with its gates pinned is an RNN, with a second tanh")
    _save(fig, path)


def draw_memory_reach(m: dict, path: Path) -> None:
    """Figure 7: |∂ŷ_t/∂ sin x_{t−n}| against n, one curve per trained model, log scale."""
    fig = _figure(6.8, 5.0)
    ax = fig.add_subplot()
    n, window = m["n"], m["window"]
    for length in range(window, n[-1] + 1, window):  # one window back, two, …
        ax.axvline(length, color="0.9", linewidth=0.8, zorder=0)
    styles = {"lstm": (BLUE, "-"), "rnn": (RNN_COLOUR, "-"), "stateless": (RED, "--")}
    for key, (_, name) in REACH_MODELS.items():
        curve = m[key]
        shown = curve > 0  # log scale: the stateless model's exact zeros are written, not drawn
        colour, style = styles[key]
        far = m[f"{key}_reach"]
        label = (
            f"{name} (final cost {m[f'{key}_final_cost']:.3f}, "
            f"reach {f'> {n[-1]}' if far > n[-1] else far})"
        )
        ax.semilogy(n[shown], curve[shown], style, color=colour, label=label)
    zeros = np.nonzero(m["stateless"] == 0)[0]
    if len(zeros):
        last = zeros[0] - 1  # the last n drawn
        ax.annotate(
            f"stateless: exactly 0 from n = {zeros[0]} on,\nno gradient crosses a window start",
            xy=(last, m["stateless"][last]),
            xytext=(last + 6, 3 * m["stateless"][:6].max()),
            fontsize=8,
            color=RED,
            arrowprops={"arrowstyle": "->", "color": RED},
        )
    ax.semilogy(  # the finite difference 10π·(sin x_t − sin x_{t−1}) ≈ cos x_t
        [0, 1],
        [10 * np.pi] * 2,
        "x",
        color="0.3",
        label=r"the slope read off two points, $10\pi\,(\sin x_t - \sin x_{t-1})$: ±31 at n = 0, 1",
    )
    ax.set(
        xlabel=f"n, steps back (grey lines: every {window} steps, one window)",
        ylabel=r"$|\partial\hat{y}_t \,/\, \partial \sin x_{t-n}|$, mean over t",
        xlim=(-2, n[-1] + 2),
    )
    ax.set_title("how much the prediction at step t moves with the input n steps back", fontsize=9)
    fig.suptitle("(7) how far back the trained model looks")
    fig.legend(
        loc="outside lower center",
        fontsize=8,
        title="reach: the n from which the curve stays below 1% of its peak (n ≤ 5)",
        title_fontsize=7,
    )
    _save(fig, path)


def draw_all(folder: Path, config: Config | None = None) -> dict:
    """Compute and draw every figure into `folder`; return the numbers behind them."""
    config = (config or Config()).replace(gif=False)
    folder.mkdir(parents=True, exist_ok=True)
    numbers = {}

    m = memory_baseline(config)
    draw_memory(m, folder / "1_memory.png")
    numbers["memory"] = {k: m[k] for k in ("lstm_final_cost", "baseline_final_cost")}

    r = rnn_vs_lstm(config)
    draw_rnn_vs_lstm(r, folder / "2_rnn_vs_lstm.png")
    numbers["rnn_vs_lstm"] = {k: r[k] for k in ("rnn_final_cost", "lstm_final_cost")}

    g = gradient_decay()
    draw_gradients(g, folder / "3_gradients.png")
    numbers["gradients_at_50"] = {k: float(v[50]) for k, v in g.items()}
    numbers["gradients_at_100"] = {k: float(v[100]) for k, v in g.items()}

    p = pinned_gates()
    draw_pinned_gates(p, folder / "4_pinned_gates.png")
    numbers["pinned_gates"] = {k: p[k] for k in ("gap_tanh_tanh", "gap_tanh")}

    a = gate_activity(config)
    draw_gates(a, folder / "5_gates.png")
    numbers["mean_forget_gate"] = float(a["f"].mean())

    s = stateful_vs_stateless(config)
    draw_stateful(s, folder / "6_stateful.png")
    numbers["stateful"] = {
        k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in s.items()
    }

    mr = memory_reach(config)
    draw_memory_reach(mr, folder / "7_memory_reach.png")
    numbers["memory_reach"] = {
        key: {
            "reach": mr[f"{key}_reach"],
            "decay_per_step": mr[f"{key}_decay"],
            "at_0": float(mr[key][0]),
            "at_1": float(mr[key][1]),
            "at_20_40": float(mr[key][20:41].mean()),
            "final_cost": mr[f"{key}_final_cost"],
        }
        for key in REACH_MODELS
    }
    return numbers


def main(argv: list[str] | None = None) -> int:
    if keras.backend.backend() != "tensorflow":
        print(
            "sine-lstm figures: error: figures 3 and 7 differentiate with tf.GradientTape; "
            "run them with KERAS_BACKEND=tensorflow (the default)",
            file=sys.stderr,
        )
        return 2
    folder = Path((argv or sys.argv[1:] or ["out/figures"])[0])
    n = draw_all(folder)
    m, r, st = n["memory"], n["rnn_vs_lstm"], n["stateful"]
    print(
        f"(1) final cost: LSTM {m['lstm_final_cost']:.3f}, no memory {m['baseline_final_cost']:.2f}"
    )
    print(f"(2) final cost: vanilla RNN {r['rnn_final_cost']:.3f}, LSTM {r['lstm_final_cost']:.3f}")
    for n_back in (50, 100):
        print(
            f"(3) gradient {n_back} steps back, relative (float64): "
            + ", ".join(f"{k} {v:.3g}" for k, v in n[f"gradients_at_{n_back}"].items())
        )
    p = n["pinned_gates"]
    print(
        f"(4) pinned-gate LSTM vs tanh(tanh(...)) RNN: max difference {p['gap_tanh_tanh']:.2g}; "
        f"vs tanh(...) RNN: {p['gap_tanh']:.2g}"
    )
    print(f"(5) mean forget gate of the trained model: {n['mean_forget_gate']:.2f}")
    print(
        f"(6) stateful vs stateless, squared error at the window's first step: "
        f"{st['stateful'][0]:.3f} vs {st['stateless'][0]:.3f}; final cost "
        f"{st['stateful_final_cost']:.3f} vs {st['stateless_final_cost']:.3f}"
    )
    mr = n["memory_reach"]
    names = {"lstm": "LSTM", "rnn": "vanilla RNN", "stateless": "stateless LSTM"}
    stateful = ("lstm", "rnn")  # the stateless curve is 0 there

    def each(field: str, fmt: str, keys=tuple(mr)) -> str:
        return ", ".join(f"{names[k]} {mr[k][field]:{fmt}}" for k in keys)

    print(
        "(7) |∂ŷ_t/∂ sin x_{t−n}|: below 1% of its peak from n = "
        + each("reach", "d")
        + f"\n    mean at n = 20–40: {each('at_20_40', '.2g')}; at n = 1: {each('at_1', '.2g')}"
        + f"\n    factor per step back, n = 50–100: {each('decay_per_step', '.2f', stateful)}"
    )
    print(f"wrote {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
