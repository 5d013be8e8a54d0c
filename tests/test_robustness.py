"""Ctrl-C, SIGTERM, SIGKILL, divergence, determinism, reload: real subprocesses."""

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
from test_outputs import FULL_SET

TINY = ["--batch-size", "4", "--time-steps", "5", "--cell-size", "3"]
cli = run_cli


def start(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "sine_lstm", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,  # its own process group, as a shell job
    )


def metrics_rows(out: Path) -> list[str]:
    rows = (out / "metrics.csv").read_text().splitlines()
    assert rows[0] == "step,cost"
    assert [int(r.split(",")[0]) for r in rows[1:]] == list(range(len(rows) - 1))
    return rows[1:]


def gif_frames(path: Path) -> int:
    with Image.open(path) as gif:
        return gif.n_frames


def interrupt(tmp_path, signum, group=False, meanwhile=lambda out, pid: None):
    """Signal a long run once it trains, after `meanwhile(out, pid)`: the trainer alone, or
    its whole process group as Ctrl-C in a terminal does. OUT held a predict.png from an
    earlier run."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "predict.png").write_bytes(b"an earlier run's")
    # a step a call: fewer steps done meanwhile, so less to write when it stops
    proc = start("train", *TINY, "--steps", "100000", "--steps-per-call", "1", "--out", str(out))
    for line in proc.stdout:  # wait until training runs: the step-0 cost line is out
        if line.startswith("cost:"):
            break
    meanwhile(out, proc.pid)
    time.sleep(0.5)
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=120)
    assert stdout.splitlines()[-1] == (
        f"removed from {out}/ with the previous run (this one writes none there): predict.png"
    )
    return proc.returncode, stderr, out


def second_run_is_refused(out, pid):
    """A second run into the folder while the first trains: exit 2, one line naming it."""
    second = cli("train", *TINY, "--steps", "7", "--seed", "1", "--out", str(out))
    lines = second.stderr.strip().splitlines()
    assert second.returncode == 2 and len(lines) == 1, lines
    assert lines[0] == (
        f"sine-lstm: error: --out {str(out)!r} is in use by another run (process {pid}); "
        "wait for it or choose another folder"
    )


def test_ctrl_c_puts_the_run_s_set_in_place_and_exits_130(tmp_path):
    """Ctrl-C in a terminal: the whole process group gets SIGINT. Before it, a second run
    into the same folder was refused; the first run's set is its own."""
    code, stderr, out = interrupt(tmp_path, signal.SIGINT, True, second_run_is_refused)
    assert code == 130, stderr
    assert sorted(p.name for p in out.iterdir()) == FULL_SET  # and no lock left
    done = len(metrics_rows(out))
    assert 1 <= done < 100000
    assert stderr == (
        f"sine-lstm: stopped by SIGINT after {done} of 100000 steps; wrote {out}/ for those steps\n"
    )
    assert gif_frames(out / "sine_lstm.gif") == min(done, 200)
    assert (out / "model.keras").stat().st_size > 1000
    settings = json.loads((out / "config.json").read_text())
    assert (settings["seed"], settings["steps_asked"], settings["steps_done"]) == (0, 100000, done)


def test_sigterm_exits_143_with_outputs(tmp_path):
    code, stderr, out = interrupt(tmp_path, signal.SIGTERM)
    assert code == 143, stderr
    assert "SIGTERM" in stderr and len(metrics_rows(out)) >= 1
    assert (out / "model.keras").exists() and (out / "sine_lstm.gif").exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_before_training_is_one_line_and_leaves_nothing(tmp_path, signum):
    """While TensorFlow still loads (its import alone takes seconds): exit 128 + signal,
    one line, and no folder, lock or file that this run would have made."""
    out = tmp_path / "new" / "out"
    proc = start("train", "--out", str(out))
    time.sleep(1.0)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=60)
    name = signal.Signals(signum).name
    assert proc.returncode == 128 + signum, stderr
    assert stderr == f"sine-lstm: interrupted by {name}; nothing written\n" and stdout == ""
    assert list(tmp_path.iterdir()) == []


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
    "training": "train(config, verbose=False, watch=[SignalAt(signal.SIGKILL, 2)])",
    "drawing the GIF": (
        "def half(*args, **kwargs):\n"
        "    Path(args[4]).write_bytes(b'GIF89a half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "plots.render_gif = half\n"
        "train(config, verbose=False)"
    ),
    "putting the set in place": (
        "placed = outputs.move\n"
        "def move(source, destination):\n"
        "    placed(source, destination)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "outputs.move = move\n"
        "train(config, verbose=False)"
    ),
}


@pytest.mark.parametrize("moment", KILLED)
def test_sigkill_leaves_one_run_s_whole_set_and_the_next_run_clears_up(tiny, moment):
    from test_outputs import contents, shown

    from sine_lstm.cli.outputs import LOCK, STAGING, Lock, Staging
    from sine_lstm.train import train

    train(tiny, verbose=False)  # the previous run's set
    out = Path(tiny.out)
    before = contents(out)
    script = (
        "import os, signal, sys\nfrom pathlib import Path\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_outputs import SignalAt\n"
        "from sine_lstm import outputs, plots\nfrom sine_lstm.config import Config\n"
        "from sine_lstm.train import train\n"
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
    from sine_lstm.config import Config
    from sine_lstm.train import train

    same = tmp_path / "same"
    assert cli("train", *TINY, "--steps", "12", "--out", str(same)).returncode == 0
    for f in ("metrics.csv", "sine_lstm.gif"):
        assert (same / f).read_bytes() == (trained / f).read_bytes()
    # another seed (here, in this process), and the GIF into a folder that does not exist yet
    gif = tmp_path / "new" / "deeper" / "anim.gif"
    other = Config(steps=12, batch_size=4, time_steps=5, cell_size=3, seed=1)
    train(other.replace(out=str(tmp_path / "other"), gif_path=str(gif)), verbose=False)
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
