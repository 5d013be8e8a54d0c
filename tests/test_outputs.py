"""The output folder (`cli/outputs.py`): one run at a time, every file whole, a set put in place
at once, and no empty folder left by a run that wrote nothing."""

import os

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


# A set staged, then put in place: the next run finishes what a killed one left ------------------
import json  # noqa: E402

from sine_lstm.cli.outputs import STAGING, Staging  # noqa: E402


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
    from sine_lstm.cli import outputs

    fake = FakeMsvcrt()
    monkeypatch.setattr(outputs.sys, "platform", "win32")
    monkeypatch.setattr(outputs, "msvcrt", fake, raising=False)
    with Lock(tmp_path / "out"):
        assert list(fake.held)[0][1] == 64  # past the id, which a second run reads
        with pytest.raises(Busy, match=rf"in use by another run \(process {os.getpid()}\)"):
            Lock(tmp_path / "out")


def test_the_compile_cache_on_windows_is_in_local_app_data(tmp_path, monkeypatch):
    from sine_lstm.cli import speed

    monkeypatch.delenv("SINE_LSTM_CACHE", raising=False)
    monkeypatch.setattr(speed.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert speed.cache_dir() == tmp_path / "Local" / "sine_lstm"
