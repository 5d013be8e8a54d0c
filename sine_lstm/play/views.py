"""The playground's Bokeh figures, drawn from data the page streams to them.

Each function makes one figure and the data sources the page fills; the colours and
words are the GIF's (`plots.py`). Nothing here computes: `session.py` trains,
`probe.py` runs the trained cell, `app.py` puts the numbers in.
"""

from __future__ import annotations

import numpy as np
from bokeh.layouts import column
from bokeh.models import ColorBar, ColumnDataSource, LinearColorMapper, Range1d, Span
from bokeh.palettes import RdBu11, Viridis256
from bokeh.plotting import figure

from sine_lstm.plots import BLUE, RED, prediction_label

GREY = "#9a9a9a"  # the trained model's fit, under a what-if's
TOOLS = "pan,wheel_zoom,box_zoom,reset,save"
WIDE = {"sizing_mode": "stretch_width"}  # the page's width: up to 1100 px, or a notebook cell's
NAMES = {
    "i": "input gate i",
    "f": "forget gate f",
    "o": "output gate o",
    "c": "cell state c",
    "h": "hidden output h",
}


def windows(x: np.ndarray, y: np.ndarray) -> dict:
    """Rows of (steps, points) arrays as one line broken by NaN after each window.

    Two arrays, however many windows: Bokeh sends each array as one binary message
    (a list of 200 windows would be 400 messages, which keep the browser busy).
    """
    gap = np.full((len(x), 1), np.nan, "float32")  # (steps, 1)
    x, y = (np.hstack([a.astype("float32"), gap]).reshape(-1) for a in (x, y))
    return {"x": x, "y": y}  # (steps · (points + 1),) each


def cos_figure(name: str, size: tuple, x_label: str, y_limits: tuple):
    """An empty figure of cos x over x, `size` (width, height) pixels."""
    width, height = size
    return figure(
        width=width,
        height=height,
        tools=TOOLS,
        x_axis_label=x_label,
        y_axis_label="cos x",
        y_range=Range1d(*y_limits),
        name=name,
    )


def fit_figure(cell: str) -> tuple:
    """The post's animation: red target cos x and blue dashed prediction, window by window.

    Returns the figure and its two sources, `target` and `fit` (`windows` columns).
    """
    fig = cos_figure("fit_figure", (640, 360), "x", (-1.5, 1.5))
    fig.x_range = Range1d(0, 1)  # the view's x, set by the page: it holds still, as the GIF's
    target = ColumnDataSource(windows(np.zeros((0, 2)), np.zeros((0, 2))), name="target")
    fit = ColumnDataSource(windows(np.zeros((0, 2)), np.zeros((0, 2))), name="fit")
    fig.line("x", "y", source=target, color=RED, line_width=1.5, legend_label="target cos x")
    fig.line(
        "x",
        "y",
        source=fit,
        color=BLUE,
        line_width=1.5,
        line_dash="dashed",
        legend_label=prediction_label(cell),
    )
    fig.legend.location = "bottom_right"
    fig.legend.background_fill_alpha = 0.7
    return fig, target, fit


def cost_figure() -> tuple:
    """The cost of every step, log scale, with a marker at the step the slider shows."""
    fig = figure(
        width=420,
        height=360,
        tools=TOOLS,
        x_range=Range1d(0, 200),  # the run's steps, set by the page
        y_axis_type="log",
        name="cost_figure",
        x_axis_label="training step",
        y_axis_label="cost = Σ (pred − target)² / batch",
    )
    costs = ColumnDataSource({"step": [], "cost": []}, name="costs")
    fig.line("step", "cost", source=costs, color="black", line_width=1)
    marker = Span(
        location=0,
        dimension="height",
        line_color=BLUE,
        line_dash="dotted",
        line_width=1.5,
        visible=False,
    )
    fig.add_layout(marker)
    return fig, costs, marker


