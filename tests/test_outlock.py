"""One run at a time per output folder."""

import os

import pytest

from sine_lstm.outlock import NAME, Busy, hold


def test_a_held_folder_refuses_a_second_holder_naming_the_first(tmp_path):
    with hold(tmp_path / "out"):
        assert (tmp_path / "out" / NAME).read_text() == f"{os.getpid()}\n"
        with pytest.raises(Busy, match=rf"'{tmp_path / 'out'}' is in use .*process {os.getpid()}"):
            with hold(tmp_path / "out"):
                pass
    assert not (tmp_path / "out" / NAME).exists()  # released and removed
    with hold(tmp_path / "out"):  # free again
        pass


def test_a_lock_file_left_behind_does_not_block(tmp_path):
    (tmp_path / NAME).write_text("999999\n")  # what a killed run leaves: a file, no lock
    with hold(tmp_path):
        assert (tmp_path / NAME).read_text() == f"{os.getpid()}\n"
