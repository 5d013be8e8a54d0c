"""The speed layer: switches that make the demo fast, apart from the lesson.

The lesson (`config`, `data`, `cell`, `model`, `train`, `callbacks`, `plots`)
never imports this package; `train()` takes what it gives through plain
arguments (`compile_options`, `extra_callbacks`, `pictures`). The command line
turns every switch on; `sine-lstm train --plain` turns them all off, which is
the textbook Keras path, and gives the same cost at every step and the same GIF.

Each switch, what it buys (measured by `make bench`, 2-core x86_64, medians; see
docs/speed.md), and how it is switched off:

1. `steps_per_call` — `compile(steps_per_execution=20)`: Keras runs 20 steps per
   call into TensorFlow instead of 1. Off: `--steps-per-call 1`.
2. `fused` — `fused_loop.FusedSteps`: those 20 steps as ONE XLA program, Keras's
   unchanged `train_step` in a `tf.while_loop`, traced once (TensorFlow only).
   About 25 % per step and 0.7 s of first call against (1) alone. Off: `--no-fused`.
3. `compile_cache` — `compile_cache.CompileCache`: the XLA-compiled program kept
   on disk, checked, for the next run; about 1.5 s of a default run. Off:
   `--no-compile-cache` or `SINE_LSTM_CACHE=off`.
4. `painter` — `painter.Painter`: a second process imports matplotlib while
   TensorFlow loads and draws the pictures on the other core; 0.5–1 s. Off:
   `--no-painter` (drawn in the training process, the same bytes).
5. `one_thread` — TensorFlow on one thread: the matrices are 50 × 40, and waking
   a second thread costs more than it saves. Off: `--threads`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

from sine_lstm.config import Config, setting


@dataclass(frozen=True)
class Switches:
    """Every optimisation, on; `PLAIN` has them all off (the textbook path)."""

    steps_per_call: int = setting(
        20, "training steps per call into TensorFlow (Keras's steps_per_execution); 1 is off"
    )
    xla: bool = setting(
        True,
        "compile the training step with XLA (compile's jit_compile=True)",
        name="--no-xla",
        off="Keras's default: on a CPU, no XLA",
    )
    fused: bool = setting(
        True,
        "run those steps as one XLA program (TensorFlow)",
        name="--no-fused",
        off="Keras's own loop over those steps",
    )
    compile_cache: bool = setting(
        True,
        "keep the compiled program on disk for the next run",
        name="--no-compile-cache",
        off="compile every run (also: SINE_LSTM_CACHE=off)",
    )
    painter: bool = setting(
        True,
        "draw the pictures in a second process",
        name="--no-painter",
        off="draw the pictures in the training process",
    )
    one_thread: bool = setting(
        True, "run TensorFlow on one thread", name="--threads", off="TensorFlow's own thread pools"
    )

    def compile_options(self) -> dict:
        """Options for `model.compile` (none: Keras's defaults)."""
        options = {"steps_per_execution": self.steps_per_call} if self.steps_per_call > 1 else {}
        return {**options, "jit_compile": True} if self.xla else options


PLAIN = Switches(
    steps_per_call=1, xla=False, fused=False, compile_cache=False, painter=False, one_thread=False
)


@dataclass
class Session:
    """What the switches set up around one training run (see `session`)."""

    switches: Switches
    pictures: object | None = None  # a started painter, or None: drawn in-process
    cache_active: bool = False
    opened: list = dataclasses.field(default_factory=list)  # callbacks to close at the end

    def after_import(self) -> None:
        """After Keras is imported, before it computes anything."""
        if self.switches.one_thread:
            import tensorflow as tf

            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)

    def callbacks(self) -> list:
        """Callbacks for `fit` (none: Keras's own training loop, every log line shown)."""
        callbacks = []
        if self.switches.fused:
            from sine_lstm.speed.fused_loop import FusedSteps

            callbacks.append(FusedSteps())
        if self.cache_active:
            from sine_lstm.speed.quiet_load import QuietLoad

            callbacks.append(QuietLoad())
        self.opened += callbacks
        return callbacks

    def finish(self) -> None:
        """Wait for the pictures (raises `painter.PainterError` if they failed)."""
        if self.pictures is not None:
            self.pictures.wait()

    def close(self) -> None:
        for callback in self.opened:
            if hasattr(callback, "close"):
                callback.close()


@contextlib.contextmanager
def session(switches: Switches, config: Config):
    """Set up the switches that must act before TensorFlow is imported; undo them after.

    The painter starts first (it imports matplotlib while we load TensorFlow),
    then the compile cache (TensorFlow reads its flag at import).
    """
    from sine_lstm.speed import compile_cache

    painter = None
    if switches.painter and config.gif:
        from sine_lstm.speed.painter import Painter

        gif_path = config.gif_path or Path(config.out) / "sine_lstm.gif"
        with contextlib.suppress(OSError):  # no painter: the pictures are drawn here
            painter = Painter(gif_path, config.out, config.fps, config.max_frames)
    folder = compile_cache.root() if switches.compile_cache else None
    try:
        with compile_cache.CompileCache(folder) as cache:
            current = Session(switches, painter, cache.active)
            try:
                yield current
            finally:
                current.close()
    finally:
        if painter is not None:
            painter.close()


def switches_from(values: dict) -> Switches:
    """`Switches` from parsed flags (unknown keys ignored)."""
    names = {f.name for f in dataclasses.fields(Switches)}
    return Switches(**{k: v for k, v in values.items() if k in names})


@contextlib.contextmanager
def keep_pyplot_out():
    """While importing Keras, keep it from importing `matplotlib.pyplot` (0.3–0.5 s).

    Keras imports it at start-up for two image helpers we never call. Worth it
    when the painter draws and no window is shown; importing matplotlib later
    works as usual.
    """
    if "matplotlib" in sys.modules:
        yield
        return
    sys.modules["matplotlib"] = None  # `import matplotlib` raises ImportError
    try:
        yield
    finally:
        del sys.modules["matplotlib"]
