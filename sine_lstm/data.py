"""The sliding sine stream of the original demo, as a pure function of the batch index.

Batch k, row b, step t holds the point `x = (T·(k + b) + t) / (10π)`: the input is
`sin x`, the target `cos x`. Row b of batch k+1 starts where row b of batch k ended,
which is what lets the LSTM carry its state from one batch to the next.
"""

from __future__ import annotations

import math

import numpy as np

X_SCALE = 10 * math.pi  # the original's divisor: one point every 1/(10π) ≈ 0.032


def stream(
    steps: int, batch_size: int = 50, time_steps: int = 20, start: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batches start … start+steps-1 stacked along the batch axis.

    Returns `(x, sin x, cos x)`, float32, each of shape (steps·batch, time, 1), so
    that `fit(batch_size=batch, shuffle=False)` sees the batches in order; `x` is
    kept for plotting.
    """
    k = np.arange(start, start + steps)[:, None, None]  # (steps, 1, 1)
    b = np.arange(batch_size)[None, :, None]  # (1, batch, 1)
    t = np.arange(time_steps)[None, None, :]  # (1, 1, time)
    x = (time_steps * (k + b) + t) / X_SCALE  # (steps, batch, time)
    x = x.reshape(steps * batch_size, time_steps, 1)  # (steps·batch, time, 1)
    return x.astype(np.float32), np.sin(x).astype(np.float32), np.cos(x).astype(np.float32)


def batch(
    k: int, batch_size: int = 50, time_steps: int = 20
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch k of the stream: `(x, sin x, cos x)`, each of shape (batch, time, 1)."""
    return stream(1, batch_size, time_steps, start=k)
