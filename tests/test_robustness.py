"""SIGKILL at any moment, determinism, a reload: real subprocesses (Ctrl-C and SIGTERM:
`test_run.py` in this process, `test_signals.py` in a terminal)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import ENV, run_cli
from PIL import Image
from test_run import FULL_SET

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


KILLED = {  # where the run kills itself with SIGKILL, as `kill -9` would
    "training": "cli_train(config, watch=[SignalAt(signal.SIGKILL, 2)])",
    "drawing the pictures": (
        "def half(*args, **kwargs):\n"
        "    Path(args[4]).write_bytes(b'PNG half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "plots.render_final = half\n"
        "cli_train(config)"
    ),
    "putting the set in place": (
        "placed = outputs.move\n"
        "def move(source, destination):\n"
        "    placed(source, destination)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "outputs.move = move\n"
        "cli_train(config)"
    ),
}


@pytest.mark.parametrize("moment", KILLED)
def test_sigkill_leaves_one_run_s_whole_set_and_the_next_run_clears_up(tiny, moment):
    from conftest import cli_train
    from test_run import contents, shown

    from sine_lstm.cli.outputs import LOCK, STAGING, Lock, Staging

    assert cli_train(tiny)[0] == 0  # the previous run's set
    out = Path(tiny.out)
    before = contents(out)
    script = (
        "import os, signal, sys\nfrom pathlib import Path\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from conftest import cli_train\nfrom test_run import SignalAt\n"
        "from sine_lstm import plots\nfrom sine_lstm.cli import outputs\n"
        "from sine_lstm.config import Config\n"
        f"config = Config(**{dict(vars(tiny), seed=1, steps_per_call=1)!r})\n" + KILLED[moment]
    )
    proc = subprocess.run([sys.executable, "-c", script], env=ENV, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    left = contents(out)
    if moment != "putting the set in place":  # the previous set, whole; the new one staged
        staged = {name for name in left if name.startswith(f"{STAGING}/")}
        assert {name: left[name] for name in left if name not in staged | {LOCK}} == before
    with Lock(out):  # the next run: the killed one's lock does not hold it
        Staging(out).discard()  # and what the killed one left is finished or cleared
    assert shown(out) == FULL_SET and not (out / STAGING).exists()
    seed = json.loads((out / "config.json").read_text())["seed"]
    assert seed == (1 if moment == "putting the set in place" else 0)
    if seed == 0:
        assert contents(out) == before


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
    proc = cli("predict", "--model", str(out / "model.keras"), "--png", str(tmp_path / "p.png"))
    assert proc.returncode == 0, proc.stderr
    with Image.open(tmp_path / "p.png") as png:
        assert png.size[0] > 500
    missing = cli("predict", "--model", str(tmp_path / "none.keras"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    (tmp_path / "junk.keras").write_text("not a model")
    for junk in (tmp_path / "junk.keras", out / "config.json", out / "sine_lstm.gif"):
        proc = cli("predict", "--model", str(junk), "--png", str(tmp_path / "j.png"))
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert f"--model {str(junk)!r} is not a .keras model" in proc.stderr, proc.stderr
        assert not (tmp_path / "j.png").exists()
