"""The speed settings: the same numbers as Keras's defaults (`--plain`), and each one acts."""

import subprocess
import sys
from pathlib import Path

import numpy as np
from conftest import ENV, run_cli
from PIL import Image, ImageSequence

from sine_lstm.train import train


def costs_of(out: Path) -> np.ndarray:
    rows = (out / "metrics.csv").read_text().splitlines()[1:]
    return np.array([float(row.split(",")[1]) for row in rows])


def frames_of(path: Path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(gif)]


def test_plain_and_the_speed_settings_give_the_same_costs_and_gif(tmp_path):
    """The demo's own settings, 200 steps: Keras's defaults and 20 steps per call."""
    fast, plain = tmp_path / "fast", tmp_path / "plain"
    assert run_cli("train", "--quiet", "--out", str(fast)).returncode == 0
    proc = run_cli("train", "--quiet", "--plain", "--out", str(plain))
    assert proc.returncode == 0, proc.stderr
    np.testing.assert_allclose(costs_of(fast), costs_of(plain), rtol=0, atol=1e-5)
    assert len(costs_of(plain)) == 200 and costs_of(plain)[-1] < costs_of(plain)[0] / 10
    fast_frames, plain_frames = (
        frames_of(fast / "sine_lstm.gif"),
        frames_of(plain / "sine_lstm.gif"),
    )
    assert len(fast_frames) == len(plain_frames) == 200
    for a, b in zip(fast_frames, plain_frames, strict=True):
        assert (a != b).any(axis=-1).mean() <= 1 / 500  # a caption's last digit at most


def test_steps_per_call_acts_and_keeps_the_costs(tiny):
    """20 steps per call reach compile, and give the costs of Keras's 1 step per call."""
    config = tiny.replace(steps=100)
    runs = {n: train(config.replace(steps_per_call=n), verbose=False) for n in (1, 20)}
    assert [runs[n].model.steps_per_execution for n in (1, 20)] == [1, 20]
    np.testing.assert_allclose(runs[20].costs, runs[1].costs, rtol=1e-5)
    assert np.abs(np.diff(runs[1].costs)).max() > 1e-3  # the costs move


def test_xla_acts_and_moves_the_costs_only_in_their_last_digits(tiny):
    """--xla compiles the training step with XLA, which rounds tanh and σ its own way."""
    config = tiny.replace(steps=100)
    runs = {xla: train(config.replace(xla=xla), verbose=False) for xla in (0, 1)}
    assert [runs[xla].model.jit_compile for xla in (0, 1)] == [False, True]
    np.testing.assert_allclose(runs[1].costs, runs[0].costs, rtol=1e-3)
    assert (runs[1].costs != runs[0].costs).any()  # XLA's own rounding: it did run
    assert np.abs(np.diff(runs[0].costs)).max() > 1e-3  # the costs move


def test_a_tensorflow_run_imports_no_jax_or_torch():
    """`import tensorflow` would import JAX when it is installed; the command line keeps it out."""
    code = (
        "import sys; from sine_lstm.cli.speed import load_backend; "
        "load_backend('tensorflow', False); "
        "import keras; print(sorted(m for m in ('jax', 'torch') if sys.modules.get(m)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_one_thread_is_set_for_tensorflow():
    code = (
        "from sine_lstm.cli.speed import load_backend; import tensorflow as tf; "
        "load_backend('tensorflow', False); "
        "print(tf.config.threading.get_intra_op_parallelism_threads(), "
        "tf.config.threading.get_inter_op_parallelism_threads())"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV)
    assert proc.stdout.split() == ["1", "1"], proc.stderr
