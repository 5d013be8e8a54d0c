"""`python -m sine_lstm train …`: see `sine_lstm/cli/`."""

from sine_lstm.cli import main_exit

if __name__ == "__main__":
    main_exit()
