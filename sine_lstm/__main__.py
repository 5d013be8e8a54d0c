"""`python -m sine_lstm train …`: see `sine_lstm/cli/`."""

import sys

from sine_lstm.cli import main

if __name__ == "__main__":
    sys.exit(main())
