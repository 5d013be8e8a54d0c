"""`make site`: web/keras/ is what the lesson's code exports now, and holds what the page needs."""

import base64
import json
from pathlib import Path

import keras
import numpy as np

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost
from sine_lstm.page import site
from sine_lstm.train import train

WEB = Path(__file__).resolve().parents[1] / "web"


def test_web_keras_equals_a_fresh_export():
    assert (WEB / "keras/cli.js").read_text() == site.cli_js()
    assert (WEB / "keras/weights.js").read_text() == site.weights_js()  # no drift: make site


def test_the_exported_initial_weights_are_those_train_starts_from():
    config = Config(seed=3, steps=1)
    keras.utils.set_random_seed(1234)  # a different draw first: train() must seed it back
    trained_one_step = train(config, verbose=False)
    first = float(trained_one_step.costs[0])
    exported = site.initial_weights(config)
    model = build_model(config)
    for variable, name in zip(model.trainable_weights, site.names(model), strict=True):
        value = np.frombuffer(base64.b64decode(exported[name]), "<f4")
        variable.assign(value.reshape(variable.shape))
    _, x, y = data.batch(0)
    mine = float(np.mean(cost(y, model(x))))
    assert abs(mine - first) < 1e-6 * first  # the same weights: the same first cost


def test_the_initial_draw_does_not_depend_on_the_settings_the_page_changes():
    base = site.initial_weights(Config(seed=2))
    for changed in (
        Config(seed=2, lr=0.1, steps=7, batch_size=3, time_steps=5),
        Config(seed=2, stateful=False),
    ):
        assert site.initial_weights(changed) == base
    biased = site.initial_weights(Config(seed=2, forget_bias=3.0))
    assert {k for k in base if base[k] != biased[k]} == {"bias"}  # b_f only


def test_the_cli_fields_are_the_command_lines():
    text = (WEB / "keras/cli.js").read_text()
    fields = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert fields["defaults"]["lr"] == Config.lr and fields["flags"]["stateful"] == "--stateless"
    assert fields["limits"]["seed"] == [0, 2**32 - 1]
