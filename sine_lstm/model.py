"""The demo's network: Dense `in_hidden` → our LSTM over time → Dense `out_hidden`."""

from __future__ import annotations

import keras
from keras import layers, ops

from sine_lstm.cell import LSTMCell, SimpleRNNCell, stacked_glorot
from sine_lstm.config import Config


@keras.saving.register_keras_serializable(package="sine_lstm")
def cost(y_true, y_pred):
    """The original's cost per row: squared error summed over the time steps.

    Keras averages it over the batch, so the reported loss is
    Σ (pred − target)² / batch = time_steps × MSE, the number the post printed.
    """
    return ops.sum(ops.square(y_pred - y_true), axis=(1, 2))  # (batch,)


def recurrent_layer(config: Config, stateful: bool) -> layers.Layer:
    """The layer that runs the cell named by `config.cell` over time, named "lstm"."""
    units = config.cell_size
    if config.cell == "keras":  # the built-in layer; build_model gives it our initial draw
        return layers.LSTM(units, return_sequences=True, stateful=stateful, name="lstm")
    if config.cell == "lstm":
        cell = LSTMCell(units)
    elif config.cell == "rnn":
        cell = SimpleRNNCell(units)
    else:
        raise ValueError(f"unknown cell {config.cell!r}")
    return layers.RNN(cell, return_sequences=True, stateful=stateful, name="lstm")


def build_model(config: Config, batch_size: int | None = None, stateful: bool | None = None):
    """The demo's network (uncompiled: `train` compiles it with Adam and `cost`).

    Args:
        config: the sizes and which cell to use.
        batch_size: the static batch a stateful RNN needs; `config.batch_size`
            unless given (e.g. 1 to predict a single stretch of the curve).
        stateful: carry the LSTM state across batches; `config.stateful` unless given.

    Returns:
        A `keras.Model` mapping (batch, time, 1) sin x to (batch, time, 1) cos x.
    """
    batch_size = batch_size or config.batch_size
    stateful = config.stateful if stateful is None else stateful
    normal = keras.initializers.RandomNormal(mean=0.0, stddev=1.0)  # TF1's random_normal
    bias = keras.initializers.Constant(0.1)
    inputs = keras.Input(batch_shape=(batch_size, config.time_steps, 1), name="sin_x")
    x = layers.Dense(
        config.cell_size, kernel_initializer=normal, bias_initializer=bias, name="in_hidden"
    )(inputs)  # (batch, time, units)
    x = recurrent_layer(config, stateful)(x)  # (batch, time, units)
    outputs = layers.Dense(1, kernel_initializer=normal, bias_initializer=bias, name="out_hidden")(
        x
    )  # (batch, time, 1)
    model = keras.Model(inputs, outputs, name="sine_lstm")
    if config.cell == "keras":  # start from the same kind of draw as our cell
        cell = model.get_layer("lstm").cell
        kernel, recurrent = stacked_glorot(config.cell_size, config.cell_size, 4)
        cell.kernel.assign(kernel)
        cell.recurrent_kernel.assign(recurrent)
    return model
