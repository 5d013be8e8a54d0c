"""Training: the stream of batches, in order, through `fit`, with the state carried over.

Read top to bottom: seed, data, model, one `compile`, `fit` with its callbacks,
then the model and its settings saved in `config.out`.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from sine_lstm import data, plots, series
from sine_lstm.callbacks import (
    CostPrinter,
    MetricsCSV,
    ResetStateEachEpoch,
    StopOnDivergence,
    StopOnSignal,
    TensorBoardCost,
)
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost
from sine_lstm.outputs import staged, write_text
from sine_lstm.pictures import FinalPNGs, GifCallback, LivePlot
from sine_lstm.record import StepRecord

GIF = "sine_lstm.gif"


class Diverged(RuntimeError):
    """The cost became NaN, infinite or blew up: the learning rate is too large."""


class Incomplete(RuntimeError):
    """`fit` returned before every step ran, with no signal and no divergence to explain it."""


@dataclass
class Result:
    """What a training run leaves in memory (the files are in `config.out`)."""

    model: keras.Model
    record: StepRecord
    costs: np.ndarray  # (steps done,) the cost of each step
    signum: int | None = None  # the signal that stopped training early, if any
    config: Config | None = None  # the settings it trained with
    gone: list[str] | None = None  # what went from OUT with the earlier set; None: not placed

    @property
    def final_cost(self) -> float:
        """Mean cost of the last 20 steps, the number ORIGINAL.md compares."""
        return plots.final_cost(self.costs)


def train(
    config: Config,
    verbose: bool = True,
    save: bool = True,
    watch: Sequence = (),
    loaded: series.Series | None = None,
) -> Result:
    """Train the demo model on the sine → cosine stream, or to forecast a series.

    Args:
        config: every hyperparameter and the output folder; `config.task` is
            "cos" (the post's demo) or "forecast" (`series.py`: the sine, the
            seasonal series or a CSV column, scaled by its training part).
        verbose: print `cost: …` lines and a progress bar.
        save: write metrics.csv, model.keras, config.json, logs/ and the pictures
            into `config.out`/.sine-lstm.run/, then put that set in place in `config.out` at
            once (`outputs.Staging`), when the run has something to show: it
            finished, or a signal stopped it after a step. Until then the previous
            run's set is untouched.
        watch: more callbacks, e.g. an app's live view; each gets the record as
            `callback.record` before training starts.
        loaded: the series of a forecast if it is already read and checked
            (the command line's check reads a CSV once); else `train` loads it.

    Raises:
        Diverged: the cost became NaN, infinite or blew up; it replaces nothing,
            and its metrics.csv and config.json go to `config.out`/diverged/.
        Incomplete: `fit` ended early with no signal or divergence to explain it.
        outputs.Busy: another run holds `config.out`.
        checks.UsageError: the CSV series of a forecast cannot be used (it says why).
    """
    keras.utils.set_random_seed(config.seed)  # Python, NumPy and the backend
    out = Path(config.out)

    if config.task == "forecast" and loaded is None:
        loaded = series.load(config)  # with its scale
    x, inputs, targets = series.stream_for(config, loaded=loaded)  # (steps·batch, time, 1) each
    rows = data.row0(x, config.batch_size), data.row0(targets, config.batch_size)  # drawn
    model = build_model(config)
    record = StepRecord(config.total_steps, config.time_steps)  # every step's cost and row 0
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.lr, epsilon=1e-8),  # TF1's
        loss=cost,  # the original's: Σ (pred − target)² / batch
        metrics=[record],  # runs inside the training step: the callbacks read it
        steps_per_execution=steps_per_call(config),  # Keras's default: 1
        jit_compile=True if config.xla else "auto",  # "auto": XLA on JAX or a GPU only
    )

    divergence = StopOnDivergence(record)
    with staged(out, save) as stage:  # one run at a time in OUT; its set goes in place at the end
        stopper = StopOnSignal()  # from here on, Ctrl-C stops training after the current call
        files = [] if stage is None else writers(record, config, rows, stage.folder)
        try:
            model.fit(
                inputs,  # sin x, or the series at t
                targets,  # cos x, or the series at t + horizon
                batch_size=config.batch_size,  # the model's own static batch
                epochs=config.epochs,
                shuffle=False,  # batch k+1 must continue batch k
                verbose=0,
                callbacks=[
                    ResetStateEachEpoch(),  # fit never resets the state itself
                    CostPrinter(record, config.total_steps, verbose=verbose),  # every 20 steps
                    divergence,  # a blown-up cost: stop, draw nothing
                    *([LivePlot(record, config, rows)] if config.show else []),
                    *watching(watch, record),
                    *files,
                    stopper,  # last: Ctrl-C is handled until everything above is written
                ],
            )
        finally:  # fit may raise (a watching callback): the signals are the caller's again
            stopper.on_train_end()

        costs = record.cost_history()
        if divergence.diverged_at is not None:
            kept = ""
            if stage is not None:  # replaces nothing; its costs stay to be seen
                write_settings(stage.folder, config, loaded, len(costs))
                kept = f"; its costs are in {stage.keep_diverged(('metrics.csv', 'config.json'))}/"
            raise Diverged(
                f"cost blew up to {costs[divergence.diverged_at]:.4g} at step "
                f"{divergence.diverged_at} (step 0: {costs[0]:.4g}) with learning rate "
                f"{config.lr:g}; try a smaller one, e.g. {Config.lr}{kept}"
            )
        if stopper.signum is None and len(costs) < config.total_steps:
            raise Incomplete(f"training stopped after {len(costs)} of {config.total_steps} steps")
        gone = None  # not put in place
        if stage is not None and not stopper.early:  # stopped before a step: nothing to show
            model.save(stage.folder / "model.keras")
            write_settings(stage.folder, config, loaded, len(costs))
            gone = stage.place({GIF: Path(config.gif_path)} if config.gif_path else None)
    return Result(model, record, costs, stopper.signum, config, gone)


def writers(
    record: StepRecord, config: Config, rows: tuple[np.ndarray, np.ndarray], folder: Path
) -> list[keras.callbacks.Callback]:
    """The callbacks that write a saved run's files into `folder` at the end of training."""
    gif = [GifCallback(record, config, rows, folder / GIF)] if config.gif else []
    return [
        MetricsCSV(record, folder / "metrics.csv"),
        TensorBoardCost(record, folder / "logs"),
        FinalPNGs(record, config, rows, folder),
        *gif,
    ]


def write_settings(folder: Path, config: Config, loaded: series.Series | None, done: int) -> None:
    """config.json: the settings, the steps asked and done, what trained it, a forecast's scale."""
    settings = dataclasses.asdict(config)
    settings |= {"steps_asked": config.total_steps, "steps_done": done}
    settings |= {"backend": keras.backend.backend(), "versions": versions()}
    if loaded is not None:  # forecast reports in the series' units: its scale goes with it
        settings["scale"] = {"mean": loaded.mean, "std": loaded.std}
        settings["scale"] |= {"train_points": loaded.train_points, "units": loaded.units}
    write_text(folder / "config.json", json.dumps(settings, indent=2) + "\n")


def watching(callbacks: Sequence, record: StepRecord) -> Sequence:
    """The `watch` callbacks, each handed the record it reads."""
    for callback in callbacks:
        callback.record = record
    return callbacks


def versions() -> dict[str, str]:
    """The versions of Keras and of the backend that trained the model."""
    backend = keras.backend.backend()
    return {"keras": keras.__version__, backend: importlib.import_module(backend).__version__}


def steps_per_call(config: Config) -> int:
    """`config.steps_per_call`, or 1 on PyTorch, where Keras allows no other."""
    return 1 if keras.backend.backend() == "torch" else config.steps_per_call
