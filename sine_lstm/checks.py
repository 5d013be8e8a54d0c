"""The checks every value from a user passes before anything runs: one line each if it fails.

The command line uses them for its flags (`cli.py`); they import no backend.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

INT_LIMIT = 10**7  # a larger size or count is a typo, and would exhaust memory
MAX_PREDICT_BATCHES = 10_000
MAX_FPS = 50  # a GIF frame lasts a whole number of 10 ms; browsers slow any under 20 ms to 100
SIZES = ("steps", "epochs", "batch_size", "time_steps", "cell_size")  # what memory grows with
BACKENDS = ("tensorflow", "jax", "torch")
NEGATIVE_NUMBER = re.compile(
    r"^-(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE
)  # read as a (bad) value, not a flag, so the error can name it


class UsageError(Exception):
    """A value is not acceptable; the message names the flag and the value."""


def whole_number(low: int, high: int):
    """An argparse type: an integer from `low` to `high`."""

    def check(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            kind = "a positive integer" if low >= 1 else "an integer"
            raise argparse.ArgumentTypeError(f"must be {kind}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {text!r}")
        return value

    return check


def positive_number(text: str) -> float:
    """An argparse type: a finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite positive number, got {text!r}")
    return value


def finite_number(text: str) -> float:
    """An argparse type: any finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def fraction(text: str) -> float:
    """An argparse type: a number strictly between 0 and 1."""
    value = positive_number(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"must be a fraction between 0 and 1, got {text!r}")
    return value


def path(text: str) -> Path:
    """An argparse type: a path that is not empty (`Path("")` would be the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a path, got an empty one")
    return Path(text)


def choose_backend(flag: str | None) -> str:
    """The backend from --backend, else $KERAS_BACKEND, else tensorflow; set before Keras loads."""
    backend = flag or os.environ.get("KERAS_BACKEND") or "tensorflow"
    if backend not in BACKENDS:
        raise UsageError(f"KERAS_BACKEND {backend!r} is not one of {', '.join(BACKENDS)}")
    if importlib.util.find_spec(backend) is None:
        raise UsageError(
            f"--backend {backend} needs the {backend} package: run `make install-backends`"
        )
    if "keras" in sys.modules and os.environ.get("KERAS_BACKEND", "tensorflow") != backend:
        raise UsageError(f"--backend {backend}: Keras is already loaded with another backend")
    os.environ["KERAS_BACKEND"] = backend
    return backend


def writable_dir(flag: str, folder: Path) -> None:
    """Raise UsageError unless `folder` exists as a writable folder or can be created."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{flag} {str(folder)!r} is not a folder")
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"{flag} {str(folder)!r} cannot be created: {str(probe)!r} is a file")
    try:  # os.access says yes to root even on a read-only file system: try it
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as err:
        raise UsageError(f"{flag} {str(folder)!r} is not writable: {err.strerror}") from None


def check_network(args: argparse.Namespace, defaults: dict) -> None:
    """The model's flags that depend on each other or on the machine."""
    check_memory({name: getattr(args, name) for name in SIZES}, defaults)
    if args.cell == "rnn" and args.forget_bias != defaults["forget_bias"]:
        raise UsageError(f"--forget-bias {args.forget_bias:g}: --cell rnn has no forget gate")
    if args.xla and args.backend == "torch":
        raise UsageError("--xla: PyTorch does not compile with XLA; try --backend tensorflow")


def check_train(args: argparse.Namespace, defaults: dict) -> None:
    """The train flags that depend on each other, the machine or the file system."""
    writable_dir("--out", Path(args.out))
    if args.gif_path is not None:
        if args.gif_path.is_dir():
            raise UsageError(f"--gif {str(args.gif_path)!r} is a folder, not a file")
        if args.gif_path.suffix.lower() != ".gif":
            raise UsageError(f"--gif {str(args.gif_path)!r} must end in .gif: it is a GIF")
        writable_dir("--gif", args.gif_path.parent)
    check_network(args, defaults)
    forecast_only = {"csv": None, "column": None, "horizon": 1, "series": "sine"}
    for name, unset in (forecast_only if args.task == "cos" else {}).items():
        if getattr(args, name) != unset:
            raise UsageError(f"--{name} {getattr(args, name)}: it is for --task forecast")
    for name in ("column", "holdout"):
        if args.csv is None and getattr(args, name) != defaults[name]:
            raise UsageError(f"--{name} {getattr(args, name)}: it is for a series of --csv FILE")
    if args.csv is not None:
        if args.series != defaults["series"]:
            raise UsageError(f"--series {args.series} and --csv: choose one series")


def check_forecast(args: argparse.Namespace, settings: dict) -> None:
    """The forecast flags: a forecaster that train wrote, outputs that can be written."""
    if settings.get("task", "cos") != "forecast":
        raise UsageError(
            f"--model {str(args.model)!r} was trained for the cos task (sin x → cos x), "
            "not to forecast: train one with `sine-lstm train --task forecast`"
        )
    for flag, file, ending, what in (
        ("--png", args.png, ".png", "a PNG"),
        ("--json", args.json, ".json", "JSON"),
    ):
        if file.is_dir():
            raise UsageError(f"{flag} {str(file)!r} is a folder, not a file")
        suffix(flag, file, ending, what)
        writable_dir(flag, file.parent)


def check_forecast_sizes(args: argparse.Namespace, train_points: int, held: int | None) -> None:
    """--steps within the held-out part (None: a built-in series, endless), --warmup and
    --ar-order within the training part."""
    if held is not None and args.steps > held:
        raise UsageError(f"--steps {args.steps}: the series holds {held} points out; at most that")
    if args.warmup > train_points or args.warmup < args.horizon:
        raise UsageError(
            f"--warmup {args.warmup}: between the horizon, {args.horizon}, and the "
            f"{train_points} points of the training part"
        )
    if 2 * (args.ar_order + 1) > train_points - args.horizon:
        raise UsageError(f"--ar-order {args.ar_order}: too many for {train_points} points to fit")


def saved_settings(model: Path, missing: dict | None = None) -> dict:
    """The config.json that train wrote beside `model`: its settings, backend and scale.

    Without one: `missing` if given (a model trained before config.json existed), else refused.
    """
    try:
        return json.loads((model.parent / "config.json").read_text())
    except (OSError, ValueError):
        if missing is not None:
            return missing
        raise UsageError(
            f"--model {str(model)!r}: no readable config.json beside it (train writes one)"
        ) from None


def train_bytes(steps: int, epochs: int, batch_size: int, time_steps: int, cell_size: int) -> int:
    """About how much memory a training run needs, from its sizes (an upper estimate).

    The stream (x, sin x, cos x, float32, and the backend's copy of the last two),
    the step record (a cost and row 0 per step), the weights with their gradients
    and Adam's two moments, and one step's activations kept for backpropagation.
    """
    points = steps * batch_size * time_steps
    weights = 8 * cell_size * cell_size + 7 * cell_size + 1  # in_hidden, the cell's 4 gates, out
    activations = batch_size * time_steps * cell_size * 16  # gates, c, h and their gradients
    return 4 * (5 * points + steps * epochs * (time_steps + 1) + 4 * weights + activations)


def available_bytes() -> int:
    """Memory this machine can give a new process now (MemAvailable on Linux)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def check_memory(sizes: dict, defaults: dict) -> None:
    """Refuse sizes whose run cannot fit in memory, naming the flag that makes it so."""
    need, have = train_bytes(**sizes), available_bytes()
    if need <= have:
        return
    shrink = {name: train_bytes(**{**sizes, name: defaults[name]}) for name in sizes}
    name = min(shrink, key=shrink.get)  # the flag whose default would save the most
    raise UsageError(
        f"--{name.replace('_', '-')} {sizes[name]}: this run needs about {gigabytes(need)} "
        f"of memory, and {gigabytes(have)} are free"
    )


def gigabytes(n: int) -> str:
    return f"{n / 1e9:,.1f} GB" if n < 1e12 else f"{n / 1e12:,.1f} TB"


def check_predict(args: argparse.Namespace) -> None:
    """The predict flags: a model that train wrote, a picture that can be written."""
    check_model(args.model)
    if saved_settings(args.model, missing={}).get("task", "cos") != "cos":
        raise UsageError(f"--model {str(args.model)!r} forecasts: run `sine-lstm forecast` on it")
    if args.png.is_dir():
        raise UsageError(f"--png {str(args.png)!r} is a folder, not a file")
    suffix("--png", args.png, ".png", "a PNG")
    writable_dir("--png", args.png.parent)


def suffix(flag: str, file: Path, ending: str, what: str) -> None:
    """Refuse a file whose name says it holds something else than it will."""
    if file.suffix.lower() != ending:
        raise UsageError(f"{flag} {str(file)!r} must end in {ending}: it is {what}")


def check_model(model: Path) -> None:
    """A model.keras that train wrote."""
    if model.is_dir():
        raise UsageError(f"--model {str(model)!r} is a folder, not a .keras file")
    if not model.is_file():
        raise UsageError(f"--model {str(model)!r} does not exist; run train first")
    if not is_keras_archive(model):
        raise UsageError(
            f"--model {str(model)!r} is not a .keras model "
            "(the zip archive that train writes as model.keras)"
        )


def is_keras_archive(path: Path) -> bool:
    """Is `path` a zip archive with the members `model.save` writes?"""
    try:
        with zipfile.ZipFile(path) as archive:
            return {"config.json", "model.weights.h5"} <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
