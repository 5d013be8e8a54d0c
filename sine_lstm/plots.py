"""The pictures: the post's animation as a GIF, its last frame, and the cost curve.

Plain functions over recorded numbers; nothing here touches the model. matplotlib
is imported inside them (Agg, no window), so training pays nothing for it.

Each picture shows row 0 of every step's batch, as the original plotted it:
`x` and the red `target` run one point into the next window, so that the
windows join into one curve; the blue dashed `pred` is the step's own window.

The GIF piles up the curves the way the original's never-cleared `plt.plot`
did, but incrementally: the axes are drawn once, and each frame only adds the
steps since the previous frame onto the same pixels; `gif.py` turns those
pixels into the GIF's bytes. The x axis holds at most `VIEW` windows (the 200
of the default run); a longer run scrolls: the axis jumps forward half a view
at a time, and only those frames are drawn whole.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sine_lstm import gif
from sine_lstm.gif import BLUE, RED
from sine_lstm.outputs import atomic_path

FIGSIZE = (6.4, 3.6)  # inches; at 100 dpi a 640 × 360 GIF
VIEW = 200  # windows on the x axis at most: the default 200 steps, x ≈ 0–127
HOLD_MS = 3000  # the last frame stays up 3 s, time to read it before the loop restarts
LAST = 20  # the run's final cost is the mean of the last 20 steps' costs
FINAL = f"final cost (mean of the last {LAST} steps)"  # as `sine-lstm train` prints it


def final_cost(costs: np.ndarray) -> float:
    """A run's final cost: the mean of its last 20 steps' costs, the number ORIGINAL.md compares."""
    return float(np.mean(costs[-LAST:]))


def frame_steps(steps: int, max_frames: int) -> np.ndarray:
    """The steps that get a frame: at most `max_frames`, evenly spread, the last kept."""
    if steps <= max_frames:
        return np.arange(steps)
    return np.unique(np.round(np.linspace(0, steps - 1, max_frames)).astype(int))


def view_starts(steps: int, view: int = VIEW) -> list[int]:
    """The first step of each view of the scrolling x axis, in order.

    A view holds `view` windows. The axis stays put while the steps fill it, then
    jumps forward by at most half a view; the jumps are placed so that the last
    view ends at the last step, and the last picture shows the latest `view` windows.
    """
    return [0, *sorted(range(steps - view, 0, -(view // 2)))]


def view_of(step: int, starts: list[int], view: int = VIEW) -> int:
    """The first step of the view that shows `step`: the earliest that reaches it."""
    return next(start for start in starts if step < start + view)


def y_limit(pred: np.ndarray) -> float:
    """±1.5, or wider if a prediction goes further: early predictions overshoot."""
    return max(1.5, 1.1 * float(np.abs(pred).max(initial=0.0)))


def prediction_label(cell: str) -> str:
    """The blue line's name: the cell that drew it (`keras` is Keras's own LSTM cell)."""
    return "RNN prediction" if cell == "rnn" else "LSTM prediction"


def axis_names(task: str = "cos", horizon: int = 1) -> tuple[str, str, str]:
    """The x axis, the y axis and the red line, for the post's task or a forecast."""
    if task == "forecast":
        ahead = "1 point" if horizon == 1 else f"{horizon} points"
        return "point", "the series (scaled)", f"target, {ahead} ahead"
    return "x", "cos x", "target cos x"


def caption(step: int, costs: np.ndarray) -> str:
    """The step and its own cost; on the last step, also the run's final cost.

    The cost of one step jumps about; the final cost that `sine-lstm train`
    prints is the mean of the last 20 steps, so the picture names both.
    """
    text = f"step {step}   this step's cost {costs[step]:.4f}"
    if step == len(costs) - 1:
        last = min(LAST, len(costs))
        text += f"\nmean of the last {last} steps: {final_cost(costs):.4f}"
    return text


def x_label(start: int, steps: int, view: int = VIEW, name: str = "x") -> str:
    """The x axis's label: x, and which steps it holds once earlier ones scrolled off."""
    if start == 0:
        return name
    stop = min(start + view, steps) - 1
    return f"{name}      (this view: steps {start}–{stop}; earlier steps scrolled off to the left)"


def _axes(dpi: int, y_lim: float = 1.5, names: tuple = axis_names()):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, dpi=dpi)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.85)  # fixed: frames align
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_ylim(-y_lim, y_lim)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    return fig, canvas, ax


def _legend(ax, cell: str, target: str = "target cos x"):
    """The legend above the plot, on the right, one line each; the caption goes on the left."""
    from matplotlib.lines import Line2D

    return ax.legend(
        [Line2D([], [], color=RED), Line2D([], [], color=BLUE, linestyle="--")],
        [target, prediction_label(cell)],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=11,
        frameon=False,
        borderaxespad=0.2,
        labelspacing=0.3,
    )


def _curves(ax, linewidth: float, animated: bool):
    """Two empty collections, red target and blue dashed prediction: many steps, one draw each."""
    from matplotlib.collections import LineCollection

    red = LineCollection([], colors=RED, linewidths=linewidth, animated=animated)
    blue = LineCollection([], colors=BLUE, linewidths=linewidth, linestyles="--", animated=animated)
    for curves in (red, blue):
        ax.add_collection(curves, autolim=False)
    return red, blue


