"""The output folder: one run at a time, and no empty folder left by a run that wrote nothing."""

import os

import pytest

from sine_lstm.outputs import LOCK, Busy, Lock, atomic_path


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
