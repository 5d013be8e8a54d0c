"""Callbacks that watch training, one job each; `train()` lists them in `fit`.

- `ResetStateEachEpoch`: start every epoch from a zero state.
- `CostPrinter`: print `cost: …` every 20 steps, as the original did.
- `StopOnDivergence`: stop at the first step whose cost blew up.
- `StopOnSignal`: Ctrl-C or SIGTERM stops training after the current call.
- `MetricsCSV`, `TensorBoardCost`: the cost of every step, to a file.
- `GifCallback`, `FinalPNGs`, `LivePlot`: the pictures.

None of them changes training or calls the model: they read the `StepRecord`
(`record.py`), which the training step itself fills.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import keras
import numpy as np

from sine_lstm import plots
from sine_lstm.outputs import write_text
from sine_lstm.record import StepRecord, recorded

BLOW_UP = 1000  # a cost this many times the first step's has diverged


def first_divergence(costs: np.ndarray) -> int | None:
    """The first step whose cost is NaN, infinite or over BLOW_UP × the first cost.

    Adam moves every weight by about the learning rate each step, so too large a
    rate sends the cost from about 10 to 10⁸ in one step, after which the
    saturated network predicts nothing: nothing from that step on means anything.
    """
    if len(costs) == 0:
        return None
    bad = ~np.isfinite(costs) | (costs > BLOW_UP * costs[0])  # (steps,)
    return int(np.argmax(bad)) if bad.any() else None


class ResetStateEachEpoch(keras.callbacks.Callback):
    """Start every epoch from a zero state (`fit` itself never resets it)."""

    def on_epoch_begin(self, epoch, logs=None):
        for layer in self.model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_state()


class CostPrinter(keras.callbacks.Callback):
    """Print `cost: …` every `every` steps, as the original did, under a progress bar."""

    def __init__(self, record: StepRecord, total: int, every: int = 20, verbose: bool = True):
        super().__init__()
        self.record, self.total, self.every, self.verbose = record, total, every, verbose
        self.printed = 0  # steps whose cost line is out
        self.bar = None

    def on_train_begin(self, logs=None):
        if self.verbose:
            from tqdm import tqdm  # text, also in a notebook (no widgets needed)

            # disable=None: a bar on a terminal, nothing in a log file or a pipe.
            self.bar = tqdm(total=self.total, unit="step", disable=None, leave=False)

    def on_train_batch_end(self, batch, logs=None):
        self.model  # noqa: B018  (on JAX, this brings the record back from the training step)
        costs = self.record.cost_history()
        diverged = first_divergence(costs)
        costs = costs if diverged is None else costs[:diverged]  # nothing after it means anything
        for step in range(self.printed, len(costs)):
            if step % self.every == 0 and self.verbose:
                line = cost_line(costs[step])
                self.bar.write(line) if self.bar is not None else print(line, flush=True)
        if self.bar is not None:
            self.bar.update(len(costs) - self.printed)
        self.printed = len(costs)

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()


class StopOnDivergence(keras.callbacks.Callback):
    """Stop training at the first step whose cost diverged (`first_divergence`)."""

    def __init__(self, record: StepRecord):
        super().__init__()
        self.record = record
        self.diverged_at: int | None = None

    def on_train_batch_end(self, batch, logs=None):
        self.model  # noqa: B018  (on JAX, this brings the record back from the training step)
        self.diverged_at = first_divergence(self.record.cost_history())
        if self.diverged_at is not None:
            self.model.stop_training = True


class MetricsCSV(keras.callbacks.Callback):
    """Write `step,cost` for every recorded step to a CSV file at the end of training."""

    def __init__(self, record: StepRecord, path: str | Path):
        super().__init__()
        self.record, self.path = record, Path(path)

    def on_train_end(self, logs=None):
        rows = "".join(f"{step},{c:.9g}\n" for step, c in enumerate(self.record.cost_history()))
        write_text(self.path, "step,cost\n" + rows)


class TensorBoardCost(keras.callbacks.Callback):
    """Log the scalar `cost` at every step under `logdir`, as the original did.

    Written once at the end of training with TensorBoard's own event writer (no
    TensorFlow needed, whatever the backend), so it costs nothing per step.
    """

    def __init__(self, record: StepRecord, logdir: str | Path):
        super().__init__()
        self.record, self.logdir = record, Path(logdir)

    def on_train_end(self, logs=None):
        from tensorboard.compat.proto.event_pb2 import Event
        from tensorboard.compat.proto.summary_pb2 import Summary
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        # Written into a fresh folder beside it, then swapped in: never half a log.
        tmp = Path(tempfile.mkdtemp(dir=self.logdir.parent, prefix=".logs."))
        writer = EventFileWriter(str(tmp))
        now = time.time()
        for step, c in enumerate(self.record.cost_history()):
            value = Summary.Value(tag="cost", simple_value=float(c))
            writer.add_event(Event(wall_time=now, step=step, summary=Summary(value=[value])))
        writer.close()
        tmp.chmod(0o755)  # as a folder made by mkdir, not mkdtemp's private 0700
        shutil.rmtree(self.logdir, ignore_errors=True)
        tmp.rename(self.logdir)


class GifCallback(keras.callbacks.Callback):
    """Draw the post's animation to `path` after training, from the record.

    Each frame adds the steps since the last: row 0's target and its prediction.
    """

    def __init__(self, record: StepRecord, config, path: str | Path):
        super().__init__()
        self.record, self.config, self.path = record, config, Path(path)

    def on_train_end(self, logs=None):
        x, target, pred, costs = recorded(self.record, self.config)
        if len(costs) and first_divergence(costs) is None:  # a diverged run: nothing to draw
            c, names = self.config, plots.axis_names(self.config.task, self.config.horizon)
            plots.render_gif(
                x, target, pred, costs, self.path, c.fps, c.max_frames, cell=c.cell, names=names
            )


class FinalPNGs(keras.callbacks.Callback):
    """Draw `final.png` (the GIF's last frame, sharper) and `cost.png` in `out`."""

    def __init__(self, record: StepRecord, config, out: str | Path):
        super().__init__()
        self.record, self.config, self.out = record, config, Path(out)

    def on_train_end(self, logs=None):
        x, target, pred, costs = recorded(self.record, self.config)
        if len(costs) and first_divergence(costs) is None:
            names = plots.axis_names(self.config.task, self.config.horizon)
            final = self.out / "final.png"
            plots.render_final(x, target, pred, costs, final, cell=self.config.cell, names=names)
            plots.render_cost(costs, self.out / "cost.png")


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


class LivePlot(keras.callbacks.Callback):
    """A window that piles up the curves during training, like the original's `plt.ion()`.

    For people with a desktop (`--show`); the curves come from the `StepRecord`,
    and the x axis scrolls as the GIF's does (`plots.view_starts`). Where no window
    can open, it says so in one line on stderr and training goes on without it.
    """

    def __init__(self, record: StepRecord, config, pause: float = 0.001, view: int = plots.VIEW):
        super().__init__()
        self.record, self.config, self.pause, self.view = record, config, pause, view
        self.starts = plots.view_starts(config.total_steps, view)
        self.fig, self.drawn, self.lines = None, 0, []  # lines: (step, its 2 artists) on view

    def on_train_begin(self, logs=None):
        import matplotlib.pyplot as plt

        problem = live_window_problem(plt.get_backend(), os.environ, sys.platform)
        if problem:
            still = "the GIF and final.png are" if self.config.gif else "final.png is"
            print(
                f"--show: the live window cannot open ({problem}); training goes on without it, "
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
        x, target, pred, costs = recorded(self.record, self.config)
        for s in range(self.drawn, len(costs)):
            self.lines.append((s, self.ax.plot(x[s], target[s], "r", x[s, :-1], pred[s], "b--")))
        self.drawn = len(costs)
        start = plots.view_of(len(costs) - 1, self.starts, self.view)
        # steps that scrolled off go: drawing them would only slow the window down
        while self.lines and self.lines[0][0] < start:
            for line in self.lines.pop(0)[1]:
                line.remove()
        shown = x[start : start + self.view]  # (≤ view, time + 1)
        self.ax.set_xlim(float(shown.min()), float(shown.max()))
        self.ax.set_xlabel(plots.x_label(start, self.config.total_steps, self.view))
        self.ax.set_title(plots.caption(len(costs) - 1, costs), loc="left", fontsize=10)
        plt.pause(self.pause)

    def on_train_end(self, logs=None):
        if self.fig is None:
            return
        import matplotlib.pyplot as plt

        plt.ioff()
        plt.close(self.fig)


class StopOnSignal(keras.callbacks.Callback):
    """Ctrl-C (SIGINT) or SIGTERM stops training when the current call ends.

    Its handler is set when it is made (on the main thread: no other gets signals), so
    a signal before `fit` starts stops it after the first call; the other callbacks'
    `on_train_end` then write the metrics and pictures for the steps done. List it
    last: the handler is handed back after everything else is written.
    """

    def __init__(self):
        super().__init__()
        self.signum: int | None = None
        main = threading.current_thread() is threading.main_thread()
        self.previous = {sig: signal.signal(sig, self.handle) for sig in SIGNALS if main}

    def handle(self, signum, frame):
        self.signum = signum  # the model is left alone mid-call (on JAX, reading it syncs it)
        self.on_train_end()  # a second signal: the usual way out

    def on_train_batch_end(self, batch, logs=None):
        if self.signum is not None:
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        self.previous = {}


SIGNALS = (signal.SIGINT, signal.SIGTERM)


def cost_line(cost: float) -> str:
    """The post's line for one step's cost: `cost: 10.6838`."""
    return f"cost: {round(float(cost), 4)}"
