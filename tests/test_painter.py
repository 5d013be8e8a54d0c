"""The painter process draws the same pictures the training process would."""

import numpy as np
import pytest

from sine_lstm import data
from sine_lstm.plots import Pictures
from sine_lstm.speed.painter import Painter, PainterError

NAMES = ("sine_lstm.gif", "final.png", "cost.png")


def curves(steps: int = 30):
    x, _, target = data.stream(steps + 1, 1, 20)  # row 0 of each batch
    x = np.concatenate([x[:-1, :, 0], x[1:, :1, 0]], 1)  # (steps, 21): on to the next window
    target = np.concatenate([target[:-1, :, 0], target[1:, :1, 0]], 1)
    pred = target[:, :-1] + 0.2 * np.cos(3 * x[:, :-1]) * np.linspace(1, 0, steps)[:, None]
    return x, target, pred.astype(np.float32), np.geomspace(10, 0.2, steps).astype(np.float32)


def test_painter_draws_the_same_bytes_as_drawing_here(tmp_path):
    here, there = tmp_path / "here", tmp_path / "there"
    Pictures(here / "sine_lstm.gif", here, fps=10, max_frames=200).draw(*curves())
    painter = Painter(there / "sine_lstm.gif", there, fps=10, max_frames=200)
    painter.draw(*curves())
    painter.wait()
    for name in NAMES:
        assert (there / name).read_bytes() == (here / name).read_bytes(), name


def test_painter_without_curves_draws_nothing(tmp_path):
    painter = Painter(tmp_path / "sine_lstm.gif", tmp_path, fps=10, max_frames=200)
    painter.wait()  # e.g. the run diverged: nothing was sent
    assert list(tmp_path.iterdir()) == []
    assert painter.process.returncode == 0


def test_painter_failure_is_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    painter = Painter(blocker / "sine_lstm.gif", tmp_path, fps=10, max_frames=200)
    painter.draw(*curves())
    with pytest.raises(PainterError, match=r"^cannot write .*file") as err:
        painter.wait()
    assert "\n" not in str(err.value)
    painter.close()


def test_painter_failure_in_the_pngs_is_reported_too(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    painter = Painter(tmp_path / "sine_lstm.gif", blocker / "out", fps=10, max_frames=200)
    painter.draw(*curves())
    with pytest.raises(PainterError, match=r"^cannot write .*file/out: Not a directory$"):
        painter.wait()
    assert (tmp_path / "sine_lstm.gif").exists()  # the GIF itself was fine
