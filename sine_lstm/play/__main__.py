"""`python -m sine_lstm.play [--port N] [--no-browser] [--host H]`: see `server.py`."""

import sys

from sine_lstm.play.server import main

if __name__ == "__main__":
    sys.exit(main())
