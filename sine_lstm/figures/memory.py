"""Figure 1, section 一: why memory is needed (`1_memory.png`).

From sin x alone, cos x is ambiguous; the LSTM's memory resolves it, a model with
none cannot. Computed by `memory_baseline`, drawn by `draw_memory`.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
from keras import layers

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.figures.common import new_figure, save, trained
from sine_lstm.model import build_model, cost
from sine_lstm.plots import BLUE, RED

COST = "final cost: Σ (pred − target)² over a window's 20 points, mean of the last 20 steps"


def memoryless_model(config: Config) -> keras.Model:
    """The demo's network with its memory taken out: the LSTM becomes a per-step Dense.

    `in_hidden` and `out_hidden` are the demo's own layers from `build_model`, drawn
    under `config.seed` as training draws them: the LSTM starts from the same weights.
    """
    keras.utils.set_random_seed(config.seed)
    demo = build_model(config)
    inputs = keras.Input(batch_shape=(config.batch_size, config.time_steps, 1), name="sin_x")
    h = demo.get_layer("in_hidden")(inputs)  # (batch, time, units)
    h = layers.Dense(config.cell_size, activation="tanh", name="no_memory")(h)  # each step alone
    outputs = demo.get_layer("out_hidden")(h)  # (batch, time, 1)
    return keras.Model(inputs, outputs, name="no_memory")


def memory_baseline(config: Config | None = None) -> dict:
    """Train the LSTM and the memoryless model (`memoryless_model`) on the same stream.

    From sin x alone, cos x is ambiguous: sin x = 0.5 at x = π/6 (cos x = +0.87) and at
    x = 5π/6 (cos x = −0.87). A model that sees one point at a time can do no better
    than predicting 0 around there: its cost stays near T·E[cos²x] = T/2 = 10.

    Returns the two final costs and row 0 of the last 10 windows of training: x, sin x,
    the target cos x and both predictions, (200,) each; `same_sin_x`, the x in that
    stretch where sin x = 0.5 (one with cos x > 0, one with cos x < 0).
    """
    config = config or Config()
    lstm = trained(config)
    baseline = memoryless_model(config)
    baseline.compile(optimizer=keras.optimizers.Adam(config.lr, epsilon=1e-8), loss=cost)
    _, sin_x, cos_x = data.stream(config.steps, config.batch_size, config.time_steps)
    baseline.fit(sin_x, cos_x, batch_size=config.batch_size, shuffle=False, verbose=0)
    last = 10  # the last 10 steps' row 0: x over about one period
    x, sin_w, cos_w = data.stream(config.steps, 1, config.time_steps)  # row 0 of every batch
    sin_rows = sin_x[-last * config.batch_size :]  # the last 10 batches, whole
    ff_rows = np.asarray(baseline.predict(sin_rows, batch_size=config.batch_size, verbose=0))
    # its cost on the last 20 batches once trained: the best it got, still about 10
    last_ff = float(np.mean(_per_batch_costs(baseline, sin_x, cos_x, config)[-20:]))
    x = x[-last:, :, 0].ravel()  # (last·time,)
    k = np.arange(np.floor(x[0] / (2 * np.pi)), np.ceil(x[-1] / (2 * np.pi)) + 1)
    same = np.concatenate([np.pi / 6 + 2 * np.pi * k, 5 * np.pi / 6 + 2 * np.pi * k])
    return {
        "lstm_final_cost": lstm.final_cost,
        "baseline_final_cost": last_ff,
        "x": x,
        "sin_x": sin_w[-last:, :, 0].ravel(),
        "target": cos_w[-last:, :, 0].ravel(),
        "lstm_pred": lstm.record.pred_history()[-last:].ravel(),
        "baseline_pred": ff_rows[:: config.batch_size, :, 0].ravel(),  # row 0 of each
        "same_sin_x": np.sort(same[(same >= x[0]) & (same <= x[-1])]),
    }


def _per_batch_costs(model, sin_x, cos_x, config) -> np.ndarray:
    pred = model.predict(sin_x, batch_size=config.batch_size, verbose=0)  # no state: fine
    err = ((pred - cos_x) ** 2).reshape(config.steps, config.batch_size, -1)
    return err.sum(axis=2).mean(axis=1)  # (steps,) the original's cost per batch


def draw_memory(m: dict, path: Path) -> None:
    """Figure 1: the LSTM's fit and the memoryless model's, with the input sin x."""
    fig = new_figure(6.4, 4.2)
    ax = fig.add_subplot()
    ax.axhline(0, color="0.85", linewidth=0.8)
    ax.plot(m["x"], m["sin_x"], color="0.6", linewidth=1, label="input sin x")
    ax.plot(m["x"], m["target"], color=RED, label="target cos x")
    lstm_label = f"LSTM (final cost {m['lstm_final_cost']:.3f})"
    ax.plot(m["x"], m["lstm_pred"], "--", color=BLUE, label=lstm_label)
    baseline_label = f"no memory (final cost {m['baseline_final_cost']:.2f})"
    ax.plot(m["x"], m["baseline_pred"], ":", color="black", linewidth=2, label=baseline_label)
    for x in m["same_sin_x"]:  # the same input, opposite targets
        ax.axvline(x, color="0.6", linestyle=":", linewidth=1)
        ax.plot([x, x], [np.sin(x), np.cos(x)], "o", color="0.3", markersize=4)
        ax.text(
            x,
            1.3,
            f"sin x = {np.sin(x):.1f}\ncos x = {np.cos(x):+.2f}",
            ha="center",
            va="center",
            fontsize=7,
            bbox={"facecolor": "white", "edgecolor": "0.6", "boxstyle": "round"},
        )
    ax.set(
        xlabel="x (row 0 of the last 10 training windows)",
        ylabel="value",
        ylim=(-1.2, 1.5),  # room above for the labels
        yticks=[-1, -0.5, 0, 0.5, 1],
        title="(1) from sin x alone, cos x is ambiguous; memory resolves it",
    )
    fig.legend(loc="outside lower center", ncols=2, fontsize=8, title=COST, title_fontsize=7)
    save(fig, path)
