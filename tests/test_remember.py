"""The remember task (`remember.py`): its stream, what remembering nothing costs on it, and
(slow: `make remember`) whether the LSTM with b_f = 5 remembers where b_f = 1 and the RNN do not."""

import time

import keras
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


# make remember: the settings the README recommends, measured over seeds 0–2 (2 cores, 3 s a run)
LEARNS = Config(task="remember", stateful=False, lag=29, time_steps=30, lr=0.02, steps=500)
CELLS = {"LSTM, b_f = 5": {"forget_bias": 5.0}, "LSTM, b_f = 1": {}, "RNN": {"cell": "rnn"}}


@pytest.mark.slow
def test_the_lstm_with_forget_bias_5_remembers_and_the_others_do_not():
    print(f"\nfinal cost / memoryless cost, lag {LEARNS.lag}, {LEARNS.steps} steps, seeds 0–2")
    print(f"{'':>14}  {'seed 0':>7}  {'seed 1':>7}  {'seed 2':>7}  seconds")
    ratio = {}
    for name, changes in CELLS.items():
        row, start = [], time.perf_counter()
        for seed in range(3):
            result = train(LEARNS.replace(seed=seed, **changes), verbose=False)
            row.append(result.final_cost / result.memoryless_cost)
        ratio[name] = np.array(row)
        seconds = (time.perf_counter() - start) / 3
        print(f"{name:>14}  " + "  ".join(f"{r:7.3f}" for r in row) + f"  {seconds:.1f}")
    print(f"on {keras.backend.backend()}; 1 = remembers nothing, 0 = recalls exactly")
    assert ratio["LSTM, b_f = 5"].max() < 0.2
    assert ratio["LSTM, b_f = 1"].min() > 0.8 and ratio["RNN"].min() > 0.8


def test_the_noise_is_uniform_in_half_a_unit_and_new_in_every_batch():
    from sine_lstm.remember import noise

    a = noise(0, 0, (200_000,)).astype(np.float64)
    assert -0.5 <= a.min() and a.max() < 0.5
    assert abs(a.mean()) < 0.005 and abs(a.var() - 1 / 12) < 0.002  # uniform: variance 1/12
    assert np.histogram(a, bins=10, range=(-0.5, 0.5))[0].min() > 19_000  # every tenth filled
    assert abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < 0.01  # neighbours independent
    b = noise(0, 1, (200_000,))
    c = noise(1, 0, (200_000,))
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01 and abs(np.corrcoef(a, c)[0, 1]) < 0.01
