"""What watches training: the step record, cost printing, metrics CSV, TensorBoard.

Nothing here changes training. `StepRecord` is a Keras metric: inside the compiled
training step it stores each step's cost and the prediction for row 0 of the batch,
from the forward pass that step trained on (the original's `pred`, before the
weight update). The callbacks only read that record, so they never run the model
again and never advance the stateful RNN.
"""

from __future__ import annotations

import signal
from pathlib import Path

import keras
import numpy as np
from keras import ops

from sine_lstm import data
from sine_lstm.atomic import write_text
from sine_lstm.model import cost


@keras.saving.register_keras_serializable(package="sine_lstm")
class StepRecord(keras.metrics.Metric):
    """Cost and row-0 prediction of every training step, kept in variables.

    Args:
        steps: how many steps to keep (all epochs together).
        time_steps: the length of one row.
    """

    def __init__(self, steps: int, time_steps: int, name: str = "cost", **kwargs):
        super().__init__(name=name, **kwargs)
        self.steps = steps
        self.time_steps = time_steps
        self.costs = self.add_variable(shape=(steps,), initializer="zeros", name="costs")
        self.preds = self.add_variable(
            shape=(steps, time_steps), initializer="zeros", name="preds"
        )  # (steps, time)
        self.count = self.add_variable(shape=(), initializer="zeros", dtype="int32", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        # scatter_update, not slice_update: the latter fails under XLA with a tensor index.
        at = ops.reshape(self.count, (1, 1))  # (1, 1) where this step goes
        step_cost = ops.mean(cost(y_true, y_pred))  # () the step's cost, as the loss
        self.costs.assign(ops.scatter_update(self.costs, at, ops.reshape(step_cost, (1,))))
        row0 = ops.reshape(y_pred[0, :, 0], (1, self.time_steps))  # (1, time)
        self.preds.assign(ops.scatter_update(self.preds, at, row0))
        self.count.assign_add(1)

    def result(self):
        return ops.take(self.costs, ops.maximum(self.count - 1, 0))  # the latest cost

    def reset_state(self):
        """Keep the record: Keras resets metrics at every epoch, the history spans them."""

    def done(self) -> int:
        """How many steps have been recorded."""
        return int(ops.convert_to_numpy(self.count))

    def cost_history(self) -> np.ndarray:
        """The cost of each recorded step, shape (done,)."""
        return ops.convert_to_numpy(self.costs)[: self.done()]

    def pred_history(self) -> np.ndarray:
        """Row 0 of each recorded step's prediction, shape (done, time)."""
        return ops.convert_to_numpy(self.preds)[: self.done()]

    def get_config(self) -> dict:
        return {"steps": self.steps, "time_steps": self.time_steps, "name": self.name}


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
    """Print `cost: …` every `every` steps, as the original did, under a progress bar.

    Also stops training at the first step whose cost diverged (`first_divergence`).
    """

    def __init__(self, record: StepRecord, total: int, every: int = 20, verbose: bool = True):
        super().__init__()
        self.record, self.total, self.every, self.verbose = record, total, every, verbose
        self.printed = 0  # steps whose cost line is out
        self.bar = None
        self.diverged_at: int | None = None

    def on_train_begin(self, logs=None):
        if self.verbose:
            from tqdm import tqdm  # text, also in a notebook (no widgets needed)

            # disable=None: a bar on a terminal, nothing in a log file or a pipe.
            self.bar = tqdm(total=self.total, unit="step", disable=None, leave=False)

    def on_train_batch_end(self, batch, logs=None):
        model = self.model  # on JAX, this brings the training state back to the variables
        costs = self.record.cost_history()
        self.diverged_at = first_divergence(costs)
        if self.diverged_at is not None:
            model.stop_training = True
            costs = costs[: self.diverged_at]
        for step in range(self.printed, len(costs)):
            if step % self.every == 0:
                self.write(f"cost: {round(float(costs[step]), 4)}")
        if self.bar is not None:
            self.bar.update(len(costs) - self.printed)
        self.printed = len(costs)

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()

    def write(self, line: str) -> None:
        if not self.verbose:
            return
        if self.bar is not None:
            self.bar.write(line)
        else:
            print(line, flush=True)


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
        import shutil
        import tempfile
        import time

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


def recorded(record: StepRecord, config) -> tuple[np.ndarray, ...]:
    """Row 0 of every recorded step, as the pictures draw it: `(x, target, pred, cost)`.

    x and target (steps, time + 1) run on to the next window's first point, so the
    drawn windows join; pred (steps, time); cost (steps,).
    """
    costs = record.cost_history()
    x, _, target = data.stream(config.steps + 1, 1, config.time_steps)  # row 0 of batch k
    x = np.concatenate([x[:-1, :, 0], x[1:, :1, 0]], axis=1)  # (steps, time + 1)
    target = np.concatenate([target[:-1, :, 0], target[1:, :1, 0]], axis=1)
    k = np.arange(len(costs)) % config.steps  # the batch each step trained on
    return x[k], target[k], record.pred_history(), costs


class GifCallback(keras.callbacks.Callback):
    """Draw the post's animation, its last frame and the cost curve after training.

    At every step the `StepRecord` inside the training step keeps row 0 of the
    prediction from the forward pass that step trained on (before its weight
    update), as the original's `pred`, and the step's cost; `x` and the target
    come from `data`, a pure function of the step. This callback only reads them:
    it never calls the model, so it cannot advance the stateful RNN.

    Args:
        record: the training's `StepRecord`.
        config: the sizes (which batch each step trained on).
        pictures: what draws: anything with `draw(x, target, pred, costs)`,
            e.g. `plots.Pictures`.
    """

    def __init__(self, record: StepRecord, config, pictures):
        super().__init__()
        self.record, self.config, self.pictures = record, config, pictures

    def on_train_end(self, logs=None):
        x, target, pred, costs = recorded(self.record, self.config)
        if len(costs) == 0 or first_divergence(costs) is not None:
            return  # a diverged run has nothing worth drawing
        self.pictures.draw(x, target, pred, costs)


class LivePlot(keras.callbacks.Callback):
    """A window that piles up the curves during training, like the original's `plt.ion()`.

    For people with a desktop (`--show`); the curves come from the `StepRecord`.
    """

    def __init__(self, record: StepRecord, config, pause: float = 0.001):
        super().__init__()
        self.record, self.config, self.pause, self.drawn = record, config, pause, 0

    def on_train_begin(self, logs=None):
        import matplotlib.pyplot as plt

        plt.ion()
        self.fig, self.ax = plt.subplots()
        self.ax.set_ylim(-1.2, 1.2)

    def on_train_batch_end(self, batch, logs=None):
        import matplotlib.pyplot as plt

        self.model  # noqa: B018  (on JAX, this brings the record back from the training step)
        x, target, pred, costs = recorded(self.record, self.config)
        for s in range(self.drawn, len(costs)):
            self.ax.plot(x[s], target[s], "r", x[s, :-1], pred[s], "b--")
        self.drawn = len(costs)
        self.ax.set_title(f"step {len(costs) - 1}   cost {costs[-1]:.4f}")
        plt.pause(self.pause)

    def on_train_end(self, logs=None):
        import matplotlib.pyplot as plt

        plt.ioff()
        plt.close(self.fig)


class StopOnSignal(keras.callbacks.Callback):
    """Ctrl-C (SIGINT) or SIGTERM stops training when the current call ends.

    A call runs `steps_per_execution` steps (1 by default, 20 from the command
    line: a few milliseconds); the other callbacks' `on_train_end` then write the
    metrics, the GIF and the rest for the steps done. A second signal interrupts
    at once.
    """

    def __init__(self):
        super().__init__()
        self.signum: int | None = None
        self.previous: dict = {}

    def on_train_begin(self, logs=None):
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.previous[signum] = signal.signal(signum, self.handle)

    def handle(self, signum, frame):
        self.signum = signum
        if self.model is not None:
            self.model.stop_training = True
        for sig, handler in self.previous.items():  # a second signal: the usual way out
            signal.signal(sig, handler)

    def on_train_end(self, logs=None):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        self.previous = {}
