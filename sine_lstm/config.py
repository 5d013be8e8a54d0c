"""Every hyperparameter of the demo in one place, at the original's defaults.

Each field carries a one-line "why"; the command line makes one flag per field
from it (`sine_lstm/cli.py`), so `--help` shows these defaults and these words.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

CELLS = ("lstm", "rnn", "keras")  # ours, our vanilla RNN, keras.layers.LSTMCell
INT_LIMIT = 10**7  # a larger size or count is a typo, and would exhaust memory


def setting(default, why: str, **flag):
    """A field with its reason; `flag` may rename or reshape its command-line flag.

    flag keys: `name` (e.g. "--stateless"); `off`, for a boolean that is on by
    default, the help of the flag that turns it off; `choices`; `low` and `high`,
    the allowed range of an int (default 1 to INT_LIMIT); `metavar`.
    """
    return dataclasses.field(default=default, metadata={"why": why, **flag})


@dataclass(frozen=True)
class Config:
    """The demo's settings; tests build it directly, the CLI from its flags."""

    steps: int = setting(200, "training iterations (batches), as the original's loop ran")
    batch_size: int = setting(50, "rows per batch: 50 parallel stretches of the curve")
    time_steps: int = setting(20, "points per row; the LSTM is unrolled over these")
    cell_size: int = setting(10, "LSTM units, and the width of the in_hidden layer")
    lr: float = setting(0.005, "Adam learning rate of the script the post links")
    seed: int = setting(
        0, "seeds Python, NumPy, TensorFlow and Keras together", low=0, high=2**32 - 1
    )
    epochs: int = setting(1, "passes over the steps; the state is reset at each start")
    cell: str = setting(
        "lstm", "lstm: ours; rnn: our vanilla RNN; keras: keras.layers.LSTMCell", choices=CELLS
    )
    stateful: bool = setting(
        True,
        "carry the state from batch to batch, as the original did",
        name="--stateless",
        off="reset the state at every batch instead of carrying it over",
    )
    out: str = setting("out", "folder for metrics.csv, model.keras, config.json, logs/, the GIF")
    gif: bool = setting(
        True, "render the animated GIF at the end of training", name="--no-gif", off="skip the GIF"
    )
    gif_path: str | None = setting(
        None, "where the GIF goes (default: OUT/sine_lstm.gif)", name="--gif", metavar="PATH"
    )
    fps: int = setting(10, "GIF frames per second")
    max_frames: int = setting(200, "at most this many GIF frames, sampled evenly, the last kept")
    show: bool = setting(False, "open a live window that updates during training")

    @property
    def total_steps(self) -> int:
        """Training steps over all epochs."""
        return self.steps * self.epochs

    def replace(self, **changes) -> Config:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)
