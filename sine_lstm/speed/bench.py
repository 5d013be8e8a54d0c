"""`make bench`: what each speed switch buys, printed as one table and saved as JSON.

One row per switch: the textbook path (every switch off: Keras's defaults), each
optimisation added alone to it, and all on. For each row:

- steady ms/step: the median of `WINDOWS` windows of 200 steps, after 200 steps of
  warm-up, clocked by a callback inside one `fit`;
- first call: `fit`'s set-up, tracing, compiling (or loading from the compile
  cache) and the first call;
- the whole `python -m sine_lstm train` (what `make gif` runs) in a fresh process,
  every output written, median of `WHOLE_RUNS` runs taken in turn across the rows.

Each row is measured in a fresh process, so that the switches that act before
TensorFlow loads (the thread count, the compile cache) act as in a real run. The
compile cache is bench-private (`SINE_LSTM_CACHE` set to a temporary folder): rows
with the cache on are measured warm, after an untimed run that compiled the same
program into it. Also: `keras.layers.LSTM` in place of our cell, with Keras's
defaults and with every switch on; the GIF; and a fixed Python loop timed at the
start and at the end, to see how fast this (shared) machine was meanwhile.

Not a test: timings on a shared machine are noisy, so compare rows of one run.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from sine_lstm.atomic import write_text
from sine_lstm.config import Config
from sine_lstm.quiet import import_keras
from sine_lstm.speed import PLAIN, Switches
from sine_lstm.speed.compile_cache import ENV

WINDOWS = 5  # steady windows of `Config.steps` (200) steps, after one of warm-up
WHOLE_RUNS = 3  # whole `python -m sine_lstm train` runs per row
REFERENCE_REPEATS = 5
MODULE = "sine_lstm.speed.bench"  # run as `python -m MODULE --measure SPEC` for one row
# what a whole run writes (train.OUTPUTS and logs/; not imported: that would load Keras here)
WRITTEN = (
    "metrics.csv",
    "model.keras",
    "config.json",
    "sine_lstm.gif",
    "final.png",
    "cost.png",
    "logs",
)

TEXTBOOK = PLAIN  # every switch off: Keras's defaults
ALL_ON = Switches()
NEEDS = {  # what a switch needs on to act at all; its "alone" row has those on too
    "fused": ("xla", "steps_per_call"),
    "compile_cache": ("xla",),
    "lean_imports": ("painter",),  # on TensorFlow it keeps pyplot out while the painter draws
}
WHOLE_ONLY = ("painter", "lean_imports")  # act on start-up and the pictures, not on the steps
LABELS = {
    "steps_per_call": f"{ALL_ON.steps_per_call} steps per call",
    "xla": "XLA",
    "fused": "fused",
    "compile_cache": "compile cache",
    "painter": "painter",
    "one_thread": "one thread",
    "lean_imports": "lean imports",
}


@dataclass(frozen=True)
class Row:
    name: str
    switches: Switches
    cell: str = "lstm"
    in_process: bool = True  # False: the switch acts only on the whole run
    whole: bool = True  # time the whole `python -m sine_lstm train` too
    backend: str = "tensorflow"


def alone(name: str) -> Switches:
    """The textbook path with switch `name` on, and what it needs (`NEEDS`)."""
    return dataclasses.replace(
        TEXTBOOK, **{n: getattr(ALL_ON, n) for n in (name, *NEEDS.get(name, ()))}
    )


def switch_rows() -> list[Row]:
    """Textbook, each switch added alone (with what it needs), all on."""
    rows = [Row("textbook: every switch off (Keras's defaults)", TEXTBOOK)]
    for field in dataclasses.fields(Switches):
        name, needs = field.name, NEEDS.get(field.name, ())
        label = f"+ {LABELS.get(name, name)}"
        if needs:
            label += f" (with {' + '.join(LABELS.get(n, n) for n in needs)})"
        if name == "fused":  # what fused replaces: Keras's own loop over the same steps
            keras_loop = dataclasses.replace(alone(name), fused=False)
            base = " + ".join(LABELS.get(n, n) for n in needs)
            rows.append(Row(f"+ {base}: Keras's loop (fused's baseline)", keras_loop, whole=False))
        if name == "compile_cache":
            label += ", warm"
        rows.append(Row(label, alone(name), in_process=name not in WHOLE_ONLY))
    return [*rows, Row("all on, compile cache warm", ALL_ON)]


ROWS = switch_rows()
BACKENDS = [  # every switch on, per Keras backend that is installed
    Row(f"{backend}, all on", ALL_ON, backend=backend)
    for backend, package in (("tensorflow", "tensorflow"), ("jax", "jax"), ("torch", "torch"))
    if importlib.util.find_spec(package) is not None
]
BACKEND_WINDOWS = {"torch": 2}  # PyTorch runs eagerly, about 40 ms a step: fewer windows
KERAS_ROWS = [
    Row("keras.layers.LSTM, textbook (Keras's defaults)", TEXTBOOK, "keras", whole=False),
    Row("keras.layers.LSTM, all on, compile cache warm", ALL_ON, "keras", whole=False),
]


def flags(switches: Switches) -> list[str]:
    """The command-line flags that give `switches` (`--plain` if it is PLAIN)."""
    if switches == PLAIN:
        return ["--plain"]
    result = []
    for field in dataclasses.fields(Switches):
        value = getattr(switches, field.name)
        if value != field.default:
            flag = field.metadata.get("name", "--" + field.name.replace("_", "-"))
            result += [flag] if isinstance(value, bool) else [flag, str(value)]
    return result


def reference_ms(repeats: int = REFERENCE_REPEATS) -> float:
    """A fixed pure-Python workload, to see how fast this (shared) machine is right now."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def machine() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace").splitlines()
        cpu = next(
            line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor() or "cpu"
    return (
        f"{platform.machine()}, {cpu}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, TensorFlow {version('tensorflow')}, Keras {version('keras')}"
    )


# --- in a fresh process: one row's steady ms/step and first call -----------------------


def time_training(config: Config, session, windows: int, fill: bool = False) -> dict:
    """First call and steady ms/step of the lesson's compile and fit, with `session`'s switches.

    One `fit` over `config.steps` steps of warm-up then `windows` windows of
    `config.steps` steps; a callback after the lesson's own clocks the end of every
    call, and a window's time runs from the end of its previous step to the end of
    its last one. `fill`: stop after the first call (to fill the compile cache).
    """
    import keras

    from sine_lstm import data
    from sine_lstm.callbacks import CostPrinter, ResetStateEachEpoch, StepRecord
    from sine_lstm.model import build_model, cost

    total = config.steps * (windows + 1)
    keras.utils.set_random_seed(config.seed)
    _, sin_x, cos_x = data.stream(total, config.batch_size, config.time_steps)
    model = build_model(config)
    record = StepRecord(total, config.time_steps)
    model.compile(  # as train.py compiles
        optimizer=keras.optimizers.Adam(learning_rate=config.lr, epsilon=1e-8),
        loss=cost,
        metrics=[record],
        **session.compile_options(),
    )
    ends = {}  # last step of each call → when it ended

    class Clock(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            ends[batch] = time.perf_counter()
            if fill:
                self.model.stop_training = True

    start = time.perf_counter()
    model.fit(
        sin_x,
        cos_x,
        batch_size=config.batch_size,
        shuffle=False,
        verbose=0,
        callbacks=[
            ResetStateEachEpoch(),
            CostPrinter(record, total, verbose=False),  # reads the record after every call
            *session.callbacks(),
            Clock(),
        ],
    )
    first_call_s = ends[min(ends)] - start
    if fill:
        return {"first_call_s": first_call_s}
    if record.done() != total:
        raise RuntimeError(f"fit ran {record.done()} of {total} steps")
    steps = config.steps
    runs = [
        (ends[(w + 1) * steps - 1] - ends[w * steps - 1]) / steps * 1000
        for w in range(1, windows + 1)
    ]
    return {
        "first_call_s": first_call_s,  # fit's set-up, tracing, compiling, one call
        "ms_per_step": statistics.median(runs),
        "ms_per_step_runs": runs,
    }


def measure(spec: dict) -> dict:
    """One row, in this (fresh) process: the switches set up as `sine-lstm train` does."""
    from sine_lstm import speed

    switches = Switches(**spec["switches"])
    config = Config(**spec["config"])
    backend = spec.get("backend", "tensorflow")
    with speed.session(switches, config.replace(gif=False), backend) as session:
        start = time.perf_counter()
        import_keras(around=session.imports())
        import_s = time.perf_counter() - start
        session.after_import()
        result = time_training(config, session, spec["windows"], spec["fill"])
    return {**result, "import_s": import_s}


# --- in this process: run the rows ------------------------------------------------------


def python(args: list[str], env: dict, what: str) -> str:
    """Run `python ARGS` in a fresh process; its stdout, or RuntimeError with its stderr."""
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{what}: exit status {done.returncode}\n{done.stderr[-3000:]}")
    return done.stdout


def in_process(row: Row, env: dict, windows: int = WINDOWS) -> dict:
    """Steady ms/step and first call of `row`, in a fresh process (warm if the cache is on)."""
    spec = {
        "switches": dataclasses.asdict(row.switches),
        "config": {"cell": row.cell},
        "windows": windows,
        "fill": False,
        "backend": row.backend,
    }
    env = {**env, "KERAS_BACKEND": row.backend}
    if row.switches.compile_cache and row.backend != "torch":  # an untimed run fills the cache
        python(["-m", MODULE, "--measure", json.dumps({**spec, "fill": True})], env, row.name)
    out = python(["-m", MODULE, "--measure", json.dumps(spec)], env, row.name)
    return json.loads(out.strip().splitlines()[-1])


def whole_run(row: Row, env: dict) -> float:
    """Wall time of `python -m sine_lstm train FLAGS` in a fresh process, every output written."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        args = ["train", *flags(row.switches), "--backend", row.backend, "--out", folder]
        python(["-m", "sine_lstm", *args], env, row.name)
        seconds = time.perf_counter() - start
        missing = [name for name in WRITTEN if not (Path(folder) / name).exists()]
        if missing:
            raise RuntimeError(f"{row.name}: {', '.join(missing)} not written")
    return seconds


def time_gif(steps: int = 200, max_frames: int = 200, repeats: int = 5) -> dict:
    """ms per frame and size of the GIF of a real training record."""
    from sine_lstm import plots
    from sine_lstm.callbacks import recorded
    from sine_lstm.train import train

    with tempfile.TemporaryDirectory() as folder:
        config = Config(steps=steps, max_frames=max_frames, out=folder, gif=False)
        result = train(config, verbose=False, save=False)
        x, target, pred, costs = recorded(result.record, config)
        plots.render_gif(x[:2], target[:2], pred[:2], costs[:2], Path(folder) / "warm.gif")
        times = []
        for _ in range(repeats):
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


def say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def seconds_cell(runs: list[float]) -> str:
    return f"{statistics.median(runs):.2f} s ({', '.join(f'{s:.2f}' for s in runs)})"


def table(rows: list[Row], results: dict, whole: dict) -> list[str]:
    lines = [
        f"| path (batch 50 × 20 steps, 10 units) | flags | steady ms/step (median of "
        f"{WINDOWS} × 200 steps) | first call: set-up, trace, compile | whole `make gif`, "
        f"fresh process: median (runs) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        r = results.get(row.name)
        step = f"{r['ms_per_step']:.2f}" if r else "as textbook"
        first = f"{r['first_call_s']:.2f} s" if r else "as textbook"
        total = seconds_cell(whole[row.name]) if row.name in whole else "—"
        shown = " ".join(flags(row.switches)) or "(none: all on)"
        lines.append(f"| {row.name} | `{shown}` | {step} | {first} | {total} |")
    return lines


def backend_table(results: dict, whole: dict) -> list[str]:
    """One column per backend, every switch on (the command line's defaults)."""
    names = [row.backend for row in BACKENDS]
    r = {row.backend: results[row.name] for row in BACKENDS}
    w = {row.backend: whole[row.name] for row in BACKENDS}
    tf_whole = statistics.median(w["tensorflow"])
    steps = {b: f"{r[b]['ms_per_step']:.2f}" for b in names}
    lines = [
        "| every switch on | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
        "| steady ms/step | " + " | ".join(steps[b] for b in names) + " |",
        "| first call | " + " | ".join(f"{r[b]['first_call_s']:.2f} s" for b in names) + " |",
        "| whole `make gif BACKEND=…`: median (runs) | "
        + " | ".join(seconds_cell(w[b]) for b in names)
        + " |",
        "| whole run, faster than TensorFlow by | "
        + " | ".join(f"{1 - statistics.median(w[b]) / tf_whole:.0%}" for b in names)
        + " |",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--measure"]:  # a row's fresh process
        print(json.dumps(measure(json.loads(argv[1]))))
        return 0

    began = time.perf_counter()
    reference_before = reference_ms()
    results, whole = {}, {}
    with tempfile.TemporaryDirectory(prefix="sine_lstm_bench_cache_") as cache:
        env = {**os.environ, ENV: cache, "MPLBACKEND": os.environ.get("MPLBACKEND", "Agg")}
        env["KERAS_BACKEND"] = os.environ["KERAS_BACKEND"] = "tensorflow"  # fused: TensorFlow
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        for row in ROWS + KERAS_ROWS:
            if row.in_process:
                results[row.name] = in_process(row, env)
                r = results[row.name]
                say(f"{row.name}: {r['ms_per_step']:.2f} ms/step, first {r['first_call_s']:.2f} s")
        timed = [row for row in ROWS if row.whole]
        for row in timed:  # an untimed run compiles the program a warm row loads
            if row.switches.compile_cache:
                whole_run(row, env)
        for run in range(WHOLE_RUNS):  # in turn, so that the machine's drift spreads over rows
            for row in timed:
                whole.setdefault(row.name, []).append(whole_run(row, env))
            say(f"whole runs {run + 1} of {WHOLE_RUNS} done")
        for row in BACKENDS:  # every switch on, per backend
            results[row.name] = in_process(row, env, BACKEND_WINDOWS.get(row.backend, WINDOWS))
            whole_run(row, env)  # untimed: fills the compile cache
        for _run in range(WHOLE_RUNS):
            for row in BACKENDS:
                whole.setdefault(row.name, []).append(whole_run(row, env))
        say("backends done")
    import_keras()
    gif = time_gif()
    reference_after = reference_ms()

    ours = {"textbook": results[ROWS[0].name], "all on": results[ROWS[-1].name]}
    keras_lstm = {"textbook": results[KERAS_ROWS[0].name], "all on": results[KERAS_ROWS[1].name]}
    imports = [r["import_s"] for r in results.values()]
    lines = [
        f"machine: {machine()}",
        f"machine speed: a fixed Python loop took {reference_before:.0f} ms at the start, "
        f"{reference_after:.0f} ms at the end (lower is faster); importing TensorFlow took "
        f"{min(imports):.2f}–{max(imports):.2f} s",
        "",
        *table(ROWS, results, whole),
        "",
        "Each measurement is a fresh process. 'Keras's loop': Keras's own loop over the "
        "steps of a call; 'fused': those steps as one XLA program (fused_loop.py). Rows with "
        "the compile cache load the program an untimed run compiled into a bench-private "
        "cache. '—': not timed (to keep the bench short).",
        "",
        *backend_table(results, whole),
        "",
        "| keras.layers.LSTM in place of our cell | steady ms/step | first call |",
        "| --- | --- | --- |",
    ]
    for row in KERAS_ROWS:
        r = results[row.name]
        lines.append(f"| {row.name} | {r['ms_per_step']:.2f} | {r['first_call_s']:.2f} s |")
    lines += [
        "",
        "ms/step, ours / keras.layers.LSTM: textbook "
        f"{ours['textbook']['ms_per_step'] / keras_lstm['textbook']['ms_per_step']:.2f}, "
        f"all on {ours['all on']['ms_per_step'] / keras_lstm['all on']['ms_per_step']:.2f}; "
        "ours all on / keras.layers.LSTM with Keras's defaults: "
        f"{ours['all on']['ms_per_step'] / keras_lstm['textbook']['ms_per_step']:.2f}",
        f"GIF, 200 steps: {gif['frames']} frames, {gif['ms_per_frame']:.2f} ms/frame, "
        f"{gif['bytes'] / 1e3:.0f} kB",
        f"bench took {time.perf_counter() - began:.0f} s",
    ]
    print("\n".join(lines))
    write_text(
        Path("out") / "bench.json",
        json.dumps(
            {
                "machine": machine(),
                "reference_ms": [reference_before, reference_after],
                "rows": [
                    {
                        "name": row.name,
                        "cell": row.cell,
                        "switches": dataclasses.asdict(row.switches),
                        "flags": flags(row.switches),
                        **results.get(row.name, {}),
                        "whole_run_s": statistics.median(whole[row.name])
                        if row.name in whole
                        else None,
                        "whole_run_s_runs": whole.get(row.name, []),
                    }
                    for row in ROWS + KERAS_ROWS + BACKENDS
                ],
                "gif": gif,
                "seconds": time.perf_counter() - began,
            },
            indent=2,
        )
        + "\n",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
