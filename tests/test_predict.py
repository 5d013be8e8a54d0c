"""`predict`: a saved model's fit over batches it never trained on."""

import keras
import numpy as np
import pytest

from sine_lstm import data
from sine_lstm.cli import checks, predict
from sine_lstm.model import recurrent
from sine_lstm.train import train


def test_the_stretch_is_the_stateful_model_run_batch_by_batch(tiny):
    """One compiled `predict` over the stretch gives what calling the model batch by batch
    from a zero state gives: the state carries from each batch to the next."""
    model = train(tiny.replace(steps=20), verbose=False).model
    x, target, pred, costs = predict.predict_stretch(model, start=100, batches=7)
    recurrent(model).reset_state()
    for k in range(7):
        xk, sin_x, cos_x = data.batch(100 + k, tiny.batch_size, tiny.time_steps)
        by_hand = keras.ops.convert_to_numpy(model(sin_x))  # (batch, time, 1)
        window = slice(k * tiny.time_steps, (k + 1) * tiny.time_steps)
        np.testing.assert_allclose(pred[window], by_hand[0, :, 0], atol=1e-5)
        np.testing.assert_allclose(x[window], xk[0, :, 0])
        np.testing.assert_allclose(target[window], cos_x[0, :, 0])
        np.testing.assert_allclose(costs[k], ((by_hand - cos_x) ** 2).sum() / 4, rtol=1e-5)


def test_a_stretch_too_large_for_memory_is_refused(tiny, tmp_path, monkeypatch):
    train(tiny, tiny.out, verbose=False)
    monkeypatch.setattr(predict, "available_bytes", lambda: 10_000)
    with pytest.raises(checks.UsageError, match=r"^batches 1000: 1000 batches of 4 × 5 points"):
        predict.predict_png(f"{tiny.out}/model.keras", tmp_path / "p.png", batches=1000)
    assert not (tmp_path / "p.png").exists()
