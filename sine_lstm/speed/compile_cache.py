"""A disk cache of the XLA-compiled training program, so a second run skips compiling.

Compiling the training step takes XLA about 1.5 s of a default run. TensorFlow can
keep each compiled program as a file and load it next time (`TF_XLA_FLAGS`
`--tf_xla_persistent_cache_directory`), but used directly that folder is fragile:
TensorFlow writes the files in place, so a run killed mid-write, or two runs at
once, can leave half a file, and loading one fails the training step with an
error that `fit` takes for the end of the data.

So TensorFlow gets a private folder for each run, seeded with copies of whole,
checked entries from the shared folder; after the run, the entries it compiled
are checked and published to the shared folder whole, by rename, each with its
SHA-256 beside it. The shared folder is per machine and TensorFlow version
(a compiled program is machine code for this CPU) and keeps the newest `KEEP`.

Where: `$SINE_LSTM_CACHE`, else `$XDG_CACHE_HOME/sine_lstm`, else
`~/.cache/sine_lstm`; `SINE_LSTM_CACHE=off` turns it off. Best effort: if the
folder cannot be used, the run compiles as if there were no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import platform
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from sine_lstm.atomic import atomic_path, write_text

ENV = "SINE_LSTM_CACHE"
OFF = ("", "0", "off", "no", "false")
KEEP = 16  # entries kept: one per combination of sizes tried, about 0.75 MB each
SUFFIX = ".pb"  # TensorFlow's name for an entry: xla_compile_cache__<keys>.pb


def root() -> Path | None:
    """The cache folder from the environment, or None if it is turned off."""
    value = os.environ.get(ENV)
    if value is not None:
        return None if value.strip().lower() in OFF else Path(value)
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    return Path(base) / "sine_lstm"


def machine_key() -> str:
    """Names what a compiled program depends on: TensorFlow's version and this CPU."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        flags = next((line for line in cpuinfo.splitlines() if line.startswith("flags")), "")
    except OSError:
        flags = ""
    # TensorFlow's dist-info folder names its version; found without importing it, and
    # without importlib.metadata's scan of every installed package (50 ms at start-up).
    spec = importlib.util.find_spec("tensorflow")
    site = Path(spec.origin).parent.parent if spec and spec.origin else Path()
    installed = sorted(p.name for p in site.glob("tensorflow-*.dist-info"))
    text = "|".join([*installed, platform.machine(), flags])  # flags: what the CPU can run
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ValueError("truncated")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if byte < 0x80:
            return value, at


def is_whole_entry(data: bytes) -> bool:
    """Is `data` a complete serialized entry: protobuf fields up to the last byte,
    ending with a non-empty field 3 (the compiled executable)?

    A write cut short ends inside a field; fields are written in number order,
    so one cut before the executable lacks field 3.
    """
    at, executable = 0, 0
    try:
        while at < len(data):
            tag, at = _varint(data, at)
            number, kind = tag >> 3, tag & 7
            if kind == 0:  # varint
                _, at = _varint(data, at)
            elif kind == 1:  # 64-bit
                at += 8
            elif kind == 2:  # length-delimited
                length, at = _varint(data, at)
                at += length
                if number == 3:
                    executable = length
            elif kind == 5:  # 32-bit
                at += 4
            else:
                return False
    except ValueError:
        return False
    return at == len(data) and executable > 0


