"""Figure 9, the memory ladder (`figures/ladder.py`): its measuring functions on tiny inputs,
and (slow: `make check-ladder`) the table over 20 seeds, its JSON and its figure."""

import json
import os
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from sine_lstm.config import Config
from sine_lstm.figures.gradients import gradient_back
from sine_lstm.figures.ladder import (
    StepTimer,
    draw_ladder,
    loop_vs_scan,
    memory_ladder,
    spread,
    table,
)
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


# make check-ladder: the table over 20 seeds (about 40 minutes on one core), its JSON and figure
ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = {"rnn": 241, "lstm": 871, "lstm_bf5": 871, "gru": 691, "mingru": 251, "minlstm": 361}


@pytest.mark.slow
def test_the_memory_ladder_over_20_seeds():
    start, cpu = time.perf_counter(), time.process_time()
    m = memory_ladder(seeds=range(20), say=print)
    m["backend"] = keras.backend.backend()
    m["threads"] = {
        k: os.environ.get(k) for k in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
    }
    m["seconds"], m["cpu_seconds"] = time.perf_counter() - start, time.process_time() - cpu
    print("\n" + "\n".join(table(m)))
    took = f"{m['seconds']:.0f} s, CPU {m['cpu_seconds']:.0f} s"
    print(f"on {m['backend']}, threads {m['threads']}: {took}")
    (ROOT / "out").mkdir(exist_ok=True)
    (ROOT / "out" / "ladder.json").write_text(json.dumps(m, indent=1), encoding="utf-8")
    draw_ladder(m, ROOT / "out" / "figures" / "9_ladder.png")
    the_ladder_holds(m)


def the_ladder_holds(m: dict) -> None:
    """What the measurement supports, with margin (medians and quartiles over the seeds)."""
    rungs, lag = m["rungs"], m["lags"].index
    assert {key: rung["parameters"] for key, rung in rungs.items()} == WEIGHTS

    def relative(key, at):
        return spread(rungs[key]["relative_cost"][lag(at)])  # (median, q25, q75)

    # lag 5: every cell that reads h_{t−1} recalls; the min cells, whose gates and candidate
    # see x_t alone, cannot tell the value to recall from the noise after it
    for key in ("rnn", "lstm", "lstm_bf5", "gru"):
        assert relative(key, 5)[0] < 0.1, key
    for key in ("mingru", "minlstm"):
        assert relative(key, 5)[0] > 0.4, key
    # lag 20: the LSTM at b_f = 5 remembers; the RNN, the post's LSTM and the GRU do not
    assert relative("lstm_bf5", 20)[2] < 0.3
    for key in ("rnn", "lstm", "gru", "mingru", "minlstm"):
        assert relative(key, 20)[0] > 0.9, key
        assert relative("lstm_bf5", 20)[2] < relative(key, 20)[1], (
            key
        )  # apart, quartile to quartile
    # lag 100, in 300 steps: no cell but the b_f = 5 LSTM learns in even a quarter of the seeds
    for key in ("rnn", "lstm", "gru", "mingru", "minlstm"):
        assert relative(key, 100)[1] > 0.9, key
    # before training, 50 steps back: σ(5) = 0.993 keeps the error, σ(1) = 0.73 loses it
    start = {key: spread(rung["gradient_start"][lag(50)])[0] for key, rung in rungs.items()}
    assert start["lstm_bf5"] > 1e-2 and start["lstm_bf5"] > 100 * start["lstm"]
    assert max(start["gru"], start["mingru"], start["minlstm"]) < 1e-6
    for t in m["loop_vs_scan"].values():
        assert t["max_gap"] < 1e-5  # the loop and the scan timed compute the same
