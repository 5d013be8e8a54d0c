"""The checks of a learner's own series, a column of a CSV file: one line each if it fails."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from sine_lstm.checks import UsageError


def read_column(file: Path, column: str | None) -> np.ndarray:
    """The numbers of `column` in the CSV `file`, top to bottom, shape (rows,), float64."""
    if file.is_dir():
        raise UsageError(f"--csv {str(file)!r} is a folder, not a CSV file")
    if not file.is_file():
        raise UsageError(f"--csv {str(file)!r} does not exist")
    try:
        with open(file, newline="", encoding="utf-8-sig") as text:
            rows = csv.DictReader(text)
            names = [name for name in rows.fieldnames or [] if name]
            if column is None or column not in names:
                given = "--column is missing" if column is None else f"--column {column!r}"
                raise UsageError(f"{given}: the columns of {str(file)!r} are {', '.join(names)}")
            values = [(rows.line_num, row[column]) for row in rows]
    except (UnicodeDecodeError, csv.Error) as err:
        raise UsageError(f"--csv {str(file)!r} is not a readable CSV file: {err}") from None
    if not values:
        raise UsageError(f"--csv {str(file)!r} has a header and no data rows")
    for line, cell in values:
        try:
            value = float((cell or "").strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise UsageError(
                f"--csv {str(file)!r}, line {line}: {cell or ''!r} in column {column!r} "
                "is not a number"
            )
    return np.array([float(cell) for _, cell in values])


def check_series(values: np.ndarray, config) -> int:
    """Refuse a series that is constant or too short for one batch; return its training part."""
    where = f"--csv {str(config.csv)!r} --column {config.column!r}"
    held = round(len(values) * config.holdout)
    train_points = len(values) - held
    b, t, h = config.batch_size, config.time_steps, config.horizon
    one_batch = b * t + h
    if held < 1 or train_points < one_batch:
        raise UsageError(
            f"{where}: {len(values)} points, {train_points} to train on after --holdout "
            f"{config.holdout:g} keeps {held}; one batch needs --batch-size {b} × --time-steps "
            f"{t} + --horizon {h} = {one_batch} to train on, and at least 1 held out"
        )
    if np.std(values[:train_points]) == 0:
        raise UsageError(f"{where} is constant in its training part (std 0): nothing to learn")
    batches = (train_points - h) // t - b + 1  # the stream's last row must end inside the part
    if config.steps > batches:
        raise UsageError(
            f"--steps {config.steps}: the {train_points} points to train on hold {batches} "
            f"batches of {b} × {t} (+ horizon {h}); use --steps {batches} or fewer, "
            "and --epochs to pass over them again"
        )
    return train_points
