"""The callbacks that draw, one picture each; `train()` lists them in `fit`.

- `GifCallback`: the post's animation, at the end of training.
- `FinalPNGs`: final.png (the GIF's last frame, sharper) and cost.png.
- `LivePlot`: a window that piles up the curves during training (`--show`).

Each reads the `StepRecord` (`record.py`) and the rows `train()` made once with
the data it trained on: row 0 of every batch, its x and its target.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import keras
import numpy as np

from sine_lstm import plots
from sine_lstm.callbacks import first_divergence
from sine_lstm.record import StepRecord


def drawn(record: StepRecord, rows: tuple) -> tuple[np.ndarray, ...]:
    """Row 0 of every recorded step, as the pictures draw it: `(x, target, pred, cost)`.

    x and target (done, time + 1) run on to the next window's first point, so the
    drawn windows join; pred (done, time); cost (done,).
    """
    x, target = rows  # (steps, time + 1) each
    costs = record.cost_history()
    k = np.arange(len(costs)) % len(x)  # the batch each step trained on
    return x[k], target[k], record.pred_history(), costs


class Picture(keras.callbacks.Callback):
    """What each picture callback reads: the record, the settings, and the rows it draws."""

    def __init__(self, record: StepRecord, config, rows: tuple):
        super().__init__()
        self.record = record
        self.config = config
        self.rows = rows  # (x, target) of row 0 of every batch, as `data.row0` joins them

    def whole_run(self) -> tuple[np.ndarray, ...] | None:
        """`drawn` at the end of training, or None if there is nothing to draw (no step, or a
        diverged run)."""
        x, target, pred, costs = drawn(self.record, self.rows)
        if len(costs) and first_divergence(costs) is None:
            return x, target, pred, costs
        return None


class GifCallback(Picture):
    """Draw the post's animation to `path` after training, from the record.

    Each frame adds the steps since the last: row 0's target and its prediction.
    """

    def __init__(self, record: StepRecord, config, rows: tuple, path: str | Path):
        super().__init__(record, config, rows)
        self.path = Path(path)

    def on_train_end(self, logs=None):
        run = self.whole_run()
        if run is not None:
            c = self.config
            names = plots.axis_names(c.task, c.horizon)
            plots.render_gif(*run, self.path, c.fps, c.max_frames, cell=c.cell, names=names)


class FinalPNGs(Picture):
    """Draw `final.png` (the GIF's last frame, sharper) and `cost.png` in `out`."""

    def __init__(self, record: StepRecord, config, rows: tuple, out: str | Path):
        super().__init__(record, config, rows)
        self.out = Path(out)

    def on_train_end(self, logs=None):
        run = self.whole_run()
        if run is not None:
            names = plots.axis_names(self.config.task, self.config.horizon)
            final = self.out / "final.png"
            plots.render_final(*run, final, cell=self.config.cell, names=names)
            plots.render_cost(run[3], self.out / "cost.png")


def live_window_problem(backend: str, environ, platform: str) -> str | None:
    """Why no live window can open here, or None if one can.

    Args:
        backend: matplotlib's backend (`plt.get_backend()`); with no display,
            matplotlib quietly falls back to "agg", which draws into memory only.
        environ: the environment (`os.environ`); on Linux a window needs an X11
            or Wayland display.
        platform: `sys.platform`.
    """
    from matplotlib.backends import BackendFilter, backend_registry

    display = environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")
    if platform.startswith("linux") and not display:
        return "no display: $DISPLAY and $WAYLAND_DISPLAY are unset"
    if backend.lower() in backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE):
        return f"matplotlib's backend is {backend!r}, which draws no window"
    return None


class LivePlot(Picture):
    """A window that piles up the curves during training, like the original's `plt.ion()`.

    For people with a desktop (`--show`); the curves come from the `StepRecord`,
    and the x axis scrolls as the GIF's does (`plots.view_starts`). Where no window
    can open, it says so in one line on stderr and training goes on without it.
    """

    def __init__(
        self, record: StepRecord, config, rows: tuple, pause: float = 0.001, view: int = plots.VIEW
    ):
        super().__init__(record, config, rows)
        self.pause = pause  # seconds the window gets to redraw after each call
        self.view = view  # steps on view at once
        self.starts = plots.view_starts(config.total_steps, view)
        self.fig = None  # no window (yet)
        self.shown = 0  # steps drawn so far
        self.lines = []  # (step, its 2 artists) on view

    def on_train_begin(self, logs=None):
        import matplotlib.pyplot as plt

        problem = live_window_problem(plt.get_backend(), os.environ, sys.platform)
        if problem:
            still = "the GIF and final.png are" if self.config.gif else "final.png is"
            print(
                f"the live window cannot open ({problem}); training goes on without it, "
                f"and {still} still written at the end",
                file=sys.stderr,
            )
            return
        plt.ion()
        self.fig, self.ax = plt.subplots()
        self.ax.set_ylim(-1.5, 1.5)  # a little room: early predictions overshoot
        target = plots.axis_names(self.config.task, self.config.horizon)[2]
        self.ax.plot([], [], "r", label=target)
        self.ax.plot([], [], "b--", label=plots.prediction_label(self.config.cell))
        self.ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False)

    def on_train_batch_end(self, batch, logs=None):
        if self.fig is None:
            return
        import matplotlib.pyplot as plt

        self.model  # noqa: B018  (on JAX, this brings the record back from the training step)
        x, target, pred, costs = drawn(self.record, self.rows)
        for s in range(self.shown, len(costs)):
            self.lines.append((s, self.ax.plot(x[s], target[s], "r", x[s, :-1], pred[s], "b--")))
        self.shown = len(costs)
        start = plots.view_of(len(costs) - 1, self.starts, self.view)
        # steps that scrolled off go: drawing them would only slow the window down
        while self.lines and self.lines[0][0] < start:
            for line in self.lines.pop(0)[1]:
                line.remove()
        shown = x[start : start + self.view]  # (≤ view, time + 1)
        self.ax.set_xlim(float(np.nanmin(shown)), float(np.nanmax(shown)))
        self.ax.set_xlabel(plots.x_label(start, self.config.total_steps, self.view))
        self.ax.set_title(plots.caption(len(costs) - 1, costs), loc="left", fontsize=10)
        plt.pause(self.pause)

    def on_train_end(self, logs=None):
        if self.fig is None:
            return
        import matplotlib.pyplot as plt

        plt.ioff()
        plt.close(self.fig)
