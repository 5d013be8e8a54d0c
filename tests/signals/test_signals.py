"""Ctrl-C typed into a terminal (a pseudo-terminal, Python's `pty`) at several moments of a long
run with the GIF on, and SIGTERM sent from a script: the exit, how soon, the line, the files.

`make test-signals`; about a minute. Each moment is a fresh `python -m sine_lstm train`.
"""

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ENV
from PIL import Image

pytestmark = pytest.mark.signals

FULL_SET = sorted(["config.json", "cost.png", "final.png", "logs", "metrics.csv", "model.keras"])
FULL_SET = sorted([*FULL_SET, "sine_lstm.gif"])
EARLIER = {"predict.png": b"an earlier run's", "notes.txt": b"the user's own"}
WITHIN = 2.0  # seconds from the signal to the exit


class Terminal:
    """`python -m sine_lstm train ARGS` in a pseudo-terminal, as a user runs it."""

    def __init__(self, *args: str):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the trainer, with the terminal as its own
            os.execve(sys.executable, [sys.executable, "-m", "sine_lstm", "train", *args], ENV)
        self.started = time.monotonic()
        self.screen = b""

    def read(self, until: float) -> None:
        """What the terminal shows, until `until` (monotonic) or the end."""
        while time.monotonic() < until:
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the other end closed: it exited
                    return
                if not chunk:
                    return
                self.screen += chunk

    def wait_for(self, text: bytes, limit: float = 120) -> None:
        end = time.monotonic() + limit
        while text not in self.screen and time.monotonic() < end:
            self.read(time.monotonic() + 0.05)
        assert text in self.screen, self.screen[-2000:]

    def ctrl_c(self) -> float:
        """Type ^C; when it was typed."""
        os.write(self.fd, b"\x03")  # the terminal sends SIGINT to its foreground group
        return time.monotonic()

    def exit(self, limit: float = 60) -> int:
        self.read(time.monotonic() + limit)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)

    def last_line(self) -> str:
        text = self.screen.decode(errors="replace").replace("\r", "\n")
        lines = [line for line in text.splitlines() if line.strip() and "step/s" not in line]
        return re.sub(r"^(\^C)+", "", lines[-1])  # the terminal echoes each ^C


def earlier_run(out: Path) -> dict:
    """OUT as an earlier run and its user left it; its contents."""
    out.mkdir(parents=True)
    for name, data in EARLIER.items():
        (out / name).write_bytes(data)
    return {name: (out / name).read_bytes() for name in EARLIER}


def steps_done(out: Path) -> int:
    rows = (out / "metrics.csv").read_text().splitlines()
    assert rows[0] == "step,cost"
    return len(rows) - 1


@pytest.mark.parametrize("after", [1.0, 3.0])
def test_ctrl_c_while_it_starts_leaves_at_once_and_writes_nothing(tmp_path, after):
    """While TensorFlow loads, before any step: exit 130 at once, nothing written, nothing
    replaced, no lock and no staging folder left."""
    out = tmp_path / "out"
    before = earlier_run(out)
    run = Terminal("--steps", "100000", "--out", str(out))
    run.read(run.started + after)
    typed = run.ctrl_c()
    code = run.exit()
    took = time.monotonic() - typed
    assert code == 130 and took < WITHIN, (code, took, run.screen[-1000:])
    assert run.last_line() == "sine-lstm: stopped by SIGINT before its first step; nothing written"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("more", [0.5, 3.0])
def test_ctrl_c_while_it_trains_puts_the_steps_done_in_place(tmp_path, more):
    """After the first cost line (and a few seconds on): exit 130 within 2 s, one line with the
    steps done and the folder, and the set of those steps in place, the GIF among it."""
    out = tmp_path / "out"
    earlier_run(out)
    run = Terminal("--steps", "100000", "--out", str(out))
    run.wait_for(b"cost: ")
    run.read(time.monotonic() + more)
    typed = run.ctrl_c()
    code = run.exit()
    took = time.monotonic() - typed
    assert code == 130 and took < WITHIN, (code, took, run.screen[-1000:])
    done = steps_done(out)
    assert 1 <= done < 100000
    assert run.last_line() == (
        f"sine-lstm: stopped by SIGINT after {done} of 100000 steps; wrote {out}/ for those steps"
    )
    assert sorted(p.name for p in out.iterdir()) == sorted([*FULL_SET, "notes.txt"])
    settings = json.loads((out / "config.json").read_text())
    assert (settings["steps_asked"], settings["steps_done"]) == (100000, done)
    with Image.open(out / "sine_lstm.gif") as gif:  # it ends on the last step done
        frames = gif.n_frames
        gif.seek(frames - 1)
        assert gif.info["duration"] == 3000  # held, as a finished run's last frame is
    assert 1 <= frames <= 200


def test_a_second_ctrl_c_leaves_at_once_and_the_last_set_stays(tmp_path):
    out = tmp_path / "out"
    before = earlier_run(out)
    run = Terminal("--steps", "100000", "--out", str(out))
    run.wait_for(b"cost: ")
    run.ctrl_c()
    time.sleep(0.02)  # while the first one's files are written
    typed = run.ctrl_c()
    code = run.exit()
    took = time.monotonic() - typed
    assert code == 130 and took < WITHIN
    line = run.last_line()
    if line.startswith("sine-lstm: stopped by SIGINT after"):  # the set was in place already
        assert steps_done(out) >= 1
    else:
        assert line == "sine-lstm: stopped by SIGINT twice; nothing written"
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_sigterm_from_a_script_stops_it_as_ctrl_c_does_and_a_second_run_is_refused(tmp_path):
    out = tmp_path / "out"
    earlier_run(out)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sine_lstm", "train", "--steps", "100000", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    for line in proc.stdout:  # it trains: the step-0 cost line is out
        if line.startswith("cost:"):
            break
    second = subprocess.run(
        [sys.executable, "-m", "sine_lstm", "train", "--steps", "7", "--out", str(out)],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert second.returncode == 2 and second.stderr == (
        f"sine-lstm: error: --out {str(out)!r} is in use by another run (process {proc.pid}); "
        "wait for it or choose another folder\n"
    )
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143 and time.monotonic() - sent < WITHIN
    done = steps_done(out)
    assert re.fullmatch(
        rf"sine-lstm: stopped by SIGTERM after {done} of 100000 steps; wrote .*\n", stderr
    )
    assert sorted(p.name for p in out.iterdir()) == sorted([*FULL_SET, "notes.txt"])


def test_a_million_steps_start_as_fast_and_stop_as_soon(tmp_path):
    """The stream is made batch by batch: a run of 1,000,000 steps trains within a minute (it
    held the whole stream in memory, 24 GB, before its first step) and stops within 2 s."""
    out = tmp_path / "out"
    run = Terminal("--steps", "1000000", "--out", str(out))
    run.wait_for(b"cost: ", limit=60)
    typed = run.ctrl_c()
    code = run.exit()
    assert code == 130 and time.monotonic() - typed < WITHIN
    assert run.last_line().endswith(f"of 1000000 steps; wrote {out}/ for those steps")
