"""The checks every value from a user passes before anything runs: one line each if it fails.

The command line uses them for its flags (`cli.py`); they import no backend.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

INT_LIMIT = 10**7  # a larger size or count is a typo, and would exhaust memory
MAX_PREDICT_BATCHES = 10_000
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


def check_train(args: argparse.Namespace) -> None:
    """The train flags that depend on the file system."""
    if str(args.out) == "":
        raise UsageError("--out is empty: name a folder, e.g. --out out")
    writable_dir("--out", Path(args.out))
    if args.gif_path is not None:
        if args.gif_path.is_dir():
            raise UsageError(f"--gif {str(args.gif_path)!r} is a folder, not a file")
        writable_dir("--gif", args.gif_path.parent)


def check_predict(args: argparse.Namespace) -> None:
    """The predict flags: a model that train wrote, a picture that can be written."""
    if args.model.is_dir():
        raise UsageError(f"--model {str(args.model)!r} is a folder, not a .keras file")
    if not args.model.is_file():
        raise UsageError(f"--model {str(args.model)!r} does not exist; run train first")
    if not is_keras_archive(args.model):
        raise UsageError(
            f"--model {str(args.model)!r} is not a .keras model "
            "(the zip archive that train writes as model.keras)"
        )
    if args.png.is_dir():
        raise UsageError(f"--png {str(args.png)!r} is a folder, not a file")
    writable_dir("--png", args.png.parent)


def is_keras_archive(path: Path) -> bool:
    """Is `path` a zip archive with the members `model.save` writes?"""
    try:
        with zipfile.ZipFile(path) as archive:
            return {"config.json", "model.weights.h5"} <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