class CompileCache:
    """`with CompileCache(folder):` around a run, entered before TensorFlow is imported."""

    def __init__(self, folder: Path | None):
        self.shared = folder / f"xla-{machine_key()}" if folder is not None else None
        self.private: Path | None = None
        self.seeded: set[str] = set()
        self.flags = os.environ.get("TF_XLA_FLAGS")  # restored on close

    @property
    def active(self) -> bool:
        return self.private is not None

    def entries(self, limit: int | None = KEEP) -> list[Path]:
        """Whole, checked entries of the shared folder, newest first, at most `limit`."""
        checked = []
        for entry in self.shared.glob(f"*{SUFFIX}"):
            try:
                if (entry.parent / (entry.name + ".sha256")).read_text().strip() == sha256(entry):
                    checked.append((entry.stat().st_mtime, entry))
            except OSError:
                continue  # half published, or removed meanwhile: not an entry
        return [entry for _, entry in sorted(checked, reverse=True)[:limit]]

    def __enter__(self) -> CompileCache:
        if self.shared is None:
            return self
        try:
            self.shared.mkdir(parents=True, exist_ok=True)
            self.private = Path(tempfile.mkdtemp(prefix="sine_lstm_xla_"))
            for entry in self.entries():
                shutil.copyfile(entry, self.private / entry.name)
                self.seeded.add(entry.name)
        except OSError:
            self.close()  # no cache this time
            return self
        os.environ["TF_XLA_FLAGS"] = (
            f"{self.flags or ''} --tf_xla_persistent_cache_directory={self.private}".strip()
        )
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.publish()
        finally:
            self.close()

    def publish(self) -> int:
        """Copy the entries this run compiled to the shared folder, whole; return how many."""
        if self.private is None:
            return 0
        published = 0
        for entry in sorted(self.private.glob(f"*{SUFFIX}")):
            if entry.name in self.seeded:
                continue
            try:
                data = entry.read_bytes()
                if not is_whole_entry(data):
                    continue
                with atomic_path(self.shared / entry.name) as tmp:  # whole, or not at all
                    tmp.write_bytes(data)
                write_text(
                    self.shared / (entry.name + ".sha256"), hashlib.sha256(data).hexdigest() + "\n"
                )
                published += 1
            except OSError:
                continue  # e.g. the disk is full: the cache is only a shortcut
        if published:  # nothing new: nothing to prune, and no need to hash it all again
            with contextlib.suppress(OSError):  # e.g. someone removed the folder meanwhile
                self.prune()
        return published

    def prune(self, stale_after: float = 3600) -> None:
        """Remove all but the newest KEEP entries, and what a killed run left an hour ago.

        Files younger than `stale_after` seconds that are not entries may be
        another run's publishing in progress, so they stay.
        """
        entries = self.entries(limit=None)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
            (old.parent / (old.name + ".sha256")).unlink(missing_ok=True)
        whole = {entry.name for entry in entries[:KEEP]}
        whole |= {name + ".sha256" for name in whole}
        now = time.time()
        for path in self.shared.iterdir():
            try:
                if path.name not in whole and now - path.stat().st_mtime > stale_after:
                    path.unlink()
            except OSError:
                continue

    def close(self) -> None:
        if self.private is not None:
            shutil.rmtree(self.private, ignore_errors=True)
            self.private = None
            if self.flags is None:
                os.environ.pop("TF_XLA_FLAGS", None)
            else:
                os.environ["TF_XLA_FLAGS"] = self.flags


# TensorFlow 2.21 logs these at ERROR level each time it loads a cached program,
# although the program loads and runs fine.
BOGUS = re.compile(
    rb"text_format\.cc:\d+\] Error parsing text-format tensorflow\.XlaSerializedCacheEntry"
    rb"|cpu_aot_loader\.cc:\d+\] Loading XLA:CPU AOT result\. Target machine feature"
)
LOG_START = re.compile(rb"[IWEF]\d{0,4}$|[IWEF]\d{4} ")  # what may begin a TensorFlow log line


class StderrFilter:
    """Pass everything written to file descriptor 2 through, except the `BOGUS` lines.

    File descriptor 2 becomes a pipe read by a thread, which writes each line on
    to the real stderr unless it is one of the known bogus lines; text that is not
    the start of a log line (a progress bar's `\\r` updates) goes on at once.
    """

    def __init__(self):
        self.saved: int | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.saved is not None:
            return
        sys.stderr.flush()
        self.saved = os.dup(2)
        read, write = os.pipe()
        os.dup2(write, 2)
        os.close(write)
        self.thread = threading.Thread(target=self._pump, args=(read, self.saved), daemon=True)
        self.thread.start()

    @staticmethod
    def _pump(read: int, real: int) -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while chunk := os.read(read, 65536):
                *lines, pending = (pending + chunk).split(b"\n")
                text = b"".join(line + b"\n" for line in lines if not BOGUS.search(line))
                if pending and not LOG_START.match(pending):
                    text, pending = text + pending, b""
                if text:
                    os.write(real, text)
            if pending:
                os.write(real, pending)
        os.close(read)

    def stop(self) -> None:
        """Give file descriptor 2 back and let the thread write what is left."""
        if self.saved is None:
            return
        sys.stderr.flush()
        os.dup2(self.saved, 2)  # closes the pipe's last write end: the thread reads its end
        self.thread.join(timeout=5)
        os.close(self.saved)
        self.saved = self.thread = None
