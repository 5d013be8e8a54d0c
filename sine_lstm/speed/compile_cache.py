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

JAX has a persistent compilation cache of its own (`jax_compilation_cache_dir`),
which by default keeps only programs that took over a second to compile; ours
take less, so the minimum compile time and entry size are set to keep every
one. It gets the same treatment: a private folder seeded from `jax-<key>/`,
whole entries published after the run. PyTorch has none.

Where: `$SINE_LSTM_CACHE`, else `$XDG_CACHE_HOME/sine_lstm`, else
`~/.cache/sine_lstm`; `SINE_LSTM_CACHE=off` turns it off. Best effort: if the
folder cannot be used, the run compiles as if there were no cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
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


ENVIRONMENT = (
    "TF_XLA_FLAGS",
    "JAX_COMPILATION_CACHE_DIR",
    "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS",
    "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES",
    "JAX_PERSISTENT_CACHE_ENABLE_XLA_CACHES",
)


@dataclasses.dataclass(frozen=True)
class Kind:
    """How one backend names and finds its cache."""

    prefix: str  # the shared folder is <root>/<prefix>-<machine key>
    package: str  # whose installed version the programs depend on
    suffix: str  # the name of an entry ends with this
    keep: int  # entries kept in the shared folder


KINDS = {
    "tensorflow": Kind("xla", "tensorflow", SUFFIX, KEEP),
    "jax": Kind("jax", "jaxlib", "-cache", 8 * KEEP),  # JAX also keeps small helper programs
}


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


def machine_key(package: str = "tensorflow") -> str:
    """Names what a compiled program depends on: the compiler's version and this CPU."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace")
        flags = next((line for line in cpuinfo.splitlines() if line.startswith("flags")), "")
    except OSError:
        flags = ""
    # The package's dist-info folder names its version; found without importing it, and
    # without importlib.metadata's scan of every installed package (50 ms at start-up).
    spec = importlib.util.find_spec(package)
    site = Path(spec.origin).parent.parent if spec and spec.origin else Path()
    installed = sorted(p.name for p in site.glob(f"{package}-*.dist-info"))
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
    """`with CompileCache(folder, backend):` around a run, entered before Keras is imported.

    `folder` None, or a backend without a cache (PyTorch): no cache.
    """

    def __init__(self, folder: Path | None, backend: str = "tensorflow"):
        self.kind = KINDS.get(backend)
        if folder is None or self.kind is None:
            self.shared = None
        else:
            self.shared = folder / f"{self.kind.prefix}-{machine_key(self.kind.package)}"
        self.private: Path | None = None
        self.seeded: set[str] = set()
        self.saved = {name: os.environ.get(name) for name in ENVIRONMENT}  # restored on close

    @property
    def active(self) -> bool:
        return self.private is not None

    def entries(self, limit: int | None = -1) -> list[Path]:
        """Whole, checked entries of the shared folder, newest first, at most `limit`
        (-1: the number kept)."""
        limit = self.kind.keep if limit == -1 else limit
        checked = []
        for entry in self.shared.glob(f"*{self.kind.suffix}"):
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
        if self.kind.prefix == "xla":  # TensorFlow reads its flags when it is imported
            flags = self.saved["TF_XLA_FLAGS"] or ""
            os.environ["TF_XLA_FLAGS"] = (
                f"{flags} --tf_xla_persistent_cache_directory={self.private}".strip()
            )
        else:  # JAX reads its configuration from these when it is imported
            os.environ["JAX_COMPILATION_CACHE_DIR"] = str(self.private)
            os.environ["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] = "0"  # ours take less
            os.environ["JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES"] = "-1"  # keep every size
            # XLA's own caches would live under the folder, and their path would enter
            # every key: with a private folder per run, nothing would ever be found again
            os.environ["JAX_PERSISTENT_CACHE_ENABLE_XLA_CACHES"] = "none"
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
        for entry in sorted(self.private.glob(f"*{self.kind.suffix}")):
            if entry.name in self.seeded:
                continue
            try:
                data = entry.read_bytes()
                if not data or (self.kind.prefix == "xla" and not is_whole_entry(data)):
                    continue  # (JAX wrote its entries whole: this process ran to its end)
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
        entries, keep = self.entries(limit=None), self.kind.keep
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
            (old.parent / (old.name + ".sha256")).unlink(missing_ok=True)
        whole = {entry.name for entry in entries[:keep]}
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
            for name, value in self.saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


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
        if not self.thread.is_alive():  # (else a child still holds the pipe: leave it open)
            os.close(self.saved)
        self.saved = self.thread = None
