"""The speed layer: switches that make the demo fast, apart from the lesson.

The lesson (`config`, `data`, `cell`, `model`, `train`, `callbacks`, `plots`)
never imports this package; `train()` takes what it gives through plain
arguments (`compile_options`, `extra_callbacks`, `pictures`). The command line
turns every switch on; `sine-lstm train --plain` turns them all off, which is
the textbook Keras path: the same costs (to 1e-5) and the same GIF frames, up to
a few anti-aliased pixels where XLA rounds differently.

Each switch, what it buys (`make bench`, 2-core x86_64, TensorFlow, medians of
three runs; docs/speed.md has the tables), and how it is switched off. Textbook:
3.19 ms/step, whole `make gif` 6.40 s; all on: 0.53 ms/step, 5.47 s.

1. `steps_per_call` — `compile(steps_per_execution=20)`: Keras runs 20 steps per
   call into the backend instead of 1 (TensorFlow, JAX): 42 % less per step.
   Off: `--steps-per-call 1`.
2. `xla` — `compile(jit_compile=True)`: the training step compiled by XLA (on a
   CPU, Keras's default on TensorFlow is no XLA; JAX always compiles): 40 % less
   per step, but about 1 s of compiling per run without (4). Off: `--no-xla`.
3. `fused` — `fused_loop.FusedSteps`: those 20 steps as ONE XLA program, Keras's
   unchanged `train_step` in a `tf.while_loop`, traced once (TensorFlow only):
   19 % less per step and 0.2 s less first call than (1) + (2). Off: `--no-fused`.
4. `compile_cache` — `compile_cache.CompileCache`: the compiled program kept on
   disk, checked, for the next run (TensorFlow's XLA cache, JAX's compilation
   cache): about 1 s of every run after the first. Off: `--no-compile-cache` or
   `SINE_LSTM_CACHE=off`.
5. `painter` — `painter.Painter`: a second process imports matplotlib while the
   backend loads and draws the pictures on the other core: 0.6 s with the other
   switches on. Off: `--no-painter` (drawn in the training process, the same bytes).
6. `one_thread` — the backend on one thread: the matrices are 50 × 40, and waking
   a second thread costs more than it saves: 30 % less per step (PyTorch: 5×).
   Off: `--threads`.
7. `lean_imports` — keep Keras from importing what the run never uses:
   `matplotlib.pyplot` while the painter draws (0.3 s), and TensorFlow on JAX or
   PyTorch (`keras.utils.set_random_seed` imports it to seed it: 2–3 s). Off:
   `--full-imports`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sine_lstm.config import Config, setting


@dataclass(frozen=True)
class Switches:
    """Every optimisation, on; `PLAIN` has them all off (the textbook path)."""

    steps_per_call: int = setting(
        20, "training steps per call into the backend (Keras's steps_per_execution); 1 is off"
    )
    xla: bool = setting(
        True,
        "compile the training step with XLA (compile's jit_compile=True)",
        name="--no-xla",
        off="Keras's default (on TensorFlow on a CPU: no XLA)",
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
        True, "run the backend on one thread", name="--threads", off="the backend's own threads"
    )
    lean_imports: bool = setting(
        True,
        "keep Keras from importing what the run never uses",
        name="--full-imports",
        off="let Keras import pyplot, and TensorFlow on any backend",
    )

    def compile_options(self, backend: str = "tensorflow") -> dict:
        """Options for `model.compile` (none: Keras's defaults)."""
        if backend == "torch":  # one step per call only; jit_compile would mean torch.compile
            return {}
        options = {"steps_per_execution": self.steps_per_call} if self.steps_per_call > 1 else {}
        return {**options, "jit_compile": True} if self.xla else options


PLAIN = Switches(**{f.name: False for f in dataclasses.fields(Switches)} | {"steps_per_call": 1})


@dataclass
class Session:
    """What the switches set up around one training run (see `session`)."""

    switches: Switches
    backend: str
    pictures: object | None = None  # a started painter, or None: drawn in-process
    cache_active: bool = False
    opened: list = dataclasses.field(default_factory=list)  # callbacks to close at the end

    def imports(self, show: bool = False) -> contextlib.AbstractContextManager:
        """Around the import of Keras: what `lean_imports` keeps out."""
        blocked = []
        if self.switches.lean_imports and self.pictures is not None and not show:
            blocked.append("matplotlib")  # Keras imports pyplot for two helpers we never call
        return keep_out(*blocked)

    def after_import(self) -> None:
        """After Keras is imported, before it computes anything."""
        if self.switches.one_thread and self.backend == "tensorflow":
            import tensorflow as tf

            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        if self.switches.one_thread and self.backend == "torch":
            import torch

            torch.set_num_threads(1)

    def compile_options(self) -> dict:
        return self.switches.compile_options(self.backend)

    def callbacks(self) -> list:
        """Callbacks for `fit` (none: Keras's own training loop, every log line shown)."""
        callbacks = []
        if self.switches.fused and self.backend == "tensorflow":
            from sine_lstm.speed.fused_loop import FusedSteps

            callbacks.append(FusedSteps())
        if self.cache_active and self.backend == "tensorflow":
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
def session(switches: Switches, config: Config, backend: str = "tensorflow"):
    """Set up the switches that must act before the backend is imported; undo them after.

    The painter starts first (it imports matplotlib while we load the backend),
    then the compile cache and the thread settings (read at import).
    """
    from sine_lstm.speed import compile_cache

    painter = None
    if switches.painter and config.gif:
        from sine_lstm.speed.painter import Painter

        gif_path = config.gif_path or Path(config.out) / "sine_lstm.gif"
        with contextlib.suppress(OSError):  # no painter: the pictures are drawn here
            painter = Painter(gif_path, config.out, config.fps, config.max_frames)
    folder = compile_cache.root() if switches.compile_cache else None
    saved_flags = os.environ.get("XLA_FLAGS")
    if switches.one_thread and backend == "jax":
        one_thread = "--xla_cpu_multi_thread_eigen=false"  # XLA's CPU kernels on one thread
        os.environ["XLA_FLAGS"] = f"{saved_flags or ''} {one_thread}".strip()
    tensorflow_out = switches.lean_imports and backend != "tensorflow"
    try:
        with (
            keep_out("tensorflow") if tensorflow_out else contextlib.nullcontext(),
            compile_cache.CompileCache(folder, backend) as cache,
        ):
            current = Session(switches, backend, painter, cache.active)
            try:
                yield current
            finally:
                current.close()
    finally:
        if painter is not None:
            painter.close()
        if saved_flags is None:
            os.environ.pop("XLA_FLAGS", None)
        else:
            os.environ["XLA_FLAGS"] = saved_flags


@contextlib.contextmanager
def keep_out(*modules: str):
    """Within the block, `import` of these modules raises ImportError (if not yet loaded).

    Keras imports some modules only if they can be imported, and works without:
    `matplotlib.pyplot` at start-up, TensorFlow in `set_random_seed`. Importing
    them after the block works as usual.
    """
    blocked = [name for name in modules if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # `import name` raises ImportError
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
