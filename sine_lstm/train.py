"""Training: the stream of batches, in order, through `fit`, with the state carried over.

Read top to bottom: seed, data, model, one `compile`, `fit` with its callbacks, the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from sine_lstm import data, plots, remember
from sine_lstm.callbacks import (
    CostPrinter,
    MetricsCSV,
    ResetStateEachEpoch,
    SaveModel,
    StopOnDivergence,
    StopOnSignal,
    TensorBoardCost,
)
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost
from sine_lstm.pictures import FinalPNGs, GifCallback, LivePlot
from sine_lstm.record import StepRecord

GIF = "sine_lstm.gif"


class Feed(keras.utils.PyDataset):
    """What `fit` reads: the stream's batch k, made when `fit` asks for it."""

    def __init__(self, stream: data.Stream):
        super().__init__()  # one worker, in order: batch k+1 continues batch k
        self.stream = stream

    def __len__(self) -> int:
        return len(self.stream)

    def __getitem__(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.stream[k]  # (input, target), each (batch, time, 1)


class Diverged(RuntimeError):
    """The cost became NaN, infinite or blew up: the learning rate is too large."""

    def __init__(self, message: str, steps_done: int):
        super().__init__(message)
        self.steps_done = steps_done  # steps recorded, the blown-up one among them


@dataclass
class Result:
    """What a training run leaves in memory."""

    model: keras.Model
    record: StepRecord
    costs: np.ndarray  # (steps done,) the cost of each step
    signum: int | None = None  # the signal that stopped training early, if any
    memoryless_cost: float | None = None  # the best constant's, beside the final (not a forecast's)

    @property
    def final_cost(self) -> float:
        """Mean cost of the last 20 steps, the number the original is compared by."""
        return plots.final_cost(self.costs)


def train(
    config: Config,
    folder: str | Path | None = None,
    stream: data.Stream | None = None,
    watch: Sequence = (),
    verbose: bool = True,
) -> Result:
    """Train the demo model on the sine → cosine stream (or the remember task's, or the one given).

    Args:
        config: every hyperparameter.
        folder: where the run's files go (metrics.csv, model.keras, logs/, the pictures).
        stream: the batches; unless given, the post's sin x → cos x, or for the remember task
            its windows of noise (`remember.Recall`, trained stateless; it draws no GIF).
            A forecaster's series is given.
        watch: more callbacks (an app's live view), each handed the record it reads.
        verbose: print `cost: …` lines and a progress bar.

    Raises:
        Diverged: the cost became NaN, infinite or blew up (nothing more is drawn).
        callbacks.Interrupted: Ctrl-C or SIGTERM before a step was done, or twice.
    """
    if stream is None and config.task == "forecast":
        raise ValueError("a forecaster trains on its series: stream=series.stream(config)")
    if config.task == "remember" and config.stateful:
        raise ValueError("the remember task's windows start from zero: Config(stateful=False)")
    keras.utils.set_random_seed(config.seed)  # Python, NumPy and the backend
    stream = stream or own_stream(config)
    model = build_model(config)
    per_call = 1 if keras.backend.backend() == "torch" else config.steps_per_call  # torch: 1
    record = StepRecord(config.total_steps, config.time_steps, per_call)  # cost and row 0
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.lr, epsilon=1e-8),  # TF1's
        loss=cost,  # the original's: Σ (pred − target)² / batch
        metrics=[record],  # runs inside the training step: the callbacks read it
        steps_per_execution=per_call,  # Keras's default: 1
        jit_compile=True if config.xla else "auto",  # "auto": XLA on JAX or a GPU only
    )

    for callback in watch:  # an app's own, each handed the record it reads
        callback.record = record
    divergence = StopOnDivergence(record)
    stopper = StopOnSignal(record)  # from here on, Ctrl-C stops training after the current call
    try:
        model.fit(
            Feed(stream),  # batch k: sin x → cos x, or the series at t → at t + horizon
            epochs=config.epochs,
            shuffle=False,  # batch k+1 must continue batch k
            verbose=0,
            callbacks=[
                ResetStateEachEpoch(),  # fit never resets the state itself
                CostPrinter(record, config.total_steps, verbose=verbose),  # every 20 steps
                divergence,  # a blown-up cost: stop, draw nothing
                *([LivePlot(record, config, stream)] if config.show and curve(config) else []),
                *watch,
                *([] if folder is None else writers(record, config, stream, Path(folder))),
                stopper,  # last: a second Ctrl-C still leaves while the files are written
            ],
        )
    finally:  # the signals are the caller's again
        stopper.restore()

    costs = record.cost_history()
    if (at := divergence.diverged_at) is not None:
        blew = f"cost blew up to {costs[at]:.4g} at step {at} (step 0: {costs[0]:.4g})"
        fix = f"with learning rate {config.lr:g}; try a smaller one, e.g. {Config.lr}"
        raise Diverged(f"{blew} {fix}", len(costs))
    memoryless = None  # a forecaster's baselines are persistence and AR: `sine-lstm forecast`
    if config.task != "forecast" and len(costs):
        memoryless = data.memoryless_cost(stream, len(costs))  # what the final cost is worth
    return Result(model, record, costs, stopper.signum, memoryless)


def curve(config: Config) -> bool:
    """Has the task a curve to draw as it trains (the GIF, the live window)? Not the remember
    task's noise: its final.png draws each answer against the value recalled."""
    return config.task != "remember"


def own_stream(config: Config):
    """The batches a task makes itself: the post's sin x → cos x, or the remember task's."""
    if config.task == "remember":
        return remember.Recall(
            config.steps, config.batch_size, config.time_steps, config.lag, config.seed
        )
    return data.Stream(config.steps, config.batch_size, config.time_steps)


def writers(
    record: StepRecord, config: Config, stream: data.Stream, folder: Path
) -> list[keras.callbacks.Callback]:
    """The callbacks that write a run's files into `folder` (the GIF as training goes)."""
    folder.mkdir(parents=True, exist_ok=True)
    drawn = config.gif and curve(config)
    gif = [GifCallback(record, config, stream, folder / GIF)] if drawn else []
    return [
        MetricsCSV(record, folder / "metrics.csv"),
        TensorBoardCost(record, folder / "logs"),
        FinalPNGs(record, config, stream, folder),
        *gif,
        SaveModel(record, folder / "model.keras"),
    ]
