"""Figure 2, section 二: the vanilla RNN and the LSTM on the same stream (`2_rnn_vs_lstm.png`).

Computed by `rnn_vs_lstm`, drawn by `draw_rnn_vs_lstm`.
"""

from __future__ import annotations

from pathlib import Path

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.figures.common import RNN_COLOUR, new_figure, save, trained
from sine_lstm.plots import BLUE, RED


def rnn_vs_lstm(config: Config | None = None, last: int = 10) -> dict:
    """Train the demo with section 二's vanilla RNN and with the LSTM: same seed, same stream.

    The same model (Dense, recurrent layer, Dense) with `Config(cell="rnn")` or
    `cell="lstm"`. Telling the rising half of the sine from the falling half needs
    only a short memory, so the RNN learns it too; with the defaults (seed 0) it ends
    at about twice the LSTM's cost, though other seeds rank them differently.

    Returns `rnn_costs` and `lstm_costs`, (steps,) the cost of every step; the two
    final costs; and row 0 of the last `last` windows: x, the target and both fits.
    """
    config = config or Config()
    x, _, target = data.stream(config.steps, 1, config.time_steps)  # row 0 of every batch
    out = {"x": x[-last:, :, 0].ravel(), "target": target[-last:, :, 0].ravel()}
    for cell in ("rnn", "lstm"):
        result = trained(config.replace(cell=cell))
        out[f"{cell}_costs"] = result.costs
        out[f"{cell}_final_cost"] = result.final_cost
        out[f"{cell}_pred"] = result.record.pred_history()[-last:].ravel()  # (last·time,)
    return out


def draw_rnn_vs_lstm(r: dict, path: Path) -> None:
    """Figure 2: the cost of every step, and the fits at the end, RNN and LSTM."""
    fig = new_figure(9.6, 3.8)
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
    save(fig, path)
