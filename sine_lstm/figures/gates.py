"""Figure 5, section 三: what the trained LSTM's gates do (`5_gates.png`).

sin x takes each value twice a period: once while it rises (cos x > 0) and once while
it falls (cos x < 0). The target, cos x, tells the two apart; the input alone cannot.
The figure puts sin x and cos x above the gates, the two halves shaded (dotted lines
across the heat maps), so a gate that swings with the phase, not just with sin x, can
be seen doing it. Computed by `gate_activity`, drawn by `draw_gates`, which marks
where each unit's swing peaks (`swing_peaks`) and sorts the units by it
(`phase_order`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sine_lstm import data
from sine_lstm.cell import trace
from sine_lstm.config import Config
from sine_lstm.figures.common import new_figure, save, trained
from sine_lstm.plots import RED

INPUT = "0.3"  # the input in dark grey: red is the target, blue dashed the prediction
RISING, FALLING = "#e3f2e1", "#f3e3f1"  # the shading of cos x > 0 and cos x < 0


def gate_activity(config: Config | None = None, windows: int = 10) -> dict:
    """Train the demo, then run the next `windows` batches through the trained cell.

    Ten windows of 20 points cover x over about one period (6.4 rad). Returns i, f,
    o and c as (time, units) arrays for row 0, with x, (time,).
    """
    import tensorflow as tf  # figures 3, 5 and 7 alone need TensorFlow

    config = config or Config()
    if config.cell != "lstm":
        raise ValueError(
            f"figure 5 draws the gates i, f, o and c of our lstm cell, not the {config.cell} cell's"
        )
    model = trained(config).model
    lstm = model.get_layer("lstm")
    states = [tf.convert_to_tensor(s) for s in lstm.states]  # the state training left
    rows = {name: [] for name in ("x", "i", "f", "o", "c")}
    for k in range(config.steps, config.steps + windows):  # the batches after training's
        x, sin_x, _ = data.batch(k, config.batch_size, config.time_steps)
        inputs = model.get_layer("in_hidden")(sin_x)  # (batch, time, units)
        values, states = trace(lstm.cell, inputs, states)  # every gate, step by step
        rows["x"].append(x[0, :, 0])
        for name in ("i", "f", "o", "c"):
            rows[name].append(np.asarray(values[name])[0])  # (time, units) of row 0
    return {name: np.concatenate(values) for name, values in rows.items()}


def swing_peaks(values: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Where, in x, each unit's swing peaks: the first peak at or after x[0].

    Each unit's trace, a column of `values` (time, units), is fitted by least squares
    with mean + a·sin x + b·cos x = mean + R·cos(x − θ), a wave that peaks at x ≡ θ
    (mod 2π). A unit that follows sin x peaks where sin x does, at the turn from the
    rising half to the falling one; a unit that leans to one half peaks inside it.
    Returns the peaks, (units,).
    """
    basis = np.stack([np.ones_like(x), np.sin(x), np.cos(x)], axis=1)  # (time, 3)
    (_, a, b), *_ = np.linalg.lstsq(basis, values, rcond=None)  # each (units,)
    theta = np.arctan2(a, b)  # (units,): the peak's phase
    return x[0] + (theta - x[0]) % (2 * np.pi)  # (units,)


def phase_order(peaks: np.ndarray) -> np.ndarray:
    """The units sorted by the phase of their peak, `peaks` from `swing_peaks`.

    Phase is a circle: the order starts after its widest gap between units, so units
    with nearly the same phase stay side by side. Returns unit indices, (units,).
    """
    order = np.argsort(peaks, kind="stable")
    ring = peaks[order]  # (units,), ascending
    gaps = np.diff(ring, append=ring[0] + 2 * np.pi)  # gap after each, the last wrapping
    return np.roll(order, -(int(np.argmax(gaps)) + 1))


