"""`sine-lstm train`: `train()` inside its output folder, and what Ctrl-C does around it.

The folder is the command line's: one run at a time (`outputs.Lock`, taken before the
backend loads, so a busy folder is refused at once), the run's files written into
`OUT/.sine-lstm.run/` (`outputs.Staging`) and put in place together when it ends with
something to show, its settings in config.json, a diverged run's costs in `OUT/diverged/`.

Ctrl-C or SIGTERM (`Signals`):
- before training has begun (the backend loading, the model being built): the run ends at
  once, nothing written, nothing replaced;
- while it trains: `train()`'s own `StopOnSignal` stops it after the current call, the
  steps done are written and put in place; a second signal leaves at once, nothing replaced;
- after training, while the set is put in place: it is put in place, then the run exits.
The exit status is 128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import shutil
import signal
import sys
from pathlib import Path

from sine_lstm.cli.exits import USAGE_ERROR, fail
from sine_lstm.cli.outputs import PLACED, STAGING, Busy, Lock, Staging, write_text
from sine_lstm.cli.speed import load_backend
from sine_lstm.config import Config

SIGNALS = (signal.SIGINT, signal.SIGTERM)
PREFIX = "sine-lstm: "
NO_GIF = "no GIF: the remember task's inputs are noise; final.png draws each answer it gave"
NOTHING = 0.9  # a final cost this near what remembering nothing costs: nothing was learned
LEARNED_NOTHING = (
    "sine-lstm: it learned nothing: its final cost is {relative} of what remembering nothing "
    "costs; try {hint}"
)
HINTS = {"lr": f"a smaller learning rate, such as {Config.lr:g}", "steps": "more steps"}


def learned_nothing(config: Config, final: float, memoryless: float | None) -> str | None:
    """The one line that says a run learned nothing, with what to try; None if it learned."""
    if memoryless is None or not final >= NOTHING * memoryless:
        return None
    hint = HINTS["lr" if config.lr > Config.lr else "steps"]
    return LEARNED_NOTHING.format(relative=f"{final / memoryless:.2f}", hint=hint)


class Signals:
    """Ctrl-C and SIGTERM outside `train()`'s own handling: set once, when the command starts.

    Before training begins, a signal undoes what the run has made (`undo`: its staging
    folder, its lock) and ends the process at once. Once training has begun (`begun`),
    `train()` handles the signals itself until it returns; a signal after that is kept
    (`got`) while the set is put in place, and the run exits with it.
    """

    def __init__(self):
        self.stderr = os.dup(2)  # our line reaches the terminal while TensorFlow's are hidden
        self.undo: list = []  # what to take back if a signal ends the run before training
        self.begun = False  # training has begun: `train()` takes the signals from here on
        self.got: int | None = None  # a signal that came after training
        for signum in SIGNALS:
            signal.signal(signum, self.handle)

    def handle(self, signum, frame):
        if self.begun:
            self.got = self.got or signum
            return
        for step in reversed(self.undo):
            with contextlib.suppress(OSError):
                step()
        name = signal.Signals(signum).name
        os.write(
            self.stderr,
            f"{PREFIX}stopped by {name} before its first step; nothing written\n".encode(),
        )
        os._exit(128 + signum)


@contextlib.contextmanager
def held():
    """No signal is handled inside: a set is never left half put in place (POSIX only)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


def run_train(args, signals: Signals, watch=()) -> int:
    """Train `args.config` in its folder; the exit status. `watch`: more callbacks for `train`."""
    config = args.config
    out = Path(config.out)  # `--out d/` is said as d/, not d//
    try:
        lock = Lock(out)  # before the backend loads: a busy folder is refused at once
    except Busy as err:
        return fail(f"--out {err}", USAGE_ERROR)
    signals.undo.append(lock.release)
    try:
        with held():  # a set left half in place by a killed run is finished first
            stage = Staging(out)
        signals.undo.append(lambda: shutil.rmtree(stage.folder))
        load_backend(args.backend, args.plain)
        return train_in(stage, args, signals, watch)
    finally:
        with held():
            lock.release()


