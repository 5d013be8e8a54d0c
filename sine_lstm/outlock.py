"""One run at a time per output folder: a lock file that the system releases with its process.

Two runs writing into one folder would leave a mix of both runs' files. A run
holds an exclusive `flock` on `OUT/.sine-lstm.lock`, which holds its process id;
the kernel drops the lock when the process ends, however it ends, so a lock left
by a killed run never blocks the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

NAME = ".sine-lstm.lock"


class Busy(RuntimeError):
    """Another run holds the folder; the message names the folder and its process."""


@contextlib.contextmanager
def hold(folder: str | os.PathLike) -> Iterator[None]:
    """Hold the lock on `folder` (created if need be) for the `with` block, or raise Busy."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise Busy(
                f"--out {str(folder)!r} is in use by another run (process {holder}); "
                "wait for it or choose another --out"
            ) from None
        try:  # its last holder may have removed the file between our open and our lock
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # still locked: a run that opened it meanwhile will retry
        os.close(fd)
