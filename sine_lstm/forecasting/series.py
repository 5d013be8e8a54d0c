"""The series a forecaster learns (beyond the post): the sine, a noisy seasonal one, or yours.

Every series is split in two: the training part, which `train` reads, and the
held-out rest, which `forecast` predicts. The network sees the series scaled by
the training part's mean and std only (nothing of the held-out part leaks into
training); `train` saves that scale beside the model, so that `forecast` can
report its errors and predictions in the series' own units.

- `sine`: sin x at the demo's points, x = i / (10π); its future is the same curve.
- `seasonal`: a trend, a season of 20 points and noise; repeating the last value
  repeats the noise, so a forecaster gains by remembering the season.
- a CSV file: one column of numbers (`--csv FILE --column NAME`); its last
  `holdout` fraction (20 %) is held out.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sine_lstm import data
from sine_lstm.config import Config

SEASON = 20  # points per season of the seasonal series: one window
TREND = 1 / 2500  # its rise per point: 2 over the default training part (4,981 points)
NOISE = 0.3  # its noise's std, against a season of amplitude 1
NOISE_SEED = 18  # the noise is part of the series, the same whatever the model's seed


def sine(n: int) -> np.ndarray:
    """sin x at the demo's points x = i / (10π), i = 0 … n−1; shape (n,)."""
    return np.sin(np.arange(n) / data.X_SCALE)


def seasonal(n: int) -> np.ndarray:
    """Trend + season + noise: i / 2500 + sin(2π i / 20) + 0.3 ε_i; shape (n,).

    The noise ε comes from a fixed seed, so point i is the same however long
    the series is drawn: the series is a pure function of i, as the stream is.
    """
    i = np.arange(n)
    noise = np.random.default_rng(NOISE_SEED).standard_normal(n)  # (n,)
    return TREND * i + np.sin(2 * math.pi * i / SEASON) + NOISE * noise


class SeriesError(ValueError):
    """A series that cannot be used: `field` names the setting, `words` say why.

    `str()` reads "csv 'x.csv' does not exist"; the command line says "--csv" instead.
    """

    def __init__(self, field: str, words: str):
        super().__init__(f"{field} {words}")
        self.field = field
        self.words = words


BUILT_IN = {"sine": sine, "seasonal": seasonal}
UNITS = {"sine": "sin x", "seasonal": "the seasonal series"}  # what the reports call them


@dataclass(frozen=True)
class Series:
    """A series in its own units, where its training part ends, and its scale."""

    values: np.ndarray  # (points,) float64, the series' own units
    train_points: int  # values[:train_points] is the training part; the rest is held out
    units: str  # what the values measure, for the reports

    @property
    def mean(self) -> float:
        return float(np.mean(self.values[: self.train_points]))

    @property
    def std(self) -> float:
        return float(np.std(self.values[: self.train_points]))

    def scaled(self) -> np.ndarray:
        """What the network reads: (values − mean) / std, by the training part's scale."""
        return (self.values - self.mean) / self.std

    def unscaled(self, z: np.ndarray) -> np.ndarray:
        """Back to the series' own units: z · std + mean."""
        return np.asarray(z, dtype=np.float64) * self.std + self.mean


def load(config: Config, beyond: int = 0) -> Series:
    """The series `config` names, its training part sized for `config`'s stream.

    A built-in series' training part is exactly what the stream reads,
    `data.points_needed(steps, batch, time, horizon)` points, and `beyond` more
    points are drawn after it. A CSV's last `holdout` fraction is held out
    (`beyond` is ignored: the file holds what it holds).

    Raises:
        checks.UsageError (a ValueError naming the field): the file or the column
            is missing, a cell is not a number, the series is constant or too short
            for the stream.
    """
    if config.csv is None:
        need = data.points_needed(config.steps, config.batch_size, config.time_steps)
        need += config.horizon
        return Series(BUILT_IN[config.series](need + beyond), need, UNITS[config.series])
    values = read_column(Path(config.csv), config.column)
    train_points = check_series(values, config)
    return Series(values, train_points, config.column)


