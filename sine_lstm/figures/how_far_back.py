"""Figure 7: how far back the trained model looks (`7_memory_reach.png`).

|∂ŷ_t/∂ sin x_{t−n}| against n, for the demo's LSTM, the vanilla RNN and the LSTM
trained stateless, and each model's reach: the last n at which its curve is still
above 1 % of its peak (`reach`). Computed by `memory_reach` (TensorFlow:
`tf.GradientTape`), drawn by `draw_memory_reach`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.figures.common import RNN_COLOUR, new_figure, save, trained
from sine_lstm.model import recurrent
from sine_lstm.plots import BLUE, RED

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
    whole stretch, with `t`, the t_j; `{key}_reach`, the last n still above 1 % of
    the peak (see `reach`); `{key}_decay`,
    the curve's mean factor per step from n_max/2 to n_max (0.9 would be the post's
    0.9ⁿ; NaN where the curve is 0); `{key}_final_cost`; and `window`, the time
    steps per window.
    """
    config = config or Config()
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
    import tensorflow as tf  # figures 3, 5 and 7 alone need TensorFlow

    in_hidden, out_hidden = model.get_layer("in_hidden"), model.get_layer("out_hidden")
    cell = recurrent(model).cell  # whichever cell was trained
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
    """The last n at which `curve` is still at least `fraction` of its peak.

    The peak is the curve's largest value over its first `peak_over` steps back
    (n = 0 … 5 by default). From the n returned on, every later value is below it.
    len(curve) − 1 if the curve never falls below: the model may look further back
    than was measured.
    """
    above = np.nonzero(curve >= fraction * curve[:peak_over].max())[0]
    return int(above.max())


def draw_memory_reach(m: dict, path: Path) -> None:
    """Figure 7: |∂ŷ_t/∂ sin x_{t−n}| against n, one curve per trained model, log scale.

    A dot marks each model's reach on its curve, a dotted line its 1 % of the peak; an
    inset enlarges n = 0 … 8, where the peak is taken.
    """
    fig = new_figure(6.8, 5.0)
    ax = fig.add_subplot()
    n, window = m["n"], m["window"]
    for length in range(window, n[-1] + 1, window):  # one window back, two, …
        ax.axvline(length, color="0.9", linewidth=0.8, zorder=0)
    styles = {"lstm": (BLUE, "-"), "rnn": (RNN_COLOUR, "-"), "stateless": (RED, "--")}
    first = n <= 8  # the first steps back, enlarged in the inset
    inset = ax.inset_axes((0.07, 0.06, 0.33, 0.34))  # lower left: no curve comes there
    for key, (_, name) in REACH_MODELS.items():
        curve = m[key]
        shown = curve > 0  # log scale: the stateless model's exact zeros are written, not drawn
        colour, style = styles[key]
        far = m[f"{key}_reach"]
        label = (
            f"{name} (final cost {m[f'{key}_final_cost']:.3f}; "
            f"last n above 1 %: {far}{', the last measured' if far == n[-1] else ''})"
        )
        ax.semilogy(n[shown], curve[shown], style, color=colour, label=label)
        inset.semilogy(n[first & shown], curve[first & shown], style, color=colour)
        one_percent = 0.01 * curve[:6].max()  # `reach`'s threshold
        ax.plot([0, far], [one_percent] * 2, ":", color=colour, linewidth=0.8)
        ax.plot(far, curve[far], "o", color=colour, markersize=4)  # the reach
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
    (slope,) = inset.semilogy(  # the finite difference 10π·(sin x_t − sin x_{t−1}) ≈ cos x_t
        [0, 1],
        [10 * np.pi] * 2,
        "x",  # in the inset: one step apart on the main axes, the two would merge into one
        color="0.3",
        label=r"the slope read off two points, $10\pi\,(\sin x_t - \sin x_{t-1})$: ±31 at n = 0, 1",
    )
    inset.set_xticks(range(0, 9, 2))
    inset.set_xlim(-0.5, 8.5)
    inset.tick_params(labelsize=7)
    inset.set_title("n = 0 to 8, enlarged", fontsize=7, pad=2)
    ax.set(
        xlabel=f"n, steps back (grey lines: every {window} steps, one window)",
        ylabel=r"$|\partial\hat{y}_t \,/\, \partial \sin x_{t-n}|$, mean over t",
        xlim=(-2, n[-1] + 2),
        ylim=(None, 50 * max(m[key][:6].max() for key in REACH_MODELS)),  # room for the note
    )
    ax.set_title("how much the prediction at step t moves with the input n steps back", fontsize=9)
    fig.suptitle("(7) how far back the trained model looks")
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles + [slope],
        labels + [slope.get_label()],
        loc="outside lower center",
        fontsize=8,
        title="dot: the last n at which a curve is still above 1 % (dotted) of its peak, "
        "its largest value at n = 0 to 5",
        title_fontsize=7,
    )
    save(fig, path)
