"""Draw a saved model's fit over a stretch of the curve it never trained on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import keras
import numpy as np

import sine_lstm.record  # noqa: F401  (registers the cells, the cost and StepRecord)
from sine_lstm import data
from sine_lstm.cli.checks import UsageError
from sine_lstm.cli.exits import USAGE_ERROR, fail, said
from sine_lstm.cli.memory import available_bytes, gigabytes
from sine_lstm.cli.outputs import atomic_path
from sine_lstm.model import recurrent


def load_model(path: str | Path, compile: bool = True) -> keras.Model:
    """A `model.keras` written by `train`, as it was compiled (Adam with its state), or
    uncompiled to predict only; UsageError in one line if it cannot be used.

    `keras.models.load_model` needs our classes registered: the cell (`cell.py`),
    the cost (`model.py`) and the `StepRecord` metric training compiled with
    (`record.py`); importing this module registers all three.
    """
    try:
        return keras.models.load_model(path, compile=compile)
    except (ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile) as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise UsageError("model", f"{str(path)!r} cannot be used: {reason}") from None


def run(args) -> int:
    """`sine-lstm predict`: draw the saved model's fit; the exit status."""
    try:
        predict_png(args.model, args.png, start=args.start, batches=args.batches)
    except UsageError as err:
        return fail(said(err), USAGE_ERROR)
    print(f"wrote {args.png}")
    return 0


def predict_stretch(model: keras.Model, start: int, batches: int) -> tuple[np.ndarray, ...]:
    """Run `model` over batches start … start+batches-1 from a zero state, carried across.

    Returns `(x, target, pred, costs)` of row 0: (batches·time,) each, and the
    cost of every batch, (batches,).
    """
    batch_size, time_steps, _ = model.input_shape
    layer = recurrent(model)
    if layer.stateful:
        layer.reset_state()
    x, sin_x, cos_x = data.stream(batches, batch_size, time_steps, start=start)
    pred = model.predict(sin_x, batch_size=batch_size, verbose=0)  # in order: the state carries
    costs = ((pred - cos_x) ** 2).reshape(batches, -1).sum(1) / batch_size  # (batches,)
    row0 = slice(None, None, batch_size)  # row 0 of every batch
    return x[row0].ravel(), cos_x[row0].ravel(), pred[row0].ravel(), costs


def predict_png(model_path: str | Path, png: str | Path, start: int = 1000, batches: int = 30):
    """Load `model_path` and draw its fit from batch `start` on to `png`; return the costs."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from sine_lstm.plots import BLUE, RED

    model = load_model(model_path, compile=False)  # no optimizer: it only predicts
    batch_size, time_steps, _ = model.input_shape
    need = 16 * batches * batch_size * time_steps  # x, sin x, cos x and pred, float32
    if need > available_bytes():
        raise UsageError(
            "batches",
            f"{batches}: {batches} batches of {batch_size} × {time_steps} points "
            f"need about {gigabytes(need)} of memory, and {gigabytes(available_bytes())} are free",
        )
    x, target, pred, costs = predict_stretch(model, start, batches)
    fig = Figure(figsize=(9, 3.6), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(x, target, color=RED, label="target cos x")
    ax.plot(x, pred, color=BLUE, linestyle="--", label="prediction of the saved model")
    ax.set_ylim(-1.2, 1.2)
    ax.set_xlabel("x")
    ax.set_ylabel("cos x")
    ax.legend(loc="lower right", fontsize=10)
    ax.set_title(
        f"batches {start}–{start + batches - 1}, unseen in training, from a zero state\n"
        f"cost {costs[0]:.3f} in the first window, {np.mean(costs[1:]):.3f} after it",
        fontsize=10,
    )
    with atomic_path(png) as tmp:
        fig.savefig(tmp, format="png")
    return costs
