"""`make bench`: the command line's speed settings beside Keras's defaults, in one run.

Rows: the defaults (what `make gif` runs), `--xla` (XLA for the training step),
`--plain` (Keras's defaults), `keras.layers.LSTM` with Keras's defaults, the original
TensorFlow 1 demo (`original.py`: whole run only), `predict` on a saved model, and
`forecast --steps 1000` on a saved forecaster (also timed after start-up, once Keras
has loaded). For each, in a fresh process:
- steady ms/step: the median of 5 windows of 200 steps after 200 of warm-up,
  clocked by a callback inside one `fit`;
- whole run: `python -m sine_lstm train` with every output written, the median
  of `ROUNDS` runs, taken in turn across the rows so that drift hits them alike.
Not a test: the machine is shared and noisy; compare rows of one run.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 3
ROWS = {  # name: flags of `sine-lstm train`
    "the defaults (make gif)": [],
    "--xla (XLA for the training step)": ["--xla"],
    "--plain (Keras's defaults)": ["--plain"],
    "keras.layers.LSTM, --plain": ["--cell", "keras", "--plain"],
}
STEADY = """
import sys, time, keras
from sine_lstm.cli.parser import config_from, parse_args
from sine_lstm.cli.speed import load_backend
args = parse_args(["train", *sys.argv[1:]])
load_backend(args.backend, args.plain)
from sine_lstm import train as lesson
times = []
class Clock(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        times.append(time.perf_counter())
config = config_from(args).replace(steps=1200)
lesson.train(config, verbose=False, watch=[Clock()])  # the clock, among fit's callbacks
per_call = config.steps // len(times)
windows = [(times[i + 200 // per_call] - times[i]) / 200 * 1000
           for i in range(200 // per_call, len(times) - 200 // per_call, 200 // per_call)]
print(sorted(windows)[len(windows) // 2])
"""


def steady_ms(flags: list[str]) -> float:
    proc = subprocess.run(
        [sys.executable, "-c", STEADY, *flags], capture_output=True, text=True, check=True
    )
    return float(proc.stdout.split()[-1])


ORIGINAL = "the original demo (TF1 graph mode)"
PREDICT = "`sine-lstm predict`, default 30 batches"
FORECAST = "`sine-lstm forecast --steps 1000`"
AFTER_START_UP = """
import sys, time
from sine_lstm.cli import forecast as forecast_cli
from sine_lstm.cli.parser import parse_args
from sine_lstm.cli.speed import load_backend
args = parse_args(["forecast", *sys.argv[1:]])
load_backend(args.backend, plain=False)
start = time.perf_counter()
forecast_cli.forecast_and_write(args)
print(time.perf_counter() - start)
"""


def forecast_s(flags: list[str]) -> tuple[float, float]:
    """(whole run, after start-up) of one `forecast`, in seconds."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", AFTER_START_UP, *flags], capture_output=True, text=True, check=True
    )
    return time.perf_counter() - start, float(proc.stdout.split()[-1])


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *cmd], check=True, capture_output=True)
    return time.perf_counter() - start


def whole_run(flags: list[str] | None) -> float:
    with tempfile.TemporaryDirectory() as out:
        if flags is None:
            return timed(["-m", "bench.original", out])
        return timed(["-m", "sine_lstm", "train", "--quiet", "--out", out, *flags])


def main() -> int:
    if not Path("sine_lstm").is_dir():
        print("bench: run it from the project's folder (make bench)", file=sys.stderr)
        return 2
    results = {name: {"whole_s": [], "steady_ms": steady_ms(flags)} for name, flags in ROWS.items()}
    results[ORIGINAL] = {"whole_s": [], "steady_ms": None}
    results[PREDICT] = {"whole_s": [], "steady_ms": None}
    results[FORECAST] = {"whole_s": [], "steady_ms": None, "after_start_up_s": []}
    with tempfile.TemporaryDirectory() as model:
        timed(["-m", "sine_lstm", "train", "--quiet", "--no-gif", "--out", model])
        timed(["-m", "sine_lstm", "train", "--quiet", "--task", "forecast", "--out", f"{model}/f"])
        predict = ["-m", "sine_lstm", "predict", "--model", f"{model}/model.keras"]
        predict += ["--png", f"{model}/predict.png"]
        for _ in range(ROUNDS):
            for name, flags in [*ROWS.items(), (ORIGINAL, None)]:
                results[name]["whole_s"].append(whole_run(flags))
            results[PREDICT]["whole_s"].append(timed(predict))
            whole, after = forecast_s(["--model", f"{model}/f/model.keras", "--steps", "1000"])
            results[FORECAST]["whole_s"].append(whole)
            results[FORECAST]["after_start_up_s"].append(after)
    print(f"| path | steady ms/step | whole run, median of {ROUNDS} (runs) |")
    print("| --- | --- | --- |")
    for name, r in results.items():
        runs = ", ".join(f"{s:.2f}" for s in r["whole_s"])
        median = statistics.median(r["whole_s"])
        steady = "—" if r["steady_ms"] is None else f"{r['steady_ms']:.2f}"
        after = r.get("after_start_up_s")
        after = f"; after start-up {statistics.median(after):.2f} s" if after else ""
        print(f"| {name} | {steady} | {median:.2f} s ({runs}){after} |")
    ours, original = (min(results[n]["whole_s"]) for n in (next(iter(ROWS)), ORIGINAL))
    print(f"best of {ROUNDS}: the defaults / the original = {ours / original:.2f}")
    middle = (statistics.median(results[n]["whole_s"]) for n in (next(iter(ROWS)), ORIGINAL))
    print(f"medians: the defaults / the original = {next(middle) / next(middle):.2f}")
    Path("out").mkdir(exist_ok=True)
    Path("out/bench.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
