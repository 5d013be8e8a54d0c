"""The trained model asked with no retraining (`probe.py`), against Keras's own layers.

The page's twin of it, `web/probe.js`, is held to this one by tests/test_web.py.
"""

import keras
import numpy as np
import pytest

from sine_lstm.cell import LSTMCell
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost, recurrent
from sine_lstm.page.probe import POST_RNN, Probe, WhatIf, check_what_if
from sine_lstm.train import train


@pytest.fixture(scope="module")
def trained():
    config = Config(steps=30, batch_size=4, time_steps=6, cell_size=3)
    result = train(config, verbose=False)
    return result, config, Probe(result.model, config)


def twin(config, trained_model, stateful=True):
    """A fresh build of the demo model with the trained weights (and the state training left)."""
    model = build_model(config, stateful=stateful)
    for name in ("in_hidden", "out_hidden"):
        model.get_layer(name).set_weights(trained_model.get_layer(name).get_weights())
    recurrent(model).cell.set_weights(recurrent(trained_model).cell.get_weights())
    if stateful:
        for mine, theirs in zip(
            recurrent(model).states, recurrent(trained_model).states, strict=True
        ):
            mine.assign(theirs)  # the state training left
    return model


def test_as_trained_the_probe_is_the_trained_model_s_own_forward_pass(trained):
    result, config, probe = trained
    out = probe.run(WhatIf())
    model = twin(config, result.model)
    fit = np.asarray(model(probe.sin_x))[:, :, 0]  # (batch, time), from the carried state
    np.testing.assert_allclose(out["fit"], fit, atol=1e-5)
    assert np.abs(fit).max() > 0.01  # not a comparison of zeros
    expected = float(np.mean(cost(probe.cos_x, fit[:, :, None])))
    np.testing.assert_allclose(out["cost"], expected, rtol=1e-5)


def test_the_post_s_rnn_is_our_cell_built_with_pinned_gates(trained):
    result, config, probe = trained
    out = probe.run(POST_RNN)
    cell = LSTMCell(config.cell_size, pin=POST_RNN.pin)  # the trusted twin: Keras's own loop
    rnn = keras.layers.RNN(cell, return_sequences=True)
    rnn.build((config.batch_size, config.time_steps, config.cell_size))
    rnn.set_weights(recurrent(result.model).cell.get_weights())
    model = twin(config, result.model)
    h = rnn(model.get_layer("in_hidden")(probe.sin_x), initial_state=recurrent(model).states)
    fit = np.asarray(model.get_layer("out_hidden")(h))[:, :, 0]
    np.testing.assert_allclose(out["fit"], fit, atol=1e-5)
    assert np.abs(out["fit"] - probe.trained["fit"]).max() > 0.01  # it did change the fit
    assert (out["f"] == 0).all() and (out["i"] == 1).all() and (out["o"] == 1).all()


def test_reset_every_window_is_the_same_weights_run_stateless(trained):
    result, config, probe = trained
    out = probe.run(WhatIf(reset=True))
    model = twin(config, result.model, stateful=False)
    np.testing.assert_allclose(out["fit"], np.asarray(model(probe.sin_x))[:, :, 0], atol=1e-5)
    assert np.abs(out["fit"] - probe.trained["fit"]).max() > 1e-3


def test_a_zeroed_unit_is_the_unit_cut_out_of_the_weights(trained):
    result, config, probe = trained
    out = probe.run(WhatIf(zeroed=(1,)))
    model = twin(config, result.model)
    cell, out_hidden = recurrent(model).cell, model.get_layer("out_hidden")
    cell.recurrent_kernel.assign(np.asarray(cell.recurrent_kernel) * [[1], [0], [1]])  # U·h: no 1
    out_hidden.kernel.assign(np.asarray(out_hidden.kernel) * [[1], [0], [1]])  # ŷ: no unit 1
    np.testing.assert_allclose(out["fit"], np.asarray(model(probe.sin_x))[:, :, 0], atol=1e-5)
    assert (out["h"][:, :, 1] == 0).all() and np.abs(out["h"][:, :, 0]).max() > 0.01


def test_the_probe_keeps_its_own_copy_of_the_trained_model(trained):
    result, config, probe = trained
    before = probe.run(WhatIf())["fit"]
    kept = result.model.get_weights()
    result.model.set_weights([w * 0 for w in kept])  # as the next run would retrain it
    np.testing.assert_array_equal(probe.run(WhatIf())["fit"], before)
    result.model.set_weights(kept)


@pytest.mark.parametrize(
    "what, message",
    [
        (WhatIf(pin={"f": 1.5}), "pin f: must be a number from 0 to 1, got 1.5"),
        (WhatIf(pin={"f": float("nan")}), "pin f: must be a number from 0 to 1, got nan"),
        (WhatIf(pin={"g": 0.5}), "pin: no gate 'g'; the gates are i, f, o"),
        (WhatIf(zeroed=(3,)), "zero unit: must be 0 to 2, got 3"),
    ],
)
def test_what_ifs_out_of_range_are_refused_in_one_line(what, message):
    with pytest.raises(ValueError) as err:
        check_what_if(what, Config(cell_size=3))
    assert str(err.value) == message


def test_only_our_lstm_can_pin_its_gates():
    for cell in ("rnn", "keras", "gru", "mingru", "minlstm"):
        with pytest.raises(ValueError) as err:
            check_what_if(WhatIf(pin={"f": 0.5}), Config(cell=cell))
        assert str(err.value) == f"pin f: only our lstm cell can pin its gates, not the {cell} cell"


@pytest.mark.parametrize("cell", ["keras", "gru", "mingru", "minlstm"])
def test_the_probe_runs_every_other_cell_as_its_model_does(cell):
    config = Config(cell=cell, batch_size=4, time_steps=6, cell_size=3)
    keras.utils.set_random_seed(0)
    model = build_model(config)
    for state in recurrent(model).states:
        state.assign(np.full((4, 3), 0.5, "float32"))  # a state to carry
    probe = Probe(model, config)
    fit = np.asarray(model(probe.sin_x))[:, :, 0]  # (batch, time), from that state
    np.testing.assert_allclose(probe.trained["fit"], fit, atol=1e-5)
    assert np.abs(fit).max() > 0.01  # not a comparison of zeros
