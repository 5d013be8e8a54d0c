"""Figure 5, section 三: what the trained LSTM's gates do (`5_gates.png`).

Computed by `gate_activity`, drawn by `draw_gates`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tensorflow as tf

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.figures.common import new_figure, save, trained


def gate_activity(config: Config | None = None, windows: int = 10) -> dict:
    """Train the demo, then run the next `windows` batches through the trained cell.

    Ten windows of 20 points cover x over about one period (6.4 rad). Returns i, f,
    o and c as (time, units) arrays for row 0, with x, (time,).
    """
    config = (config or Config()).replace(gif=False)
    model = trained(config).model
    lstm = model.get_layer("lstm")
    h, c = (tf.convert_to_tensor(s) for s in lstm.states)  # the state training left
    trace = {name: [] for name in ("x", "i", "f", "o", "c")}
    for k in range(config.steps, config.steps + windows):  # the batches after training's
        x, sin_x, _ = data.batch(k, config.batch_size, config.time_steps)
        inputs = model.get_layer("in_hidden")(sin_x)  # (batch, time, units)
        for t in range(config.time_steps):
            step = lstm.cell.step(inputs[:, t], [h, c])
            h, c = step["h"], step["c"]
            trace["x"].append(x[0, t, 0])
            for name in ("i", "f", "o", "c"):
                trace[name].append(np.asarray(step[name])[0])  # (units,) of row 0
    return {name: np.stack(values) for name, values in trace.items()}


def draw_gates(a: dict, path: Path) -> None:
    """Figure 5: i, f, o and c of the trained model, per unit, against x."""
    fig = new_figure(7.5, 5.0)
    units = a["i"].shape[1]
    dx = a["x"][1] - a["x"][0]
    extent = (a["x"][0] - dx / 2, a["x"][-1] + dx / 2, units - 0.5, -0.5)  # pixels centred on x
    titles = {"i": "input gate i", "f": "forget gate f", "o": "output gate o", "c": "cell state c"}
    for idx, name in enumerate(("i", "f", "o", "c")):
        ax = fig.add_subplot(2, 2, idx + 1)
        vmin, vmax = (0, 1) if name != "c" else (-np.abs(a["c"]).max(), np.abs(a["c"]).max())
        image = ax.imshow(
            a[name].T,
            aspect="auto",
            cmap="viridis" if name != "c" else "RdBu_r",
            vmin=vmin,
            vmax=vmax,
            extent=extent,
            interpolation="nearest",
        )
        fig.colorbar(image, ax=ax)
        ax.set(title=titles[name], xlabel="x (row 0, the 10 windows after training)", ylabel="unit")
    fig.suptitle("(5) the trained LSTM's gates and cell state over one period of the sine")
    save(fig, path)
