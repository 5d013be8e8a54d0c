"""The step record (`record.py`): what it keeps is what each step trained on."""

import keras
import numpy as np
import pytest

from sine_lstm import data
from sine_lstm.model import build_model, cost
from sine_lstm.record import StepRecord


class Snapshot(keras.callbacks.Callback):
    """Weights and RNN state at the start of every step (reading them changes nothing)."""

    def __init__(self):
        super().__init__()
        self.weights, self.states = [], []

    def on_train_batch_begin(self, batch, logs=None):
        self.weights.append(self.model.get_weights())
        self.states.append([np.asarray(s) for s in self.model.get_layer("lstm").states])


def test_recorded_prediction_is_the_forward_pass_the_step_trained_on(tiny):
    snap = Snapshot()
    config = tiny
    keras.utils.set_random_seed(0)
    model = build_model(config)
    record = StepRecord(config.steps, config.time_steps, per_call=config.steps)  # read once
    model.compile(optimizer="adam", loss=cost, metrics=[record])  # a call per step
    _, sin_x, cos_x = data.stream(config.steps, config.batch_size, config.time_steps)
    model.fit(sin_x, cos_x, batch_size=4, shuffle=False, verbose=0, callbacks=[snap])
    preds = record.pred_history()
    costs = record.cost_history()
    fresh = build_model(config)
    for k in range(tiny.steps):
        fresh.set_weights(snap.weights[k])
        for var, value in zip(fresh.get_layer("lstm").states, snap.states[k], strict=True):
            var.assign(value)
        _, sin_x, cos_x = data.batch(k, tiny.batch_size, tiny.time_steps)
        out = np.asarray(fresh(sin_x))
        np.testing.assert_allclose(preds[k], out[0, :, 0], atol=1e-5)
        np.testing.assert_allclose(costs[k], ((out - cos_x) ** 2).sum() / 4, rtol=1e-4)
    assert np.abs(snap.states[-1][1]).max() > 0  # the state really was carried


class Reader(keras.callbacks.Callback):
    """Read the record after every call, as train()'s callbacks do."""

    def __init__(self, record):
        super().__init__()
        self.record = record

    def on_train_batch_end(self, batch, logs=None):
        self.record.done()


def recorded(config, per_call: int, read: bool):
    keras.utils.set_random_seed(0)
    model = build_model(config)
    record = StepRecord(config.steps, config.time_steps, per_call=per_call)
    model.compile(optimizer="adam", loss=cost, metrics=[record], steps_per_execution=per_call)
    _, sin_x, cos_x = data.stream(config.steps, config.batch_size, config.time_steps)
    callbacks = [Reader(record)] if read else []
    model.fit(
        sin_x, cos_x, batch_size=config.batch_size, shuffle=False, verbose=0, callbacks=callbacks
    )
    return record


def test_read_after_every_call_it_holds_one_call_and_keeps_every_step(tiny):
    whole = recorded(tiny, per_call=tiny.steps, read=False)  # room for every step inside
    ring = recorded(tiny, per_call=2, read=True)  # room for one call of 2 steps
    assert ring.costs.shape == (2,) and ring.preds.shape == (2, tiny.time_steps)
    np.testing.assert_array_equal(ring.cost_history(), whole.cost_history())
    np.testing.assert_array_equal(ring.pred_history(), whole.pred_history())
    assert len(ring.cost_history()) == tiny.steps and np.all(ring.cost_history() > 0)


def test_steps_it_had_no_room_for_are_an_error_not_a_gap(tiny):
    unread = recorded(tiny, per_call=2, read=False)  # 6 steps, read only at the end
    with pytest.raises(RuntimeError, match="steps 0–3 were lost"):
        unread.done()
