"""What the figures share: one training run per config, and a figure drawn to a PNG."""

from __future__ import annotations

import functools
from pathlib import Path

from sine_lstm.config import Config
from sine_lstm.train import Result, train

RNN_COLOUR = "#e08a00"  # the vanilla RNN, apart from the LSTM's blue (figures 2, 4 and 7)
# Fonts that draw Chinese (a CSV's column 二氧化碳, say), tried after DejaVu Sans glyph by glyph
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
)


@functools.lru_cache(maxsize=4)
def trained(config: Config) -> Result:
    """`train(config)`, once per config: several figures share a run (a forecaster on its
    series' stream)."""
    from sine_lstm.forecasting import series

    stream = series.stream(config) if config.task == "forecast" else None
    return train(config, stream=stream, verbose=False)


@functools.cache
def chinese_fonts() -> tuple[str, ...]:
    """The fonts of CJK_FONTS this machine has, in that order; none: said once, on stderr."""
    import sys

    from matplotlib import font_manager

    manager = font_manager.fontManager
    installed = {font.name for font in manager.ttflist}
    if not installed & set(CJK_FONTS):  # matplotlib's list of fonts predates the font's install
        known = {font.fname for font in manager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                    continue
        installed = {font.name for font in manager.ttflist}
    found = tuple(name for name in CJK_FONTS if name in installed)
    if not found:
        print(
            "sine-lstm: no Chinese font found, so Chinese text in figures draws as boxes; "
            "install one, e.g. fonts-noto-cjk (Debian, Ubuntu)",
            file=sys.stderr,
        )
    return found


def new_figure(width: float = 6.4, height: float = 3.6):
    """A matplotlib Figure on the Agg canvas (no pyplot: nothing is left open), its text in
    DejaVu Sans, with a Chinese font for the glyphs DejaVu lacks."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = ["DejaVu Sans", *chinese_fonts()]
    if matplotlib.rcParams["font.family"] != family:
        matplotlib.rcParams["font.family"] = family
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save(fig, path: Path) -> None:
    """Write `fig` to `path` as a PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
