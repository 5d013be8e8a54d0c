"""How much memory a run needs, and how much this machine has free (`checks.check_memory`
refuses a run too large for it before it starts)."""

from __future__ import annotations

import os
import sys

BACKEND_BYTES = 900_000_000  # Python, the backend and the libraries: 0.67 GB measured, TensorFlow
STEP_BYTES = 400  # a step's record, its line of metrics.csv, logs/ and cost.png: 270 measured


def train_bytes(steps: int, epochs: int, batch_size: int, time_steps: int, cell_size: int) -> int:
    """About how much memory a training run holds at its peak, from its sizes (an upper
    estimate: `make check-memory` measures runs of 1,000 and 100,000 steps against it).

    The backend loaded; every step's cost and row 0, and what its files take to write
    (the stream itself is made a batch at a time); the batches `fit` reads ahead, one
    step's activations kept for backpropagation, the weights with their gradients and
    Adam's two moments.
    """
    steps = steps * epochs
    record = steps * (4 * (time_steps + 1) + STEP_BYTES)
    batches = 16 * 2 * batch_size * time_steps * 4  # read ahead: inputs and targets, float32
    activations = batch_size * time_steps * cell_size * 16 * 4  # gates, c, h, their gradients
    weights = 8 * cell_size * cell_size + 7 * cell_size + 1  # in_hidden, the cell's 4 gates, out
    return BACKEND_BYTES + record + batches + activations + 4 * 4 * weights


def available_bytes() -> int:
    """Memory this machine can give a new process now (MemAvailable on Linux)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    if sys.platform == "win32":  # no /proc and no sysconf: ask Windows
        import ctypes

        class Status(ctypes.Structure):
            _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong)]
            _fields_ += [(name, ctypes.c_ulonglong) for name in ("total", "available")]
            _fields_ += [("rest", ctypes.c_ulonglong * 5)]

        status = Status(length=ctypes.sizeof(Status))
        ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))
        return status.available
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def gigabytes(n: int) -> str:
    return f"{n / 1e9:,.1f} GB" if n < 1e12 else f"{n / 1e12:,.1f} TB"
