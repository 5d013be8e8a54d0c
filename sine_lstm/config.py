"""Every hyperparameter of the demo in one place, at the original's defaults.

Each field has a one-line "why"; the command line makes one flag per field from
it (`sine_lstm/cli.py`), so `--help` shows these defaults and these words.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

# ours, our vanilla RNN, keras.layers.LSTMCell; beyond the post: a GRU, the minGRU, the minLSTM
CELLS = ("lstm", "rnn", "keras", "gru", "mingru", "minlstm")
TASKS = ("cos", "forecast", "remember")  # the post's demo; beyond it: the series ahead, recall
SERIES = ("sine", "seasonal")  # the built-in series to forecast (`series.py`)


def why(default, reason: str):
    """A field with its default and the reason for it."""
    return dataclasses.field(default=default, metadata={"why": reason})


@dataclass(frozen=True)
class Config:
    """The demo's settings; tests build it directly, the CLI from its flags."""

    steps: int = why(200, "training iterations (batches), as the original's loop ran")
    batch_size: int = why(50, "rows per batch: 50 parallel stretches of the curve")
    time_steps: int = why(20, "points per row; the LSTM is unrolled over these")
    cell_size: int = why(10, "LSTM units, and the width of the in_hidden layer")
    lr: float = why(0.005, "Adam learning rate of the script the post links")
    seed: int = why(0, "seeds Python, NumPy and the backend together")
    epochs: int = why(1, "passes over the steps; the state is reset at each start")
    cell: str = why(
        "lstm",
        "lstm: ours; rnn: our vanilla RNN; keras: keras.layers.LSTMCell; beyond the post: "
        "gru, and mingru, minlstm (Feng et al. 2024: gates that see x_t only)",
    )
    forget_bias: float = why(
        1.0, "initial forget-gate bias b_f (the original's): starts remembering"
    )
    stateful: bool = why(True, "carry the state from batch to batch, as the original did")
    out: str = why("out", "folder for metrics.csv, model.keras, config.json, logs/, the pictures")
    gif: bool = why(True, "render the animated GIF at the end of training")
    gif_path: str | None = why(None, "where the GIF goes (default: OUT/sine_lstm.gif)")
    fps: int = why(10, "GIF frames per second (at most 50: browsers slow faster GIFs down)")
    max_frames: int = why(200, "at most this many GIF frames, sampled evenly, the last kept")
    show: bool = why(False, "open a live window that updates during training")
    steps_per_call: int = why(20, "training steps Keras runs per backend call (its own: 1)")
    xla: bool = why(False, "compile the training step with XLA: faster steps, a slower start")
    task: str = why(
        "cos",
        "cos: the post's demo, sin x → cos x; forecast: the series ahead; "
        "remember: the input lag steps back, through noise",
    )
    horizon: int = why(1, "forecast: the target is the series this many points ahead")
    series: str = why("sine", "forecast: sine, or seasonal (noisy, with a trend and a season)")
    csv: str | None = why(None, "forecast: your own series, a column of this CSV file")
    column: str | None = why(None, "forecast: the CSV column that holds the series")
    holdout: float = why(0.2, "forecast: the last fraction of a CSV series, kept from training")
    lag: int = why(19, "remember: recall the input this many steps back (at most time_steps − 1)")

    @property
    def total_steps(self) -> int:
        """Training steps over all epochs."""
        return self.steps * self.epochs

    def replace(self, **changes) -> Config:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)
