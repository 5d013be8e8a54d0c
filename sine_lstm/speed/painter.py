"""The pictures drawn by a second process, on the other core, while training runs.

`sine-lstm train` starts the painter before it imports TensorFlow. The painter
imports matplotlib and Pillow and builds the GIF's palette while the trainer
loads TensorFlow, then waits. At the end of training the trainer sends it the
recorded curves through a pipe and goes on writing the model and the logs while
the painter draws the GIF, and a forked copy of the painter `final.png` and
`cost.png`. The pictures are the same, byte for byte, as when drawn in the
training process (`plots.Pictures`, which `GifCallback` uses by default).

The painter ignores Ctrl-C and SIGTERM (the trainer stops at them and sends what
it has); if the trainer goes away without sending anything, the painter draws
nothing, and if the trainer is killed, the painter dies with it (on Linux), so
it never writes into a folder a later run has taken over.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np

PAINTER_ERROR = 3  # the painter's exit status when it could not write a picture


class PainterError(RuntimeError):
    """The painter could not draw; the message is its one-line reason."""


def warm_up() -> None:
    """Import matplotlib and Pillow and build what every picture shares, ahead of time."""
    from matplotlib.collections import LineCollection  # noqa: F401
    from PIL import GifImagePlugin, ImageDraw  # noqa: F401

    from sine_lstm import gif, plots

    gif.shared_palette()
    plots.caption_font(100)
    fig, canvas, ax = plots._axes(100)
    plots._legend(ax)
    canvas.draw()  # loads the fonts and the text layout


class Painter:
    """The trainer's end: start the painter, `draw` sends it the curves, `wait` for the files.

    Stands in for `plots.Pictures` in `GifCallback`: the same `draw`, but the
    drawing happens in the painter process while the trainer carries on.
    """

    def __init__(self, gif_path: str | Path, out: str | Path, fps: int, max_frames: int):
        settings = {
            "gif": str(gif_path),
            "out": str(out),
            "fps": fps,
            "max_frames": max_frames,
            "trainer": os.getpid(),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sine_lstm.speed.painter", json.dumps(settings)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.sent = False

    def draw(self, x, target, pred, costs) -> None:
        """Hand over the curves; the painter draws while the caller carries on."""
        buffer = io.BytesIO()
        np.savez(buffer, x=x, target=target, pred=pred, costs=costs)
        try:
            self.process.stdin.write(buffer.getvalue())
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # the painter died: `wait` reports it
        self.sent = True

    def wait(self) -> None:
        """Wait for the pictures; raise PainterError with the painter's reason if it failed."""
        if not self.process.stdin.closed:
            self.process.stdin.close()  # nothing was sent: the painter draws nothing
        stderr = self.process.stderr.read()
        self.process.wait()
        if self.sent and self.process.returncode != 0:
            reason = stderr.decode(errors="replace").strip().splitlines()
            raise PainterError(reason[-1] if reason else f"exit status {self.process.returncode}")

    def close(self) -> None:
        """Make sure the painter is gone, whatever happened to the trainer."""
        if self.process.poll() is None:
            if not self.process.stdin.closed:
                self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def die_with(parent: int) -> bool:
    """Be killed when the `parent` process ends (Linux); False if it already has."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    return os.getppid() == parent


def main(argv: list[str]) -> int:
    for signum in (signal.SIGINT, signal.SIGTERM):  # they stop the trainer, which then sends
        signal.signal(signum, signal.SIG_IGN)
    settings = json.loads(argv[0])
    if not die_with(settings["trainer"]):
        return 0
    from sine_lstm.plots import Pictures

    warm_up()  # meanwhile the trainer imports TensorFlow
    payload = sys.stdin.buffer.read()
    if not payload:
        return 0  # no curves: the run stopped before any step, or diverged
    with np.load(io.BytesIO(payload)) as arrays:
        curves = [arrays[name] for name in ("x", "target", "pred", "costs")]
    pictures = Pictures(settings["gif"], settings["out"], settings["fps"], settings["max_frames"])
    if not hasattr(os, "fork"):
        return report(pictures.draw, *curves)
    # The PNGs in a forked copy of this process (no TensorFlow here: safe to fork), on
    # the other core, while this one draws the GIF.
    painter = os.getpid()
    child = os.fork()
    if child == 0:
        os._exit(report(pictures.draw_pngs, *curves) if die_with(painter) else 0)
    status = report(pictures.draw_gif, *curves)
    _, child_status = os.waitpid(child, 0)
    return status or (PAINTER_ERROR if child_status else 0)


def report(function, *args) -> int:
    """Run `function(*args)`; 0, or PAINTER_ERROR after one line on stderr if it cannot write."""
    try:
        function(*args)
    except OSError as err:
        print(f"cannot write {err.filename or 'the pictures'}: {err.strerror}", file=sys.stderr)
        sys.stderr.flush()
        return PAINTER_ERROR
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
