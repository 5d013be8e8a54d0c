"""The lesson reads on its own: no lesson module loads the speed layer or the command line."""

import subprocess
import sys

from conftest import ENV

LESSON = (
    "config",
    "data",
    "cell",
    "model",
    "train",
    "callbacks",
    "plots",
    "gif",
    "record",
    "outputs",
)
LESSON += ("series", "forecast", "predict", "figures")

PROBE = f"""
import sys
from pathlib import Path
from sine_lstm import {", ".join(LESSON)}
from sine_lstm.config import Config

out = Path(sys.argv[1])
tiny = Config(steps=4, batch_size=2, time_steps=4, cell_size=2, out=str(out))
result = train.train(tiny, verbose=False)
assert len(result.costs) == 4 and (out / "sine_lstm.gif").stat().st_size > 1000
print(sorted(m for m in sys.modules if m.startswith("sine_lstm")))
"""


def test_lesson_modules_train_and_draw_without_the_speed_layer_or_the_cli(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = eval(proc.stdout.strip().splitlines()[-1])
    assert {f"sine_lstm.{name}" for name in LESSON} <= set(loaded)  # the probe saw them
    assert [
        m
        for m in loaded
        if m.startswith(
            ("sine_lstm.speed", "sine_lstm.cli", "sine_lstm.forecast_cli", "sine_lstm.site")
        )
    ] == []
