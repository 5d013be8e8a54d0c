"""Figure 9, the memory ladder (`figures/ladder.py`): its measuring functions on tiny inputs."""

import numpy as np

from sine_lstm.config import Config
from sine_lstm.figures.gradients import gradient_back
from sine_lstm.figures.ladder import StepTimer, loop_vs_scan, spread
from sine_lstm.model import build_model


def test_spread_is_the_median_and_the_25_to_75_percent_range():
    assert spread([5.0, 1.0, 3.0, 2.0, 4.0]) == (3.0, 2.0, 4.0)
    assert spread([7.0]) == (7.0, 7.0, 7.0)


def test_gradient_back_on_a_two_step_rnn_is_the_chain_rule_by_hand():
    config = Config(cell="rnn", task="remember", stateful=False, lag=1, time_steps=2)
    config = config.replace(batch_size=3, cell_size=4)
    model = build_model(config)
    rng = np.random.default_rng(0)
    inputs = rng.uniform(-0.5, 0.5, (3, 2, 1)).astype(np.float32)  # (batch, time, 1)
    targets = np.full_like(inputs, np.nan)
    targets[:, 1] = inputs[:, 0]  # the one answer, at the last step
    ratios = gradient_back(model, inputs, targets)

    u = model.get_layer("in_hidden")(inputs).numpy().astype(np.float64)  # (batch, time, units)
    w, r, b = (v.astype(np.float64) for v in model.get_layer("rnn").cell.get_weights())
    w_out, b_out = (v.astype(np.float64) for v in model.get_layer("out_hidden").get_weights())
    h0 = np.tanh(u[:, 0] @ w + b)  # (batch, units), from h = 0
    h1 = np.tanh(u[:, 1] @ w + h0 @ r + b)
    y1 = h1 @ w_out + b_out  # (batch, 1)
    d_h1 = 2 * (y1 - targets[:, 1]) / 3 * w_out.T  # ∂C/∂h_1, C the mean over 3 rows
    d_h0 = (d_h1 * (1 - h1**2)) @ r.T  # one step back through tanh and U
    assert ratios.shape == (2,) and ratios[0] == 1.0
    np.testing.assert_allclose(ratios[1], np.linalg.norm(d_h0) / np.linalg.norm(d_h1), rtol=1e-6)
    assert 1e-3 < ratios[1] < 1e3  # not a comparison of zeros


def test_the_step_time_is_the_median_call_over_its_steps_the_first_call_left_out():
    timer = StepTimer()
    timer.ends = [(20, 10.0), (40, 10.04), (60, 10.06), (80, 10.08)]  # 10 s: the first call
    assert np.isclose(timer.ms_per_step(), 1.0)  # 20 ms a call of 20 steps, as the median


def test_the_loop_and_the_scan_timed_give_the_same_outputs():
    t = loop_vs_scan("minlstm", lengths=(5,), batch=2, units=3, calls=2)
    assert t["max_gap"] < 1e-5
    assert len(t["loop_ms"]) == len(t["scan_ms"]) == 1
    assert min(t["loop_ms"] + t["scan_ms"]) > 0
