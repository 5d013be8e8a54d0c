"""The pictures: the post's animation as a GIF, its last frame, and the cost curve.

Plain functions over recorded numbers; nothing here touches the model. matplotlib
is imported inside them (Agg, no window), so training pays nothing for it.

Each picture shows row 0 of every step's batch, as the original plotted it:
`x` and the red `target` run one point into the next window, so that the
windows join into one curve; the blue dashed `pred` is the step's own window.

The GIF piles up the curves the way the original's never-cleared `plt.plot`
did, but incrementally (`Animation`, as training goes): the axes are drawn once, and
each frame only adds the steps since the previous frame onto the same pixels;
`gif.py` turns those pixels into the GIF's bytes. The x axis holds at most `VIEW` windows (the 200
of the default run); a longer run scrolls: the axis jumps forward half a view
at a time, and only those frames are drawn whole.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sine_lstm import gif
from sine_lstm.gif import BLUE, RED

FIGSIZE = (6.4, 3.6)  # inches; at 100 dpi a 640 × 360 GIF
VIEW = 200  # windows on the x axis at most: the default 200 steps, x ≈ 0–127
HOLD_MS = 3000  # the last frame stays up 3 s, time to read it before the loop restarts
LAST = 20  # the run's final cost is the mean of the last 20 steps' costs
FINAL = f"final cost (mean of the last {LAST} steps)"  # as `sine-lstm train` prints it
MEMORYLESS = f"memoryless cost (the best constant guess, on the same {LAST} batches)"  # and this


def final_cost(costs: np.ndarray) -> float:
    """A run's final cost: the mean of its last 20 steps' costs, what runs are compared by."""
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


def y_limit(values: np.ndarray) -> float:
    """±1.5, or wider if a value drawn goes further (early predictions overshoot)."""
    return max(1.5, 1.1 * float(np.nanmax(np.abs(values), initial=0.0)))


def prediction_label(cell: str) -> str:
    """The blue line's name: the cell that drew it (`keras` is Keras's own LSTM cell)."""
    names = {"rnn": "RNN", "gru": "GRU", "mingru": "minGRU", "minlstm": "minLSTM"}
    return f"{names.get(cell, 'LSTM')} prediction"


def axis_names(task: str = "cos", horizon: int = 1) -> tuple[str, str, str]:
    """The x axis, the y axis and the red line, for the post's task or a forecast."""
    if task == "forecast":
        ahead = "1 point" if horizon == 1 else f"{horizon} points"
        return "point", "the series (scaled)", f"target, {ahead} ahead"
    return "x", "cos x", "target cos x"


def caption(step: int, costs: np.ndarray, final: bool = False) -> str:
    """The step and its own cost; on the run's last step (`final`), also its final cost.

    The cost of one step jumps about; the final cost that `sine-lstm train`
    prints is the mean of the last 20 steps, so the picture names both.
    """
    text = f"step {step}   this step's cost {costs[step]:.4f}"
    if final:
        last = min(LAST, step + 1)
        text += f"\nmean of the last {last} steps: {final_cost(costs[: step + 1]):.4f}"
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


def _set_steps(red, blue, x, target, pred) -> None:
    """Put these steps' windows into the two collections: x, target (steps, time + 1), pred
    (steps, time)."""
    red.set_segments(np.stack([x, target], -1))  # (steps, time + 1, 2)
    blue.set_segments(np.stack([x[:, :-1], pred], -1))  # (steps, time, 2)


def _set_view(ax, shown, start: int, steps: int, view: int, name: str = "x") -> None:
    """Point the x axis at the windows `shown` (≤ view, time + 1), of steps start on."""
    ax.set_xlim(float(np.nanmin(shown)), float(np.nanmax(shown)))
    ax.set_xlabel(x_label(start, steps, view, name))


