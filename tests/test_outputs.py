"""The output folder: one run at a time, and no empty folder left by a run that wrote nothing."""

import os
from pathlib import Path

import pytest

from sine_lstm.cli.outputs import LOCK, Busy, Lock, atomic_path


def test_a_held_folder_refuses_a_second_holder_naming_the_first(tmp_path):
    (tmp_path / "out").mkdir()
    with Lock(tmp_path / "out"):
        assert (tmp_path / "out" / LOCK).read_text() == f"{os.getpid()}\n"
        with pytest.raises(Busy, match=rf"'{tmp_path / 'out'}' is in use .*process {os.getpid()}"):
            Lock(tmp_path / "out")
    assert not (tmp_path / "out" / LOCK).exists()  # released and removed
    with Lock(tmp_path / "out"):  # free again
        pass


def test_a_lock_file_left_behind_does_not_block(tmp_path):
    (tmp_path / LOCK).write_text("999999\n")  # what a killed run leaves: a file, no lock
    with Lock(tmp_path):
        assert (tmp_path / LOCK).read_text() == f"{os.getpid()}\n"


def test_a_folder_the_lock_created_goes_if_nothing_was_written(tmp_path):
    with Lock(tmp_path / "new"):
        pass
    assert not (tmp_path / "new").exists()
    with Lock(tmp_path / "kept"):
        (tmp_path / "kept" / "metrics.csv").write_text("step,cost\n")
    assert os.listdir(tmp_path / "kept") == ["metrics.csv"]


