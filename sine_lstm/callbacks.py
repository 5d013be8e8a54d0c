"""Callbacks that watch training, one job each; `train()` lists them in `fit`.

- `ResetStateEachEpoch`: start every epoch from a zero state.
- `CostPrinter`: print `cost: …` every 20 steps, as the original did.
- `StopOnDivergence`: stop at the first step whose cost blew up.
- `StopOnSignal`: Ctrl-C or SIGTERM stops training after the current call.
- `MetricsCSV`, `TensorBoardCost`: the cost of every step, to a file.
- `SaveModel`: the trained model, to model.keras.

The pictures' callbacks are in `pictures.py`. None of them changes training or
calls the model (`SaveModel` saves it, at the end): they read the `StepRecord`
(`record.py`), which the training step itself fills.
"""

from __future__ import annotations

import shutil
import signal
import threading
import time
from pathlib import Path

import keras
import numpy as np

from sine_lstm.record import StepRecord

BLOW_UP = 1000  # a cost this many times the first step's has diverged
SIGNALS = (signal.SIGINT, signal.SIGTERM)  # what StopOnSignal handles


def first_divergence(costs: np.ndarray, start: int = 0) -> int | None:
    """The first step from `start` on whose cost is NaN, infinite or over BLOW_UP × the first
    cost (steps before `start` were checked already).

    Adam moves every weight by about the learning rate each step, so too large a
    rate sends the cost from about 10 to 10⁸ in one step, after which the
    saturated network predicts nothing: nothing from that step on means anything.
    """
    if len(costs) <= start:
        return None
    new = costs[start:]  # (steps − start,)
    bad = ~np.isfinite(new) | (new > BLOW_UP * costs[0])
    return start + int(np.argmax(bad)) if bad.any() else None


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
        self.record = record
        self.total = total  # steps in all
        self.every = every
        self.verbose = verbose
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
        diverged = first_divergence(costs, start=self.printed)
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
        self.checked = 0  # steps checked so far

    def on_train_batch_end(self, batch, logs=None):
        self.model  # noqa: B018  (on JAX, this brings the record back from the training step)
        costs = self.record.cost_history()
        self.diverged_at = first_divergence(costs, start=self.checked)
        self.checked = len(costs)
        if self.diverged_at is not None:
            self.model.stop_training = True


class MetricsCSV(keras.callbacks.Callback):
    """Write `step,cost` for every recorded step to a CSV file at the end of training."""

    def __init__(self, record: StepRecord, path: str | Path):
        super().__init__()
        self.record = record
        self.path = Path(path)

    def on_train_end(self, logs=None):
        rows = "".join(f"{step},{c:.9g}\n" for step, c in enumerate(self.record.cost_history()))
        self.path.write_text("step,cost\n" + rows, encoding="utf-8")


class TensorBoardCost(keras.callbacks.Callback):
    """Log the scalar `cost` at every step under `logdir`, as the original did.

    Written once at the end of training with TensorBoard's own event writer (no
    TensorFlow needed, whatever the backend), so it costs nothing per step.
    """

    def __init__(self, record: StepRecord, logdir: str | Path):
        super().__init__()
        self.record = record
        self.logdir = Path(logdir)

    def on_train_end(self, logs=None):
        from tensorboard.compat.proto.event_pb2 import Event
        from tensorboard.compat.proto.summary_pb2 import Summary
        from tensorboard.summary.writer.event_file_writer import EventFileWriter

        shutil.rmtree(self.logdir, ignore_errors=True)  # one run's events, not two
        writer = EventFileWriter(str(self.logdir))
        now = time.time()
        for step, c in enumerate(self.record.cost_history()):
            value = Summary.Value(tag="cost", simple_value=float(c))
            writer.add_event(Event(wall_time=now, step=step, summary=Summary(value=[value])))
        writer.close()


class Interrupted(KeyboardInterrupt):
    """A signal came before training's first call ended, or a second one came: leave now."""

    def __init__(self, signum: int, again: bool = False):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.again = again  # a second signal: the first had stopped training already


class StopOnSignal(keras.callbacks.Callback):
    """Ctrl-C (SIGINT) or SIGTERM stops training when the current call ends.

    Its handler is set when it is made (on the main thread: no other gets signals) and
    handed back by `restore()`. The other callbacks' `on_train_end` then write the
    metrics and pictures for the steps done. A signal before a step was recorded has
    nothing to show, and a second signal wants out: both raise `Interrupted` at once.
    """

    def __init__(self, record: StepRecord):
        super().__init__()
        self.record = record
        self.signum: int | None = None
        main = threading.current_thread() is threading.main_thread()
        self.previous = {sig: signal.signal(sig, self.handle) for sig in SIGNALS if main}

    def handle(self, signum, frame):
        again = self.signum is not None
        self.signum = signum  # the model is left alone mid-call (on JAX, reading it syncs it)
        if again or self.record.read == 0:  # `read`: steps the callbacks have seen
            raise Interrupted(signum, again)

    def on_train_batch_begin(self, batch, logs=None):
        if self.signum is not None and self.record.read == 0:  # its raise was swallowed
            raise Interrupted(self.signum)

    def on_train_batch_end(self, batch, logs=None):
        if self.signum is not None:
            self.model.stop_training = True

    def restore(self) -> None:
        """Hand the signals back to the handlers they had before."""
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        self.previous = {}


class SaveModel(keras.callbacks.Callback):
    """Save the model to `path` at the end of training, if it took a step and did not diverge."""

    def __init__(self, record: StepRecord, path: str | Path):
        super().__init__()
        self.record = record
        self.path = Path(path)

    def on_train_end(self, logs=None):
        costs = self.record.cost_history()
        if len(costs) and first_divergence(costs) is None:
            self.model.save(self.path)


def cost_line(cost: float) -> str:
    """The post's line for one step's cost: `cost: 10.6838`."""
    return f"cost: {round(float(cost), 4)}"
