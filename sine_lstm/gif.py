"""The GIF's bytes: frames of RGBA pixels in, a small looping animated GIF out.

`plots.Animation` draws with matplotlib and hands each frame here with the
rectangle that changed since the previous one and a caption. This module only
encodes:

- a fixed 1-byte palette (white, black, red, blue and the blends between them):
  every frame maps onto the same colours, so no per-frame palette is needed and
  consecutive frames differ only where a curve or the caption changed;
- only the changed rectangle is mapped to the palette, through a 32×32×32
  lookup table whose corners are exact (white stays white);
- the caption is drawn by Pillow, since laying out text in matplotlib costs
  more than all the rest of a frame;
- each frame after the first is stored as the changed rectangle, with unchanged
  pixels transparent, so the previous frame shows through and LZW packs the
  runs into almost nothing. Only the previous frame is held in memory;
- each frame shows for 1000 / fps ms unless it asks for longer: `plots` holds the
  last one a few seconds, so the converged fit can be read before the loop restarts.
"""

from __future__ import annotations

import functools

import numpy as np

RED, BLUE = "#d62728", "#1f57c8"  # the post's red target and blue dashed fit
TRANSPARENT = 255  # a palette index no colour uses


class Palette:
    """The fixed palette and the mapping of RGBA pixels onto it."""

    def __init__(self):
        pairs = [("ffffff", "000000"), ("ffffff", RED[1:]), ("ffffff", BLUE[1:])]
        pairs += [(RED[1:], BLUE[1:]), ("000000", RED[1:]), ("000000", BLUE[1:])]
        ramps = []
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
        colours = self.colours.astype(np.float32)  # float32: 8× float64's speed
        rgb = rgb.astype(np.float32)
        distance = (colours**2).sum(1) - 2 * rgb @ colours.T  # (n, colours)
        return distance.argmin(1).astype(np.uint8)

    def index(self, rgba: np.ndarray) -> np.ndarray:
        """(h, w, 4) uint8 pixels → (h, w) palette indices."""
        bins = rgba[..., :3] >> 3  # (h, w, 3)
        return self.lut[bins[..., 0], bins[..., 1], bins[..., 2]]


@functools.cache
def shared_palette() -> Palette:
    """The one palette every GIF uses, built once."""
    return Palette()


@functools.cache
def font(path: str, pixels: int):
    """A TrueType font for captions, loaded once (Pillow caches nothing itself)."""
    from PIL import ImageFont

    return ImageFont.truetype(path, pixels)


class Writer:
    """Write a looping GIF frame by frame into the open binary file `fp`.

    Args:
        fp: where the bytes go.
        fps: frames per second.
        caption_box: (left, top, width, height) in pixels of the caption band.
        caption_font: the caption's Pillow font (see `font`).
    """

    def __init__(self, fp, fps: int, caption_box: tuple[int, int, int, int], caption_font):
        self.fp = fp
        self.duration = round(1000 / fps)  # ms a frame
        self.caption_box = caption_box
        self.font = caption_font
        self.palette = shared_palette()
        self.indexed: np.ndarray | None = None  # the current frame, (height, width) indices
        self.previous: np.ndarray | None = None  # the frame last written
        self.frames = 0  # frames written so far

    def add(
        self,
        rgba: np.ndarray,
        changed: tuple[int, int, int, int],
        caption: str,
        duration: int | None = None,
    ) -> None:
        """Add the next frame: `rgba` (height, width, 4); only rows y0:y1, cols x0:x1 changed.

        `caption` may hold several lines; `duration` (ms) overrides 1000 / fps for this
        frame, e.g. to hold the last one.
        """
        if self.indexed is None:
            self.indexed = self.palette.index(rgba)  # (height, width)
        y0, y1, x0, x1 = changed
        self.indexed[y0:y1, x0:x1] = self.palette.index(rgba[y0:y1, x0:x1])
        self._caption(caption)
        left, top, width, height = self.caption_box
        changed = min(y0, top), max(y1, top + height), min(x0, left), max(x1, left + width)
        self._write(changed, duration or self.duration)
        self.frames += 1

    def _caption(self, text: str) -> None:
        from PIL import Image, ImageDraw

        left, top, width, height = self.caption_box
        band = Image.new("L", (width, height), 255)
        ImageDraw.Draw(band).text((0, 1), text, 0, self.font)
        self.indexed[top : top + height, left : left + width] = self.palette.grey[np.asarray(band)]

    def _image(self, indices: np.ndarray):
        from PIL import Image

        image = Image.fromarray(np.ascontiguousarray(indices), mode="L")
        image.putpalette(self.palette.flat)  # "L" + palette = a "P" image
        return image

    def _write(self, changed: tuple[int, int, int, int], duration: int) -> None:
        from PIL import GifImagePlugin  # Pillow's encoder, through getheader / getdata

        if self.previous is None:
            image = self._image(self.indexed)
            header, _ = GifImagePlugin.getheader(image, info={"loop": 0})  # loop forever
            self.fp.write(b"".join(header))
            self.fp.write(b"".join(GifImagePlugin.getdata(image, duration=duration)))
            self.previous = self.indexed.copy()
            return
        y0, y1, x0, x1 = changed
        now = self.indexed[y0:y1, x0:x1]
        before = self.previous[y0:y1, x0:x1]
        delta = np.where(now == before, TRANSPARENT, now).astype(np.uint8)  # (y1-y0, x1-x0)
        data = GifImagePlugin.getdata(
            self._image(delta),
            offset=(x0, y0),
            duration=duration,  # ms; Pillow writes it in the frame's graphic control block
            transparency=TRANSPARENT,
            disposal=1,  # 1: leave this frame for the next to draw on
        )
        self.fp.write(b"".join(data))
        self.previous[y0:y1, x0:x1] = now

    def close(self) -> None:
        self.fp.write(b";")  # the GIF trailer
