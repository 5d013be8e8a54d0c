"""Beyond the post's demo: recall the input `lag` steps back, through noise (`--task remember`).

Section 二 of the post says why a plain RNN forgets: an error sent back n steps is
multiplied n times, 0.9ⁿ → 0. The cos task cannot show it: its curve is smooth, and the
near past gives the answer. Here nothing near does. Every input is noise, uniform in
±0.5; the target at step t is the input at step t − lag, for t ≥ lag. Before that there
is nothing to recall: the target is NaN and costs nothing (`model.cost` skips it). So
the network must carry a value through `lag` steps of distractors, and backprop must
carry its error back as far; an LSTM whose forget gate stays near 1 keeps both.

Each row of a batch is a window of its own, started from a zero state (the task trains
stateless: the zero state is how the network knows where a window begins). A window of
lag + 1 steps, the default, asks one thing: its first value, at its last step. A longer
one asks at every step from lag on: a delay line, several values held at once.

Batch k is a pure function of (seed, k), drawn fresh: no window is seen twice. Its noise is
a hash of (seed, k, index) (`noise`), integer arithmetic that the page's twin
(`web/data.js`) repeats number for number. What
remembers nothing can do no better than the targets' mean: they are independent of
everything seen since (`data.memoryless_cost` measures it: about 1/12 per answer).
"""

from __future__ import annotations

import numpy as np

from sine_lstm import plots

NOISE = 0.5  # inputs uniform in ±0.5: the value to recall and the distractors alike
MASK = 0xFFFFFFFF  # the hash works on 32-bit unsigned integers


def mix(x):
    """A 32-bit integer hash with little bias (Chris Wellons's lowbias32), on uint64 arrays."""
    x = (x ^ (x >> 16)) & MASK
    x = (x * 0x7FEB352D) & MASK
    x = (x ^ (x >> 15)) & MASK
    x = (x * 0x846CA68B) & MASK
    return x ^ (x >> 16)


def noise(seed: int, k: int, shape: tuple) -> np.ndarray:
    """Batch k's inputs, uniform in ±0.5: the top 24 bits of mix(mix(mix(seed) ^ k) ^ i)
    for the batch's i-th number, / 2²⁴ − 0.5 (exact in float32). float32, `shape`."""
    key = mix(mix(np.uint64(seed & MASK)) ^ np.uint64(k & MASK))
    i = np.arange(int(np.prod(shape)), dtype=np.uint64)  # (n,)
    bits = mix(key ^ i) >> np.uint64(8)  # (n,), 24 bits each
    return (bits.astype(np.float64) / 2**24 - NOISE).astype(np.float32).reshape(shape)


class Recall:
    """The remember task's batches, batch k made when it is asked for (as `data.Stream`).

    Args:
        steps: batches in one pass (an epoch).
        batch_size, time_steps: rows per batch, steps per row (each row a window).
        lag: the target at step t is the input at step t − lag.
        seed: with k, draws batch k's noise.
    """

    def __init__(self, steps: int, batch_size: int, time_steps: int, lag: int, seed: int = 0):
        if not 1 <= lag < time_steps:
            raise ValueError(
                f"lag {lag}: a window of {time_steps} steps holds lags 1 … {time_steps - 1}"
            )
        self.steps = steps
        self.batch_size = batch_size
        self.time_steps = time_steps
        self.lag = lag
        self.seed = seed

    def __len__(self) -> int:
        return self.steps

    def __getitem__(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Batch k as `fit` reads it: (input, target), each (batch, time, 1), float32."""
        shape = (self.batch_size, self.time_steps, 1)
        inputs = noise(self.seed, k, shape)  # (batch, time, 1): nothing kept between batches
        targets = np.full(shape, np.nan, np.float32)  # (batch, time, 1): NaN, no answer yet
        targets[:, self.lag :] = inputs[:, : -self.lag]  # at t ≥ lag: the input at t − lag
        return inputs, targets


def render_final(
    targets: np.ndarray,
    pred: np.ndarray,
    costs: np.ndarray,
    memoryless: float,
    path,
    lag: int,
    cell: str = "lstm",
    dpi: int = 200,
) -> None:
    """final.png: each answer of row 0 against the value it recalls, over the latest steps.

    Args:
        targets: row 0's targets of the latest steps, (steps, time), NaN where none is asked.
        pred: row 0's predictions of the same steps, (steps, time).
        costs: every step's cost, (done,).
        memoryless: `data.memoryless_cost`, named in the title.
        lag: how far back each answer recalls.
        cell: `Config.cell`, which names the dots.

    A network that remembers puts its dots on the diagonal; one that remembers nothing
    answers the mean, whatever the value: a flat line.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    asked = ~np.isnan(targets)  # (steps, time)
    values, answers = targets[asked], pred[asked]  # (answers,) each
    fig = Figure(figsize=(5.6, 4.8), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    edge = 1.2 * NOISE
    top = max(edge, 1.1 * float(np.max(np.abs(answers), initial=0.0)))  # answers may overshoot
    ax.plot([-edge, edge], [-edge, edge], color=plots.RED, linewidth=1.0, label="recalled exactly")
    mean = float(np.mean(values))  # the best constant: what remembering nothing answers
    ax.axhline(mean, color="grey", linestyle="--", linewidth=1.0, label="remembering nothing")
    ax.scatter(values, answers, s=6, color=plots.BLUE, label=plots.prediction_label(cell))
    ax.set_xlim(-edge, edge)
    ax.set_ylim(-top, top)
    ax.set_xlabel(f"the value to recall: the input {lag} steps before")
    ax.set_ylabel("the answer")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    final = plots.final_cost(costs)
    ax.set_title(
        f"row 0 of the last {len(targets)} steps: {len(values)} answers\n"
        f"{plots.FINAL}: {final:.4f}\nmemoryless cost: {memoryless:.4f}",
        loc="left",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, format="png")