class Window:
    """A series on the stream's layout: at point i the input is s_i, the target s_{i+horizon}.

    Called with point numbers, it gives `(i, s_i, s_{i+horizon})`, float32, shaped as
    `i`: the point numbers (for plotting), the input and the target. Past the series'
    end: NaN (the last point the pictures draw, one after the last window).
    """

    def __init__(self, values: np.ndarray, horizon: int):
        self.values = np.append(np.asarray(values, np.float32), np.float32(np.nan))  # (n + 1,)
        self.horizon = horizon

    def __call__(self, i: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(self.values) - 1
        at = np.minimum(i, n)  # NaN beyond the series' end
        ahead = np.minimum(i + self.horizon, n)
        return i.astype(np.float32), self.values[at], self.values[ahead]


def stream(config: Config, loaded: Series | None = None, steps: int | None = None) -> data.Stream:
    """The stream a forecaster trains on: batches of the scaled series, `horizon` points ahead.

    `loaded` is the `Series` if it is already loaded and checked; `steps` default to
    the config's. A built-in series is drawn as long as those batches need.
    """
    steps = steps or config.steps
    need = data.points_needed(steps, config.batch_size, config.time_steps, config.horizon)
    loaded = loaded or load(config)
    if config.csv is None and need > len(loaded.values):
        loaded = load(config, beyond=need - loaded.train_points)
    if need > len(loaded.values):
        raise ValueError(f"the series has {len(loaded.values)} points; these batches need {need}")
    curve = Window(loaded.scaled(), config.horizon)
    return data.Stream(steps, config.batch_size, config.time_steps, curve)


ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 with or without a BOM; Excel's CSV on Chinese Windows
SEPARATORS = ",;\t"


def read_text(file: Path) -> str:
    """The text of `file`, as UTF-8, else GB18030 (saying so on stderr, in one line)."""
    import sys

    raw = file.read_bytes()
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != ENCODINGS[0]:
            print(
                f"sine-lstm: {str(file)!r} is not UTF-8; read it as {encoding.upper()}",
                file=sys.stderr,
            )
        return text
    raise SeriesError(
        "csv",
        f"{str(file)!r} is neither UTF-8 nor GB18030 text: save it as CSV UTF-8 "
        "(in Excel: Save As, CSV UTF-8)",
    )


def read_column(file: Path, column: str | None) -> np.ndarray:
    """The numbers of `column` in the CSV `file`, top to bottom, shape (rows,), float64.

    The separator is a comma, a semicolon or a tab, whichever the header line holds
    (a comma if none); with a semicolon or a tab, a decimal comma (315,7) reads as 315.7.
    """
    if file.is_dir():
        raise SeriesError("csv", f"{str(file)!r} is a folder, not a CSV file")
    if not file.is_file():
        raise SeriesError("csv", f"{str(file)!r} does not exist")
    text = read_text(file)
    header = text.splitlines()[0] if text.strip() else ""
    if not header.strip():
        raise SeriesError(
            "csv",
            f"{str(file)!r} is empty: a CSV needs a header line naming its columns, "
            "then one row a line",
        )
    separator = max(SEPARATORS, key=lambda sep: (header.count(sep), sep == ","))
    try:
        rows = csv.DictReader(text.splitlines(), delimiter=separator)
        names = [name for name in rows.fieldnames or [] if name]
        if column is None or column not in names:
            given = "is missing" if column is None else repr(column)
            columns = ", ".join(names)
            raise SeriesError(
                "column",
                f"{given}: the columns of {str(file)!r} are {columns}; name one with --column",
            )
        values = [(rows.line_num, row[column]) for row in rows]
    except csv.Error as err:
        raise SeriesError("csv", f"{str(file)!r} is not a readable CSV file: {err}") from None
    if not values:
        raise SeriesError(
            "csv", f"{str(file)!r} has a header and no data rows: add one number a row"
        )
    numbers = []
    for line, cell in values:
        typed = (cell or "").strip()
        if separator != ",":
            typed = typed.replace(",", ".")  # a decimal comma
        try:
            value = float(typed)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise SeriesError(
                "csv",
                f"{str(file)!r}, line {line}: {cell or ''!r} in column {column!r} is not a "
                "number; fix that row or remove it",
            )
        numbers.append(value)
    return np.array(numbers)


def check_series(values: np.ndarray, config: Config) -> int:
    """Refuse a series that is constant or too short for one batch; return its training part."""
    where = f"{config.csv!r}, column {config.column!r}"
    held = round(len(values) * config.holdout)
    train_points = len(values) - held
    b = config.batch_size
    t = config.time_steps
    h = config.horizon
    one_batch = b * t + h
    if held < 1 or train_points < one_batch:
        raise SeriesError(
            "csv",
            f"{where}: {len(values)} points, {train_points} to train on after holding out "
            f"{held} ({config.holdout:g}); one batch needs batch_size {b} × time_steps {t} "
            f"+ horizon {h} = {one_batch} to train on, and at least 1 held out",
        )
    if np.std(values[:train_points]) == 0:
        raise SeriesError(
            "csv", f"{where} is constant in its training part (std 0): nothing to learn"
        )
    batches = (train_points - h) // t - b + 1  # the stream's last row must end inside the part
    if config.steps > batches:
        raise SeriesError(
            "steps",
            f"{config.steps}: the {train_points} points to train on hold {batches} batches "
            f"of {b} × {t} (+ horizon {h}); train on {batches} or fewer, and pass over them "
            "again with more epochs",
        )
    return train_points