def test_atomic_path_leaves_the_old_file_when_the_writer_fails(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["a.txt"]


# A run's set: put in place at once, or not at all --------------------------------------------
import hashlib  # noqa: E402
import json  # noqa: E402
import signal  # noqa: E402

import keras  # noqa: E402

from sine_lstm import plots  # noqa: E402
from sine_lstm.cli.outputs import DIVERGED, STAGING, Staging  # noqa: E402
from sine_lstm.train import Diverged, train  # noqa: E402

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
    train(tiny, verbose=False)
    out = Path(tiny.out)
    (out / "predict.png").write_bytes(b"drawn from the previous model")
    for name, text in USERS.items():
        (out / name).write_text(text)
    return tiny, contents(out)


def test_a_finished_run_replaces_the_whole_set_and_what_it_does_not_make_goes(previous):
    config, before = previous
    out = Path(config.out)
    result = train(config.replace(seed=1, steps=7), verbose=False)
    assert shown(out) == [name for name in FULL_SET if name != "sine_lstm.gif"]
    assert result.gone == ["sine_lstm.gif", "predict.png"]  # named by the command line
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
def test_a_run_stopped_by_a_signal_puts_its_set_in_place_saying_so(previous, signum):
    config, _ = previous
    out = Path(config.out)
    stopped = config.replace(seed=1, steps=50, steps_per_call=1)
    result = train(stopped, verbose=False, watch=[SignalAt(signum, 3)])
    assert result.signum == signum and len(result.costs) == 4
    assert shown(out) == FULL_SET  # the whole set, of this run: predict.png went
    settings = json.loads((out / "config.json").read_text())
    assert (settings["steps_asked"], settings["steps_done"]) == (50, 4)
    assert len((out / "metrics.csv").read_text().splitlines()) == 1 + 4


class SignalFirst(keras.callbacks.Callback):
    """Send this process SIGINT as training begins, before any step: Ctrl-C while it starts."""

    def on_train_begin(self, logs=None):
        os.kill(os.getpid(), signal.SIGINT)


def test_a_signal_before_the_first_step_replaces_nothing(previous):
    config, before = previous
    result = train(config.replace(seed=1), verbose=False, watch=[SignalFirst()])
    assert result.signum == signal.SIGINT and result.gone is None  # nothing put in place
    assert contents(Path(config.out)) == before


def test_a_diverged_run_replaces_nothing_and_keeps_its_costs_in_diverged(previous):
    config, before = previous
    out = Path(config.out)
    with pytest.raises(Diverged, match=rf"its costs are in {out / DIVERGED}/$"):
        train(config.replace(lr=1e3, steps=30, steps_per_call=1), verbose=False)
    diverged = contents(out / DIVERGED)
    assert contents(out) == before | {f"{DIVERGED}/{name}": diverged[name] for name in diverged}
    assert sorted(diverged) == ["config.json", "metrics.csv"]
    settings = json.loads((out / DIVERGED / "config.json").read_text())
    rows = (out / DIVERGED / "metrics.csv").read_text().splitlines()
    assert settings["steps_asked"] == 30 and settings["steps_done"] == len(rows) - 1 < 30


def test_a_write_that_fails_midway_leaves_the_previous_set(previous, monkeypatch):
    config, before = previous

    def disk_full(*args, **kwargs):  # the GIF half written, then the disk is full
        Path(args[4]).write_bytes(b"GIF89a half")
        raise OSError(28, "No space left on device", str(args[4]))

    monkeypatch.setattr(plots, "render_gif", disk_full)
    with pytest.raises(OSError, match="No space left"):
        train(config.replace(seed=1), verbose=False)
    assert (
        contents(Path(config.out)) == before
    )  # nothing of the failed run, not even its staging folder


def test_a_set_that_fails_while_put_in_place_is_finished_by_the_next_run(
    previous, monkeypatch, tmp_path
):
    """A file open elsewhere (Windows refuses to replace it), say: the third rename fails. The
    half-placed set stays staged with whole paths, and the next run, from another folder,
    finishes it."""
    from sine_lstm import outputs

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
    with pytest.raises(PermissionError):
        train(config.replace(seed=1, out="out"), verbose=False)
    monkeypatch.setattr(outputs, "move", placed)
    monkeypatch.chdir(tmp_path.parent)  # the next run starts elsewhere
    out = (Path(config.out)).resolve()
    assert (out / STAGING / "placed.json").exists()
    with Lock(out):
        Staging(out).discard()
    assert shown(out) == FULL_SET and not (out / STAGING).exists()
    assert json.loads((out / "config.json").read_text())["seed"] == 1


def test_a_set_killed_while_put_in_place_is_finished_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for name in ("metrics.csv", "model.keras", "predict.png"):
        (out / name).write_text("old")
    stage = Staging(out)  # what a run left: two files placed, one not, placed.json written
    (stage.folder / "model.keras").write_text("new")
    (out / "metrics.csv").write_text("new")  # moved already
    (stage.folder / "placed.json").write_text(
        json.dumps({name: str(out / name) for name in ("metrics.csv", "model.keras")})
    )
    Staging(out).discard()  # the next run: it finishes the placing first
    assert {p.name: p.read_text() for p in out.iterdir()} == {
        "metrics.csv": "new",
        "model.keras": "new",
    }
    assert not (out / STAGING).exists()


# Windows: what cannot run here is checked with stand-ins for the calls it makes --------------
class FakeMsvcrt:
    """`msvcrt.locking` as Windows does it: a byte range of a file, held by one open file."""

    LK_NBLCK = 2

    def __init__(self):
        self.held = {}  # (file, offset) → the descriptor holding it

    def locking(self, fd: int, mode: int, count: int):
        assert mode == self.LK_NBLCK and count == 1
        stat = os.fstat(fd)
        where = ((stat.st_dev, stat.st_ino), os.lseek(fd, 0, os.SEEK_CUR))
        if self.held.setdefault(where, fd) != fd:
            raise PermissionError(13, "Permission denied")  # what Windows raises: EACCES


def test_the_lock_on_windows_takes_a_byte_past_the_process_id(tmp_path, monkeypatch):
    from sine_lstm import outputs

    fake = FakeMsvcrt()
    monkeypatch.setattr(outputs.sys, "platform", "win32")
    monkeypatch.setattr(outputs, "msvcrt", fake, raising=False)
    with Lock(tmp_path / "out"):
        assert list(fake.held)[0][1] == 64  # past the id, which a second run reads
        with pytest.raises(Busy, match=rf"in use by another run \(process {os.getpid()}\)"):
            Lock(tmp_path / "out")


def test_the_compile_cache_on_windows_is_in_local_app_data(tmp_path, monkeypatch):
    from sine_lstm import speed

    monkeypatch.delenv("SINE_LSTM_CACHE", raising=False)
    monkeypatch.setattr(speed.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert speed.cache_dir() == tmp_path / "Local" / "sine_lstm"


def test_a_run_into_a_held_folder_is_refused_and_leaves_the_signal_handlers_alone(tiny):
    handler = signal.getsignal(signal.SIGINT)
    with Lock(tiny.out), pytest.raises(Busy, match="in use by another run"):
        train(tiny, verbose=False)
    assert signal.getsignal(signal.SIGINT) is handler
