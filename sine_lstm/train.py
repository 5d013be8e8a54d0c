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

from sine_lstm import series
from sine_lstm.callbacks import (
    CostPrinter,
    FinalPNGs,
    GifCallback,
    LivePlot,
    MetricsCSV,
    ResetStateEachEpoch,
    StopOnDivergence,
    StopOnSignal,
    TensorBoardCost,
)
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost
from sine_lstm.outputs import atomic_path, clear_outputs, write_text
from sine_lstm.record import StepRecord


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

    @property
    def final_cost(self) -> float:
        """Mean cost of the last 20 steps, the number ORIGINAL.md compares."""
        return float(np.mean(self.costs[-20:]))


def train(
    config: Config,
    verbose: bool = True,
    save: bool = True,
    watch: Sequence = (),
) -> Result:
    """Train the demo model on the sine → cosine stream, or to forecast a series.

    Args:
        config: every hyperparameter and the output folder; `config.task` is
            "cos" (the post's demo) or "forecast" (`series.py`: the sine, the
            seasonal series or a CSV column, scaled by its training part).
        verbose: print `cost: …` lines and a progress bar.
        save: write metrics.csv, model.keras, config.json, logs/ and the pictures
            to `config.out`.
        watch: more callbacks, e.g. an app's live view; each gets the record as
            `callback.record` before training starts.

    Raises:
        Diverged: the cost became NaN, infinite or blew up; the metrics up to that
            step are written, no model and no pictures.
        Incomplete: `fit` ended early with no signal or divergence to explain it.
        checks.UsageError: the CSV series of a forecast cannot be used (it says why).
    """
    stopper = StopOnSignal()  # from here on, Ctrl-C stops training after the current call
    keras.utils.set_random_seed(config.seed)  # Python, NumPy and the backend
    out = Path(config.out)

    loaded = series.load(config) if config.task == "forecast" else None  # with its scale
    _, inputs, targets = series.stream_for(config, loaded=loaded)  # (steps·batch, time, 1) each
    model = build_model(config)
    record = StepRecord(config.total_steps, config.time_steps)  # every step's cost and row 0
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.lr, epsilon=1e-8),  # TF1's
        loss=cost,  # the original's: Σ (pred − target)² / batch
        metrics=[record],  # runs inside the training step: the callbacks read it
        steps_per_execution=steps_per_call(config),  # Keras's default: 1
        jit_compile=True if config.xla else "auto",  # "auto": XLA on JAX or a GPU only
    )
    if save:
        clear_outputs(out)

    divergence = StopOnDivergence(record)
    files = [  # what a saved run writes at the end of training
        MetricsCSV(record, out / "metrics.csv"),
        TensorBoardCost(record, out / "logs"),
        FinalPNGs(record, config, out),
        *(
            [GifCallback(record, config, config.gif_path or out / "sine_lstm.gif")]
            if config.gif
            else []
        ),
    ]
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
                CostPrinter(record, config.total_steps, verbose=verbose),  # `cost: …` every 20
                divergence,  # a blown-up cost: stop, draw nothing
                *([LivePlot(record, config)] if config.show else []),
                *watching(watch, record),
                *(files if save else []),
                stopper,  # last: Ctrl-C is handled until everything above is written
            ],
        )
    finally:  # fit may raise (a watching callback): the signals are the caller's again
        stopper.on_train_end()

    costs = record.cost_history()
    if divergence.diverged_at is not None:
        raise Diverged(
            f"cost blew up to {costs[divergence.diverged_at]:.4g} at step "
            f"{divergence.diverged_at} (step 0: {costs[0]:.4g}) with --lr {config.lr:g}; "
            f"try a smaller learning rate, e.g. {Config.lr}"
        )
    if stopper.signum is None and len(costs) < config.total_steps:
        raise Incomplete(f"training stopped after {len(costs)} of {config.total_steps} steps")
    if save:
        with atomic_path(out / "model.keras") as tmp:
            model.save(tmp)
        trained_on = {"backend": keras.backend.backend(), "versions": versions()}
        settings = {**dataclasses.asdict(config), **trained_on}
        if loaded is not None:  # forecast reports in the series' units: its scale goes with it
            settings["scale"] = {"mean": loaded.mean, "std": loaded.std}
            settings["scale"] |= {"train_points": loaded.train_points, "units": loaded.units}
        write_text(out / "config.json", json.dumps(settings, indent=2) + "\n")
    return Result(model, record, costs, stopper.signum, config)


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
