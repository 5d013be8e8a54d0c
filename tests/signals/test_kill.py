"""`kill -9` at any moment of a run (training, drawing, putting the set in place): the previous
set stays whole, or the new one is finished by the next run. `make test-signals`."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV
from test_run import FULL_SET

pytestmark = pytest.mark.signals


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
        f"sys.path.insert(0, {str(Path(__file__).parents[1])!r})\n"
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
