"""`sine-lstm forecast`: a forecaster's four forecasts, figure 8 and their numbers as JSON.

Every flag is checked, the series read and its scale compared with the one saved
beside the model, before the backend loads: bad input is one line, exit 2, and
nothing is written. `parser.py` adds this subcommand and `check`s it; `sine-lstm` calls `run`.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path

from sine_lstm.cli import checks
from sine_lstm.cli.checks import INT_LIMIT, UsageError
from sine_lstm.cli.exits import USAGE_ERROR, fail, said, whole
from sine_lstm.config import Config

BUILT_IN_STEPS = 1000  # a built-in series goes on for ever: five periods of the sine
WARMUP = 200  # known points that warm the state up, as many as training's 200 windows of a row


def add_parser(sub) -> argparse.ArgumentParser:
    """The `forecast` subcommand and its flags; returns it (parser.py adds --backend)."""
    forecast = sub.add_parser("forecast", help="forecast the held-out points; figure 8, a JSON")
    count = whole(1, INT_LIMIT)
    for flag, kind, default, what in (
        (
            "--model",
            Path,
            Path("out/model.keras"),
            "a model.keras of `train --task forecast` (default out/model.keras)",
        ),
        (
            "--steps",
            count,
            None,
            "points to forecast (default: a CSV's whole held-out part, "
            f"or {BUILT_IN_STEPS} of a built-in series)",
        ),
        (
            "--warmup",
            count,
            None,
            f"known points that warm the state up (default {WARMUP}, or the training part "
            "if shorter; at most the training part)",
        ),
        ("--ar-order", count, 2, "p, the linear baseline's lags (default 2: exact on a pure sine)"),
        ("--png", Path, None, "figure 8 (default: forecast.png beside the model)"),
        ("--json", Path, None, "the numbers (default: forecast.json beside the model)"),
    ):
        forecast.add_argument(flag, type=kind, default=default, help=what)
    return forecast


def check(args: argparse.Namespace) -> None:
    """Check every flag and load the series (`args.config`, `args.series`); UsageError if off."""
    from sine_lstm.forecasting import series

    checks.check_model(args.model)
    settings = checks.saved_settings(args.model)
    args.png = args.png or args.model.parent / "forecast.png"
    args.json = args.json or args.model.parent / "forecast.json"
    task = settings.get("task", "cos")
    if task != "forecast":
        what = "the cos task (sin x → cos x)" if task == "cos" else f"the {task} task"
        raise UsageError(
            "model",
            f"{str(args.model)!r} was trained for {what}, "
            "not to forecast: train one with `sine-lstm train --task forecast`",
        )
    checks.new_file("png", args.png, ".png", "a PNG")
    checks.new_file("json", args.json, ".json", "JSON")
    names = {field.name for field in dataclasses.fields(Config)}
    args.config = Config(**{name: settings[name] for name in names if name in settings})
    args.horizon = args.config.horizon
    held_out = None
    try:  # the series it trained on, as config.json names it: train's words are not ours
        if args.config.csv is not None:
            args.series = series.load(args.config)
            held_out = len(args.series.values) - args.series.train_points
        args.steps = args.steps or held_out or BUILT_IN_STEPS
        if args.config.csv is None:
            args.series = series.load(args.config, beyond=args.steps)
    except series.SeriesError as err:
        raise UsageError("model", f"{str(args.model)!r}: the series it trained on: {err}") from None
    args.warmup = args.warmup or min(WARMUP, args.series.train_points)
    check_sizes(args, args.series.train_points, held_out)
    saved = settings.get("scale", {})
    now = {"mean": args.series.mean, "std": args.series.std}
    if any(abs(now[k] - saved.get(k, now[k])) > 1e-9 * max(1.0, abs(now[k])) for k in now):
        raise UsageError(
            "model",
            f"{str(args.model)!r}: its series has changed since training "
            f"(training part's mean {saved['mean']:.6g} then, {now['mean']:.6g} now)",
        )


def check_sizes(args: argparse.Namespace, train_points: int, held: int | None) -> None:
    """--steps within the held-out part (None: a built-in series, endless), --warmup and
    --ar-order within the training part."""
    if held is not None and args.steps > held:
        raise UsageError("steps", f"{args.steps}: the series holds {held} points out; at most that")
    if args.warmup > train_points or args.warmup < args.horizon:
        raise UsageError(
            "warmup",
            f"{args.warmup}: between the horizon, {args.horizon}, and the "
            f"{train_points} points of the training part",
        )
    if 2 * (args.ar_order + 1) > train_points - args.horizon:
        raise UsageError("ar_order", f"{args.ar_order}: too many for {train_points} points to fit")


def run(args: argparse.Namespace) -> int:
    """Forecast, draw figure 8, write the JSON, print one line per forecast; the exit status."""
    from sine_lstm.cli.speed import load_backend

    load_backend(args.backend, plain=False)
    try:
        return forecast_and_write(args)
    except UsageError as err:
        return fail(said(err), USAGE_ERROR)


def forecast_and_write(args: argparse.Namespace) -> int:
    """`run` once the backend has loaded (`make bench` times this part)."""
    from sine_lstm.cli.outputs import atomic_path
    from sine_lstm.cli.predict import load_model
    from sine_lstm.figures.forecast import draw_forecast
    from sine_lstm.forecasting.forecast import forecast

    model = load_model(args.model, compile=False)  # it only predicts
    result = forecast(model, args.series, args.horizon, args.steps, args.warmup, args.ar_order)
    with atomic_path(args.png) as png, atomic_path(args.json) as numbers:  # both, or neither
        draw_forecast(result, png)
        numbers.write_text(json.dumps(finite(result), indent=1) + "\n", encoding="utf-8")
    print("\n".join(report(result)))
    print(f"wrote {args.png} and {args.json}")
    return 0


def finite(value):
    """`value` with every NaN or infinity as None: JSON has no word for them (null)."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return None if isinstance(value, float) and not math.isfinite(value) else value


def report(r: dict) -> list[str]:
    """The printed lines: what was forecast, then one line per forecast with its RMSE."""
    drift = "never" if r["drift_step"] is None else f"at step {r['drift_step']}"
    p = r["ar_order"]
    return [
        f"the {r['steps']} points after the training part of {r['units']}, horizon "
        f"{r['horizon']}, after {r['warmup']} known points; RMSE in the series' own units:",
        f"  one step ahead (true past, state carried): {r['one_step_rmse']:.4g}",
        f"  free-running (its own predictions fed back): {r['free_run_rmse']:.4g}; its "
        f"20-point RMSE passes 2 × the one-step RMSE ({r['threshold']:.3g}) {drift}",
        f"  persistence (repeat the last known value): {r['persistence_rmse']:.4g}",
        f"  linear AR({p}) on the last {p} known points: {r['linear_ar_rmse']:.4g} "
        f"(free-running: {r['linear_ar_free_run_rmse']:.4g})",
    ]