def caption_font(dpi: int):
    """The GIF caption's font: matplotlib's own DejaVu Sans at 12 points, for Pillow."""
    from matplotlib import font_manager

    return gif.font(font_manager.findfont("DejaVu Sans"), round(12 * dpi / 72))


class Animation:
    """The post's animation, written frame by frame into the open binary file `fp` as the
    steps come in, so that a run stopped midway has its GIF at once.

    Args:
        fp: where the GIF's bytes go.
        rows: `rows(a, b)` gives row 0 of the batches of steps a … b − 1 and one point
            more, `(x, target)`, (b − a, time + 1) each.
        steps: the run's steps, asked: which steps get a frame, how the x axis scrolls.
        y_lim: the y axis runs from −y_lim to y_lim (`y_limit`).
        fps: frames per second; the GIF loops forever, the last frame held HOLD_MS.
        max_frames: at most this many frames, sampled evenly, the last step kept.
        cell: `Config.cell`, which names the blue line.
        view: at most this many windows on the x axis; longer runs scroll.
        names: `axis_names(task, horizon)`: the axes and the red line.
    """

    def __init__(
        self,
        fp,
        rows,
        steps: int,
        y_lim: float = 1.5,
        fps: int = 10,
        max_frames: int = 200,
        dpi: int = 100,
        cell: str = "lstm",
        view: int = VIEW,
        names: tuple = axis_names(),
    ):
        self.rows = rows
        self.steps = steps
        self.view = view
        self.names = names
        self.fig, self.canvas, self.ax = _axes(dpi, y_lim, names)
        legend = _legend(self.ax, cell, names[2])
        self.canvas.draw()  # lays the legend out, to put the caption beside it
        self.width, self.height = self.canvas.get_width_height()
        box, key = self.ax.get_window_extent(), legend.get_window_extent()
        caption_h = round(44 * dpi / 100)  # two lines
        top = max(int(self.height - box.y1) - caption_h - 2, 0)
        self.band = (int(box.x0), top, int(key.x0 - box.x0) - 4, caption_h)
        self.red, self.blue = _curves(self.ax, 1.5, animated=True)  # drawn onto the axes' pixels
        self.frames = frame_steps(steps, max_frames)  # (≤ max_frames,) the steps with a frame
        self.starts = view_starts(steps, view)
        self.writer = gif.Writer(fp, fps, self.band, caption_font(dpi))
        self.shown = 0  # frames written so far
        self.drawn = 0  # the steps on the pixels so far
        self.start = None  # the first step of their view
        self.last = -1  # the step of the last frame

    def add(self, pred: np.ndarray, costs: np.ndarray) -> None:
        """Write the frames of the steps recorded since the last call.

        Args:
            pred: row 0 of every step's prediction so far, (done, time).
            costs: every step's cost so far, (done,).
        """
        while self.shown < len(self.frames) and self.frames[self.shown] < len(costs):
            step = int(self.frames[self.shown])
            self._frame(step, pred, costs, final=step == self.steps - 1)
            self.shown += 1

    def close(self, pred: np.ndarray, costs: np.ndarray) -> int:
        """End on the last step done, held HOLD_MS under the run's final cost; the frames."""
        self.add(pred, costs)
        step = len(costs) - 1
        if step != self.last:  # stopped between two frames: the steps since, in one more
            self._frame(step, pred, costs, final=True)
        elif step != self.steps - 1:  # stopped on a frame: the same pixels, captioned as last
            left, top, *_ = self.band
            pixels = np.asarray(self.canvas.buffer_rgba())
            self.writer.add(pixels, (top, top, left, left), caption(step, costs, True), HOLD_MS)
        self.writer.close()
        return self.writer.frames

    def _frame(self, step: int, pred: np.ndarray, costs: np.ndarray, final: bool) -> None:
        start = view_of(step, self.starts, self.view)
        x, target = self.rows(start if start != self.start else self.drawn, step + 1)
        if start != self.start:  # the axis jumps forward: draw the frame whole
            shown, _ = self.rows(start, min(start + self.view, self.steps))
            _set_view(self.ax, shown, start, self.steps, self.view, self.names[0])
            self.canvas.draw()  # axes, ticks, labels, legend: everything but the curves
            self.drawn = start
            self.start = start
            changed = (0, self.height, 0, self.width)
        else:  # the pixels that the new steps' curves can touch
            ys = np.concatenate([target, pred[self.drawn : step + 1]], axis=None)
            (left, bottom), (right, upper) = self.ax.transData.transform(
                [(np.nanmin(x), np.nanmin(ys)), (np.nanmax(x), np.nanmax(ys))]
            )
            rows = (
                max(int(self.height - upper) - 4, 0),
                min(int(self.height - bottom) + 5, self.height),
            )
            changed = (*rows, max(int(left) - 4, 0), min(int(right) + 5, self.width))
        _set_steps(self.red, self.blue, x, target, pred[self.drawn : step + 1])
        self.ax.draw_artist(self.red)
        self.ax.draw_artist(self.blue)
        self.drawn = step + 1
        self.last = step
        pixels = np.asarray(self.canvas.buffer_rgba())  # (height, width, 4)
        hold = HOLD_MS if final else None
        self.writer.add(pixels, changed, caption(step, costs, final), hold)


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
    """Draw a whole run's animation to `path` at once; return the number of frames.

    Args:
        x, target: row 0 of every step's batch and one point more, (steps, time + 1).
        pred: row 0 of every step's prediction, (steps, time).
        costs: every step's cost, (steps,).
        The rest: as `Animation`'s.
    """

    def rows(a: int, b: int):
        return x[a:b], target[a:b]

    with open(path, "wb") as fp:
        y_lim = y_limit(np.concatenate([target, pred], axis=None))
        animation = Animation(fp, rows, len(costs), y_lim, fps, max_frames, dpi, cell, view, names)
        return animation.close(pred, costs)


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
    """The last frame of the animation, at higher resolution: the latest `view` windows.

    x, target and pred are as `render_gif`'s, or only their latest `view` steps or more.
    """
    start = view_starts(len(costs), view)[-1]
    skip = start - (len(costs) - len(x))  # x, target and pred may hold only the latest steps
    shown = x[skip:], target[skip:], pred[skip:]  # the latest `view` steps
    fig, canvas, ax = _axes(dpi, y_limit(shown[2]), names)
    _set_steps(*_curves(ax, 1.0, animated=False), *shown)
    _set_view(ax, shown[0], start, len(costs), view, names[0])
    _legend(ax, cell, names[2])
    ax.set_title(caption(len(costs) - 1, costs, True), loc="left", fontsize=12, linespacing=1.3)
    fig.savefig(path, format="png")


def render_cost(
    costs: np.ndarray, path: str | Path, memoryless: float | None = None, dpi: int = 120
) -> None:
    """The cost of every step, log scale; and what remembering nothing costs, if given."""
    fig, canvas, ax = _axes(dpi)
    ax.set_ylim(auto=True)
    from matplotlib.ticker import FuncFormatter, NullFormatter

    fig.subplots_adjust(left=0.13)  # room for ticks as long as 0.001
    title = f"{FINAL}: {final_cost(costs):.4f}"
    if memoryless is not None:  # `data.memoryless_cost`: the final cost's yardstick
        ax.axhline(memoryless, color="grey", linestyle="--", linewidth=1.0)
        title += f"\nmemoryless cost (the best constant guess, dashed): {memoryless:.4f}"
    ax.semilogy(np.arange(len(costs)), costs, color="black", linewidth=1.0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # 0.1, not 10⁻¹
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("training step")
    ax.set_ylabel("cost = Σ (pred − target)² / batch")
    ax.set_title(title, fontsize=10 if memoryless is not None else None)
    ax.grid(True, which="both", alpha=0.3)
    fig.savefig(path, format="png")
