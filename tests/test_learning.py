"""Does it learn like the original? Five seeds with the defaults (slow: make check-learning)."""

import json
from pathlib import Path

import numpy as np
import pytest

from sine_lstm.config import Config
from sine_lstm.train import train

REFERENCE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "original_costs.json"
)
SEEDS = (0, 1, 2, 3, 4)


def original_finals() -> dict[int, float] | None:
    """The original's final cost (mean of the last 20 steps) per seed, if the file is there."""
    if not REFERENCE.exists():
        return None
    seeds = json.loads(REFERENCE.read_text())["seeds"]
    return {int(s): float(np.mean(costs[-20:])) for s, costs in seeds.items()}


@pytest.mark.slow
def test_learns_like_the_original(tmp_path):
    ours = {
        s: train(Config(seed=s, out=str(tmp_path / str(s))), verbose=False, save=False).final_cost
        for s in SEEDS
    }
    original = original_finals()
    print("\nfinal cost = mean of the last 20 of 200 steps")
    print(f"{'seed':>4}  {'ours':>8}  {'original':>8}")
    for s in SEEDS:
        theirs = f"{original[s]:8.4f}" if original else "       -"
        print(f"{s:>4}  {ours[s]:8.4f}  {theirs}")
    values = np.array(list(ours.values()))
    print(f"ours:     median {np.median(values):.4f}  max {values.max():.4f}  ({len(SEEDS)} seeds)")
    if original:
        ref = np.array(list(original.values()))
        print(
            f"original: median {np.median(ref):.4f}  p90 {np.percentile(ref, 90):.4f}  "
            f"max {ref.max():.4f}  ({len(ref)} seeds)"
        )
    assert np.median(values) <= 0.25
    assert values.max() <= 1.0
