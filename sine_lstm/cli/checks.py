"""The checks every value from a user passes before anything runs: one line each if it fails.

`parse(field, text)` reads one setting as a user typed it; `check(config)` checks the
settings that depend on each other, on the machine or on the file system. Both raise
`UsageError` naming the field, in words; the command line puts the flag's name on it,
and the page (`web/command.js`) takes its limits from the same table (`make site`).
They import no backend; `packages()` says, before anything loads, which one is missing.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path

from sine_lstm.cli.memory import available_bytes, gigabytes, train_bytes
from sine_lstm.config import CELLS, SERIES, TASKS, Config

INT_LIMIT = 10**7  # a larger size or count is a typo, and would exhaust memory
MAX_PREDICT_BATCHES = 10_000
MAX_FPS = 50  # a GIF frame lasts a whole number of 10 ms; browsers slow any under 20 ms to 100
WHOLE = {"seed": (0, 2**32 - 1), "fps": (1, MAX_FPS)}  # whole-number fields: low, high
CHOICES = {"cell": CELLS, "task": TASKS, "series": SERIES}
KINDS = {"forget_bias": "finite", "holdout": "fraction", "column": "text"}  # beyond the type's
FORGET_GATE = ("lstm", "keras", "minlstm")  # the cells whose b_f --forget-bias sets
SIZES = ("steps", "epochs", "batch_size", "time_steps", "cell_size")  # what memory grows with
BACKENDS = ("tensorflow", "jax", "torch")
NEGATIVE_NUMBER = re.compile(
    r"^-(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE
)  # read as a (bad) value, not a flag, so the error can name it
FIELDS = {field.name: field for field in dataclasses.fields(Config)}


class UsageError(ValueError):
    """A value is not acceptable: `field` names the setting, `words` say what is wrong.

    `str()` reads "steps must be a positive integer, got 'x'"; the command line
    says "--steps" instead of the field's name. `reason` names the check that failed
    ("integer", "between", …): the page words its own refusal for each (web/command.js).
    """

    def __init__(self, field: str | None, words: str, reason: str | None = None):
        super().__init__(f"{field} {words}" if field else words)
        self.field = field
        self.words = words
        self.reason = reason


def kind(field: str) -> str:
    """What a field holds: integer, number (above 0), finite, fraction, choice, path, text,
    or switch."""
    if field in KINDS:
        return KINDS[field]
    if field in CHOICES:
        return "choice"
    types = {"int": "integer", "float": "number", "bool": "switch"}
    return types.get(FIELDS[field].type, "path")


def limits(field: str) -> tuple[int, int]:
    """The smallest and largest value of an integer field."""
    return WHOLE.get(field, (1, INT_LIMIT))


def parse(field: str, text: str):
    """The value of Config's `field` as a user typed it; UsageError in words if it is not one."""
    what = kind(field)
    if what == "integer":
        return whole(field, text, *limits(field))
    if what == "choice":
        if text not in CHOICES[field]:
            choices = ", ".join(CHOICES[field])
            raise UsageError(field, f"invalid choice: {text!r} (choose from {choices})", "choice")
        return text
    if what == "switch":
        if text not in ("0", "1", "true", "false"):
            raise UsageError(field, f"must be 0 or 1, got {text!r}", "switch")
        return text in ("1", "true")
    if what == "path":
        if not text.strip():  # Path("") would be the current folder
            raise UsageError(field, "must name a path, got an empty one", "path")
        return text
    if what == "text":
        return text
    try:
        value = float(text)
    except ValueError:
        raise UsageError(field, f"must be a number, got {text!r}", "number") from None
    if what != "finite" and not (math.isfinite(value) and value > 0):
        raise UsageError(field, f"must be a finite positive number, got {text!r}", "positive")
    if not math.isfinite(value):
        raise UsageError(field, f"must be a finite number, got {text!r}", "finite")
    if what == "fraction" and value >= 1:
        raise UsageError(field, f"must be a fraction between 0 and 1, got {text!r}", "fraction")
    return value


def whole(field: str | None, text: str, low: int, high: int) -> int:
    """An integer from `low` to `high`, as typed."""
    try:
        value = int(text.strip())
    except ValueError:
        what = "a positive integer" if low >= 1 else "an integer"
        raise UsageError(field, f"must be {what}, got {text!r}", "integer") from None
    if not low <= value <= high:
        raise UsageError(field, f"must be between {low} and {high}, got {text!r}", "between")
    return value


def check(config: Config) -> None:
    """The settings that depend on each other, on the machine or on the file system."""
    writable_dir("out", Path(config.out))
    if config.task == "remember":
        check_remember(config)
    if config.gif_path is not None:
        gif = Path(config.gif_path)
        if not config.gif:
            raise UsageError("gif_path", f"{str(gif)!r}: the run draws no GIF (gif is off)")
        if gif.is_dir():
            raise UsageError("gif_path", f"{str(gif)!r} is a folder, not a file")
        suffix("gif_path", gif, ".gif", "a GIF")
        writable_dir("gif_path", gif.parent)
        for ours in ("logs", "diverged", ".sine-lstm.run"):  # folders a run replaces or clears
            if Path(config.out, ours).resolve() in gif.resolve().parents:
                raise UsageError(
                    "gif_path", f"{str(gif)!r} is inside {ours}/, which a run replaces"
                )
    check_memory({name: getattr(config, name) for name in SIZES})
    if config.cell not in FORGET_GATE and config.forget_bias != Config.forget_bias:
        raise UsageError(
            "forget_bias",
            f"{config.forget_bias:g}: the {config.cell} cell has no forget gate",
            "no_forget_gate",
        )
    forecast_only = ("csv", "column", "horizon", "series")
    for name in forecast_only if config.task != "forecast" else ():
        if getattr(config, name) != FIELDS[name].default:
            raise UsageError(name, f"{getattr(config, name)}: it is for the forecast task")
    if config.task != "remember" and config.lag != Config.lag:
        raise UsageError("lag", f"{config.lag}: it is for the remember task", "remember_only")
    for name in ("column", "holdout"):
        if config.csv is None and getattr(config, name) != FIELDS[name].default:
            raise UsageError(name, f"{getattr(config, name)}: it is for a series from a CSV file")
    if config.csv is not None and config.series != Config.series:
        raise UsageError("series", f"{config.series} and a CSV file: choose one series")


