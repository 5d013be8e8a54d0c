"""The pictures: the post's animation as a GIF, its last frame, and the cost curve.

Plain functions over recorded numbers; nothing here touches the model. matplotlib
is imported inside them (Agg, no window), so training pays nothing for it.

Each picture shows row 0 of every step's batch, as the original plotted it:
`x` and the red `target` run one point into the next window, so that the
windows join into one curve; the blue dashed `pred` is the step's own window.

The GIF piles up the curves the way the original's never-cleared `plt.plot`
did, but incrementally: the axes are drawn once, and each frame only adds the
steps since the previous frame onto the same pixels; `gif.py` turns those
pixels into the GIF's bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sine_lstm import gif
from sine_lstm.gif import BLUE, RED
from sine_lstm.outputs import atomic_path

FIGSIZE = (6.4, 3.6)  # inches; at 100 dpi a 640 × 360 GIF


def frame_steps(steps: int, max_frames: int) -> np.ndarray:
    """The steps that get a frame: at most `max_frames`, evenly spread, the last kept."""
    if steps <= max_frames:
        return np.arange(steps)
    return np.unique(np.round(np.linspace(0, steps - 1, max_frames)).astype(int))


def _axes(dpi: int):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, dpi=dpi)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.14, top=0.88)  # fixed: frames align
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_ylim(-1.2, 1.2)
    ax.set_xlabel("x")
    ax.set_ylabel("cos x")
    return fig, canvas, ax


def _legend(ax) -> None:
    """The legend above the plot, on the right; the step and cost go on the left."""
    from matplotlib.lines import Line2D

    ax.legend(
        [Line2D([], [], color=RED), Line2D([], [], color=BLUE, linestyle="--")],
        ["target cos x", "LSTM prediction"],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=2,
        fontsize=8,
        frameon=False,
    )


def caption_font(dpi: int):
    """The GIF caption's font: matplotlib's own DejaVu Sans at 12 points, for Pillow."""
    from matplotlib import font_manager

    return gif.font(font_manager.findfont("DejaVu Sans"), round(12 * dpi / 72))


def _title(step: int, cost: float) -> str:
    return f"step {step}   cost {cost:.4f}"


def render_gif(
    x, target, pred, costs, path: str | Path, fps: int = 10, max_frames: int = 200, dpi: int = 100
) -> int:
    """Draw the post's animation to `path`; return the number of frames.

    Args:
        x, target: row 0 of every step's batch and one point more, (steps, time + 1).
        pred: row 0 of every step's prediction, (steps, time).
        costs: every step's cost, (steps,).
        fps: frames per second; the GIF loops forever.
        max_frames: at most this many frames, sampled evenly, the last step kept.
    """
    fig, canvas, ax = _axes(dpi)
    ax.set_xlim(float(x.min()), float(x.max()))
    _legend(ax)
    canvas.draw()  # everything that never changes, once
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    pixels = np.asarray(canvas.buffer_rgba())  # (height, width, 4), a view that follows draws
    box = ax.get_window_extent(renderer)
    caption_h = round(18 * dpi / 100)
    caption = (int(box.x0), int(height - box.y1) - caption_h - 2, int(box.width * 0.5), caption_h)
    red = ax.plot([], [], color=RED, animated=True)[0]
    blue = ax.plot([], [], color=BLUE, linestyle="--", animated=True)[0]
    steps = frame_steps(len(costs), max_frames)

    with atomic_path(path) as tmp, open(tmp, "wb") as fp:
        writer = gif.Writer(fp, fps, caption, caption_font(dpi))
        drawn = 0
        for step in steps:
            changed = None
            for s in range(drawn, step + 1):  # the steps since the previous frame
                red.set_data(x[s], target[s])
                blue.set_data(x[s, :-1], pred[s])
                for line in (red, blue):
                    ax.draw_artist(line)
                    extent = line.get_window_extent(renderer)
                    changed = extent if changed is None else changed.union([changed, extent])
            drawn = step + 1
            rows = max(int(height - changed.y1) - 3, 0), min(int(height - changed.y0) + 4, height)
            cols = max(int(changed.x0) - 3, 0), min(int(changed.x1) + 4, width)
            writer.add(pixels, (*rows, *cols), _title(int(step), float(costs[step])))
        writer.close()
    return len(steps)


def render_final(x, target, pred, costs, path: str | Path, dpi: int = 200) -> None:
    """The last frame of the animation, every step's curves, at higher resolution."""
    from matplotlib.collections import LineCollection

    fig, canvas, ax = _axes(dpi)
    # one artist per colour, not one per step: 400 curves draw as fast as 2
    ax.add_collection(LineCollection(np.stack([x, target], -1), colors=RED, linewidths=1.0))
    ax.add_collection(
        LineCollection(
            np.stack([x[:, :-1], pred], -1), colors=BLUE, linewidths=1.0, linestyles="--"
        )
    )
    ax.set_xlim(float(x.min()), float(x.max()))
    _legend(ax)
    ax.set_title(_title(len(costs) - 1, float(costs[-1])), loc="left")
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
    ax.set_title(f"final cost (mean of the last 20 steps): {np.mean(costs[-20:]):.4f}")
    ax.grid(True, which="both", alpha=0.3)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
