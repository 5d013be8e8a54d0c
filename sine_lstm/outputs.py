"""The output folder: every file written whole, old outputs cleared, one run at a time."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

OUTPUTS = ("metrics.csv", "model.keras", "config.json", "sine_lstm.gif", "final.png", "cost.png")
LOCK = ".sine-lstm.lock"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the same folder; move it onto `path` on success.

    A crash or kill before the end leaves the previous complete file (or none),
    never half of one: `os.replace` within one folder is atomic.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write `text` to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def clear_outputs(out: Path) -> None:
    """Create `out`, removing a previous run's outputs so no old file mixes with new ones.

    Only our own files go: the outputs by name, logs/, and the temporary files a
    killed run may have left (`.metrics.x1y2.csv`: see `atomic_path`). Anything
    else in the folder is the user's and stays.
    """
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "logs", ignore_errors=True)
    for stem in [Path(name).stem for name in OUTPUTS] + ["logs"]:
        for stale in out.glob(f".{stem}.*"):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()


class Busy(RuntimeError):
    """Another run holds the folder; the message names the folder and its process."""


class Lock:
    """One run at a time per output folder: an exclusive `flock` on `OUT/.sine-lstm.lock`.

    The file holds the process id; the kernel drops the lock when the process
    ends, however it ends, so a lock left by a killed run never blocks the next.
    `release()` removes the lock file, and the folder too if this lock created it
    and nothing was written into it.
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.created = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / LOCK
        while True:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(self.fd, 32).decode(errors="replace").strip() or "unknown"
                os.close(self.fd)
                raise Busy(
                    f"--out {str(self.folder)!r} is in use by another run (process {holder}); "
                    "wait for it or choose another --out"
                ) from None
            try:  # its last holder may have removed the file between our open and our lock
                if os.stat(self.path).st_ino == os.fstat(self.fd).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(self.fd)
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # still locked: a run that opened it meanwhile will retry
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if self.created:
            with contextlib.suppress(OSError):
                self.folder.rmdir()  # only if empty: nothing of ours or anyone's in it

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
