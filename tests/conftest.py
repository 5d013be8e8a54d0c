"""Shared set-up: quiet, headless TensorFlow and small configs."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

import pytest  # noqa: E402

from sine_lstm.config import Config  # noqa: E402


@pytest.fixture
def tiny(tmp_path) -> Config:
    """A config that trains in a second: 6 steps of 4 rows × 5 points, 3 units."""
    return Config(steps=6, batch_size=4, time_steps=5, cell_size=3, out=str(tmp_path / "out"))


# Real runs share one compile cache, not the user's (see sine_lstm/speed/__init__.py).
CACHE = os.environ.get("SINE_LSTM_CACHE", os.path.join(tempfile.gettempdir(), "sine_lstm-tests"))
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg", "SINE_LSTM_CACHE": CACHE}


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """`python -m sine_lstm ARGS` in a fresh process, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "sine_lstm", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=timeout,
    )


def cli_train(config: Config, watch=(), quiet: bool = True, loaded=None) -> tuple[int, str]:
    """`sine-lstm train` on `config` in this process (`cli.run.run_train`): the exit status
    and what it printed; the signal handlers are this process's again afterwards."""
    import argparse
    import contextlib
    import io
    import signal

    import keras

    from sine_lstm.cli import run

    handlers = {signum: signal.getsignal(signum) for signum in run.SIGNALS}
    backend = keras.backend.backend()
    args = argparse.Namespace(config=config, backend=backend, plain=False, quiet=quiet)
    args.loaded = loaded  # a CSV's series, as parse_args reads it
    signals = run.Signals()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            code = run.run_train(args, signals, watch)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        os.close(signals.stderr)
    return code, printed.getvalue()


def cli_main(*args: str) -> subprocess.CompletedProcess:
    """`sine-lstm ARGS` in this process (`cli.main`, its backend loaded already): the exit
    status and what it printed, as `run_cli` gives them; the signal handlers are this
    process's again afterwards."""
    import contextlib
    import io
    import signal

    from sine_lstm.cli import main

    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())
