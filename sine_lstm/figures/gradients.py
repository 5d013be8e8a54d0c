"""Figure 3, section 二: vanishing and exploding gradients (`3_gradients.png`).

An error sent back through a recurrence shrinks or grows at every step: 0.9ⁿ → 0,
1.1ⁿ → ∞. Computed by `gradient_decay` (TensorFlow: `tf.GradientTape`), drawn by
`draw_gradients`. The same measured on a model's cost, in training: `gradient_back`
(figure 9, the memory ladder).
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
from keras import layers

from sine_lstm.cell import LSTMCell, SimpleRNNCell
from sine_lstm.figures.common import new_figure, save
from sine_lstm.model import cost, recurrent


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
    import tensorflow as tf  # figures 3, 5 and 7 alone need TensorFlow

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
    import tensorflow as tf  # figures 3, 5 and 7 alone need TensorFlow

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


def gradient_back(model: keras.Model, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """‖∂C/∂h_{T−n}‖ / ‖∂C/∂h_T‖ for n = 0 … T: the error that reaches h, n steps back.

    C is the batch's cost (`model.cost`, its mean over the rows), h_t the cell's hidden
    state after step t (the LSTM's h, not its c: what c carries back reaches h_{T−n}
    through the gates of step T−n+1), T the window's last step; the norm is over the
    batch and the units. Each ∂C/∂h_t is total, through every later step, as backprop
    through time sends it. The window runs from a zero state, as the remember task
    trains. Computed in float64 (the cell's twin, as in `gradient_decay`): a hundred
    steps back the ratio can fall below 1e-38, float32's smallest.

    Args:
        model: the demo's network, whichever cell it runs.
        inputs, targets: one batch, (batch, time, 1) each (NaN targets cost nothing).

    Returns:
        (time,) the ratio at index n, n steps back; 1 at n = 0.
    """
    import tensorflow as tf  # figures 3, 5, 7 and 9 alone need TensorFlow

    in_hidden, out_hidden = model.get_layer("in_hidden"), model.get_layer("out_hidden")
    cell = _float64_twin(recurrent(model).cell, in_hidden.units)  # n back it can pass 1e-38
    w_out, b_out = (tf.constant(w, tf.float64) for w in out_hidden.get_weights())
    u = tf.cast(in_hidden(inputs), tf.float64)  # (batch, time, units)
    states = [tf.zeros((u.shape[0], size), tf.float64) for size in np.atleast_1d(cell.state_size)]
    with tf.GradientTape() as tape:
        hs = []
        for t in range(u.shape[1]):
            h, states = cell.call(u[:, t], states)  # h is states[0]: what step t + 1 reads
            hs.append(h)  # (batch, units)
        y = tf.stack(hs, axis=1) @ w_out + b_out  # (batch, time, 1): out_hidden, in float64
        c = tf.reduce_mean(cost(tf.constant(targets, tf.float64), y))
    grads = tape.gradient(c, hs)  # ∂C/∂h_t, each (batch, units)
    norms = np.array([float(tf.norm(g)) for g in grads])[::-1]  # index n: n steps back
    return norms / norms[0]


class GradientsBack(keras.callbacks.Callback):
    """`gradient_back` on one batch at the start and at the end of training."""

    def __init__(self, batch: tuple[np.ndarray, np.ndarray]):
        super().__init__()
        self.batch = batch  # (inputs, targets): one the training never sees
        self.start: np.ndarray | None = None
        self.end: np.ndarray | None = None

    def on_train_begin(self, logs=None):
        self.start = gradient_back(self.model, *self.batch)

    def on_train_end(self, logs=None):
        self.end = gradient_back(self.model, *self.batch)


def draw_gradients(g: dict, path: Path) -> None:
    """Figure 3: the gradient n steps back, relative to n = 0, on a log scale."""
    from matplotlib.ticker import NullFormatter

    fig = new_figure(6.4, 4.0)
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
    low = np.log10(values[values > 0].min())
    high = np.log10(values.max())
    low, high = 2 * np.floor((low - 1) / 2), 2 * np.ceil((high + 1) / 2)  # even powers of 10
    ax.set(
        xlabel="n, steps back",
        ylabel="gradient norm n steps back (n = 0: 1)",
        ylim=(10**low, 10**high),
        title="(3) the gradient n steps back: 0.9ⁿ vanishes, 1.1ⁿ explodes",
    )
    ax.set_yticks(10 ** np.arange(low, high + 1, 2))  # every other decade, 10⁰ = 1 among them
    ax.set_yticks(10 ** np.arange(low, high + 1), minor=True)  # and a tick at every decade
    ax.yaxis.set_minor_formatter(NullFormatter())  # unlabelled
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(fontsize=7, ncols=2, loc="lower left", title="computed in float64", title_fontsize=7)
    save(fig, path)
