"""Figure 4, section 三: pinned gates make the LSTM an RNN (`4_pinned_gates.png`).

With f = 0, i = 1, o = 1 the LSTM is a standard RNN, up to a second tanh. Computed
by `pinned_gates`, drawn by `draw_pinned_gates`.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
from keras import layers

from sine_lstm.cell import LSTMCell
from sine_lstm.figures.common import RNN_COLOUR, new_figure, save
from sine_lstm.plots import BLUE


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


def draw_pinned_gates(p: dict, path: Path, unit: int = 0) -> None:
    """Figure 4: the pinned LSTM's h_t on the tanh(tanh(·)) RNN's, and apart from tanh(·)'s."""
    from matplotlib.ticker import MaxNLocator

    fig = new_figure(9.6, 3.8)
    trace_ax, gap_ax = fig.subplots(1, 2)
    t = np.arange(p["lstm"].shape[1])
    trace_ax.plot(t, p["tanh"][0, :, unit], color=RNN_COLOUR, label="RNN, tanh(z)")
    trace_ax.plot(
        t, p["lstm"][0, :, unit], color=BLUE, linewidth=3, alpha=0.5, label="LSTM, f=0 i=1 o=1"
    )
    trace_ax.plot(t, p["tanh_tanh"][0, :, unit], "--", color="black", label="RNN, tanh(tanh(z))")
    trace_ax.set(xlabel="time step", ylabel=f"$h_t$, unit {unit}, row 0")
    trace_ax.set_title(
        r"$z = W_c \cdot x_t + U_c \cdot h_{t-1} + b_c$, the same weights", fontsize=9
    )
    trace_ax.legend(fontsize=8)
    for name, label, colour in (
        ("tanh_tanh", "vs tanh(tanh(z)): float32 rounding", "black"),
        ("tanh", "vs tanh(z): the second tanh", RNN_COLOUR),
    ):
        gap = np.abs(p["lstm"] - p[name]).max(axis=(0, 2))  # (time,) over rows and units
        gap_ax.semilogy(
            t, gap, "o-", color=colour, markersize=3, label=f"{label} (max {p[f'gap_{name}']:.1e})"
        )
    gap_ax.set(xlabel="time step", ylabel="max |$h_t$ of the LSTM − $h_t$ of the RNN|")
    gap_ax.set_title("the difference, every unit and row", fontsize=9)
    gap_ax.legend(fontsize=8)
    for ax in (trace_ax, gap_ax):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    fig.suptitle("(4) the LSTM with its gates pinned is an RNN, with a second tanh")
    save(fig, path)