def draw_gates(a: dict, path: Path) -> None:
    """Figure 5: sin x and cos x, then i, f, o and c of the trained model, unit by unit.

    The gates are drawn as each unit's swing about its own mean, so the swing shows,
    not the mean; c as it is. A dot marks each unit's peak (`swing_peaks`): on a dotted
    line, where sin x turns, the unit follows the input (sin x or −sin x); inside a half,
    it leans to that half. The units are in one order down the figure: the input gate's
    `phase_order`.
    """
    x = a["x"]
    dx = x[1] - x[0]
    rising = np.cos(x) > 0  # (time,): sin x going up
    edges = np.nonzero(np.diff(rising))[0]  # the last step before each change
    starts = np.concatenate([[0], edges + 1])  # each half's first step
    ends = np.concatenate([edges, [len(x) - 1]])  # and its last
    spans = [(x[s] - dx / 2, x[e] + dx / 2, rising[s]) for s, e in zip(starts, ends, strict=True)]
    turns = [x[e] + dx / 2 for e in edges]  # where cos x changes sign

    fig = new_figure(7.5, 9.6)
    axes = fig.subplots(
        5, 2, sharex="col", gridspec_kw={"width_ratios": [40, 1], "height_ratios": [1.2] + [1] * 4}
    )
    wave, corner = axes[0]
    corner.axis("off")
    for left, right, up in spans:
        wave.axvspan(left, right, color=RISING if up else FALLING, zorder=0)
        if right - left < 2:  # a sliver at the edge: no room for its name
            continue
        wave.text(
            (left + right) / 2,
            1.12,
            "rising: cos x > 0" if up else "falling: cos x < 0",
            ha="center",
            va="bottom",
            fontsize=8,
            clip_on=True,
        )
    wave.plot(x, np.sin(x), color=INPUT, label="sin x, the input")
    wave.plot(x, np.cos(x), color=RED, label="cos x, the target")  # red, as in the GIF
    wave.axhline(0, color="0.6", linewidth=0.6)
    wave.set(ylim=(-1.25, 1.45), yticks=[-1, 0, 1])
    wave.legend(fontsize=7, loc="lower right")  # where both curves are above 0
    wave.set_title("the same sin x comes twice a period, once rising, once falling", fontsize=9)

    names = {"i": "input gate i", "f": "forget gate f", "o": "output gate o"}
    swing = max(np.abs(a[n] - a[n].mean(0)).max() for n in names)  # one scale for the gates
    extent_x = (x[0] - dx / 2, x[-1] + dx / 2)
    # one order of the units for every panel, so a unit can be followed down the figure
    order = phase_order(swing_peaks(a["i"] - a["i"].mean(0), x))
    for (ax, cax), name in zip(axes[1:], ("i", "f", "o", "c"), strict=True):
        values = a[name] - a[name].mean(0) if name in names else a[name]  # (time, units)
        peaks = swing_peaks(values, x)  # (units,)
        units = values.shape[1]
        limit = swing if name in names else np.abs(values).max()
        image = ax.imshow(
            values[:, order].T,
            aspect="auto",
            cmap="PuOr_r" if name in names else "RdBu_r",
            vmin=-limit,
            vmax=limit,
            extent=(*extent_x, units - 0.5, -0.5),  # pixels centred on x and on the units
            interpolation="nearest",
        )
        for turn in turns:
            ax.axvline(turn, color="black", linestyle=":", linewidth=1)
        for row, unit in enumerate(order):  # each peak, and its repeat a period on
            shown = [p for p in (peaks[unit], peaks[unit] + 2 * np.pi) if p <= extent_x[1]]
            ax.plot(shown, [row] * len(shown), "o", color="black", markersize=3)
        fig.colorbar(image, cax=cax)
        ax.set_yticks(range(units), [str(u) for u in order], fontsize=7)
        ax.set_ylabel("unit", fontsize=8)
        if name in names:
            means = a[name].mean(0)
            title = (
                f"{names[name]}: each unit minus its mean ({means.min():.2f} to {means.max():.2f})"
            )
        else:
            title = "cell state c"
        ax.set_title(title, fontsize=9)
    axes[-1, 0].set_xlabel(
        "x (row 0, the 10 windows after training)\n"
        "dots: where each unit peaks. On a dotted line, where sin x turns, it follows\n"
        "the input; inside a shaded half, it leans to that half",
        fontsize=9,
    )
    fig.suptitle("(5) the trained LSTM's gates and cell state over one period of the sine")
    save(fig, path)
