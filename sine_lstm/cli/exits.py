"""How a command speaks of a bad value: argparse types from the checks, the flag's name on
a refusal, one line on stderr and an exit status.

Shared by every subcommand (`cli.py`, `forecast_cli.py`), so that none imports another.
"""

from __future__ import annotations

import argparse
import sys

from sine_lstm.cli import checks

USAGE_ERROR = 2  # a value refused: argparse's own status for a bad flag
NAMES = {"stateful": "--stateless", "gif": "--no-gif", "gif_path": "--gif"}  # the rest: --field


def flag(field: str) -> str:
    """The flag that sets `field`: `--batch-size` for batch_size."""
    return NAMES.get(field, "--" + field.replace("_", "-"))


def said(err) -> str:
    """A `checks.UsageError` in the command line's words: its field named by the flag."""
    return f"{flag(err.field)} {err.words}" if err.field else err.words


def typed(read):
    """An argparse type from a check that raises UsageError: argparse names the flag."""

    def value(text: str):
        try:
            return read(text)
        except checks.UsageError as err:
            raise argparse.ArgumentTypeError(err.words) from None

    return value


def whole(low: int, high: int):
    """An argparse type: an integer from `low` to `high`."""
    return typed(lambda text: checks.whole(None, text, low, high))


def fail(message, status: int, prefix: str = "sine-lstm: error: ") -> int:
    """Print `message` in one line on stderr; return `status` for the command to exit with."""
    print(f"{prefix}{message}", file=sys.stderr)
    return status
