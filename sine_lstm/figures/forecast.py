"""Figure 8, beyond the post: the LSTM forecasts the sine, against two baselines (`8_forecast.png`).

A forecaster trained one point ahead (`train --task forecast`) continues the
curve from its own predictions. It must beat repeating the last value
(persistence) and a linear autoregression; on a pure sine AR(2) is exact.
Computed by `forecast_sine` (what `sine-lstm forecast` computes), drawn by
`draw_forecast`, which `sine-lstm forecast` also uses.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sine_lstm.config import Config
from sine_lstm.gif import BLUE, RED

GREY, GREEN = "#7f7f7f", "#2ca02c"  # persistence; the linear AR
TINY = 1e-16  # an error of exactly 0 (AR(2) on the sine, at times) drawn on the log axis
CURVES = {  # name: (label, colour, line style, width)
    "one_step": ("LSTM, one step ahead (true past)", BLUE, ":", 1.6),
    "free_run": ("LSTM, free-running (its own predictions)", BLUE, "--", 1.6),
    "persistence": ("persistence (repeat the last value)", GREY, "-", 1.0),
    "linear_ar": ("linear AR({p}), one step ahead", GREEN, "-", 1.0),
    "linear_ar_free_run": ("linear AR({p}), free-running", GREEN, "--", 1.0),
}


def forecast_sine(config: Config | None = None, steps: int = 1000, warmup: int = 200) -> dict:
    """Train a forecaster on the sine (horizon 1) and forecast `steps` points after training."""
    from sine_lstm.figures.common import trained
    from sine_lstm.forecasting import series
    from sine_lstm.forecasting.forecast import forecast

    config = (config or Config()).replace(task="forecast")
    model = trained(config).model
    return forecast(model, series.load(config, beyond=steps), config.horizon, steps, warmup)


def draw_forecast(r: dict, path: Path, shown: int = 200, known: int = 40) -> None:
    """Figure 8: the truth and the LSTM's forecasts above, every forecast's error below.

    Args:
        r: what `forecast.forecast` returns.
        shown: how many forecast steps the upper panel shows (the lower shows all).
        known: how many of the warm-up's known points the upper panel shows before them.
    """
    from sine_lstm.figures.common import new_figure, save
    from sine_lstm.forecasting.forecast import DRIFT_WINDOW, running_rmse

    truth, pred = np.asarray(r["truth"]), {k: np.asarray(v) for k, v in r["pred"].items()}
    before = np.asarray(r["known"][-known:])  # (known,) the last known points
    n = np.arange(1, len(truth) + 1)  # steps after the last known point
    shown = min(shown, len(truth))
    fig = new_figure(9.0, 7.2)
    top, bottom = fig.subplots(2, 1, height_ratios=[1, 1.1])
    top.axvspan(-len(before) + 1, 0, color="#eeeeee")
    top.plot(
        np.arange(-len(before) + 1, 1),
        before,
        color=RED,
        linewidth=1.2,
        alpha=0.6,
        label="known points (the warm-up's last)",
    )
    top.plot(n[:shown], truth[:shown], color=RED, linewidth=2.2, label="truth (held out)")
    for name in ("one_step", "free_run"):
        label, colour, style, width = CURVES[name]
        top.plot(
            n[:shown],
            pred[name][:shown],
            color=colour,
            linestyle=style,
            linewidth=width,
            label=f"{label}: RMSE {r[name + '_rmse']:.3g}",
        )
    top.set(xlim=(-len(before) + 1, shown), ylabel=r["units"])
    top.set_title(
        f"(8) forecasting {r['units']}, {ahead(r['horizon'])}, after {r['warmup']} "
        f"known points (grey: the last {len(before)}); "
        + (
            f"all {shown} steps"
            if shown == len(truth)
            else f"the first {shown} of {len(truth)} steps"
        ),
        fontsize=10,
    )
    top.legend(fontsize=8, loc="best", framealpha=0.9)

    floor = max(TINY, 1e-4 * float(np.min([r["persistence_rmse"], r["one_step_rmse"]])))
    lowest = np.inf
    for name, (label, colour, style, width) in CURVES.items():
        error = np.maximum(running_rmse(pred[name] - truth), floor)  # (steps,)
        lowest = min(lowest, float(np.nanmin(error)))
        rmse = r[name + "_rmse"]
        note = " (exact: along the floor)" if rmse < floor else ""
        bottom.semilogy(
            n,
            error,
            color=colour,
            linestyle=style,
            linewidth=width,
            label=f"{label.format(p=r['ar_order'])}: RMSE {rmse:.2g}{note}",
        )
    bottom.axhline(r["threshold"], color="black", linewidth=0.8, linestyle="-.")
    drift = r["drift_step"]
    what = "never" if drift is None else f"from step {drift}"
    bottom.set_title(
        f"RMSE over the last {DRIFT_WINDOW} points; the free run is off once it passes 2 × the "
        f"one-step RMSE ({r['threshold']:.2g}, dash-dot): {what}",
        fontsize=10,
    )
    if drift is not None:
        for ax in (top, bottom):
            ax.axvline(drift, color=BLUE, linewidth=0.9, alpha=0.7)
        top.annotate(
            f"off from step {drift}",
            (drift, 0.93),
            xycoords=("data", "axes fraction"),
            xytext=(4, 0),
            textcoords="offset points",
            color=BLUE,
            fontsize=8,
        )
    bottom.set(
        xlim=(0, len(truth)),
        xlabel="steps after the last known point",
        ylabel=f"RMSE over {DRIFT_WINDOW} points",
    )
    bottom.set_ylim(bottom=lowest / 2)
    bottom.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 0.1), ncol=2, framealpha=0.9)
    save(fig, path)


def ahead(horizon: int) -> str:
    return "one point ahead" if horizon == 1 else f"{horizon} points ahead"
