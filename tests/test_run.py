"""`sine-lstm train` in its folder (`cli/run.py`), in this process: a run's set is put in place at
once, or not at all, and what it does not make of an earlier run goes."""

import hashlib
import json
import os
import signal
from pathlib import Path

import keras
import numpy as np
import pytest
from conftest import cli_train

from sine_lstm import data
from sine_lstm.cli.outputs import DIVERGED, LOCK, STAGING, Lock, Staging
from sine_lstm.remember import Recall

FULL_SET = ["config.json", "cost.png", "final.png", "logs", "metrics.csv", "model.keras"]
FULL_SET = sorted([*FULL_SET, "sine_lstm.gif"])
USERS = {"notes.txt": "mine", ".git": "mine too"}  # the user's own files in OUT


def contents(out) -> dict[str, str]:
    """Every file in OUT, its hidden ones too, by name (and logs/ by its files): a hash each."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(out))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def shown(out) -> list[str]:
    """The names in OUT, but for the user's files and the folder's lock."""
    return sorted(p.name for p in out.iterdir() if p.name not in USERS and p.name != LOCK)


@pytest.fixture
def previous(tiny):
    """OUT holding a finished run's whole set (seed 0, 6 steps), a predict.png drawn from it
    and the user's own files; returns the config and OUT's contents."""
    assert cli_train(tiny)[0] == 0
    out = Path(tiny.out)
    (out / "predict.png").write_bytes(b"drawn from the previous model")
    for name, text in USERS.items():
        (out / name).write_text(text)
    return tiny, contents(out)


def final_and_memoryless(out: Path, stream) -> tuple[float, float]:
    """The mean of metrics.csv's last 20 costs, and the best constant's cost on their batches,
    reckoned from the files and the stream."""
    costs = [float(row.split(",")[1]) for row in (out / "metrics.csv").read_text().split()[1:]]
    ks = range(max(len(costs) - 20, 0), len(costs))
    targets = np.stack([stream[k % len(stream)][1] for k in ks]).astype(np.float64)
    squares = (targets - np.nanmean(targets)) ** 2
    return float(np.mean(costs[-20:])), float(np.nansum(squares) / (len(ks) * stream.batch_size))


def test_a_finished_run_writes_its_set_with_its_settings(tiny):
    code, printed = cli_train(tiny, quiet=False)
    out = Path(tiny.out)
    assert code == 0 and shown(out) == FULL_SET
    final, memoryless = final_and_memoryless(out, data.Stream(6, 4, 5))
    assert printed.splitlines()[-3:] == [
        f"final cost (mean of the last 20 steps): {final:.4f}",
        f"memoryless cost (the best constant guess, on the same 20 batches): {memoryless:.4f}",
        f"wrote {out}/",
    ]
    settings = json.loads((out / "config.json").read_text())
    assert settings["final_cost"] == pytest.approx(final, rel=1e-6)
    assert settings["memoryless_cost"] == pytest.approx(memoryless, rel=1e-9)
    assert settings["steps"] == 6 and settings["backend"] == keras.backend.backend()
    assert settings["versions"]["keras"] == keras.__version__
    backend = __import__(keras.backend.backend())
    assert settings["versions"][keras.backend.backend()] == backend.__version__
    assert (settings["steps_asked"], settings["steps_done"]) == (6, 6) and "scale" not in settings


def test_a_forecaster_saves_its_scale_beside_its_model(tiny):
    from sine_lstm.forecasting import series

    config = tiny.replace(task="forecast", series="seasonal", horizon=2)
    assert cli_train(config)[0] == 0
    settings = json.loads((Path(config.out) / "config.json").read_text())
    s = series.load(config)
    assert settings["task"] == "forecast" and settings["horizon"] == 2
    assert settings["final_cost"] > 0 and settings["memoryless_cost"] is None  # persistence's
    assert settings["scale"] == {
        "mean": pytest.approx(s.values[: s.train_points].mean()),
        "std": pytest.approx(s.values[: s.train_points].std()),
        "train_points": s.train_points,
        "units": "the seasonal series",
    }


def test_a_remember_run_writes_its_answers_no_gif_and_what_remembering_nothing_costs(tiny):
    config = tiny.replace(task="remember", lag=3, stateful=False, gif=False, steps=25)
    code, printed = cli_train(config, quiet=False)
    out = Path(config.out)
    assert code == 0 and shown(out) == [name for name in FULL_SET if name != "sine_lstm.gif"]
    final, memoryless = final_and_memoryless(out, Recall(25, 4, 5, lag=3, seed=0))
    assert printed.splitlines()[-4:] == [
        f"final cost (mean of the last 20 steps): {final:.4f}",
        f"memoryless cost (the best constant guess, on the same 20 batches): {memoryless:.4f}",
        "no GIF: the remember task's inputs are noise; final.png draws each answer it gave",
        f"wrote {out}/",
    ]
    settings = json.loads((out / "config.json").read_text())
    assert (settings["task"], settings["lag"], settings["stateful"]) == ("remember", 3, False)
    assert settings["final_cost"] == pytest.approx(final, rel=1e-6)
    assert settings["memoryless_cost"] == pytest.approx(memoryless, rel=1e-9)
    assert 0.06 < memoryless < 0.25  # two answers a row, each about 1/12
    assert (out / "final.png").stat().st_size > 20_000


def test_a_finished_run_replaces_the_whole_set_and_what_it_does_not_make_goes(previous):
    config, before = previous
    out = Path(config.out)
    code, printed = cli_train(config.replace(seed=1, steps=7, gif=False))
    assert code == 0 and shown(out) == [name for name in FULL_SET if name != "sine_lstm.gif"]
    assert printed == (
        f"removed from {out}/ with the previous run (this one writes none there): "
        "sine_lstm.gif, predict.png\n"
    )
    settings = json.loads((out / "config.json").read_text())
    assert (settings["seed"], settings["steps_asked"], settings["steps_done"]) == (1, 7, 7)
    assert len((out / "metrics.csv").read_text().splitlines()) == 1 + 7
    assert all(contents(out)[name] == before[name] for name in USERS)


class SignalAt(keras.callbacks.Callback):
    """Send this process `signum` at the end of step `step`, as Ctrl-C or `kill` would."""

    def __init__(self, signum: int, step: int):
        super().__init__()
        self.signum = signum
        self.step = step

    def on_train_batch_end(self, batch, logs=None):
        if batch == self.step:
            os.kill(os.getpid(), self.signum)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_run_stopped_by_a_signal_puts_its_set_in_place_saying_so(previous, signum, capsys):
    config, _ = previous
    out = Path(config.out)
    stopped = config.replace(seed=1, steps=50, steps_per_call=1)
    code, _ = cli_train(stopped, watch=[SignalAt(signum, 3)])
    assert code == 128 + signum
    assert capsys.readouterr().err == (
        f"sine-lstm: stopped by {signal.Signals(signum).name} after 4 of 50 steps; "
        f"wrote {out}/ for those steps\n"
    )
    assert shown(out) == FULL_SET  # the whole set, of this run: predict.png went
    settings = json.loads((out / "config.json").read_text())
    assert (settings["steps_asked"], settings["steps_done"]) == (50, 4)
    assert len((out / "metrics.csv").read_text().splitlines()) == 1 + 4


class SignalFirst(keras.callbacks.Callback):
    """Send this process SIGINT as training begins, before any step: Ctrl-C while it starts."""

    def on_train_begin(self, logs=None):
        os.kill(os.getpid(), signal.SIGINT)


def test_a_signal_before_the_first_step_replaces_nothing(previous, capsys):
    config, before = previous
    code, _ = cli_train(config.replace(seed=1), watch=[SignalFirst()])
    assert code == 130
    err = capsys.readouterr().err
    assert err == "sine-lstm: stopped by SIGINT before its first step; nothing written\n"
    assert contents(Path(config.out)) == before


class SignalWhileWriting(keras.callbacks.Callback):
    """SIGINT after step 2, then a second one while the files are written."""

    def on_train_batch_end(self, batch, logs=None):
        if batch == 2:
            os.kill(os.getpid(), signal.SIGINT)

    def on_train_end(self, logs=None):
        os.kill(os.getpid(), signal.SIGINT)


def test_a_second_signal_while_the_files_are_written_leaves_the_last_set_untouched(
    previous, capsys
):
    config, before = previous
    code, _ = cli_train(config.replace(seed=1, steps_per_call=1), watch=[SignalWhileWriting()])
    assert code == 130
    assert capsys.readouterr().err == "sine-lstm: stopped by SIGINT twice; nothing written\n"
    assert contents(Path(config.out)) == before


def test_a_diverged_run_replaces_nothing_and_keeps_its_costs_in_diverged(previous, capsys):
    config, before = previous
    out = Path(config.out)
    code, _ = cli_train(config.replace(lr=1e3, steps=30, steps_per_call=1))
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("sine-lstm: diverged: cost blew up to ")
    assert err.endswith(f"; its costs are in {out / DIVERGED}/\n") and err.count("\n") == 1
    diverged = contents(out / DIVERGED)
    assert contents(out) == before | {f"{DIVERGED}/{name}": diverged[name] for name in diverged}
    assert sorted(diverged) == ["config.json", "metrics.csv"]
    settings = json.loads((out / DIVERGED / "config.json").read_text())
    rows = (out / DIVERGED / "metrics.csv").read_text().splitlines()
    assert settings["steps_asked"] == 30 and settings["steps_done"] == len(rows) - 1 < 30


def test_a_write_that_fails_midway_leaves_the_previous_set(previous, monkeypatch, capsys):
    from sine_lstm import plots

    config, before = previous

    def disk_full(*args, **kwargs):  # final.png half written, then the disk is full
        Path(args[4]).write_bytes(b"\x89PNG half")
        raise OSError(28, "No space left on device", str(args[4]))

    monkeypatch.setattr(plots, "render_final", disk_full)
    code, _ = cli_train(config.replace(seed=1))
    assert code == 1
    err = capsys.readouterr().err
    assert "No space left on device; the previous run's outputs are as they were" in err
    assert contents(Path(config.out)) == before  # nothing of the failed run, nor its staging


def test_a_set_that_fails_while_put_in_place_is_finished_by_the_next_run(
    previous, monkeypatch, tmp_path
):
    """A file open elsewhere (Windows refuses to replace it), say: the third rename fails. The
    half-placed set stays staged with whole paths, and the next run, from another folder,
    finishes it."""
    from sine_lstm.cli import outputs

    config, _ = previous
    monkeypatch.chdir(Path(config.out).parent)  # OUT given as a relative path: "out"
    placed = outputs.move
    calls = []

    def fails_third(source, destination):
        calls.append(source.name)
        if len(calls) == 3:
            raise PermissionError(13, "Permission denied", str(destination))
        placed(source, destination)

    monkeypatch.setattr(outputs, "move", fails_third)
    assert cli_train(config.replace(seed=1, out="out"))[0] == 1
    monkeypatch.setattr(outputs, "move", placed)
    monkeypatch.chdir(tmp_path.parent)  # the next run starts elsewhere
    out = (Path(config.out)).resolve()
    assert (out / STAGING / "placed.json").exists()
    with Lock(out):
        Staging(out).discard()
    assert shown(out) == FULL_SET and not (out / STAGING).exists()
    assert json.loads((out / "config.json").read_text())["seed"] == 1


def test_a_run_into_a_held_folder_is_refused_before_the_backend_loads(tiny, capsys, monkeypatch):
    from sine_lstm.cli import run

    def never(*args):
        raise AssertionError("the backend loaded for a run that cannot write its folder")

    monkeypatch.setattr(run, "load_backend", never)
    handler = signal.getsignal(signal.SIGINT)
    with Lock(tiny.out):
        code, _ = cli_train(tiny)
    assert code == 2
    err = capsys.readouterr().err
    assert err == (
        f"sine-lstm: error: --out {tiny.out!r} is in use by another run (process {os.getpid()}); "
        "wait for it or choose another folder\n"
    )
    assert signal.getsignal(signal.SIGINT) is handler