def _set_steps(red, blue, x, target, pred, a: int, b: int) -> None:
    """Put steps a … b − 1 into the two collections."""
    red.set_segments(np.stack([x[a:b], target[a:b]], -1))  # (steps, time + 1, 2)
    blue.set_segments(np.stack([x[a:b, :-1], pred[a:b]], -1))  # (steps, time, 2)


def _set_view(ax, x, start: int, steps: int, view: int, name: str = "x") -> None:
    """Point the x axis at the windows of steps start … start + view − 1."""
    shown = x[start : start + view]  # (≤ view, time + 1)
    ax.set_xlim(float(np.nanmin(shown)), float(np.nanmax(shown)))
    ax.set_xlabel(x_label(start, steps, view, name))


def caption_font(dpi: int):
    """The GIF caption's font: matplotlib's own DejaVu Sans at 12 points, for Pillow."""
    from matplotlib import font_manager

    return gif.font(font_manager.findfont("DejaVu Sans"), round(12 * dpi / 72))


def render_gif(
    x,
    target,
    pred,
    costs,
    path: str | Path,
    fps: int = 10,
    max_frames: int = 200,
    dpi: int = 100,
    cell: str = "lstm",
    view: int = VIEW,
    names: tuple = axis_names(),
) -> int:
    """Draw the post's animation to `path`; return the number of frames.

    Args:
        x, target: row 0 of every step's batch and one point more, (steps, time + 1).
        pred: row 0 of every step's prediction, (steps, time).
        costs: every step's cost, (steps,).
        fps: frames per second; the GIF loops forever, the last frame held HOLD_MS.
        max_frames: at most this many frames, sampled evenly, the last step kept.
        cell: `Config.cell`, which names the blue line.
        view: at most this many windows on the x axis; longer runs scroll.
        names: `axis_names(task, horizon)`: the axes and the red line.
    """
    fig, canvas, ax = _axes(dpi, y_limit(pred), names)
    legend = _legend(ax, cell, names[2])
    _set_view(ax, x, 0, len(costs), view, names[0])
    canvas.draw()  # everything but the curves, once per view
    width, height = canvas.get_width_height()
    box, key = ax.get_window_extent(), legend.get_window_extent()
    caption_h = round(44 * dpi / 100)  # two lines
    top = max(int(height - box.y1) - caption_h - 2, 0)
    band = (int(box.x0), top, int(key.x0 - box.x0) - 4, caption_h)
    red, blue = _curves(ax, 1.5, animated=True)  # drawn by hand, onto the axes' pixels
    steps = frame_steps(len(costs), max_frames)
    starts = view_starts(len(costs), view)
    drawn = 0  # the steps on the pixels so far
    last = 0  # the first step of their view

    with atomic_path(path) as tmp, open(tmp, "wb") as fp:
        writer = gif.Writer(fp, fps, band, caption_font(dpi))
        for step in steps:
            start = view_of(int(step), starts, view)
            if start != last:  # the axis jumps forward: draw the frame whole
                _set_view(ax, x, start, len(costs), view, names[0])
                canvas.draw()  # axes, ticks, labels, legend: everything but the curves
                drawn = start
                last = start
                changed = (0, height, 0, width)
            else:  # the pixels that the new steps' curves can touch
                ys = np.concatenate([target[drawn : step + 1], pred[drawn : step + 1]], axis=None)
                xs = x[drawn : step + 1]
                (left, bottom), (right, upper) = ax.transData.transform(
                    [(np.nanmin(xs), np.nanmin(ys)), (np.nanmax(xs), np.nanmax(ys))]
                )
                rows = max(int(height - upper) - 4, 0), min(int(height - bottom) + 5, height)
                changed = (*rows, max(int(left) - 4, 0), min(int(right) + 5, width))
            _set_steps(red, blue, x, target, pred, drawn, step + 1)
            ax.draw_artist(red)
            ax.draw_artist(blue)
            drawn = step + 1
            pixels = np.asarray(canvas.buffer_rgba())  # (height, width, 4)
            hold = HOLD_MS if step == steps[-1] else None
            writer.add(pixels, changed, caption(int(step), costs), hold)
        writer.close()
    return len(steps)


def render_final(
    x,
    target,
    pred,
    costs,
    path: str | Path,
    dpi: int = 200,
    cell: str = "lstm",
    view: int = VIEW,
    names: tuple = axis_names(),
) -> None:
    """The last frame of the animation, at higher resolution: the latest `view` windows."""
    fig, canvas, ax = _axes(dpi, y_limit(pred), names)
    start = view_starts(len(costs), view)[-1]
    _set_steps(*_curves(ax, 1.0, animated=False), x, target, pred, start, len(costs))
    _set_view(ax, x, start, len(costs), view, names[0])
    _legend(ax, cell, names[2])
    ax.set_title(caption(len(costs) - 1, costs), loc="left", fontsize=12, linespacing=1.3)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")


def render_cost(costs: np.ndarray, path: str | Path, dpi: int = 120) -> None:
    """The cost of every step, log scale."""
    fig, canvas, ax = _axes(dpi)
    ax.set_ylim(auto=True)
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.semilogy(np.arange(len(costs)), costs, color="black", linewidth=1.0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # 0.1, not 10⁻¹
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("training step")
    ax.set_ylabel("cost = Σ (pred − target)² / batch")
    ax.set_title(f"{FINAL}: {final_cost(costs):.4f}")
    ax.grid(True, which="both", alpha=0.3)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
