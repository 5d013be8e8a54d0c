"""The sliding stateful stream of the original demo, as a pure function of the batch index.

Batch k, row b, step t holds point number `i = T·(k + b) + t`. Row b of batch k+1
starts where row b of batch k ended, which is what lets the LSTM carry its state
from one batch to the next. At point i the post's demo reads `x = i / (10π)`: the
input is `sin x`, the target `cos x` (`sine_cosine`). A forecaster puts its own
curve on the same layout (`sine_lstm.forecasting.series.Window`).

`Stream` makes those batches one at a time, as `fit` asks for them (through
`train.Feed`): neither the time to the first step nor the memory grows with the
number of steps. `memoryless_cost` says what a model that remembers nothing would
cost on them: the number a final cost is worth beside.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

X_SCALE = 10 * math.pi  # the original's divisor: one point every 1/(10π) ≈ 0.032


def points(steps: int, batch_size: int = 50, time_steps: int = 20, start: int = 0) -> np.ndarray:
    """The point numbers `T·(k + b) + t` of batches start … start+steps-1, stacked.

    Shape (steps·batch, time, 1), so that `fit(batch_size=batch, shuffle=False)`
    sees the batches in order.
    """
    k = np.arange(start, start + steps)[:, None, None]  # (steps, 1, 1)
    b = np.arange(batch_size)[None, :, None]  # (1, batch, 1)
    t = np.arange(time_steps)[None, None, :]  # (1, 1, time)
    i = time_steps * (k + b) + t  # (steps, batch, time)
    return i.reshape(steps * batch_size, time_steps, 1)  # (steps·batch, time, 1)


def points_needed(steps: int, batch_size: int, time_steps: int, horizon: int = 0) -> int:
    """How long a series must be for batches 0 … steps-1 and their targets.

    The last batch's last row ends at point T·(steps + batch − 1) − 1; its last
    target is `horizon` points later. One batch needs batch × time + horizon.
    """
    return time_steps * (steps + batch_size - 1) + horizon


def sine_cosine(i: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The post's curve at point numbers `i`: `(x, sin x, cos x)`, float32, shaped as `i`.

    sin and cos are taken in float64, then rounded: the same numbers on every backend.
    """
    x = i / X_SCALE
    return x.astype(np.float32), np.sin(x).astype(np.float32), np.cos(x).astype(np.float32)


def stream(
    steps: int, batch_size: int = 50, time_steps: int = 20, start: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The post's demo, batches start … start+steps-1 stacked along the batch axis.

    Returns `(x, sin x, cos x)`, float32, each of shape (steps·batch, time, 1);
    `x` is kept for plotting.
    """
    return sine_cosine(points(steps, batch_size, time_steps, start))


def batch(
    k: int, batch_size: int = 50, time_steps: int = 20
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch k of the stream: `(x, sin x, cos x)`, each of shape (batch, time, 1)."""
    return stream(1, batch_size, time_steps, start=k)


class Stream:
    """The batches of a run, batch k made when it is asked for.

    Args:
        steps: batches in one pass (an epoch).
        batch_size, time_steps: the layout above.
        curve: point numbers → `(x, input, target)`; the post's `sine_cosine` unless given.
    """

    def __init__(
        self,
        steps: int,
        batch_size: int = 50,
        time_steps: int = 20,
        curve: Callable = sine_cosine,
    ):
        self.steps = steps
        self.batch_size = batch_size
        self.time_steps = time_steps
        self.curve = curve

    def __len__(self) -> int:
        return self.steps

    def __getitem__(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Batch k as `fit` reads it: (input, target), each (batch, time, 1)."""
        _, inputs, targets = self.curve(points(1, self.batch_size, self.time_steps, start=k))
        return inputs, targets

    def rows(self, ks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row 0 of batches `ks`, as the pictures draw it: `(x, target)`, each (len(ks), time + 1).

        Each window runs on one point, to where the next batch's row 0 begins, so
        that windows drawn one after another join into one curve.
        """
        t = np.arange(self.time_steps + 1)[None, :]  # (1, time + 1)
        x, _, target = self.curve(self.time_steps * np.asarray(ks)[:, None] + t)
        return x, target


def memoryless_cost(stream, steps_done: int, last: int = 20) -> float:
    """The cost of the best constant prediction on the batches of the last `last` steps.

    The batches the final cost is the mean over (step s trains batch s mod len(stream)),
    predicted by the one number that fits them best: their targets' mean (NaN targets,
    steps with no answer, left out). Cost as `model.cost`'s, Σ over a row / batch.

    For the post's task that is what remembering nothing can do: sin x gives cos x only
    up to its sign, both equally often, so the best guess from sin x alone is about 0,
    and the cost about 20 × E[cos² x] = 10. For the remember task too: the value to
    recall is independent of everything since. (Not for a forecast: the present value
    alone, persistence, does better than any constant.)
    """
    ks = np.arange(max(steps_done - last, 0), steps_done) % len(stream)  # (≤ last,)
    targets = np.stack([stream[k][1] for k in ks]).astype(np.float64)  # (n, batch, time, 1)
    squares = (targets - np.nanmean(targets)) ** 2  # NaN where there is nothing to answer
    return float(np.nansum(squares) / (targets.shape[0] * targets.shape[1]))
