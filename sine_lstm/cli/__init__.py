"""The command line, `sine-lstm`: `train`, `predict` and `forecast`.

- `parser.py`: the flags, made from `Config`; `checks.py`: every value checked, before
  the backend loads; `exits.py`: a refusal in one line, and the exit status;
- `run.py`: `train()` in its output folder (`outputs.py`: the lock, the staging), and
  Ctrl-C around it; `speed.py`: the backend loaded, fast (`quiet.py`: without its chatter);
- `predict.py`, `forecast.py`: the other two commands.
"""

from __future__ import annotations

import os
import sys

from sine_lstm.cli.checks import UsageError, packages
from sine_lstm.cli.exits import USAGE_ERROR, fail, said
from sine_lstm.cli.parser import overview, parse_args
from sine_lstm.cli.run import Signals, run_train


def main(argv: list[str] | None = None) -> int:
    """`sine-lstm ARGS`; the exit status."""
    signals = Signals()  # Ctrl-C from the first moment: nothing written, nothing replaced
    if not (sys.argv[1:] if argv is None else argv):  # `sine-lstm` alone: what it can do
        print(overview(), file=sys.stderr)
        return USAGE_ERROR
    try:
        packages()
        args = parse_args(argv)
    except UsageError as err:
        return fail(said(err), USAGE_ERROR)
    if args.command == "train":
        return run_train(args, signals)
    if args.command == "forecast":
        from sine_lstm.cli import forecast

        return forecast.run(args)
    from sine_lstm.cli.speed import load_backend

    load_backend(args.backend, plain=True)
    from sine_lstm.cli import predict

    return predict.run(args)


def terminal_safe(*streams) -> None:
    """Each stream writes a character its encoding lacks as \\uXXXX, not a UnicodeEncodeError
    (a Chinese folder name, printed to a log file on a Western Windows)."""
    for stream in streams:
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def main_exit() -> None:
    """Entry point of `sine-lstm` and `python -m sine_lstm`: exit with `main`'s status.

    Every file is written and closed by then; the backend's own teardown at exit (most of
    a second for TensorFlow) would only delay the prompt after a Ctrl-C.
    """
    terminal_safe(sys.stdout, sys.stderr)
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
