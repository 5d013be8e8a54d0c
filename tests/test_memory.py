"""The memory check's estimate holds: a run's peak memory, measured, is within it.

`make check-memory` (about 5 minutes): runs of 1,000 and 100,000 steps, the GIF on.
"""

import subprocess
import sys

import pytest
from conftest import ENV

from sine_lstm.cli.memory import train_bytes
from sine_lstm.config import Config

PEAK = """
import resource, sys
from sine_lstm.cli import main
code = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # kB on Linux: the process's peak
sys.exit(code)
"""


@pytest.mark.slow
@pytest.mark.parametrize("steps", [1000, 100_000])
def test_a_run_s_peak_memory_is_within_the_estimate(tmp_path, steps):
    args = ["train", "--steps", str(steps), "--quiet", "--out", str(tmp_path / "out")]
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, *args], env=ENV, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    peak = int(proc.stdout.split()[-1]) * 1024
    c = Config(steps=steps)
    estimate = train_bytes(steps, c.epochs, c.batch_size, c.time_steps, c.cell_size)
    print(f"{steps} steps: peak {peak / 1e6:.0f} MB, estimate {estimate / 1e6:.0f} MB")
    assert 0.5 * estimate < peak <= estimate  # an upper estimate, and not a wild one
