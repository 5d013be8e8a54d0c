"""The remember task (`remember.py`): its stream, and what remembering nothing costs on it."""

import numpy as np
import pytest

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.remember import NOISE, Recall
from sine_lstm.train import train


def test_the_target_is_the_input_lag_steps_back_and_nothing_before():
    inputs, targets = Recall(steps=5, batch_size=4, time_steps=7, lag=3, seed=0)[2]
    assert inputs.shape == targets.shape == (4, 7, 1)
    assert inputs.dtype == targets.dtype == np.float32
    assert np.isnan(targets[:, :3]).all()  # no answer before step lag
    np.testing.assert_array_equal(targets[:, 3:], inputs[:, :4])  # x_{t−3} at step t
    assert np.abs(inputs).max() <= NOISE and inputs.std() > 0.2  # noise over ±0.5


def test_batch_k_is_a_pure_function_of_the_seed_and_k():
    stream = Recall(steps=10, batch_size=3, time_steps=5, lag=4, seed=7)
    first = stream[4]
    stream[9]
    for again, before in zip(stream[4], first, strict=True):
        np.testing.assert_array_equal(again, before)
    assert not np.array_equal(stream[5][0], first[0])  # a fresh draw every batch
    assert not np.array_equal(Recall(10, 3, 5, 4, seed=8)[4][0], first[0])  # and every seed


def test_a_lag_the_window_cannot_hold_is_refused():
    with pytest.raises(ValueError, match="lag 5"):
        Recall(steps=1, batch_size=1, time_steps=5, lag=5)


def test_the_memoryless_cost_is_the_variance_of_the_values_to_recall():
    stream = Recall(steps=30, batch_size=8, time_steps=6, lag=5, seed=1)  # one answer a row
    first = np.stack([stream[k][0][:, 0, 0] for k in range(10, 30)])  # (20, 8) the values
    np.testing.assert_allclose(data.memoryless_cost(stream, 30), np.var(first, dtype=np.float64))
    assert 0.06 < data.memoryless_cost(stream, 30) < 0.11  # about 1/12, the uniform's


def test_the_remember_task_trains_stateless():
    with pytest.raises(ValueError, match="stateful=False"):
        train(Config(task="remember", steps=1), verbose=False)
