"""Training: the stream of batches, in order, through `fit`, with the state carried over.

Read top to bottom: seed, data, model, one `compile`, `fit` with its callbacks,
then the outputs in `config.out`.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from sine_lstm import data
from sine_lstm.atomic import atomic_path, write_text
from sine_lstm.callbacks import (
    CostPrinter,
    GifCallback,
    LivePlot,
    MetricsCSV,
    ResetStateEachEpoch,
    StepRecord,
    StopOnSignal,
    TensorBoardCost,
)
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost
from sine_lstm.plots import Pictures


class Diverged(RuntimeError):
    """The cost became NaN, infinite or blew up: the learning rate is too large."""


class Incomplete(RuntimeError):
    """`fit` returned before every step ran, with no signal and no divergence to explain it.

    Keras ends an epoch quietly when the data "runs out", and TensorFlow reports
    some runtime failures the same way; without this check a run could end
    early and still look finished.
    """


@dataclass
class Result:
    """What a training run leaves in memory (the files are in `config.out`)."""

    model: keras.Model
    record: StepRecord
    costs: np.ndarray  # (steps done,) the cost of each step
    signum: int | None = None  # the signal that stopped training early, if any

    @property
    def final_cost(self) -> float:
        """Mean cost of the last 20 steps, the number ORIGINAL.md compares."""
        return float(np.mean(self.costs[-20:]))


OUTPUTS = ("metrics.csv", "model.keras", "config.json", "sine_lstm.gif", "final.png", "cost.png")


def clear_outputs(out: Path) -> None:
    """Create `out`, removing a previous run's outputs so no old file mixes with new ones.

    Only our own files go: the outputs by name, and the temporary files a killed run
    may have left (`.metrics.x1y2.csv`, `.logs.x1y2/`: see `atomic_path`). Anything
    else in the folder is the user's and stays.
    """
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "logs", ignore_errors=True)
    for stem in [Path(name).stem for name in OUTPUTS] + ["logs"]:
        for stale in out.glob(f".{stem}.*"):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()


def train(
    config: Config,
    pictures=None,
    compile_options: dict | None = None,
    extra_callbacks: Sequence[keras.callbacks.Callback] = (),
    verbose: bool = True,
    save: bool = True,
) -> Result:
    """Train the demo model on the sine → cosine stream.

    Args:
        config: every hyperparameter and the output folder.
        pictures: what draws the GIF, final.png and cost.png from the recorded
            curves; `plots.Pictures` (here, in this process) unless given.
        compile_options: more `model.compile` options, e.g. `steps_per_execution`;
            the command line's speed switches give them (`sine_lstm/speed`).
        extra_callbacks: more callbacks for `fit`, after ours.
        verbose: print `cost: …` lines and a progress bar.
        save: write metrics.csv, model.keras, config.json and logs/ to `config.out`.

    Raises:
        Diverged: the cost became NaN, infinite or blew up (`first_divergence`);
            the metrics up to that step are written, no model and no GIF.
        Incomplete: `fit` ended before every step ran without a signal or a
            divergence to explain it; no model is written.
    """
    keras.utils.set_random_seed(config.seed)  # Python, NumPy and the backend
    out = Path(config.out)
    gif_path = config.gif_path or out / "sine_lstm.gif"
    pictures = pictures or Pictures(gif_path, out, config.fps, config.max_frames)

    _, sin_x, cos_x = data.stream(config.steps, config.batch_size, config.time_steps)
    model = build_model(config)
    record = StepRecord(config.total_steps, config.time_steps)  # every step's cost and row 0
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.lr, epsilon=1e-8),  # TF1's epsilon
        loss=cost,  # the original's: Σ (pred − target)² / batch
        metrics=[record],  # runs inside the training step: the callbacks read it
        **(compile_options or {}),  # none: Keras's defaults (on a CPU: 1 step per call, no XLA)
    )
    if save:
        clear_outputs(out)

    stopper = StopOnSignal()
    printer = CostPrinter(record, config.total_steps, verbose=verbose)
    draws = config.gif and save
    model.fit(
        sin_x,
        cos_x,
        batch_size=config.batch_size,  # the model's own static batch
        epochs=config.epochs,
        shuffle=False,  # batch k+1 must continue batch k
        verbose=0,
        callbacks=[
            ResetStateEachEpoch(),  # fit never resets the state itself
            stopper,  # Ctrl-C: stop after this call, write what we have
            printer,  # `cost: …` every 20 steps; stops at a divergence
            *([LivePlot(record, config)] if config.show else []),
            *([GifCallback(record, config, pictures)] if draws else []),
            *([MetricsCSV(record, out / "metrics.csv")] if save else []),
            *([TensorBoardCost(record, out / "logs")] if save else []),
            *extra_callbacks,
        ],
    )

    if printer.diverged_at is not None:
        costs = record.cost_history()
        raise Diverged(
            f"cost blew up to {costs[printer.diverged_at]:.4g} at step {printer.diverged_at} "
            f"(step 0: {costs[0]:.4g}) with --lr {config.lr:g}; try a smaller learning rate, "
            f"e.g. {Config.lr}"
        )
    done = record.done()
    if stopper.signum is None and done < config.total_steps:
        raise Incomplete(f"training stopped after {done} of {config.total_steps} steps")
    if save:
        with atomic_path(out / "model.keras") as tmp:
            model.save(tmp)
        write_text(out / "config.json", json.dumps(dataclasses.asdict(config), indent=2) + "\n")
    return Result(model, record, record.cost_history(), stopper.signum)
