"""The demo's network: Dense `in_hidden` → our LSTM over time → Dense `out_hidden`, and the cost."""

from __future__ import annotations

import keras
from keras import layers, ops

from sine_lstm.cell import (
    GRUCell,
    LSTMCell,
    MinGRUCell,
    MinLSTMCell,
    SimpleRNNCell,
    stacked_glorot,
)
from sine_lstm.config import Config


@keras.saving.register_keras_serializable(package="sine_lstm")
def cost(y_true, y_pred):
    """The original's cost per row: squared error summed over the time steps.

    Keras averages it over the batch, so the reported loss is
    Σ (pred − target)² / batch = time_steps × MSE, the number the post printed.
    A NaN target is a step with nothing to answer (the remember task's first `lag`
    steps): it costs nothing and sends back no gradient.
    """
    answered = ops.logical_not(ops.isnan(y_true))  # (batch, time, 1)
    y_true = ops.where(answered, y_true, y_pred)  # no answer: nothing missed
    return ops.sum(ops.square(y_pred - y_true), axis=(1, 2))  # (batch,)


@keras.saving.register_keras_serializable(package="sine_lstm")
class StatefulRNN(layers.Layer):
    """`keras.layers.RNN(cell)` that carries its last state into the next batch.

    The state h (and c) lives in non-trainable weights: read as the initial state,
    assigned the final state at every call, like a BatchNorm's moving mean.

    Args:
        cell: one time step, e.g. our `LSTMCell`; the loop over time stays Keras's.
        stateful: carry the state from batch to batch; False starts every batch
            from zeros (`--stateless`).
    """

    def __init__(self, cell: layers.Layer, stateful: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.cell = cell
        self.stateful = stateful
        # not RNN(stateful=True): on JAX its state is not a tracked weight and stays zero
        self.rnn = layers.RNN(cell, return_sequences=True, return_state=True)

    def build(self, input_shape):
        batch = input_shape[0]  # a static batch: the state has one row per row of the batch
        sizes = self.cell.state_size
        sizes = sizes if isinstance(sizes, (list, tuple)) else [sizes]  # LSTM: [h, c]
        self.states = [
            self.add_weight(shape=(batch, size), initializer="zeros", trainable=False, name=name)
            for size, name in zip(sizes, ("h", "c"), strict=False)
            if self.stateful  # stateless: every batch starts from zeros, nothing to keep
        ]  # (batch, units) each
        self.rnn.build(input_shape)

    def call(self, inputs):
        # a copy: assigning the state below must not change what PyTorch's autograd saw
        initial = [ops.copy(state.value) for state in self.states] if self.stateful else None
        outputs, *final = self.rnn(inputs, initial_state=initial)  # (batch, time, units), states
        if self.stateful:
            for state, value in zip(self.states, final, strict=True):
                state.assign(value)  # the next batch starts where this one ended
        return outputs

    def compute_output_shape(self, input_shape):
        # given, Keras wires the model from shapes instead of tracing the loop over time
        return (*input_shape[:2], self.cell.units)  # (batch, time, units)

    def reset_state(self) -> None:
        """Back to the zero state (each epoch's start; `predict` before a fresh stretch)."""
        for state in self.states:
            state.assign(ops.zeros(state.shape, state.dtype))

    def get_config(self) -> dict:
        cell = keras.saving.serialize_keras_object(self.cell)
        return {**super().get_config(), "cell": cell, "stateful": self.stateful}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        cell = keras.saving.deserialize_keras_object(config.pop("cell"))
        return cls(cell, **config)


def recurrent_layer(config: Config, stateful: bool) -> layers.Layer:
    """The layer that runs the cell named by `config.cell` over time, named for it.

    Both LSTMs, ours and Keras's, are "lstm"; each other cell is its own name: "rnn",
    "gru", "mingru", "minlstm".
    """
    units = config.cell_size
    cells = {
        "lstm": lambda: LSTMCell(units, forget_bias=config.forget_bias),
        "rnn": lambda: SimpleRNNCell(units),
        "keras": lambda: layers.LSTMCell(units),  # b_f = 1; build_model sets forget_bias
        "gru": lambda: GRUCell(units),
        "mingru": lambda: MinGRUCell(units),
        "minlstm": lambda: MinLSTMCell(units, forget_bias=config.forget_bias),
    }
    if config.cell not in cells:
        raise ValueError(f"unknown cell {config.cell!r}")
    name = "lstm" if config.cell == "keras" else config.cell
    return StatefulRNN(cells[config.cell](), stateful=stateful, name=name)


def recurrent(model: keras.Model) -> StatefulRNN:
    """The model's recurrent layer, whichever cell it runs."""
    return next(layer for layer in model.layers if isinstance(layer, StatefulRNN))


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
        cell = recurrent(model).cell  # keras.layers.LSTMCell
        kernel, recurrent_kernel = stacked_glorot(config.cell_size, config.cell_size, 4)
        cell.kernel.assign(kernel)
        cell.recurrent_kernel.assign(recurrent_kernel)
        u = config.cell_size  # its gates are ordered i, f, c, o too
        cell.bias.assign(
            ops.concatenate([ops.zeros(u), ops.full((u,), config.forget_bias), ops.zeros(2 * u)])
        )
    return model
