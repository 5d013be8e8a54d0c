"""Figure 6: stateful batching, the state carried from window to window (`6_stateful.png`).

Without the carried state, each window starts from zeros and must guess its first
points. Computed by `stateful_vs_stateless`, drawn by `draw_stateful`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.figures.common import new_figure, save, trained
from sine_lstm.plots import BLUE, RED


def stateful_vs_stateless(config: Config | None = None, last: int = 50) -> dict:
    """Squared error per time step within a window, over the last `last` steps of training.

    Without carried state, each window starts from zeros and must guess its first
    points; with it, the window starts where the previous one ended.
    """
    config = config or Config()
    out = {}
    for name, stateful in (("stateful", True), ("stateless", False)):
        result = trained(config.replace(stateful=stateful))
        k = np.arange(config.steps - last, config.steps)
        _, _, target = data.stream(config.steps, 1, config.time_steps)  # row 0 of each batch
        err = (result.record.pred_history()[k] - target[k, :, 0]) ** 2  # (last, time)
        out[name] = err.mean(axis=0)
        out[f"{name}_final_cost"] = result.final_cost
    return out


def draw_stateful(s: dict, path: Path) -> None:
    """Figure 6: squared error per time step within a window, state carried or reset."""
    from matplotlib.ticker import MaxNLocator

    fig = new_figure()
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
    save(fig, path)
