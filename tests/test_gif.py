"""The GIF's bytes (`gif.py`): the palette keeps the post's colours, a frame stores only what
changed, and the writer counts its frames."""

import io

import numpy as np
from PIL import Image

from sine_lstm import gif


def test_the_palette_keeps_white_black_red_and_blue_exactly():
    palette = gif.shared_palette()
    for colour in ("#ffffff", "#000000", gif.RED, gif.BLUE):
        rgb = np.frombuffer(bytes.fromhex(colour[1:]), np.uint8)
        pixel = np.append(rgb, 255).reshape(1, 1, 4)
        index = palette.index(pixel)[0, 0]
        np.testing.assert_array_equal(palette.colours[index], rgb)


def test_frames_decode_to_what_was_drawn_and_a_later_frame_stores_only_its_change():
    white = np.full((40, 60, 4), 255, np.uint8)
    red = white.copy()
    red[10:20, 30:40, :3] = np.frombuffer(bytes.fromhex(gif.RED[1:]), np.uint8)
    fp = io.BytesIO()
    font = gif.font(__import__("matplotlib").font_manager.findfont("DejaVu Sans"), 10)
    writer = gif.Writer(fp, fps=10, caption_box=(0, 0, 20, 8), caption_font=font)
    writer.add(white, (0, 40, 0, 60), "a")
    first = len(fp.getvalue())
    writer.add(red, (10, 20, 30, 40), "a")
    writer.close()
    assert writer.frames == 2 and len(fp.getvalue()) - first < first  # a small delta
    with Image.open(io.BytesIO(fp.getvalue())) as image:
        image.seek(1)
        decoded = np.asarray(image.convert("RGB"))
    np.testing.assert_array_equal(decoded[15, 35], red[15, 35, :3])
    np.testing.assert_array_equal(decoded[30, 5], white[30, 5, :3])
