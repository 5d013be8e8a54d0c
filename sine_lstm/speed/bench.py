"""`make bench`: how fast the demo trains and draws, printed as one table and saved as JSON.

Not a test: timings on a shared machine are noisy, so each number is the median of
several repeats, and ratios are taken within one run of this script.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from sine_lstm.atomic import write_text
from sine_lstm.config import Config
from sine_lstm.quiet import import_keras
from sine_lstm.speed.compile_cache import ENV

REPEATS = 5


def reference_ms(repeats: int = REPEATS) -> float:
    """A fixed pure-Python workload, to see how fast this (shared) machine is right now."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def time_training(config: Config, steps_per_call: int, jit, repeats: int = REPEATS) -> dict:
    """First call (trace + compile) and steady ms/step, in one `fit` of warm-up + repeats.

    The stream runs `config.steps` steps of warm-up then `repeats` windows of
    `config.steps` steps each; a callback clocks every call, and a window's time
    is from the end of its previous step to the end of its last one.
    """
    import keras

    from sine_lstm import data
    from sine_lstm.callbacks import StepRecord
    from sine_lstm.model import build_model, cost

    total = config.steps * (repeats + 1)
    keras.utils.set_random_seed(config.seed)
    _, sin_x, cos_x = data.stream(total, config.batch_size, config.time_steps)
    model = build_model(config)
    model.compile(
        optimizer=keras.optimizers.Adam(config.lr, epsilon=1e-8),
        loss=cost,
        metrics=[StepRecord(total, config.time_steps)],
        jit_compile=jit,
        steps_per_execution=steps_per_call,
    )
    ends = {}  # last step of each call → when it ended

    class Clock(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            ends[batch] = time.perf_counter()

    start = time.perf_counter()
    model.fit(
        sin_x,
        cos_x,
        batch_size=config.batch_size,
        shuffle=False,
        verbose=0,
        callbacks=[Clock()],
    )
    first_step = min(ends)
    windows = [
        (ends[(r + 1) * config.steps - 1] - ends[r * config.steps - 1]) / config.steps
        for r in range(1, repeats + 1)
    ]
    return {
        "first_call_s": ends[first_step] - start,  # fit's set-up, tracing, compiling, one call
        "ms_per_step": statistics.median(windows) * 1000,
        "ms_per_step_runs": [w * 1000 for w in windows],
        "steps": config.steps,
        "steps_per_call": steps_per_call,
    }


def time_gif(steps: int = 200, max_frames: int = 200) -> dict:
    """ms per frame and size of the GIF of a real training record."""
    from sine_lstm import plots
    from sine_lstm.callbacks import GifCallback
    from sine_lstm.train import train

    with tempfile.TemporaryDirectory() as folder:
        config = Config(steps=steps, max_frames=max_frames, out=folder, gif=False)
        result = train(config, verbose=False, save=False)
        gif = GifCallback(result.record, config, pictures=None)
        x, target, pred, costs = gif.recorded()
        plots.render_gif(x[:2], target[:2], pred[:2], costs[:2], Path(folder) / "warm.gif")
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            frames = plots.render_gif(
                x, target, pred, costs, Path(folder) / "g.gif", max_frames=max_frames
            )
            times.append(time.perf_counter() - start)
        size = (Path(folder) / "g.gif").stat().st_size
    return {
        "frames": frames,
        "ms_per_frame": statistics.median(times) / frames * 1000,
        "bytes": size,
    }


def time_command(args: list[str], repeats: int = 3) -> dict:
    """Wall time of `python -m sine_lstm ARGS` in a fresh process, everything written.

    "cold": each run with an empty compile cache, so it traces and compiles;
    "warm": runs after one untimed run filled the cache, so they load the program.
    Each is the median of `repeats` runs.
    """
    result = {}
    for kind in ("cold", "warm"):
        times = []
        with tempfile.TemporaryDirectory() as cache:
            for run in range(repeats + (kind == "warm")):
                with tempfile.TemporaryDirectory() as folder:
                    env = {**os.environ, ENV: str(Path(cache) / str(run if kind == "cold" else 0))}
                    start = time.perf_counter()
                    subprocess.run(
                        [sys.executable, "-m", "sine_lstm", *args, "--out", folder],
                        check=True,
                        capture_output=True,
                        env=env,
                    )
                    times.append(time.perf_counter() - start)
                    if not (Path(folder) / "model.keras").is_file():
                        raise RuntimeError(f"{args}: no model written")
        if kind == "warm":
            times = times[1:]  # the run that filled the cache
        result[kind] = statistics.median(times)
        result[f"{kind}_runs"] = times
    return result


def main() -> int:
    reference_before = reference_ms()
    start = time.perf_counter()
    import_keras()
    import_s = time.perf_counter() - start
    d = Config()
    spc = d.steps_per_call
    rows = {
        "ours: our cell, XLA, 20 steps per call": time_training(d, spc, True),
        "keras.layers.LSTM, Keras defaults": time_training(d.replace(cell="keras"), 1, "auto"),
        "keras.layers.LSTM in our training path": time_training(d.replace(cell="keras"), spc, True),
        "ours, 2000 steps (10×)": time_training(d.replace(steps=2000), spc, True, 3),
        "ours, 40 units (4×)": time_training(d.replace(cell_size=40), spc, True),
    }
    ours, keras_default = (rows[name]["ms_per_step"] for name in list(rows)[:2])
    ratio = ours / keras_default
    gif = time_gif()
    gif_2000 = time_gif(steps=2000)
    runs = {
        "defaults": time_command(["train"]),
        "--steps 2000": time_command(["train", "--steps", "2000"], repeats=1),
        "--cell-size 40": time_command(["train", "--cell-size", "40"], repeats=1),
    }
    reference_after = reference_ms()

    lines = [
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"TensorFlow {version('tensorflow')}, Keras {version('keras')}",
        f"machine speed now: a fixed Python loop takes {reference_before:.0f} ms at the start, "
        f"{reference_after:.0f} ms at the end (lower is faster)",
        f"import tensorflow: {import_s:.2f} s",
        "",
        f"| training path (batch 50 × 20 steps) | first call: set-up, trace, compile | "
        f"steady ms/step (median of {REPEATS} × 200 steps) |",
        "| --- | --- | --- |",
    ]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['first_call_s']:.2f} s | {r['ms_per_step']:.2f} |")
    lines += [
        "",
        f"ours / keras.layers.LSTM with Keras defaults: {ratio:.2f}",
        f"GIF, 200 steps: {gif['frames']} frames, {gif['ms_per_frame']:.2f} ms/frame, "
        f"{gif['bytes'] / 1e3:.0f} kB",
        f"GIF, 2000 steps: {gif_2000['frames']} frames, {gif_2000['ms_per_frame']:.2f} "
        f"ms/frame, {gif_2000['bytes'] / 1e3:.0f} kB",
        "",
        "| whole `make gif` (fresh process, every output written) | first run: compiles | "
        "later runs: program from the compile cache |",
        "| --- | --- | --- |",
    ]
    for name, r in runs.items():
        lines.append(f"| {name} | {r['cold']:.2f} s | {r['warm']:.2f} s |")
    print("\n".join(lines))
    out = Path("out")
    out.mkdir(exist_ok=True)
    write_text(
        out / "bench.json",
        json.dumps(
            {
                "machine": lines[0],
                "reference_ms": [reference_before, reference_after],
                "import_s": import_s,
                "training": rows,
                "ratio_ours_to_keras": ratio,
                "gif": gif,
                "gif_2000_steps": gif_2000,
                "make_gif_s": runs,
            },
            indent=2,
        )
        + "\n",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
