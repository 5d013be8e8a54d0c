"""The callbacks that draw, one picture each; `train()` lists them in `fit`.

- `GifCallback`: the post's animation, frame by frame as training goes.
- `FinalPNGs`: final.png (the GIF's last frame, sharper; the remember task's answers) and
  cost.png.
- `LivePlot`: a window that piles up the curves during training (`--show`).

Each reads the `StepRecord` (`record.py`) and the stream it trained on (`data.Stream`):
row 0 of every batch, its x and its target, made for the steps it draws.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import keras
import numpy as np

from sine_lstm import data, plots, remember
from sine_lstm.callbacks import first_divergence
from sine_lstm.record import StepRecord


class Picture(keras.callbacks.Callback):
    """What each picture callback reads: the record, the settings, and the stream it draws.

    Args:
        record: the costs and predictions, step by step.
        config: the run's settings (its cell and task name the lines).
        stream: the batches it trains on: row 0 of each is drawn (`data.Stream.rows`).
    """

    def __init__(self, record: StepRecord, config, stream):
        super().__init__()
        self.record = record
        self.config = config
        self.stream = stream

    def rows(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
        """Row 0 of the batches steps a … b − 1 trained on, `(x, target)`, (b − a, time + 1)."""
        return self.stream.rows(np.arange(a, b) % len(self.stream))  # epochs replay the stream

    def finished(self) -> bool:
        """Is there a run to draw: a step, and no divergence?"""
        costs = self.record.cost_history()
        return len(costs) > 0 and first_divergence(costs) is None


class GifCallback(Picture):
    """Draw the post's animation to `path` as training goes (`plots.Animation`).

    Each frame adds the steps since the last: row 0's target and its prediction. A run
    stopped early ends its GIF on its last step; a diverged one leaves none.
    """

    def __init__(self, record: StepRecord, config, stream, path: str | Path):
        super().__init__(record, config, stream)
        self.path = Path(path)
        self.animation = None

    def on_train_begin(self, logs=None):
        c = self.config
        frames = plots.frame_steps(c.total_steps, c.max_frames)  # the steps with a frame
        _, target = self.stream.rows(frames % len(self.stream))  # (frames, time + 1)
        names = plots.axis_names(c.task, c.horizon)
        self.file = open(self.path, "wb")  # noqa: SIM115  (open until training ends)
        self.animation = plots.Animation(
            self.file,
            self.rows,
            c.total_steps,
            plots.y_limit(target),  # the targets' range: predictions may overshoot it
            c.fps,
            c.max_frames,
            cell=c.cell,
            names=names,
        )
        self.fine = 0  # steps known not to have diverged

    def on_train_batch_end(self, batch, logs=None):
        self.model  # noqa: B018  (on JAX, this brings the record back from the training step)
        costs = self.record.cost_history()
        diverged = first_divergence(costs, start=self.fine)
        self.fine = len(costs) if diverged is None else diverged
        self.animation.add(self.record.pred_history(), costs[: self.fine])

    def on_train_end(self, logs=None):
        with self.file:
            if self.finished():
                self.animation.close(self.record.pred_history(), self.record.cost_history())
        if not self.finished():  # nothing to show: no GIF
            self.path.unlink()


class FinalPNGs(Picture):
    """Draw `final.png` (the GIF's last frame, sharper) and `cost.png` in `out`.

    The remember task's final.png: each answer of row 0 against the value it recalls.
    """

    def __init__(self, record: StepRecord, config, stream, out: str | Path):
        super().__init__(record, config, stream)
        self.out = Path(out)

    def on_train_end(self, logs=None):
        if not self.finished():
            return
        costs = self.record.cost_history()
        start = max(len(costs) - plots.VIEW, 0)  # the latest view: all that final.png draws
        pred = self.record.pred_history()[start:]
        final = self.out / "final.png"
        c = self.config
        memoryless = None  # as train() reports it: none for a forecast
        if c.task != "forecast":
            memoryless = data.memoryless_cost(self.stream, len(costs))
        if c.task == "remember":  # noise, no curve: each answer against the value recalled
            ks = np.arange(start, len(costs)) % len(self.stream)  # epochs replay the stream
            targets = np.stack([self.stream[k][1][0, :, 0] for k in ks])  # (steps, time) row 0
            remember.render_final(targets, pred, costs, memoryless, final, c.lag, cell=c.cell)
        else:
            x, target = self.rows(start, len(costs))
            names = plots.axis_names(c.task, c.horizon)
            plots.render_final(x, target, pred, costs, final, cell=c.cell, names=names)
        plots.render_cost(costs, self.out / "cost.png", memoryless)


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
        self, record: StepRecord, config, stream, pause: float = 0.001, view: int = plots.VIEW
    ):
        super().__init__(record, config, stream)
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
        costs = self.record.cost_history()
        pred = self.record.pred_history()
        x, target = self.rows(self.shown, len(costs))  # the steps new since the last call
        for s in range(self.shown, len(costs)):
            a = s - self.shown
            lines = self.ax.plot(x[a], target[a], "r", x[a, :-1], pred[s], "b--")
            self.lines.append((s, lines))
        self.shown = len(costs)
        start = plots.view_of(len(costs) - 1, self.starts, self.view)
        # steps that scrolled off go: drawing them would only slow the window down
        while self.lines and self.lines[0][0] < start:
            for line in self.lines.pop(0)[1]:
                line.remove()
        shown, _ = self.rows(start, min(start + self.view, self.config.total_steps))
        self.ax.set_xlim(float(np.nanmin(shown)), float(np.nanmax(shown)))
        self.ax.set_xlabel(plots.x_label(start, self.config.total_steps, self.view))
        last = len(costs) - 1
        self.ax.set_title(plots.caption(last, costs, True), loc="left", fontsize=10)
        plt.pause(self.pause)

    def on_train_end(self, logs=None):
        if self.fig is None:
            return
        import matplotlib.pyplot as plt

        plt.ioff()
        plt.close(self.fig)
