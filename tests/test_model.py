import keras
import numpy as np

from sine_lstm import data
from sine_lstm.config import CELLS, Config
from sine_lstm.model import build_model, cost, recurrent


def test_layers_shapes_and_initial_values():
    keras.utils.set_random_seed(0)
    model = build_model(Config())
    assert [layer.name for layer in model.layers[1:]] == ["in_hidden", "lstm", "out_hidden"]
    assert model.input_shape == (50, 20, 1) and model.output_shape == (50, 20, 1)
    in_hidden, out_hidden = model.get_layer("in_hidden"), model.get_layer("out_hidden")
    np.testing.assert_array_equal(in_hidden.bias, np.float32(0.1))
    np.testing.assert_array_equal(out_hidden.bias, np.float32(0.1))
    assert model.get_layer("lstm").stateful


def test_loss_is_the_original_cost_time_steps_times_mse():
    keras.utils.set_random_seed(0)
    config = Config(batch_size=8, time_steps=5, cell_size=4)
    model = build_model(config)
    _, sin_x, cos_x = data.batch(0, 8, 5)
    pred = np.asarray(model(sin_x))
    expected = ((pred - cos_x) ** 2).sum() / 8
    np.testing.assert_allclose(float(np.mean(cost(cos_x, pred))), expected, rtol=1e-5)
    np.testing.assert_allclose(expected, 5 * ((pred - cos_x) ** 2).mean(), rtol=1e-5)


def test_a_nan_target_costs_nothing_and_sends_back_no_gradient():
    import tensorflow as tf

    rng = np.random.default_rng(0)
    pred = tf.constant(rng.normal(size=(3, 6, 1)), tf.float32)  # (batch, time, 1)
    target = rng.normal(size=(3, 6, 1)).astype(np.float32)
    target[:, :4] = np.nan  # the remember task's steps before lag: nothing to answer
    with tf.GradientTape() as tape:
        tape.watch(pred)
        row_cost = cost(target, pred)  # (batch,)
    grad = tape.gradient(row_cost, pred).numpy()  # (batch, time, 1)
    answered = ((pred.numpy() - target)[:, 4:] ** 2).sum(axis=(1, 2))  # the answered steps only
    np.testing.assert_allclose(row_cost.numpy(), answered, rtol=1e-6)
    assert answered.min() > 0.01  # not a comparison of zeros
    np.testing.assert_array_equal(grad[:, :4], 0.0)
    np.testing.assert_allclose(grad[:, 4:], 2 * (pred.numpy() - target)[:, 4:], rtol=1e-6)


def test_state_carries_across_calls_and_resets():
    keras.utils.set_random_seed(0)
    model = build_model(Config(batch_size=2, time_steps=4, cell_size=3))
    _, sin_x, _ = data.batch(0, 2, 4)
    first = np.asarray(model(sin_x))
    second = np.asarray(model(sin_x))  # same input, carried state: different output
    assert np.abs(first - second).max() > 1e-4
    model.get_layer("lstm").reset_state()
    np.testing.assert_allclose(model(sin_x), first, atol=1e-6)


def test_dense_kernels_are_standard_normal():
    keras.utils.set_random_seed(0)
    model = build_model(Config(cell_size=400))
    kernel = np.asarray(model.get_layer("in_hidden").kernel)  # (1, 400)
    assert abs(kernel.mean()) < 0.15 and 0.85 < kernel.std() < 1.15


def test_every_cell_learns_through_the_same_model():
    """Each cell, in the same in_hidden → RNN → out_hidden, on the demo's 200 steps: the last
    20 steps cost under a fifth of the first 20."""
    from sine_lstm.train import train

    for cell in ("lstm", "rnn", "keras"):
        costs = train(Config(cell=cell), verbose=False).costs
        assert costs[-20:].mean() < 0.2 * costs[:20].mean(), cell


def test_keras_cell_takes_our_weights_and_gives_our_outputs():
    keras.utils.set_random_seed(0)
    ours = build_model(Config(batch_size=2, time_steps=6, cell_size=4, cell="lstm"))
    theirs = build_model(Config(batch_size=2, time_steps=6, cell_size=4, cell="keras"))
    theirs.set_weights(ours.get_weights())
    _, sin_x, _ = data.batch(0, 2, 6)
    np.testing.assert_allclose(ours(sin_x), theirs(sin_x), atol=1e-5)


def test_the_recurrent_layer_is_named_for_its_cell():
    names = {cell: recurrent(build_model(Config(cell=cell))).name for cell in CELLS}
    assert names == {
        "lstm": "lstm",
        "rnn": "rnn",
        "keras": "lstm",
        "gru": "gru",
        "mingru": "mingru",
        "minlstm": "minlstm",
    }


def test_forget_bias_sets_b_f_of_every_cell_with_a_forget_gate_and_nothing_else():
    for cell in ("lstm", "keras", "minlstm"):
        config = Config(cell=cell, forget_bias=-2.5, cell_size=4)
        bias = keras.ops.convert_to_numpy(recurrent(build_model(config)).cell.bias)
        np.testing.assert_array_equal(bias[4:8], -2.5)  # b_f: gates stacked i, f, c, o (i, f, h)
        np.testing.assert_array_equal(np.delete(bias, range(4, 8)), 0.0)
        default = recurrent(build_model(Config(cell=cell, cell_size=4))).cell.bias
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(default)[4:8], 1.0)
