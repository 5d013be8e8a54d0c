"""The pictures: the post's animation as a GIF, its last frame, and the cost curve.

Plain functions over recorded numbers; nothing here touches the model. matplotlib
is imported inside them (Agg, no window), so training pays nothing for it.

The GIF is drawn the way the original's never-cleared `plt.plot` piled up its
curves, but incrementally: the axes are drawn once, and each frame only adds the
segments of the steps since the previous frame onto the same pixels. A frame
therefore costs the same whether 1 or 199 curves are already on it.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from sine_lstm.atomic import atomic_path

FIGSIZE = (6.4, 3.6)  # inches; at 100 dpi a 640 × 360 GIF
RED, BLUE = "#d62728", "#1f57c8"
TRANSPARENT = 255  # a palette index no colour uses


def frame_steps(steps: int, max_frames: int) -> np.ndarray:
    """The steps that get a frame: at most `max_frames`, evenly spread, the last kept."""
    if steps <= max_frames:
        return np.arange(steps)
    return np.unique(np.round(np.linspace(0, steps - 1, max_frames)).astype(int))


class Palette:
    """A fixed 1-byte palette: white, black, red, blue and the blends between them.

    Every frame maps onto the same colours, so a frame is 1 byte a pixel (not 4),
    the GIF needs no per-frame palette, and consecutive frames differ only where a
    curve or the caption changed. Mapping goes through a 32×32×32 lookup table
    whose corners are exact, so white stays white and black stays black.
    """

    def __init__(self):
        ramps = []
        pairs = [
            ("ffffff", "000000"),
            ("ffffff", RED[1:]),
            ("ffffff", BLUE[1:]),
            (RED[1:], BLUE[1:]),
            ("000000", RED[1:]),
            ("000000", BLUE[1:]),
        ]
        for a, b in pairs:
            a, b = (np.frombuffer(bytes.fromhex(c), np.uint8).astype(float) for c in (a, b))
            ramps.append(a + np.linspace(0, 1, 40)[:, None] * (b - a))
        self.colours = np.unique(np.round(np.concatenate(ramps)), axis=0)  # (n ≤ 240, 3)
        level = np.linspace(0, 255, 32)  # each 5-bit bin's representative value
        grid = np.stack(np.meshgrid(level, level, level, indexing="ij"), -1)  # (32, 32, 32, 3)
        self.lut = self.nearest(grid.reshape(-1, 3)).reshape(32, 32, 32)
        self.grey = self.nearest(np.repeat(np.arange(256.0)[:, None], 3, 1))  # (256,)
        flat = np.zeros((256, 3), np.uint8)
        flat[: len(self.colours)] = self.colours
        self.flat = flat.ravel().tolist()  # for Image.putpalette

    def nearest(self, rgb: np.ndarray) -> np.ndarray:
        """(n, 3) colours → (n,) index of the nearest palette colour."""
        # |a − b|² = |a|² − 2a·b + |b|², the |a|² term being the same for every b
        distance = (self.colours**2).sum(1) - 2 * rgb @ self.colours.T  # (n, colours)
        return distance.argmin(1).astype(np.uint8)

    def index(self, rgba: np.ndarray) -> np.ndarray:
        """(h, w, 4) uint8 pixels → (h, w) palette indices."""
        bins = rgba[..., :3] >> 3  # (h, w, 3)
        return self.lut[bins[..., 0], bins[..., 1], bins[..., 2]]


@functools.cache
def shared_palette() -> Palette:
    """The one palette every GIF uses, built once (a tenth of a second)."""
    return Palette()


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
    from matplotlib.lines import Line2D

    ax.legend(
        [Line2D([], [], color=RED), Line2D([], [], color=BLUE, linestyle="--")],
        ["target cos x", "LSTM prediction"],
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),  # above the plot, right of the caption
        ncols=2,
        fontsize=8,
        frameon=False,
    )


def _title(step: int, cost: float) -> str:
    return f"step {step}   cost {cost:.4f}"


@functools.cache
def _font(points: float, dpi: int):
    """matplotlib's own DejaVu Sans, for Pillow, at the figure's text size."""
    from matplotlib import font_manager
    from PIL import ImageFont

    return ImageFont.truetype(font_manager.findfont("DejaVu Sans"), round(points * dpi / 72))


def warm_up() -> None:
    """Import matplotlib and Pillow and build what every picture shares, ahead of time."""
    from matplotlib.collections import LineCollection  # noqa: F401
    from PIL import GifImagePlugin, ImageDraw  # noqa: F401

    shared_palette()
    _font(12, 100)
    fig, canvas, ax = _axes(100)
    _legend(ax)
    canvas.draw()  # loads the fonts and the text layout


def render_gif(
    x: np.ndarray,
    target: np.ndarray,
    pred: np.ndarray,
    costs: np.ndarray,
    path: str | Path,
    fps: int = 10,
    max_frames: int = 200,
    dpi: int = 100,
) -> int:
    """Draw the post's animation to `path`; return the number of frames.

    Args:
        x, target, pred: row 0 of every step's batch, each (steps, time).
        costs: every step's cost, (steps,).
        fps: frames per second; the GIF loops forever.
        max_frames: at most this many frames, sampled evenly, the last step kept.

    matplotlib draws the axes once and then only each new step's two segments,
    onto the same pixels; only the rectangle those segments touched is mapped to
    the palette. The caption (step and cost) is drawn by Pillow, since laying out
    text in matplotlib costs more than all the rest of a frame.
    """
    from PIL import Image, ImageDraw

    fig, canvas, ax = _axes(dpi)
    ax.set_xlim(float(x.min()), float(x.max()))
    _legend(ax)
    canvas.draw()  # everything that never changes, once
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    pixels = np.asarray(canvas.buffer_rgba())  # (height, width, 4), a view that follows draws
    axes_box = ax.get_window_extent(renderer)
    cap_x0, cap_w = int(axes_box.x0), int(axes_box.width * 0.5)  # the caption's band
    cap_h = round(18 * dpi / 100)
    cap_y0 = int(height - axes_box.y1) - cap_h - 2
    palette = shared_palette()
    indexed = palette.index(pixels)  # (height, width) palette indices of the current frame
    font = _font(12, dpi)
    red = ax.plot([], [], color=RED, animated=True)[0]
    blue = ax.plot([], [], color=BLUE, linestyle="--", animated=True)[0]
    steps = frame_steps(len(costs), max_frames)

    with atomic_path(path) as tmp, open(tmp, "wb") as gif:
        writer = GifStream(gif, palette.flat, duration=round(1000 / fps))
        drawn = 0
        for step in steps:
            box = None
            for s in range(drawn, step + 1):  # the steps since the previous frame
                for line, y in ((red, target[s]), (blue, pred[s])):
                    line.set_data(x[s], y)
                    ax.draw_artist(line)
                    extent = line.get_window_extent(renderer)
                    box = extent if box is None else box.union([box, extent])
            drawn = step + 1
            x0, x1 = max(int(box.x0) - 3, 0), min(int(box.x1) + 4, width)
            y0, y1 = max(int(height - box.y1) - 3, 0), min(int(height - box.y0) + 4, height)
            indexed[y0:y1, x0:x1] = palette.index(pixels[y0:y1, x0:x1])
            text = Image.new("L", (cap_w, cap_h), 255)
            ImageDraw.Draw(text).text((0, 1), _title(int(step), float(costs[step])), 0, font)
            cap = (slice(cap_y0, cap_y0 + cap_h), slice(cap_x0, cap_x0 + cap_w))
            indexed[cap] = palette.grey[np.asarray(text)]
            writer.frame(
                indexed,
                changed=(
                    min(y0, cap_y0),
                    max(y1, cap_y0 + cap_h),
                    min(x0, cap_x0),
                    max(x1, cap_x0 + cap_w),
                ),
            )
        writer.close()
    return len(steps)


class GifStream:
    """Write a looping GIF frame by frame, holding only the previous frame.

    Each frame after the first is written as the rectangle that may have changed,
    with the pixels that did not change set to the transparent index, so the
    previous frame shows through and LZW packs the runs into almost nothing.
    Uses Pillow's GIF encoder through its public `getheader` / `getdata`.
    """

    def __init__(self, fp, palette: list[int], duration: int):
        self.fp, self.palette, self.duration = fp, palette, duration
        self.previous: np.ndarray | None = None

    def _image(self, indices: np.ndarray):
        from PIL import Image

        image = Image.fromarray(np.ascontiguousarray(indices), mode="L")
        image.putpalette(self.palette)  # "L" + palette = a "P" image
        return image

    def frame(self, indexed: np.ndarray, changed: tuple[int, int, int, int]) -> None:
        """Add `indexed` (height, width) as the next frame; only rows y0:y1, cols x0:x1 changed."""
        from PIL import GifImagePlugin

        if self.previous is None:
            image = self._image(indexed)
            header, _ = GifImagePlugin.getheader(image, info={"loop": 0})  # loop forever
            self.fp.write(b"".join(header))
            self.fp.write(b"".join(GifImagePlugin.getdata(image, duration=self.duration)))
            self.previous = indexed.copy()
            return
        y0, y1, x0, x1 = changed
        now, before = indexed[y0:y1, x0:x1], self.previous[y0:y1, x0:x1]
        delta = np.where(now == before, TRANSPARENT, now).astype(np.uint8)  # (y1-y0, x1-x0)
        data = GifImagePlugin.getdata(
            self._image(delta),
            offset=(x0, y0),
            duration=self.duration,
            transparency=TRANSPARENT,
            disposal=1,  # 1: leave this frame for the next to draw on
        )
        self.fp.write(b"".join(data))
        self.previous[y0:y1, x0:x1] = now

    def close(self) -> None:
        self.fp.write(b";")  # the GIF trailer


def render_final(x, target, pred, costs, path: str | Path, dpi: int = 200) -> None:
    """The last frame of the animation, every step's curves, at higher resolution."""
    from matplotlib.collections import LineCollection

    fig, canvas, ax = _axes(dpi)
    # one artist per colour, not one per step: 400 curves draw as fast as 2
    ax.add_collection(LineCollection(np.stack([x, target], -1), colors=RED, linewidths=1.0))
    ax.add_collection(
        LineCollection(np.stack([x, pred], -1), colors=BLUE, linewidths=1.0, linestyles="--")
    )
    ax.set_xlim(float(x.min()), float(x.max()))
    _legend(ax)
    ax.set_title(_title(len(costs) - 1, float(costs[-1])))
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")


def render_cost(costs: np.ndarray, path: str | Path, dpi: int = 120) -> None:
    """The cost of every step, log scale."""
    fig, canvas, ax = _axes(dpi)
    ax.set_ylim(auto=True)
    ax.semilogy(np.arange(len(costs)), costs, color="black", linewidth=1.0)
    ax.set_xlabel("training step")
    ax.set_ylabel("cost = Σ (pred − target)² / batch")
    ax.set_title(f"final cost (mean of the last 20 steps): {np.mean(costs[-20:]):.4f}")
    ax.grid(True, which="both", alpha=0.3)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
