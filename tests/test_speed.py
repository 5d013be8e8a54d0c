"""The speed layer: every switch gives the textbook path's numbers, only faster."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ENV, run_cli
from PIL import Image, ImageSequence

from sine_lstm.speed import PLAIN, Switches
from sine_lstm.speed.fused_loop import FusedSteps
from sine_lstm.train import train


def costs_of(out: Path) -> np.ndarray:
    rows = (out / "metrics.csv").read_text().splitlines()[1:]
    return np.array([float(row.split(",")[1]) for row in rows])


def frames_of(path: Path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(gif)]


def test_plain_and_all_switches_on_give_the_same_costs_and_gif(tmp_path):
    """The demo's own settings, 200 steps: the textbook path and every switch on."""
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
        # XLA rounds differently (costs differ by < 1e-5): a few anti-aliased pixels of a
        # curve, or a caption's last digit (measured: median 4, at most 173 of 230 400)
        assert (a != b).any(axis=-1).mean() <= 1 / 500


def test_fused_loop_runs_the_same_steps_as_keras_own_loop(tiny):
    """10 + 10 + 5 steps: the short last call too."""
    config = tiny.replace(steps=25, gif=False)
    plain = train(config, verbose=False, save=False)
    fused = FusedSteps()
    fast = train(
        config,
        compile_options={"steps_per_execution": 10, "jit_compile": True},
        extra_callbacks=[fused],
        verbose=False,
        save=False,
    )
    assert fast.model.train_function.__name__ == "train_function"  # ours, not Keras's
    np.testing.assert_allclose(fast.costs, plain.costs, rtol=1e-5)
    np.testing.assert_allclose(fast.record.pred_history(), plain.record.pred_history(), atol=1e-5)
    assert int(fast.model.optimizer.iterations) == int(plain.model.optimizer.iterations) == 25
    for a, b in zip(fast.model.get_weights(), plain.model.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert np.abs(plain.costs[1:] - plain.costs[:-1]).max() > 1e-3  # the costs move


@pytest.mark.parametrize(
    "switches",
    [Switches(), Switches(steps_per_call=1, xla=True, fused=False)],
    ids=["all-on", "xla-alone"],
)
def test_each_compile_option_keeps_the_costs(tiny, switches):
    config = tiny.replace(steps=12, gif=False)
    plain = train(config, verbose=False, save=False)
    fast = train(
        config,
        compile_options=switches.compile_options(),
        extra_callbacks=[FusedSteps()] if switches.fused else [],
        verbose=False,
        save=False,
    )
    np.testing.assert_allclose(fast.costs, plain.costs, rtol=1e-5)


def test_plain_is_every_switch_off():
    assert PLAIN.compile_options() == {}
    assert not any(getattr(PLAIN, name) for name in ("xla", "fused", "compile_cache", "painter"))
    assert Switches().compile_options() == {"steps_per_execution": 20, "jit_compile": True}


FILTER = r"""
import os, sys
from sine_lstm.speed.compile_cache import StderrFilter
f = StderrFilter()
f.start()
os.write(2, b"E0000 00:00:1.5 1 text_format.cc:378] Error parsing text-format "
            b"tensorflow.XlaSerializedCacheEntry: 2:1\n")
os.write(2, b"a real error line\n")
os.write(2, b"E0000 00:00:1.5 2 cpu_aot_loader.cc:220] Loading XLA:CPU AOT result. "
            b"Target machine feature +x\n")
os.write(2, b"E0000 00:00:1.5 3 other.cc:1] a real TensorFlow error\n")
os.write(2, b"\r 50%|progress")
f.stop()
print("after", file=sys.stderr)
"""


def test_stderr_filter_drops_only_the_known_bogus_lines():
    proc = subprocess.run([sys.executable, "-c", FILTER], capture_output=True, env=ENV)
    assert proc.returncode == 0
    assert proc.stderr == (
        b"a real error line\nE0000 00:00:1.5 3 other.cc:1] a real TensorFlow error\n"
        b"\r 50%|progressafter\n"
    )
