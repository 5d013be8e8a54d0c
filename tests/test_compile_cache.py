"""The XLA compile cache: only whole, checked entries are used or published."""

import os
import time

from conftest import ENV, run_cli

from sine_lstm.speed import compile_cache
from sine_lstm.speed.compile_cache import KEEP, CompileCache, is_whole_entry

TINY = ["--steps", "4", "--batch-size", "4", "--time-steps", "5", "--cell-size", "3", "--no-gif"]


def field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (payloads under 128 bytes)."""
    return bytes([number << 3 | 2, len(payload)]) + payload


ENTRY = field(1, b"key") + field(2, b"hlo module") + field(3, b"machine code")


def test_whole_entry_is_recognised_and_every_cut_is_not():
    assert is_whole_entry(ENTRY)
    for cut in range(len(ENTRY)):
        assert not is_whole_entry(ENTRY[:cut]), cut
    assert not is_whole_entry(b"garbage\n")
    assert not is_whole_entry(field(1, b"key") + field(3, b""))  # no executable


def publish(cache: CompileCache, name: str, data: bytes) -> None:
    """What a run does: TensorFlow writes into the private folder, then publish."""
    (cache.private / name).write_bytes(data)
    cache.publish()


def test_publish_then_seed_round_trip(tmp_path):
    name = "xla_compile_cache__1__2__XLA_CPU_JIT.pb"
    with CompileCache(tmp_path) as first:
        assert first.active
        assert f"--tf_xla_persistent_cache_directory={first.private}" in os.environ["TF_XLA_FLAGS"]
        publish(first, name, ENTRY)
        private = first.private
    assert not private.exists()  # the private folder goes with the run
    shared = first.shared
    assert (shared / name).read_bytes() == ENTRY
    assert [p.name for p in shared.iterdir() if p.name.startswith(".")] == []  # no temp files
    with CompileCache(tmp_path) as second:
        assert (second.private / name).read_bytes() == ENTRY  # seeded from the shared folder
        assert second.publish() == 0  # loaded, not compiled: nothing new to publish


def test_cut_or_tampered_entries_are_never_used_or_published(tmp_path):
    with CompileCache(tmp_path) as cache:
        publish(cache, "cut.pb", ENTRY[:-3])  # TensorFlow's write cut short
        assert not (cache.shared / "cut.pb").exists()
        publish(cache, "good.pb", ENTRY)
    (cache.shared / "good.pb").write_bytes(ENTRY[:-1])  # changed after publishing
    with CompileCache(tmp_path) as again:
        assert list(again.private.iterdir()) == []


def test_keeps_only_the_newest_entries_and_clears_stale_leftovers(tmp_path):
    with CompileCache(tmp_path) as cache:
        for k in range(KEEP + 3):
            publish(cache, f"e{k:02d}.pb", ENTRY)
            os.utime(cache.shared / f"e{k:02d}.pb", (k, 1_000_000 + k))
        leftover = cache.shared / ".e99.pb.x1y2"  # a publisher killed mid-write
        leftover.write_bytes(b"half")
        fresh = cache.shared / ".e98.pb.x3y4"  # another run publishing right now
        fresh.write_bytes(b"half")
        os.utime(leftover, (0, time.time() - 7200))
        cache.prune()
    names = sorted(p.name for p in cache.shared.glob("*.pb"))
    assert names == [f"e{k:02d}.pb" for k in range(3, KEEP + 3)]
    assert not leftover.exists() and fresh.exists()


def test_an_unusable_folder_means_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with CompileCache(blocker / "cache") as cache:
        assert not cache.active
    with CompileCache(None) as cache:
        assert not cache.active


def test_folder_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(compile_cache.ENV, str(tmp_path))
    assert compile_cache.root() == tmp_path
    monkeypatch.setenv(compile_cache.ENV, "off")
    assert compile_cache.root() is None
    monkeypatch.delenv(compile_cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert compile_cache.root() == tmp_path / "xdg" / "sine_lstm"


def test_real_runs_compile_once_then_load_and_survive_a_corrupt_entry(tmp_path, monkeypatch):
    monkeypatch.setitem(ENV, compile_cache.ENV, str(tmp_path / "cache"))
    first = run_cli("train", *TINY, "--out", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    (shared,) = (tmp_path / "cache").iterdir()
    (entry,) = shared.glob("*.pb")
    published = entry.stat().st_mtime_ns
    second = run_cli("train", *TINY, "--out", str(tmp_path / "b"))
    assert second.returncode == 0, second.stderr
    assert "cpu_aot_loader" not in second.stderr  # TensorFlow's bogus lines are hidden
    assert list(shared.glob("*.pb")) == [entry] and entry.stat().st_mtime_ns == published
    a = (tmp_path / "a" / "metrics.csv").read_text()
    assert a == (tmp_path / "b" / "metrics.csv").read_text()  # loaded program, same numbers
    entry.write_bytes(entry.read_bytes()[:1000])  # cut short behind the cache's back
    third = run_cli("train", *TINY, "--out", str(tmp_path / "c"))
    assert third.returncode == 0, third.stderr
    assert (tmp_path / "c" / "metrics.csv").read_text() == a  # compiled afresh, all 4 steps
