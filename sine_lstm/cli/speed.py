"""What makes the command line's runs fast: a few lines of Keras, JAX and backend API.

1. `steps_per_execution=20` in train.py's one `compile` (`Config.steps_per_call`):
   Keras runs 20 training steps per call into the backend instead of 1.
2. The backend on one thread (`one_thread`): the matrices are 50 × 40, and waking
   a second thread costs more than it saves.
3. JAX's own persistent compilation cache (`jax_cache`): the training step is
   compiled once per machine, not once per run.
4. One framework per process (`keep_out_others`): `import tensorflow` imports JAX
   when it is installed, and `keras.utils.set_random_seed` imports TensorFlow on
   any backend; neither is needed, and JAX's garbage-collection hook can swallow
   a Ctrl-C.

`sine-lstm train --plain` is Keras's defaults: 1 step per call, the backend's own
threads, no compilation cache. `make bench` measures each.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sine_lstm.cli.checks import BACKENDS


def load_backend(backend: str, plain: bool) -> None:
    """Import Keras on `backend`, alone, with the speed settings unless `plain`."""
    from sine_lstm.cli.quiet import import_keras

    keep_out_others(backend)
    if not plain:
        before_import(backend)
    import_keras()
    if not plain:
        after_import(backend)


def keep_out_others(backend: str) -> None:
    """From now on, `import` of the frameworks other than `backend` fails in this process.

    Keras and TensorFlow import them only if they can, and work without them.
    """
    for name in BACKENDS:
        if name != backend and name not in sys.modules:
            sys.modules[name] = None  # `import name` raises ImportError


def before_import(backend: str) -> None:
    """One thread for JAX's XLA, which reads its flags when JAX loads."""
    if backend == "jax":
        flags = os.environ.get("XLA_FLAGS", "")
        os.environ["XLA_FLAGS"] = f"{flags} --xla_cpu_multi_thread_eigen=false".strip()


def after_import(backend: str) -> None:
    """One thread for TensorFlow or PyTorch, set before they compute anything; JAX's cache."""
    if backend == "tensorflow":
        import tensorflow as tf

        try:
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:  # it has computed already (a notebook, a test): as it is
            pass
    elif backend == "torch":
        import torch

        torch.set_num_threads(1)
    elif backend == "jax":
        jax_cache()


def cache_dir() -> Path | None:
    """Where compiled programs are kept: $SINE_LSTM_CACHE, else ~/.cache/sine_lstm
    (on Windows %LOCALAPPDATA%\\sine_lstm); "off": none."""
    folder = os.environ.get("SINE_LSTM_CACHE")
    if folder == "off":
        return None
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return Path(folder) if folder else base / "sine_lstm"


def jax_cache() -> None:
    """JAX's persistent compilation cache: the training step compiled once per machine."""
    folder = cache_dir()
    if folder is None:
        return
    import jax

    jax.config.update("jax_compilation_cache_dir", str(folder / "jax"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)  # ours take ~1 s
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
