"""What the figures share: one training run per config, and a figure drawn to a PNG."""

from __future__ import annotations

import functools
from pathlib import Path

from sine_lstm.config import Config
from sine_lstm.outputs import atomic_path
from sine_lstm.train import Result, train

RNN_COLOUR = "#e08a00"  # the vanilla RNN, apart from the LSTM's blue (figures 2, 4 and 7)


@functools.lru_cache(maxsize=4)
def trained(config: Config) -> Result:
    """`train(config)` without saving, once per config: several figures share a run."""
    return train(config.replace(gif=False), verbose=False, save=False)


def new_figure(width: float = 6.4, height: float = 3.6):
    """A matplotlib Figure on the Agg canvas (no pyplot: nothing is left open)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig, path: Path) -> None:
    """Write `fig` to `path` as a PNG, all at once (see `atomic_path`)."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