def trained_label(cell: str) -> str:
    return f"{prediction_label(cell)}, as trained"


def what_if_figure(cell: str = "lstm") -> tuple:
    """The stretch after training: the target, the trained fit, and the fit under a what-if."""
    x_label = "x (the 50 windows after training)"
    fig = cos_figure("what_if_figure", (1080, 320), x_label, (-1.6, 2.2))
    fig.sizing_mode = WIDE["sizing_mode"]
    empty = windows(np.zeros((0, 2)), np.zeros((0, 2)))
    sources = {
        name: ColumnDataSource(dict(empty), name=f"what_if_{name}")
        for name in ("target", "trained", "changed")
    }
    fig.line(
        "x", "y", source=sources["target"], color=RED, line_width=1.5, legend_label="target cos x"
    )
    fig.line(
        "x",
        "y",
        source=sources["trained"],
        color=GREY,
        line_width=2,
        legend_label=trained_label(cell),
    )
    fig.line(
        "x",
        "y",
        source=sources["changed"],
        color=BLUE,
        line_width=1.5,
        line_dash="dashed",
        legend_label="…with the what-if",
    )
    fig.legend.location = "top_right"
    fig.legend.orientation = "horizontal"
    fig.legend.background_fill_alpha = 0.7
    return fig, sources


def gates_figure(trace: dict):
    """sin x and cos x, then each of i, f, o, c, h as a heat map: unit by unit, over x.

    `trace` is `Probe.run`'s: x (batch, time) and each trace (batch, time, units),
    flattened to one time axis, the windows in order.
    """
    x = trace["x"].reshape(-1)  # (batch·time,) one stretch of the curve
    dx = float(x[1] - x[0])
    wave = figure(
        height=160,
        **WIDE,
        tools=TOOLS,
        y_range=Range1d(-1.2, 2.0),
        title="the input sin x and the target cos x: the same sin x comes "
        "twice a period, once rising (cos x > 0), once falling",
    )
    wave.line(x, np.sin(x), color=BLUE, line_width=1.5, legend_label="sin x, the input")
    wave.line(
        x,
        np.cos(x),
        color=RED,
        line_dash="dashed",
        line_width=1.5,
        legend_label="cos x, the target",
    )
    wave.legend.location = "top_right"
    wave.legend.orientation = "horizontal"
    wave.legend.background_fill_alpha = 0.7
    wave.yaxis.ticker = [-1, 0, 1]
    wave.min_border_right = 60  # the heat maps' colour bars: keep x aligned under them
    rows = [wave]
    for name in (n for n in NAMES if n in trace):
        values = trace[name].reshape(len(x), -1).T  # (units, batch·time)
        units = values.shape[0]
        if name in "ifo":  # gates live in (0, 1)
            mapper = LinearColorMapper(palette=Viridis256, low=0.0, high=1.0)
        else:
            limit = max(float(np.abs(values).max()), 1e-6)
            mapper = LinearColorMapper(palette=RdBu11[::-1], low=-limit, high=limit)
        fig = figure(
            height=40 + 14 * units,
            **WIDE,
            tools=TOOLS,
            x_range=wave.x_range,
            y_range=Range1d(-0.5, units - 0.5),
            title=NAMES[name],
            y_axis_label="unit",
        )
        fig.image(
            image=[values], x=x[0] - dx / 2, y=-0.5, dw=len(x) * dx, dh=units, color_mapper=mapper
        )
        fig.add_layout(ColorBar(color_mapper=mapper, width=10), "right")
        fig.yaxis.ticker = list(range(units))
        for turn in x[np.nonzero(np.diff(np.cos(x) > 0))[0]]:  # where sin x turns
            fig.add_layout(Span(location=float(turn), dimension="height", line_dash="dotted"))
        rows.append(fig)
    rows[-1].xaxis.axis_label = "x (the 50 windows after training; dotted: where sin x turns)"
    return column(*rows, **WIDE)
