"""Every hyperparameter of the demo in one place, at the original's defaults."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    """The demo's settings; the CLI flags are made from these fields."""

    steps: int = 200  # training iterations (batches), as the original's loop ran
    batch_size: int = 50  # rows per batch: 50 parallel stretches of the curve
    time_steps: int = 20  # points per row; the LSTM is unrolled over these
    cell_size: int = 10  # LSTM units, and the width of the `in_hidden` layer
    lr: float = 0.005  # Adam learning rate of the script the post links
    seed: int = 0  # seeds Python, NumPy, TensorFlow and Keras together
    epochs: int = 1  # passes over the `steps` batches; the state is reset at each start
    cell: str = "lstm"  # "lstm" (ours), "rnn" (our vanilla RNN) or "keras" (built-in LSTM)
    steps_per_call: int = (
        20  # steps per compiled call (fit's steps_per_execution): fewer round trips
    )
    stateful: bool = True  # carry the state from batch to batch, as the original did
    out: str = "out"  # folder for metrics.csv, model.keras, config.json, logs/, the GIF
    gif: bool = True  # render the animated GIF at the end of training
    gif_path: str | None = None  # where the GIF goes; None means <out>/sine_lstm.gif
    fps: int = 10  # GIF frames per second
    max_frames: int = 200  # at most this many GIF frames, sampled evenly, last kept
    show: bool = False  # open a live window that updates during training

    @property
    def total_steps(self) -> int:
        """Training steps over all epochs."""
        return self.steps * self.epochs

    def replace(self, **changes) -> Config:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


CELLS = ("lstm", "rnn", "keras")

# What each field may hold; the CLI checks these before TensorFlow is imported.
INT_LIMIT = 10**7  # anything larger is a typo, and would exhaust memory
