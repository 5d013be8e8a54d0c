"""The trained model on the stretch after training: its gates, and what if they were pinned.

The page's parts 3 and 4 (Gates, What if) ask its twin, `web/probe.js`; tests/test_web.py
holds the two equal.

The stretch is the batch that would come next (batch `steps`): its 50 rows are 50
windows in a row of the curve (row b of batch k is row 0 of batch k + b), each
starting from the state training left in that row. Our loop runs the trained cell
over its time steps, one `cell.step` at a time (`cell.trace`), as figure 5 does, so every
gate can be read; a what-if pins gates with the cell's own `pin`, zeroes units' h,
or starts each window from zeros. Nothing here retrains or draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import keras
import numpy as np
from keras import ops

from sine_lstm import data
from sine_lstm.cell import trace
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost, recurrent

GATES = ("i", "f", "o")  # the gates a what-if can pin, in the post's order
TRACES = ("i", "f", "o", "c", "h")  # what the gates view draws; our RNN has h only


@dataclass(frozen=True)
class WhatIf:
    """An intervention on the trained cell, applied on the stretch only.

    pin: gates held at constants (0–1), as `LSTMCell(pin=…)`; the others are computed.
    zeroed: units whose h is 0 at every step: the output and the other units never hear them.
    reset: every window starts from the zero state instead of the state training left.
    """

    pin: dict = field(default_factory=dict)
    zeroed: tuple = ()
    reset: bool = False


POST_RNN = WhatIf(pin={"f": 0.0, "i": 1.0, "o": 1.0})  # section 三: the LSTM as a plain RNN


def check_what_if(what: WhatIf, config: Config) -> None:
    """Raise ValueError, one line, unless `what` fits the trained model."""
    for gate, value in what.pin.items():
        if gate not in GATES:
            raise ValueError(f"pin: no gate {gate!r}; the gates are {', '.join(GATES)}")
        if config.cell != "lstm":  # the one cell with a `pin`
            raise ValueError(
                f"pin {gate}: only our lstm cell can pin its gates, not the {config.cell} cell"
            )
        if not (isinstance(value, (int, float)) and 0.0 <= value <= 1.0):
            raise ValueError(f"pin {gate}: must be a number from 0 to 1, got {value!r}")
    for unit in what.zeroed:
        if not (isinstance(unit, int) and 0 <= unit < config.cell_size):
            raise ValueError(f"zero unit: must be 0 to {config.cell_size - 1}, got {unit!r}")


class Probe:
    """A copy of a trained model that a what-if can change without touching the original.

    The copy keeps what a what-if changes away from the model that trained.
    """

    def __init__(self, model: keras.Model, config: Config):
        self.config = config
        self.model = build_model(config)  # uncompiled: it only runs forward
        self.model.set_weights(model.get_weights())  # weights, and the state training left
        self.layer = recurrent(self.model)
        x, self.sin_x, self.cos_x = data.batch(config.steps, config.batch_size, config.time_steps)
        self.x = x[:, :, 0]  # (batch, time): row b is the b-th window of the stretch
        self.inputs = self.model.get_layer("in_hidden")(self.sin_x)  # (batch, time, units)
        self.trained = self.run(WhatIf())

    def start_state(self, reset: bool) -> list:
        """The state each window starts from: training's, or zeros."""
        sizes = self.layer.cell.state_size
        sizes = sizes if isinstance(sizes, (list, tuple)) else [sizes]
        if reset or not self.layer.stateful:  # stateless training left no state
            return [ops.zeros((self.config.batch_size, size)) for size in sizes]
        return [ops.copy(state.value) for state in self.layer.states]  # (batch, units) each

    def run(self, what: WhatIf) -> dict:
        """The stretch through the trained cell under `what`.

        Returns x, target and fit, (batch, time) each; cost, the training cost of
        this batch (Σ over time of the squared error, mean over the rows); and for
        each of `TRACES` the cell has, its values, (batch, time, units).
        """
        check_what_if(what, self.config)
        cell = self.layer.cell
        keep = np.ones(self.config.cell_size, "float32")  # (units,)
        keep[list(what.zeroed)] = 0.0
        if self.config.cell == "lstm":
            cell.pin = dict(what.pin)  # the cell's own pinned gates, read at every step
        values, _ = trace(cell, self.inputs, self.start_state(what.reset), keep)
        if self.config.cell == "lstm":
            cell.pin = {}
        fit = self.model.get_layer("out_hidden")(values["h"])  # (batch, time, 1)
        out = {
            "x": self.x,
            "target": self.cos_x[:, :, 0],
            "fit": ops.convert_to_numpy(fit)[:, :, 0],  # (batch, time)
            "cost": float(ops.mean(cost(self.cos_x, fit))),
        }
        for name in TRACES:
            if name in values:
                out[name] = ops.convert_to_numpy(values[name])  # (batch, time, units)
        return out