def check_remember(config: Config) -> None:
    """The remember task: a lag its window holds, and no picture drawn as it goes."""
    if config.lag >= config.time_steps:
        raise UsageError(
            "lag",
            f"{config.lag}: a window of {config.time_steps} time steps holds lags up to "
            f"{config.time_steps - 1}; give --time-steps {config.lag + 1} or more",
            "lag_window",
        )
    if config.show:
        raise UsageError("show", "draws a curve live; the remember task's inputs are noise")
    if config.gif_path is not None:
        raise UsageError("gif_path", f"{config.gif_path!r}: the remember task draws no GIF")


def choose_backend(flag: str | None) -> str:
    """The backend from --backend, else $KERAS_BACKEND, else tensorflow; set before Keras loads."""
    backend = flag or os.environ.get("KERAS_BACKEND") or "tensorflow"
    if backend not in BACKENDS:
        raise UsageError(None, f"KERAS_BACKEND {backend!r} is not one of {', '.join(BACKENDS)}")
    if importlib.util.find_spec(backend) is None:
        install = INSTALL if backend == "tensorflow" else "make install-backends"
        asked = f"--backend {flag}" if flag else f"KERAS_BACKEND={backend}"
        asked = f"{asked} needs" if flag or os.environ.get("KERAS_BACKEND") else "training needs"
        raise UsageError(None, f"{asked} {backend}, which is not installed: {install}")
    if "keras" in sys.modules and os.environ.get("KERAS_BACKEND", "tensorflow") != backend:
        raise UsageError("backend", f"{backend}: Keras is already loaded with another backend")
    os.environ["KERAS_BACKEND"] = backend
    return backend


INSTALL = "pip install -r requirements.txt"  # the runtime packages, at their tested pins
PACKAGES = {  # what a run imports: module → its package on PyPI (requirements.txt)
    "keras": "keras",
    "numpy": "numpy",
    "matplotlib": "matplotlib",
    "PIL": "pillow",
    "tqdm": "tqdm",
    "tensorboard": "tensorboard",
}


def packages() -> None:
    """Refuse to start if a package a run needs is not installed, naming it and the fix."""
    missing = [
        name for module, name in PACKAGES.items() if importlib.util.find_spec(module) is None
    ]
    if missing:
        names = ", ".join(missing[:-1]) + " and " * (len(missing) > 1) + missing[-1]
        verb = "is" if len(missing) == 1 else "are"
        raise UsageError(None, f"{names} {verb} not installed; in the project's folder: {INSTALL}")


def series_of(config: Config):
    """The CSV series `config` names, read and checked (`forecasting.series.load`)."""
    from sine_lstm.forecasting import series

    try:
        return series.load(config)
    except series.SeriesError as err:
        raise UsageError(err.field, err.words) from None


def writable_dir(field: str, folder: Path) -> None:
    """Raise UsageError unless `folder` exists as a writable folder or can be created."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(field, f"{str(folder)!r} is not a folder")
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(field, f"{str(folder)!r} cannot be created: {str(probe)!r} is a file")
    try:  # os.access says yes to root even on a read-only file system: try it
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as err:
        raise UsageError(field, f"{str(folder)!r} is not writable: {err.strerror}") from None


def suffix(field: str, file: Path, ending: str, what: str) -> None:
    """Refuse a file whose name says it holds something else than it will."""
    if file.suffix.lower() != ending:
        raise UsageError(field, f"{str(file)!r} must end in {ending}: it is {what}")


def new_file(field: str, file: Path, ending: str, what: str) -> None:
    """A file a command will write: not a folder, named for what it holds, in a writable folder."""
    if file.is_dir():
        raise UsageError(field, f"{str(file)!r} is a folder, not a file")
    suffix(field, file, ending, what)
    writable_dir(field, file.parent)


def check_memory(sizes: dict) -> None:
    """Refuse sizes whose run cannot fit in memory, naming the field that makes it so."""
    need, have = train_bytes(**sizes), available_bytes()
    if need <= have:
        return
    shrink = {name: train_bytes(**{**sizes, name: FIELDS[name].default}) for name in sizes}
    name = min(shrink, key=shrink.get)  # the field whose default would save the most
    raise UsageError(
        name,
        f"{sizes[name]}: this run needs about {gigabytes(need)} of memory, "
        f"and {gigabytes(have)} are free",
    )


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
            "model", f"{str(model)!r}: no readable config.json beside it (train writes one)"
        ) from None


def check_model(model: Path) -> None:
    """A model.keras that train wrote."""
    if model.is_dir():
        raise UsageError("model", f"{str(model)!r} is a folder, not a .keras file")
    if not model.is_file():
        raise UsageError("model", f"{str(model)!r} does not exist; run train first")
    if not is_keras_archive(model):
        raise UsageError(
            "model",
            f"{str(model)!r} is not a .keras model "
            "(the zip archive that train writes as model.keras)",
        )


def is_keras_archive(path: Path) -> bool:
    """Is `path` a zip archive with the members `model.save` writes?"""
    try:
        with zipfile.ZipFile(path) as archive:
            return {"config.json", "model.weights.h5"} <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False
