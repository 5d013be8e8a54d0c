"""The post's claims, each checked on the numbers behind its figure."""

import numpy as np

from sine_lstm import figures
from sine_lstm.config import Config

SMALL = Config(steps=150, batch_size=20, gif=False)


def test_without_memory_the_cost_stays_far_above_the_lstm():
    m = figures.memory_baseline(SMALL)
    assert m["baseline_final_cost"] > 5.0  # about T/2 = 10: no better than predicting 0
    assert m["baseline_final_cost"] > 5 * m["lstm_final_cost"]


def test_linear_recurrence_gives_exactly_0_9_and_1_1_to_the_n():
    g = figures.gradient_decay(n_max=100)
    n = np.arange(101)
    np.testing.assert_allclose(g["linear, W = 0.9·I"], 0.9**n, rtol=1e-4)
    np.testing.assert_allclose(g["linear, W = 1.1·I"], 1.1**n, rtol=1e-4)


def test_lstm_with_forget_bias_5_keeps_the_gradient_the_tanh_rnn_loses():
    g = figures.gradient_decay(n_max=60)
    assert g["LSTM, forget bias 5"][50] >= 100 * g["tanh RNN"][50]
    # and the forget bias orders the LSTMs: a gate nearer 1 keeps more
    assert (
        g["LSTM, forget bias 5"][50] > g["LSTM, forget bias 1"][50] > g["LSTM, forget bias 0"][50]
    )


def test_pinned_gates_make_an_rnn_with_a_second_tanh():
    assert figures.pinned_gates_gap() < 1e-6


def test_gate_activity_shapes_and_ranges():
    a = figures.gate_activity(Config(steps=20, batch_size=10, gif=False), windows=3)
    assert a["x"].shape == (60,) and np.all(np.diff(a["x"]) > 0)  # 3 windows in a row
    for name in ("i", "f", "o"):
        assert a[name].shape == (60, 10)
        assert 0 <= a[name].min() and a[name].max() <= 1
    assert np.abs(a["c"]).max() > 0


def test_stateless_is_worse_at_the_start_of_the_window():
    s = figures.stateful_vs_stateless(SMALL, last=50)
    assert s["stateless"][:3].mean() > 2 * s["stateful"][:3].mean()
