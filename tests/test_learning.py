"""Does it learn like the original? Five seeds with the defaults (slow: make check-learning)."""

import json
from pathlib import Path

import keras
import numpy as np
import pytest

from sine_lstm.config import Config
from sine_lstm.train import train

REFERENCE = Path(__file__).parent / "data" / "original_costs.json"  # measured, 20 seeds
SEEDS = (0, 1, 2, 3, 4)


def original_finals() -> dict[int, float]:
    """The original's final cost (mean of the last 20 steps) per seed."""
    seeds = json.loads(REFERENCE.read_text())["seeds"]
    return {int(s): float(np.mean(costs[-20:])) for s, costs in seeds.items()}


@pytest.mark.slow
def test_learns_like_the_original(tmp_path):
    backend = keras.backend.backend()  # KERAS_BACKEND: `make check-learning BACKEND=jax`
    if backend == "torch":  # 50 × 40 matrices: threads cost more than they save (5× per step)
        import torch

        torch.set_num_threads(1)
    ours = {
        s: train(Config(seed=s, out=str(tmp_path / str(s))), verbose=False, save=False).final_cost
        for s in SEEDS
    }
    original = original_finals()
    print(f"\nfinal cost = mean of the last 20 of 200 steps; ours on {backend}")
    print(f"{'seed':>4}  {'ours':>8}  {'original':>8}")
    for s in SEEDS:
        print(f"{s:>4}  {ours[s]:8.4f}  {original[s]:8.4f}")
    values = np.array(list(ours.values()))
    print(
        f"ours ({backend}): median {np.median(values):.4f}  max {values.max():.4f}  "
        f"({len(SEEDS)} seeds)"
    )
    ref = np.array(list(original.values()))
    print(
        f"original: median {np.median(ref):.4f}  p90 {np.percentile(ref, 90):.4f}  "
        f"max {ref.max():.4f}  ({len(ref)} seeds)"
    )
    assert np.median(values) <= 0.25
    assert values.max() <= 1.0
