"""`make bench`: how fast the demo trains and draws, printed as one table and saved as JSON.

Not a test: timings on a shared machine are noisy, so each number is the median of
several repeats, and ratios are taken within one run of this script.
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sine_lstm.atomic import write_text
from sine_lstm.cli import quiet_tensorflow
from sine_lstm.config import Config

REPEATS = 5


def time_training(config: Config, steps_per_call: int, jit, repeats: int = REPEATS) -> dict:
    """First-fit (trace + compile) time and steady ms/step of `config.steps` steps."""
    import keras

    from sine_lstm import data
    from sine_lstm.callbacks import StepRecord
    from sine_lstm.model import build_model, cost

    keras.utils.set_random_seed(config.seed)
    _, sin_x, cos_x = data.stream(config.steps, config.batch_size, config.time_steps)
    model = build_model(config)
    record = StepRecord(config.steps * (repeats + 1), config.time_steps)
    model.compile(
        optimizer=model.optimizer,
        loss=cost,
        metrics=[record],
        jit_compile=jit,
        steps_per_execution=steps_per_call,
    )

    def fit() -> float:
        model.get_layer("lstm").reset_state()
        start = time.perf_counter()
        model.fit(sin_x, cos_x, batch_size=config.batch_size, shuffle=False, verbose=0)
        return time.perf_counter() - start

    first = fit()  # tracing and compiling happen here, once
    runs = [fit() for _ in range(repeats)]
    return {
        "first_fit_s": first,
        "ms_per_step": statistics.median(runs) / config.steps * 1000,
        "run_s": statistics.median(runs),
        "steps": config.steps,
    }


def time_gif(steps: int = 200, max_frames: int = 200) -> dict:
    """ms per frame and size of the GIF of a real training record."""
    from sine_lstm import plots
    from sine_lstm.callbacks import GifCallback
    from sine_lstm.train import train

    with tempfile.TemporaryDirectory() as folder:
        config = Config(steps=steps, max_frames=max_frames, out=folder, gif=False)
        result = train(config, verbose=False, save=False)
        gif = GifCallback(config, Path(folder) / "g.gif")
        gif.set_record(result.record)
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


def time_command(args: list[str], repeats: int = 3) -> float:
    """Median wall time of `python -m sine_lstm ARGS` in a fresh process."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "sine_lstm", *args, "--out", folder],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    start = time.perf_counter()
    quiet_tensorflow()
    import_s = time.perf_counter() - start
    d = Config()
    rows = {
        "ours": time_training(d, d.steps_per_call, True),
        "keras.layers.LSTM, Keras defaults": time_training(d.replace(cell="keras"), 1, "auto"),
        "keras.layers.LSTM, our settings": time_training(
            d.replace(cell="keras"), d.steps_per_call, True
        ),
        "ours, 2000 steps": time_training(d.replace(steps=2000), d.steps_per_call, True, 3),
        "ours, 40 units": time_training(d.replace(cell_size=40), d.steps_per_call, True),
    }
    gif = time_gif()
    gif_2000 = time_gif(steps=2000)
    make_gif = time_command(["train"])
    make_gif_2000 = time_command(["train", "--steps", "2000"], repeats=1)
    make_gif_40 = time_command(["train", "--cell-size", "40"], repeats=1)
    ratio = rows["ours"]["ms_per_step"] / rows["keras.layers.LSTM, Keras defaults"]["ms_per_step"]

    lines = [
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}",
        f"import tensorflow: {import_s:.2f} s",
        "",
        "| path (batch 50 × 20 steps) | first fit: trace, compile, run | steady ms/step |",
        "| --- | --- | --- |",
    ]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['first_fit_s']:.2f} s | {r['ms_per_step']:.2f} |")
    lines += [
        "",
        f"ours / keras.layers.LSTM (Keras defaults): {ratio:.2f}",
        f"GIF, 200 steps: {gif['frames']} frames, {gif['ms_per_frame']:.2f} ms/frame, "
        f"{gif['bytes'] / 1e3:.0f} kB",
        f"GIF, 2000 steps: {gif_2000['frames']} frames, {gif_2000['ms_per_frame']:.2f} "
        f"ms/frame, {gif_2000['bytes'] / 1e3:.0f} kB",
        f"whole `make gif` (python -m sine_lstm train, fresh process): {make_gif:.2f} s; "
        f"with --steps 2000: {make_gif_2000:.2f} s; with --cell-size 40: {make_gif_40:.2f} s",
    ]
    print("\n".join(lines))
    out = Path("out")
    out.mkdir(exist_ok=True)
    write_text(
        out / "bench.json",
        json.dumps(
            {
                "import_s": import_s,
                "training": rows,
                "ratio_ours_to_keras": ratio,
                "gif": gif,
                "gif_2000_steps": gif_2000,
                "make_gif_s": make_gif,
                "make_gif_2000_steps_s": make_gif_2000,
                "make_gif_40_units_s": make_gif_40,
            },
            indent=2,
        )
        + "\n",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
