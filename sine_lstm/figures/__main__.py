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
from sine_lstm.figures.gates import draw_gates, gate_activity
from sine_lstm.figures.gradients import draw_gradients, gradient_decay
from sine_lstm.figures.how_far_back import REACH_MODELS, draw_memory_reach, memory_reach
from sine_lstm.figures.memory import draw_memory, memory_baseline
from sine_lstm.figures.pinned import draw_pinned_gates, pinned_gates
from sine_lstm.figures.stateful import draw_stateful, stateful_vs_stateless
from sine_lstm.figures.vanilla_rnn import draw_rnn_vs_lstm, rnn_vs_lstm


def draw_all(folder: Path, config: Config | None = None) -> dict:
    """Compute and draw every figure into `folder`; return the numbers behind them."""
    config = (config or Config()).replace(gif=False)
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
    return numbers


def main(argv: list[str] | None = None) -> int:
    if keras.backend.backend() != "tensorflow":
        print(
            "sine-lstm figures: error: figures 3 and 7 differentiate with tf.GradientTape; "
            "run them with KERAS_BACKEND=tensorflow (the default)",
            file=sys.stderr,
        )
        return 2
    folder = Path((argv or sys.argv[1:] or ["out/figures"])[0])
    n = draw_all(folder)
    m, r, st = n["memory"], n["rnn_vs_lstm"], n["stateful"]
    print(
        f"(1) final cost: LSTM {m['lstm_final_cost']:.3f}, no memory {m['baseline_final_cost']:.2f}"
    )
    print(f"(2) final cost: vanilla RNN {r['rnn_final_cost']:.3f}, LSTM {r['lstm_final_cost']:.3f}")
    for n_back in (50, 100):
        print(
            f"(3) gradient {n_back} steps back, relative (float64): "
            + ", ".join(f"{k} {v:.3g}" for k, v in n[f"gradients_at_{n_back}"].items())
        )
    p = n["pinned_gates"]
    print(
        f"(4) pinned-gate LSTM vs tanh(tanh(...)) RNN: max difference {p['gap_tanh_tanh']:.2g}; "
        f"vs tanh(...) RNN: {p['gap_tanh']:.2g}"
    )
    print(f"(5) mean forget gate of the trained model: {n['mean_forget_gate']:.2f}")
    print(
        f"(6) stateful vs stateless, squared error at the window's first step: "
        f"{st['stateful'][0]:.3f} vs {st['stateless'][0]:.3f}; final cost "
        f"{st['stateful_final_cost']:.3f} vs {st['stateless_final_cost']:.3f}"
    )
    mr = n["memory_reach"]
    names = {"lstm": "LSTM", "rnn": "vanilla RNN", "stateless": "stateless LSTM"}
    stateful = ("lstm", "rnn")  # the stateless curve is 0 there

    def each(field: str, fmt: str, keys=tuple(mr)) -> str:
        return ", ".join(f"{names[k]} {mr[k][field]:{fmt}}" for k in keys)

    print(
        "(7) |∂ŷ_t/∂ sin x_{t−n}|: below 1% of its peak from n = "
        + each("reach", "d")
        + f"\n    mean at n = 20–40: {each('at_20_40', '.2g')}; at n = 1: {each('at_1', '.2g')}"
        + f"\n    factor per step back, n = 50–100: {each('decay_per_step', '.2f', stateful)}"
    )
    print(f"wrote {folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
