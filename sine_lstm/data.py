"""The sliding stateful stream of the original demo, as a pure function of the batch index.

Batch k, row b, step t holds point number `i = T·(k + b) + t`. Row b of batch k+1
starts where row b of batch k ended, which is what lets the LSTM carry its state
from one batch to the next. Two tasks use that one layout:
- the post's demo (`stream`): at `x = i / (10π)`, the input is `sin x`, the target `cos x`;
- forecasting (`windows`): the input is a series at point i, the target the same
  series `horizon` points later, at i + horizon: the future of what the LSTM reads.
"""

from __future__ import annotations

import math

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


def stream(
    steps: int, batch_size: int = 50, time_steps: int = 20, start: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The post's demo, batches start … start+steps-1 stacked along the batch axis.

    Returns `(x, sin x, cos x)`, float32, each of shape (steps·batch, time, 1);
    `x` is kept for plotting.
    """
    x = points(steps, batch_size, time_steps, start) / X_SCALE  # (steps·batch, time, 1)
    return x.astype(np.float32), np.sin(x).astype(np.float32), np.cos(x).astype(np.float32)


def row0(stacked: np.ndarray, batch_size: int) -> np.ndarray:
    """Row 0 of every batch of a stacked stream, each run on to the next window's first point.

    Rows start T points apart, so row 1's first point is where row 0's window
    ends and batch k+1's row 0 begins: drawn one after another, the windows join.
    (With one row per batch, the last window has no next point: NaN.)

    Args:
        stacked: (steps·batch, time, 1), as `stream` and `windows` return them.
    Returns:
        (steps, time + 1).
    """
    time_steps = stacked.shape[1]
    a = stacked[..., 0].reshape(-1, batch_size, time_steps)  # (steps, batch, time)
    if batch_size > 1:
        after = a[:, 1, :1]  # (steps, 1)
    else:
        after = np.append(a[1:, 0, :1], np.full((1, 1), np.nan, a.dtype), axis=0)
    return np.concatenate([a[:, 0], after], axis=1)


def batch(
    k: int, batch_size: int = 50, time_steps: int = 20
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch k of the stream: `(x, sin x, cos x)`, each of shape (batch, time, 1)."""
    return stream(1, batch_size, time_steps, start=k)


def windows(
    series: np.ndarray,
    steps: int,
    batch_size: int = 50,
    time_steps: int = 20,
    horizon: int = 1,
    start: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The forecasting stream over `series`: batch k reads s_i and is asked for s_{i+horizon}.

    The same layout as `stream`, so the state carries from batch to batch; the
    series must hold `points_needed(start + steps, …, horizon)` points.

    Returns `(i, s_i, s_{i+horizon})`: the point numbers (float32, for plotting),
    the input and the target, float32, each of shape (steps·batch, time, 1).
    """
    i = points(steps, batch_size, time_steps, start)  # (steps·batch, time, 1)
    if i.max() + horizon >= len(series):
        raise ValueError(
            f"the series has {len(series)} points; these batches need {i.max() + horizon + 1}"
        )
    s = np.asarray(series, dtype=np.float32)
    return i.astype(np.float32), s[i], s[i + horizon]
