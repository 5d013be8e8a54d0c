"""How a command ends when it cannot go on: one line on stderr and an exit status.

Shared by every subcommand (`cli.py`, `forecast_cli.py`), so that none imports another.
"""

from __future__ import annotations

import sys

USAGE_ERROR = 2  # a value refused: argparse's own status for a bad flag


def fail(message, status: int, prefix: str = "sine-lstm: error: ") -> int:
    """Print `message` in one line on stderr; return `status` for the command to exit with."""
    print(f"{prefix}{message}", file=sys.stderr)
    return status
