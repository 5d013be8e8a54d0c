"""What the figures share: one training run per config, and a figure drawn to a PNG."""

from __future__ import annotations

import functools
from pathlib import Path

from sine_lstm.config import Config
from sine_lstm.train import Result, train

RNN_COLOUR = "#e08a00"  # the vanilla RNN, apart from the LSTM's blue (figures 2, 4 and 7)


@functools.lru_cache(maxsize=4)
def trained(config: Config) -> Result:
    """`train(config)`, once per config: several figures share a run (a forecaster on its
    series' stream)."""
    from sine_lstm.forecasting import series

    stream = series.stream(config) if config.task == "forecast" else None
    return train(config, stream=stream, verbose=False)


def new_figure(width: float = 6.4, height: float = 3.6):
    """A matplotlib Figure on the Agg canvas (no pyplot: nothing is left open)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig, path: Path) -> None:
    """Write `fig` to `path` as a PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
