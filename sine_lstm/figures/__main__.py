"""`python -m sine_lstm.figures [FOLDER]` (`make figures`): every figure into FOLDER.

FOLDER defaults to out/figures. Prints the numbers behind each figure. Keras has
loaded by now, quietly: the package's `__init__` runs first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import keras
import numpy as np

from sine_lstm.config import Config
from sine_lstm.figures.forecast import draw_forecast, forecast_sine
from sine_lstm.figures.gates import draw_gates, gate_activity
from sine_lstm.figures.gradients import draw_gradients, gradient_decay
from sine_lstm.figures.how_far_back import REACH_MODELS, draw_memory_reach, memory_reach
from sine_lstm.figures.memory import draw_memory, memory_baseline
from sine_lstm.figures.pinned import draw_pinned_gates, pinned_gates
from sine_lstm.figures.stateful import draw_stateful, stateful_vs_stateless
from sine_lstm.figures.vanilla_rnn import draw_rnn_vs_lstm, rnn_vs_lstm


def draw_all(folder: Path, config: Config | None = None) -> dict:
    """Compute and draw every figure into `folder`; return the numbers behind them."""
    config = config or Config()
    folder.mkdir(parents=True, exist_ok=True)
    numbers = {}

    m = memory_baseline(config)
    draw_memory(m, folder / "1_memory.png")
    numbers["memory"] = {k: m[k] for k in ("lstm_final_cost", "baseline_final_cost")}

    r = rnn_vs_lstm(config)
    draw_rnn_vs_lstm(r, folder / "2_rnn_vs_lstm.png")
    numbers["rnn_vs_lstm"] = {k: r[k] for k in ("rnn_final_cost", "lstm_final_cost")}

    g = gradient_decay()
    draw_gradients(g, folder / "3_gradients.png")
    numbers["gradients_at_50"] = {k: float(v[50]) for k, v in g.items()}
    numbers["gradients_at_100"] = {k: float(v[100]) for k, v in g.items()}

    p = pinned_gates()
    draw_pinned_gates(p, folder / "4_pinned_gates.png")
    numbers["pinned_gates"] = {k: p[k] for k in ("gap_tanh_tanh", "gap_tanh")}

    a = gate_activity(config)
    draw_gates(a, folder / "5_gates.png")
    numbers["mean_forget_gate"] = float(a["f"].mean())

    s = stateful_vs_stateless(config)
    draw_stateful(s, folder / "6_stateful.png")
    numbers["stateful"] = {
        k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in s.items()
    }

    mr = memory_reach(config)
    draw_memory_reach(mr, folder / "7_memory_reach.png")
    numbers["memory_reach"] = {
        key: {
            "reach": mr[f"{key}_reach"],
            "decay_per_step": mr[f"{key}_decay"],
            "at_0": float(mr[key][0]),
            "at_1": float(mr[key][1]),
            "at_20_40": float(mr[key][20:41].mean()),
            "final_cost": mr[f"{key}_final_cost"],
        }
        for key in REACH_MODELS
    }

    f = forecast_sine(config)
    draw_forecast(f, folder / "8_forecast.png")
    numbers["forecast"] = {k: f[k] for k in f if k.endswith("_rmse") or k == "drift_step"}
    return numbers


def summary(n: dict) -> list[str]:
    """The numbers of `draw_all`, one claim a line: "label: value", figure by figure."""
    m, r, p, st, mr = (
        n[k] for k in ("memory", "rnn_vs_lstm", "pinned_gates", "stateful", "memory_reach")
    )
    lines = [
        "(1) final cost",
        f"    LSTM: {m['lstm_final_cost']:.3f}",
        f"    no memory: {m['baseline_final_cost']:.2f}",
        "(2) final cost",
        f"    vanilla RNN: {r['rnn_final_cost']:.3f}",
        f"    LSTM: {r['lstm_final_cost']:.3f}",
        "(3) gradient n steps back, relative to n = 0 (float64)",
    ]
    width = max(map(len, n["gradients_at_50"])) + 1
    lines.append(f"    {'':{width}} {'n = 50':>10}{'n = 100':>10}")
    for name, at_50 in n["gradients_at_50"].items():
        lines.append(f"    {name + ':':{width}} {at_50:>10.3g}{n['gradients_at_100'][name]:>10.3g}")
    lines += [
        "(4) pinned-gate LSTM, max difference",
        f"    vs the tanh(tanh(z)) RNN: {p['gap_tanh_tanh']:.2g}",
        f"    vs the tanh(z) RNN: {p['gap_tanh']:.2g}",
        f"(5) mean forget gate of the trained model: {n['mean_forget_gate']:.2f}",
        "(6) stateful vs stateless",
        f"    squared error at the window's first step: "
        f"{st['stateful'][0]:.3f} vs {st['stateless'][0]:.3f}",
        f"    final cost: {st['stateful_final_cost']:.3f} vs {st['stateless_final_cost']:.3f}",
        "(7) |∂ŷ_t/∂ sin x_{t−n}|: how much the prediction moves with the input n steps back",
    ]
    names = {"lstm": "LSTM", "rnn": "vanilla RNN", "stateless": "stateless LSTM"}
    rows = {  # label: (field, format); the stateless curve is 0 at n = 50–100
        "last n above 1 % of its peak": ("reach", "d"),
        "mean at n = 20–40": ("at_20_40", ".2g"),
        "at n = 1": ("at_1", ".2g"),
        "factor per step back, n = 50–100": ("decay_per_step", ".2f"),
    }
    width = max(map(len, rows)) + 1
    lines.append(f"    {'':{width}} " + "".join(f"{names[k]:>16}" for k in mr))
    for label, (field, fmt) in rows.items():
        values = [mr[k][field] for k in mr]
        cells = ["–" if np.isnan(v) else f"{v:{fmt}}" for v in values]
        lines.append(f"    {label + ':':{width}} " + "".join(f"{c:>16}" for c in cells))
    f = n["forecast"]
    lines += [
        "(8) forecasting sin x one point ahead: RMSE over the 1000 points after training",
        f"    LSTM, one step ahead: {f['one_step_rmse']:.3g}",
        f"    LSTM, free-running: {f['free_run_rmse']:.3g}",
        f"    persistence: {f['persistence_rmse']:.3g}",
        f"    linear AR(2): {f['linear_ar_rmse']:.2g}",
        f"    the free run is off from step: {f['drift_step']}",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    if keras.backend.backend() != "tensorflow":
        print(
            "sine-lstm figures: error: figures 3 and 7 differentiate with tf.GradientTape; "
            "run them with KERAS_BACKEND=tensorflow (the default)",
            file=sys.stderr,
        )
        return 2
    folder = Path((argv or sys.argv[1:] or ["out/figures"])[0])
    print("\n".join(summary(draw_all(folder))))
    print(f"wrote {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
