"""The step record: every training step's cost and prediction, kept inside the training step.

`StepRecord` is a Keras metric: inside the compiled training step it stores the
step's cost and the prediction for row 0 of the batch, from the forward pass that
step trained on (the original's `pred`, before the weight update). The callbacks
and pictures only read it, so they never run the model again and never advance
the stateful RNN.

Inside the training step it holds one call's steps (`per_call`); each read copies the
steps new since the last one out into NumPy, so a step costs the same at step 10 and at
step 1,000,000.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from sine_lstm.model import cost


@keras.saving.register_keras_serializable(package="sine_lstm")
class StepRecord(keras.metrics.Metric):
    """Cost and row-0 prediction of every training step.

    Args:
        steps: how many steps to keep (all epochs together).
        time_steps: the length of one row.
        per_call: steps the backend runs per call (`steps_per_execution`): the record is
            read after each call, so it holds that many inside the step.
    """

    def __init__(
        self, steps: int, time_steps: int, per_call: int = 1, name: str = "cost", **kwargs
    ):
        super().__init__(name=name, **kwargs)
        self.steps = steps
        self.time_steps = time_steps
        self.per_call = per_call
        self.costs = self.add_variable(shape=(per_call,), initializer="zeros", name="costs")
        self.preds = self.add_variable(
            shape=(per_call, time_steps), initializer="zeros", name="preds"
        )  # (per_call, time), step n in slot n % per_call
        self.count = self.add_variable(shape=(), initializer="zeros", dtype="int32", name="count")
        self.cost_rows = np.zeros(steps, np.float32)  # (steps,) filled as steps are read
        self.pred_rows = np.zeros((steps, time_steps), np.float32)  # (steps, time)
        self.read = 0  # steps copied out so far

    def update_state(self, y_true, y_pred, sample_weight=None):
        # scatter_update, not slice_update: the latter fails in a compiled step with a tensor index.
        at = ops.reshape(self.count % self.per_call, (1, 1))  # (1, 1) where this step goes
        step_cost = ops.mean(cost(y_true, y_pred))  # () the step's cost, as the loss
        self.costs.assign(ops.scatter_update(self.costs, at, ops.reshape(step_cost, (1,))))
        row0 = ops.reshape(y_pred[0, :, 0], (1, self.time_steps))  # (1, time)
        self.preds.assign(ops.scatter_update(self.preds, at, row0))
        self.count.assign_add(1)

    def result(self):
        return ops.take(self.costs, ops.maximum(self.count - 1, 0) % self.per_call)  # the latest

    def reset_state(self):
        """Keep the record: Keras resets metrics at every epoch, the history spans them."""

    def done(self) -> int:
        """How many steps have been recorded; copies the new ones out of the training step."""
        count = int(ops.convert_to_numpy(self.count))
        if count > self.read:
            if count - self.read > self.per_call:  # a call of more steps than the record holds
                raise RuntimeError(f"steps {self.read}–{count - self.per_call - 1} were lost")
            slots = np.arange(self.read, count) % self.per_call  # (new,)
            self.cost_rows[self.read : count] = ops.convert_to_numpy(self.costs)[slots]
            self.pred_rows[self.read : count] = ops.convert_to_numpy(self.preds)[slots]
            self.read = count
        return count

    def cost_history(self) -> np.ndarray:
        """The cost of each recorded step, shape (done,)."""
        return self.cost_rows[: self.done()]

    def pred_history(self) -> np.ndarray:
        """Row 0 of each recorded step's prediction, shape (done, time)."""
        return self.pred_rows[: self.done()]

    def get_config(self) -> dict:
        return {
            "steps": self.steps,
            "time_steps": self.time_steps,
            "per_call": self.per_call,
            "name": self.name,
        }
