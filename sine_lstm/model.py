"""The demo's network: Dense `in_hidden` → our LSTM over time → Dense `out_hidden`."""

from __future__ import annotations

import keras
from keras import layers, ops

from sine_lstm.cell import LSTMCell, stacked_glorot
from sine_lstm.config import Config


@keras.saving.register_keras_serializable(package="sine_lstm")
def cost(y_true, y_pred):
    """The original's cost per row: squared error summed over the time steps.

    Keras averages it over the batch, so the reported loss is
    Σ (pred − target)² / batch = time_steps × MSE, the number the post printed.
    """
    return ops.sum(ops.square(y_pred - y_true), axis=(1, 2))  # (batch,)


@keras.saving.register_keras_serializable(package="sine_lstm")
class SineLSTM(keras.Model):
    """A functional `keras.Model` whose `fit` runs several steps in one XLA program.

    Keras's own `steps_per_execution` loop calls one compiled step per batch from
    inside a `tf.data` loop. Here, with `jit_compile=True`, each call takes the next
    `steps_per_execution` batches and loops Keras's unchanged `train_step` over them
    inside one compiled program: the same maths, step after step, with fewer trips
    between Python, TensorFlow and XLA, and a smaller program to trace and compile.
    """

    def make_train_function(self, force=False):
        batch_size = self.inputs[0].shape[0]
        if self.train_function is not None and not force:
            return self.train_function
        if not self.jit_compile or self.steps_per_execution == 1 or batch_size is None:
            super().make_train_function(force)  # Keras's own loop
            return self.train_function
        import tensorflow as tf

        per_call = self.steps_per_execution
        if not self.optimizer.built:  # variables made while tracing would mean tracing twice
            self.optimizer.build(self.trainable_variables)

        @tf.function(jit_compile=True, autograph=False)
        def run_steps(batches, n):  # batches: (x, y) each (per_call, batch, ...); n are real
            def body(i):
                self.train_step(tf.nest.map_structure(lambda t: t[i], batches))
                return i + 1  # train_step: forward, cost, gradients, Adam, metrics

            tf.while_loop(lambda i: i < n, body, [tf.constant(0)])
            return self.get_metrics_result()

        @tf.function(autograph=False)
        def train_function(iterator):
            # Gather the next per_call batches into (per_call, batch, ...) tensors;
            # past the end of the data the rest stay zeros and are not run.
            def more(n, got, batches):
                return tf.logical_and(n < per_call, got)

            def gather(n, got, batches):
                batch = iterator.get_next_as_optional()
                got = batch.has_value()
                batch = tf.cond(got, batch.get_value, lambda: empty_batch)
                batches = tf.nest.map_structure(
                    lambda all_, one: tf.tensor_scatter_nd_update(all_, [[n]], one[None]),
                    batches,
                    batch,
                )
                return n + tf.cast(got, tf.int32), got, batches

            empty_batch = tf.nest.map_structure(
                lambda spec: tf.zeros((batch_size, *spec.shape[1:]), spec.dtype),
                iterator.element_spec,
            )
            empty = tf.nest.map_structure(
                lambda t: tf.zeros((per_call, *t.shape), t.dtype), empty_batch
            )
            n, _, batches = tf.while_loop(more, gather, [tf.constant(0), tf.constant(True), empty])
            return run_steps(batches, n)

        self.train_function = train_function
        return train_function


def recurrent_layer(config: Config, stateful: bool) -> layers.Layer:
    """The layer that runs the cell named by `config.cell` over time, named "lstm"."""
    units = config.cell_size
    if config.cell == "keras":  # the built-in layer; build_model gives it our initial draw
        return layers.LSTM(units, return_sequences=True, stateful=stateful, name="lstm")
    if config.cell == "lstm":
        cell = LSTMCell(units)
    elif config.cell == "rnn":
        from sine_lstm.cell import SimpleRNNCell

        cell = SimpleRNNCell(units)
    else:
        raise ValueError(f"unknown cell {config.cell!r}")
    return layers.RNN(cell, return_sequences=True, stateful=stateful, name="lstm")


def build_model(config: Config, batch_size: int | None = None, stateful: bool | None = None):
    """The demo's model, compiled with Adam and the original's cost.

    Args:
        config: sizes, learning rate and which cell to use.
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
    model = SineLSTM(inputs, outputs, name="sine_lstm")
    if config.cell == "keras":  # start from the same kind of draw as our cell
        cell = model.get_layer("lstm").cell
        kernel, recurrent = stacked_glorot(config.cell_size, config.cell_size, 4)
        cell.kernel.assign(kernel)
        cell.recurrent_kernel.assign(recurrent)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=config.lr, epsilon=1e-8),  # TF1's epsilon
        loss=cost,
        jit_compile=True,
    )
    return model
