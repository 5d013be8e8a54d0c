"""Our gate-equation cells against Keras's own, micrograd-style; the min cells' scan
against their loop."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from sine_lstm.cell import GRUCell, LSTMCell, MinGRUCell, MinLSTMCell, trace

UNITS, DIM, BATCH, TIME = 6, 3, 4, 32


def twin_layers(seed=1):
    """Our cell in keras.layers.RNN and keras.layers.LSTM, with the same random weights."""
    ours = keras.layers.RNN(LSTMCell(UNITS), return_sequences=True, return_state=True)
    theirs = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)
    ours.build((BATCH, TIME, DIM))
    theirs.build((BATCH, TIME, DIM))
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.5, w.shape).astype("float32") for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    return ours, theirs, rng


def test_weights_have_keras_layout():
    ours, theirs, _ = twin_layers()
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    assert [w.shape for w in ours.get_weights()] == [
        (DIM, 4 * UNITS),
        (UNITS, 4 * UNITS),
        (4 * UNITS,),
    ]


def test_outputs_and_states_equal_keras_lstm():
    ours, theirs, rng = twin_layers()
    x = rng.normal(size=(BATCH, TIME, DIM)).astype("float32")
    h0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    c0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    out_a, h_a, c_a = ours(x, initial_state=[h0, c0])
    out_b, h_b, c_b = theirs(x, initial_state=[h0, c0])
    np.testing.assert_allclose(out_a, out_b, atol=1e-5)
    np.testing.assert_allclose(h_a, h_b, atol=1e-5)
    np.testing.assert_allclose(c_a, c_b, atol=1e-5)
    assert np.abs(np.asarray(c_a)).max() > 0.1  # the comparison is not between zeros


def test_gradients_equal_keras_lstm():
    ours, theirs, rng = twin_layers()
    x = tf.constant(rng.normal(size=(BATCH, TIME, DIM)).astype("float32"))
    h0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    c0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    probe = tf.constant(rng.normal(size=(BATCH, TIME, UNITS)).astype("float32"))

    def grads(layer):
        with tf.GradientTape() as tape:
            tape.watch(x)
            out, h, c = layer(x, initial_state=[h0, c0])
            loss = tf.reduce_sum(out * probe) + tf.reduce_sum(c)
        return tape.gradient(loss, [x, *layer.trainable_variables])

    for g_a, g_b in zip(grads(ours), grads(theirs), strict=True):
        np.testing.assert_allclose(g_a, g_b, atol=1e-5)
        assert np.abs(np.asarray(g_a)).max() > 1e-3


def test_initialisation_is_the_original_basic_lstm_cell():
    keras.utils.set_random_seed(0)
    cell = LSTMCell(10)
    cell.build((None, 10))
    kernel, recurrent, bias = (np.asarray(w) for w in cell.get_weights())
    stacked = np.concatenate([kernel, recurrent])  # (20, 40), as BasicLSTMCell's kernel
    limit = np.sqrt(6 / (20 + 40))  # Glorot over [x; h]: fan_in 20, fan_out 40
    assert np.abs(stacked).max() <= limit
    assert np.abs(stacked).max() > 0.97 * limit  # 800 uniform draws reach near the limit
    np.testing.assert_allclose(stacked.std(), limit / np.sqrt(3), rtol=0.1)
    np.testing.assert_array_equal(bias[10:20], 1.0)  # forget_bias=1.0
    np.testing.assert_array_equal(np.delete(bias, range(10, 20)), 0.0)


def test_save_and_load_round_trip(tmp_path):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((TIME, DIM))
    outputs = keras.layers.RNN(LSTMCell(UNITS), return_sequences=True)(inputs)
    model = keras.Model(inputs, outputs)
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = np.random.default_rng(0).normal(size=(BATCH, TIME, DIM)).astype("float32")
    np.testing.assert_array_equal(model(x), loaded(x))
    assert isinstance(loaded.layers[1].cell, LSTMCell)


def test_simple_rnn_cell_equals_keras_simple_rnn():
    from sine_lstm.cell import SimpleRNNCell

    ours = keras.layers.RNN(SimpleRNNCell(UNITS), return_sequences=True, return_state=True)
    theirs = keras.layers.SimpleRNN(UNITS, return_sequences=True, return_state=True)
    ours.build((BATCH, TIME, DIM))
    theirs.build((BATCH, TIME, DIM))
    rng = np.random.default_rng(2)
    weights = [rng.normal(0, 0.5, w.shape).astype("float32") for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    x = rng.normal(size=(BATCH, TIME, DIM)).astype("float32")
    h0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    out_a, h_a = ours(x, initial_state=[h0])
    out_b, h_b = theirs(x, initial_state=[h0])
    np.testing.assert_allclose(out_a, out_b, atol=1e-5)
    np.testing.assert_allclose(h_a, h_b, atol=1e-5)


def test_trace_steps_the_cell_as_keras_rnn_loops_it_and_keeps_every_gate():
    ours, _, rng = twin_layers()
    x = rng.normal(size=(BATCH, TIME, DIM)).astype("float32")
    h0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    c0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    out, h, c = ours(x, initial_state=[h0, c0])  # keras.layers.RNN's own loop over time
    values, (h_t, c_t) = trace(ours.cell, x, [h0, c0])
    np.testing.assert_allclose(values["h"], out, atol=1e-6)
    np.testing.assert_allclose(h_t, h, atol=1e-6)
    np.testing.assert_allclose(c_t, c, atol=1e-6)
    assert {name: tuple(v.shape) for name, v in values.items()} == {
        name: (BATCH, TIME, UNITS) for name in ("i", "f", "c_hat", "o", "c", "h")
    }
    gates = np.stack([values[g] for g in ("i", "f", "o")])
    assert 0 < gates.min() and gates.max() < 1 and gates.std() > 0.05  # σ's, not constants


# Beyond the post: the GRU against keras.layers.GRU, the minGRU and minLSTM against their loop
def gru_twins(seed=4):
    """Our GRU cell in keras.layers.RNN and keras.layers.GRU, with the same random weights."""
    ours = keras.layers.RNN(GRUCell(UNITS), return_sequences=True, return_state=True)
    theirs = keras.layers.GRU(UNITS, return_sequences=True, return_state=True)
    ours.build((BATCH, TIME, DIM))
    theirs.build((BATCH, TIME, DIM))
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.5, w.shape).astype("float32") for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    x = rng.normal(size=(BATCH, TIME, DIM)).astype("float32")
    h0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    return ours, theirs, x, h0


def test_gru_weights_have_keras_layout():
    ours, theirs, _, _ = gru_twins()
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    assert [w.shape for w in ours.get_weights()] == [
        (DIM, 3 * UNITS),
        (UNITS, 3 * UNITS),
        (2, 3 * UNITS),
    ]


def test_gru_outputs_and_states_equal_keras_gru():
    ours, theirs, x, h0 = gru_twins()
    out_a, h_a = ours(x, initial_state=[h0])
    out_b, h_b = theirs(x, initial_state=[h0])
    np.testing.assert_allclose(out_a, out_b, atol=1e-5)
    np.testing.assert_allclose(h_a, h_b, atol=1e-5)
    assert np.abs(np.asarray(h_a)).max() > 0.1  # the comparison is not between zeros


def test_gru_gradients_equal_keras_gru():
    ours, theirs, x, h0 = gru_twins()
    x = tf.constant(x)
    probe = tf.constant(np.random.default_rng(5).normal(size=(BATCH, TIME, UNITS)), "float32")

    def grads(layer):
        with tf.GradientTape() as tape:
            tape.watch(x)
            out, h = layer(x, initial_state=[h0])
            loss = tf.reduce_sum(out * probe) + tf.reduce_sum(h)
        return tape.gradient(loss, [x, *layer.trainable_variables])

    for g_a, g_b in zip(grads(ours), grads(theirs), strict=True):
        np.testing.assert_allclose(g_a, g_b, atol=1e-5)
        assert np.abs(np.asarray(g_a)).max() > 1e-3


MIN_CELLS = [MinGRUCell, MinLSTMCell]


@pytest.mark.parametrize("length", [1, 7, 200])
@pytest.mark.parametrize("cell_class", MIN_CELLS)
def test_parallel_equals_the_step_loop_from_an_h0_of_either_sign(cell_class, length):
    cell = cell_class(UNITS)
    loop = keras.layers.RNN(cell, return_sequences=True)
    rng = np.random.default_rng(length)
    x = rng.normal(size=(BATCH, length, DIM)).astype("float32")
    for sign in (1.0, -1.0):
        h0 = (sign * np.abs(rng.normal(size=(BATCH, UNITS)))).astype("float32")
        stepped = np.asarray(loop(x, initial_state=[h0]))  # (batch, time, units)
        np.testing.assert_allclose(cell.parallel(x, h0), stepped, atol=1e-5)
        assert np.abs(stepped).max() > 0.1  # the comparison is not between zeros


@pytest.mark.parametrize("cell_class", MIN_CELLS)
def test_parallel_carries_a_window_on_into_the_next(cell_class):
    cell = cell_class(UNITS)
    cell.build((None, DIM))
    rng = np.random.default_rng(6)
    x = rng.normal(size=(BATCH, 2 * TIME, DIM)).astype("float32")  # two windows in a row
    h0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    first = cell.parallel(x[:, :TIME], h0)  # (batch, time, units)
    second = cell.parallel(x[:, TIME:], first[:, -1])  # from the first window's last h
    values, _ = trace(cell, x, [h0])  # one step at a time over both
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), values["h"], atol=1e-5)


@pytest.mark.parametrize(
    "cell_class, names",
    [
        (GRUCell, ("z", "r", "h_hat", "h")),
        (MinGRUCell, ("z", "h_hat", "h")),
        (MinLSTMCell, ("i", "f", "i_prime", "f_prime", "h_hat", "h")),
    ],
    ids=["gru", "mingru", "minlstm"],
)
def test_trace_keeps_every_value_the_new_cells_name(cell_class, names):
    cell = cell_class(UNITS)
    loop = keras.layers.RNN(cell, return_sequences=True, return_state=True)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(BATCH, TIME, DIM)).astype("float32")
    h0 = rng.normal(size=(BATCH, UNITS)).astype("float32")
    out, h = loop(x, initial_state=[h0])  # keras.layers.RNN's own loop over time
    values, (h_t,) = trace(cell, x, [h0])
    np.testing.assert_allclose(values["h"], out, atol=1e-6)
    np.testing.assert_allclose(h_t, h, atol=1e-6)
    assert {name: tuple(v.shape) for name, v in values.items()} == {
        name: (BATCH, TIME, UNITS) for name in names
    }


def test_min_lstm_gates_are_normalised_and_forget_bias_sets_b_f():
    cell = MinLSTMCell(UNITS, forget_bias=2.0)
    cell.build((None, DIM))
    bias = np.asarray(cell.bias)
    np.testing.assert_array_equal(bias[UNITS : 2 * UNITS], 2.0)  # [b_i | b_f | b_h]
    np.testing.assert_array_equal(np.delete(bias, range(UNITS, 2 * UNITS)), 0.0)
    x = np.random.default_rng(8).normal(size=(BATCH, DIM)).astype("float32")
    g = cell.step(x, [np.zeros((BATCH, UNITS), "float32")])
    np.testing.assert_allclose(g["f_prime"] + g["i_prime"], 1.0, atol=1e-6)
    assert np.asarray(g["f_prime"]).mean() > 0.6  # σ(2 + …) over σ(…): it starts remembering


@pytest.mark.parametrize(
    "cell_class, settings",
    [(GRUCell, {}), (MinGRUCell, {}), (MinLSTMCell, {"forget_bias": 0.5})],
    ids=["gru", "mingru", "minlstm"],
)
def test_the_new_cells_save_and_load(tmp_path, cell_class, settings):
    keras.utils.set_random_seed(0)
    cell = cell_class(UNITS, **settings)
    inputs = keras.Input((TIME, DIM))
    outputs = keras.layers.RNN(cell, return_sequences=True)(inputs)
    model = keras.Model(inputs, outputs)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    x = np.random.default_rng(0).normal(size=(BATCH, TIME, DIM)).astype("float32")
    np.testing.assert_array_equal(model(x), loaded(x))
    assert type(loaded.layers[1].cell) is type(cell)
    assert loaded.layers[1].cell.get_config() == cell.get_config()