def train_in(stage: Staging, args, signals: Signals, watch) -> int:
    """`train()` into the staging folder, then its set in place; the exit status."""
    import keras

    from sine_lstm import plots
    from sine_lstm.callbacks import Interrupted
    from sine_lstm.train import GIF, Diverged, train

    class Begun(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            signals.begun = True  # from here on, train() takes the signals

    config = args.config
    out = Path(config.out)
    kept = "the previous run's outputs are as they were"
    loaded = args.loaded  # a CSV's series, read and checked once
    stream = None  # the post's sin x → cos x: train()'s own
    if config.task == "forecast":
        from sine_lstm.forecasting import series

        loaded = loaded or series.load(config)
        stream = series.stream(config, loaded)
    try:
        try:
            result = train(config, stage.folder, stream, [Begun(), *watch], verbose=not args.quiet)
        finally:
            signals.begun = True  # from here on, a signal is kept until the set is in place
        done = len(result.costs)
        if done:  # stopped before a step: nothing to show, nothing replaced
            write_settings(stage.folder, config, loaded, done, result)
            with held():
                gone = stage.place({GIF: Path(config.gif_path)} if config.gif_path else None)
    except Interrupted as err:
        stage.discard()
        when = "twice; nothing written" if err.again else "before its first step; nothing written"
        return fail(f"stopped by {err} {when}", 128 + err.signum, prefix=PREFIX)
    except Diverged as err:
        write_settings(stage.folder, config, loaded, err.steps_done)
        folder = stage.keep_diverged(("metrics.csv", "config.json"))
        return fail(f"diverged: {err}; its costs are in {folder}/", 1, prefix=PREFIX)
    except OSError as err:  # e.g. the disk filled up, or a folder vanished mid-run
        if (out / STAGING / PLACED).exists():  # it failed while put in place
            kept = "its set is half in place; the next run into that folder finishes it"
        stage.discard()
        return fail(f"cannot write {err.filename or config.out}: {err.strerror}; {kept}", 1)
    signum = result.signum or signals.got
    if done and gone:
        names = ", ".join(gone)
        print(f"removed from {out}/ with the previous run (this one writes none there): {names}")
    if signum is not None:
        name = signal.Signals(signum).name
        when = f"after {done} of {config.total_steps} steps; wrote {out}/ for those steps"
        if not done:
            when = "before its first step; nothing written"
        return fail(f"stopped by {name} {when}", 128 + signum, prefix=PREFIX)
    if not args.quiet:
        print(f"{plots.FINAL}: {result.final_cost:.4f}")
        if result.memoryless_cost is not None:
            print(f"{plots.MEMORYLESS}: {result.memoryless_cost:.4f}")
        if config.task == "remember":
            print(NO_GIF)
        print(f"wrote {out}/")
        nothing = learned_nothing(config, result.final_cost, result.memoryless_cost)
        if nothing:
            print(nothing, file=sys.stderr)
    return 0


def write_settings(folder: Path, config: Config, loaded, done: int, result=None) -> None:
    """config.json: the settings, the steps asked and done, the final and memoryless costs (not
    a diverged run's), what trained it, a forecast's scale."""
    settings = dataclasses.asdict(config)
    settings |= {"steps_asked": config.total_steps, "steps_done": done}
    if result is not None:  # as printed, unrounded; no memoryless cost for a forecast (None)
        settings |= {"final_cost": result.final_cost, "memoryless_cost": result.memoryless_cost}
    settings |= {"backend": backend(), "versions": versions()}
    if loaded is not None:  # forecast reports in the series' units: its scale goes with it
        settings["scale"] = {"mean": loaded.mean, "std": loaded.std}
        settings["scale"] |= {"train_points": loaded.train_points, "units": loaded.units}
    write_text(folder / "config.json", json.dumps(settings, indent=2) + "\n")


def backend() -> str:
    import keras

    return keras.backend.backend()


def versions() -> dict[str, str]:
    """The versions of Keras and of the backend that trained the model."""
    import keras

    return {"keras": keras.__version__, backend(): importlib.import_module(backend()).__version__}
