"""Determinism, a reload, a killed write: real subprocesses (Ctrl-C and SIGTERM: `test_run.py`
in this process; in a terminal, and `kill -9` at any moment: tests/signals)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ENV, cli_main, run_cli
from PIL import Image

TINY = ["--batch-size", "4", "--time-steps", "5", "--cell-size", "3"]
cli = run_cli


def gif_frames(path: Path) -> int:
    with Image.open(path) as gif:
        return gif.n_frames


def test_atomic_write_killed_midway_leaves_the_old_file(tmp_path):
    target = tmp_path / "metrics.csv"
    target.write_text("step,cost\n0,1\n")
    code = (
        "import os, sys; from sine_lstm.cli.outputs import atomic_path\n"
        f"with atomic_path({str(target)!r}) as tmp:\n"
        "    tmp.write_text('step,cost\\n0,2\\n1,')\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=ENV)
    assert proc.returncode == -9
    assert target.read_text() == "step,cost\n0,1\n"


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """The outputs of one small training run with seed 0, shared by several tests."""
    out = tmp_path_factory.mktemp("trained") / "out"
    assert cli("train", *TINY, "--steps", "12", "--out", str(out)).returncode == 0
    return out


def test_two_processes_same_seed_same_bytes_other_seed_differs(trained, tmp_path):
    from conftest import cli_train

    from sine_lstm.config import Config

    same = tmp_path / "same"
    assert cli("train", *TINY, "--steps", "12", "--out", str(same)).returncode == 0
    for f in ("metrics.csv", "sine_lstm.gif"):
        assert (same / f).read_bytes() == (trained / f).read_bytes()
    # another seed (here, in this process), and the GIF into a folder that does not exist yet
    gif = tmp_path / "new" / "deeper" / "anim.gif"
    other = Config(steps=12, batch_size=4, time_steps=5, cell_size=3, seed=1)
    assert cli_train(other.replace(out=str(tmp_path / "other"), gif_path=str(gif)))[0] == 0
    assert gif_frames(gif) == 12 and not (tmp_path / "other" / "sine_lstm.gif").exists()
    assert (tmp_path / "other" / "metrics.csv").read_bytes() != (
        trained / "metrics.csv"
    ).read_bytes()
    assert gif.read_bytes() != (trained / "sine_lstm.gif").read_bytes()


def test_saved_model_reloads_in_a_fresh_process_with_equal_outputs(trained, tmp_path):
    from sine_lstm import data
    from sine_lstm.cli.predict import load_model

    code = (
        "import sys, numpy as np\n"
        "from sine_lstm import data\n"
        "from sine_lstm.cli.predict import load_model\n"
        "m = load_model(sys.argv[1])\n"
        "m.get_layer('lstm').reset_state()\n"
        "np.save(sys.argv[2], np.asarray(m(data.batch(3, 4, 5)[1])))\n"
    )
    model = str(trained / "model.keras")
    proc = subprocess.run(
        [sys.executable, "-c", code, model, str(tmp_path / "fresh.npy")],
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    here = load_model(model)  # and once more in this process
    here.get_layer("lstm").reset_state()
    mine = np.asarray(here(data.batch(3, 4, 5)[1]))
    np.testing.assert_array_equal(np.load(tmp_path / "fresh.npy"), mine)
    assert mine.shape == (4, 5, 1) and np.abs(mine).max() > 0


def test_predict_draws_the_saved_model(trained, tmp_path):
    out = trained
    proc = cli_main(
        "predict", "--model", str(out / "model.keras"), "--png", str(tmp_path / "p.png")
    )
    assert proc.returncode == 0, proc.stderr
    with Image.open(tmp_path / "p.png") as png:
        assert png.size[0] > 500
    missing = cli_main("predict", "--model", str(tmp_path / "none.keras"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    (tmp_path / "junk.keras").write_text("not a model")
    for junk in (tmp_path / "junk.keras", out / "config.json", out / "sine_lstm.gif"):
        proc = cli_main("predict", "--model", str(junk), "--png", str(tmp_path / "j.png"))
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert f"--model {str(junk)!r} is not a .keras model" in proc.stderr, proc.stderr
        assert not (tmp_path / "j.png").exists()
