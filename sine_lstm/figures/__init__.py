"""`make figures`: each claim of the post, computed by our code and drawn.

In the post's order, one file per claim:
  1  一  why memory is needed        memory.py        memory_baseline()        1_memory.png
  2  二  the vanilla RNN vs the LSTM  vanilla_rnn.py   rnn_vs_lstm()            2_rnn_vs_lstm.png
  3  二  vanishing/exploding grads    gradients.py     gradient_decay()         3_gradients.png
  4  三  pinned gates = an RNN        pinned.py        pinned_gates()           4_pinned_gates.png
  5  三  what the gates do            gates.py         gate_activity()          5_gates.png
  6      stateful vs stateless       stateful.py      stateful_vs_stateless()  6_stateful.png
  7      how far back it looks       how_far_back.py  memory_reach()           7_memory_reach.png
  8      beyond: forecasting         forecast.py      forecast_sine()          8_forecast.png
  9      beyond: what keeps a memory ladder.py        memory_ladder()          9_ladder.png
Each file computes its numbers (the tests check them), then draws them to its PNG
with its `draw_*`; `common.py` holds what they share, `__main__.py` runs them all:
`python -m sine_lstm.figures out/figures`, all but figure 9: it trains six cells over
20 seeds (about 40 minutes), so `make check-ladder` draws it. Figures 3, 5, 7 and 9 need
TensorFlow (imported where they compute, so `sine-lstm forecast` can draw figure 8 on
any backend).
"""

import sys

if "keras" not in sys.modules:  # e.g. `python -m sine_lstm.figures`: Keras loads here
    from sine_lstm.cli.quiet import import_keras

    import_keras()  # hides TensorFlow's start-up chatter

from sine_lstm.figures.forecast import draw_forecast, forecast_sine
from sine_lstm.figures.gates import draw_gates, gate_activity, phase_order, swing_peaks
from sine_lstm.figures.gradients import draw_gradients, gradient_decay
from sine_lstm.figures.how_far_back import REACH_MODELS, draw_memory_reach, memory_reach, reach
from sine_lstm.figures.ladder import RUNGS, draw_ladder, memory_ladder
from sine_lstm.figures.memory import draw_memory, memory_baseline, memoryless_model
from sine_lstm.figures.pinned import draw_pinned_gates, pinned_gates
from sine_lstm.figures.stateful import draw_stateful, stateful_vs_stateless
from sine_lstm.figures.vanilla_rnn import draw_rnn_vs_lstm, rnn_vs_lstm

__all__ = ["memory_baseline", "memoryless_model", "draw_memory"]  # 1
__all__ += ["rnn_vs_lstm", "draw_rnn_vs_lstm"]  # 2
__all__ += ["gradient_decay", "draw_gradients"]  # 3
__all__ += ["pinned_gates", "draw_pinned_gates"]  # 4
__all__ += ["gate_activity", "swing_peaks", "phase_order", "draw_gates"]  # 5
__all__ += ["stateful_vs_stateless", "draw_stateful"]  # 6
__all__ += ["memory_reach", "reach", "REACH_MODELS", "draw_memory_reach"]  # 7
__all__ += ["forecast_sine", "draw_forecast"]  # 8
__all__ += ["memory_ladder", "RUNGS", "draw_ladder"]  # 9
