"""The output folder: every file written whole, a run's set put in place at once, one run
at a time.

A run writes into `OUT/.sine-lstm.run/` (`Staging`) and moves its whole set into `OUT` only when
it ends with something to show. Until then the previous run's set is untouched: a crash,
`kill -9` or a full disk leaves it whole, and the next run clears what was left.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

OUTPUTS = ("metrics.csv", "model.keras", "config.json", "sine_lstm.gif", "final.png", "cost.png")
OUTPUTS += ("logs",)  # TensorBoard's folder
LATER = ("predict.png", "forecast.png", "forecast.json")  # drawn later from a run's model
STAGING = ".sine-lstm.run"  # where a run writes its set before it is put in place
DIVERGED = "diverged"  # a diverged run's metrics.csv and config.json, to see the blow-up
PLACED = "placed.json"  # in STAGING: the set is whole; what goes where
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


class Staging:
    """A run's set, written in `OUT/.sine-lstm.run/` and put in place in `OUT` at once (`place`).

    Made under the folder's `Lock`. A set left by a run killed or failing while it was
    being put in place (`placed.json` written) is put in place first; anything else
    left there is cleared. Only our own files move or go: the user's stay.
    """

    def __init__(self, out: str | os.PathLike):
        self.out = Path(out)
        self.folder = self.out / STAGING
        if (self.folder / PLACED).exists():
            self.finish()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def place(self, elsewhere: dict[str, Path] | None = None) -> list[str]:
        """Put the set in place: each file written in the staging folder into `OUT` (or
        `elsewhere[name]`); every output of an earlier run that this set lacks goes. Returns
        those names."""
        out = self.out.resolve()  # whole paths: the next run may start from another folder
        moves = {p.name: str(out / p.name) for p in self.folder.iterdir()}
        moves |= {name: str(Path(path).resolve()) for name, path in (elsewhere or {}).items()}
        write_text(self.folder / PLACED, json.dumps(moves))  # from here on, the set is whole
        return self.finish()

    def finish(self) -> list[str]:
        """Move what `placed.json` lists (what is left of it), clear the rest; the names gone."""
        moves = json.loads((self.folder / PLACED).read_text())
        kept = {Path(destination) for destination in moves.values()}
        out = self.out.resolve()
        ours = OUTPUTS + LATER + (DIVERGED,)
        gone = [name for name in ours if out / name not in kept and (out / name).exists()]
        for name in gone:
            remove(self.out / name)
        for name in ours:  # what `atomic_path` leaves when a writer is killed: .metrics.x1y2.csv
            for stale in self.out.glob(f".{Path(name).stem}.*"):
                remove(stale)
        for name, destination in moves.items():
            if (self.folder / name).exists():
                move(self.folder / name, Path(destination))
        shutil.rmtree(self.folder)
        return gone

    def keep_diverged(self, names: tuple[str, ...]) -> Path:
        """A diverged run replaces nothing: `names` go to `OUT/diverged/`, the rest is cleared."""
        folder = self.out / DIVERGED
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name in names:
            if (self.folder / name).exists():
                os.replace(self.folder / name, folder / name)
        self.discard()
        return folder

    def discard(self) -> None:
        """Nothing of this run goes in place; but a set half put in place stays for the next run
        to finish (`placed.json`)."""
        if not self.half_placed():
            shutil.rmtree(self.folder, ignore_errors=True)

    def half_placed(self) -> bool:
        """Did putting the set in place stop midway (it raised)? The next run finishes it."""
        return (self.folder / PLACED).exists()


@contextlib.contextmanager
def staged(out: str | os.PathLike, save: bool = True) -> Iterator[Staging | None]:
    """A run's folder: one run at a time in `out` (its `Lock`), writing into its `Staging`;
    whatever is not put in place by the end is cleared. `save=False`: None, nothing held."""
    if not save:
        yield None
        return
    with Lock(out):
        stage = Staging(out)
        try:
            yield stage
        finally:
            stage.discard()


def move(source: Path, destination: Path) -> None:
    """Put `source` at `destination`, replacing it; a folder too (the old one moved aside first)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        if destination.exists():
            aside = source.with_name(f".old.{source.name}")
            os.replace(destination, aside)
        os.replace(source, destination)
        return
    try:
        os.replace(source, destination)
    except OSError as err:  # another disk (`--gif` elsewhere): copy beside it, then replace
        if err.errno != errno.EXDEV:
            raise
        with atomic_path(destination) as tmp:
            shutil.copyfile(source, tmp)
        source.unlink()


def remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink()


class Busy(RuntimeError):
    """Another run holds the folder; the message names the folder and its process."""


class Lock:
    """One run at a time per output folder: an exclusive lock on `OUT/.sine-lstm.lock`
    (`flock`; on Windows, `msvcrt.locking` of a byte past the process id).

    The file holds the process id; the system drops the lock when the process
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
                lock(self.fd)
            except OSError:
                holder = os.read(self.fd, 32).decode(errors="replace").strip() or "unknown"
                os.close(self.fd)
                raise Busy(
                    f"{str(self.folder)!r} is in use by another run (process {holder}); "
                    "wait for it or choose another folder"
                ) from None
            try:  # its last holder may have removed the file between our open and our lock
                if os.path.samestat(os.stat(self.path), os.fstat(self.fd)):
                    break
            except FileNotFoundError:
                pass
            os.close(self.fd)
        os.ftruncate(self.fd, 0)
        os.lseek(self.fd, 0, os.SEEK_SET)
        os.write(self.fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        if sys.platform == "win32":  # Windows removes no file that is open: close it first
            with contextlib.suppress(OSError):
                os.close(self.fd)
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


def lock(fd: int) -> None:
    """Take the lock on `fd` or raise OSError at once if another process holds it."""
    if sys.platform == "win32":
        os.lseek(fd, 64, os.SEEK_SET)  # past the process id, which others must read
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
