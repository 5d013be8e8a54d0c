"""Several training steps in one XLA program (TensorFlow backend).

Keras's own `fit` loop with `steps_per_execution = N` calls one compiled step per
batch from inside a `tf.data` loop, and traces the step twice (Adam's variables
are created during the first trace). `FusedSteps`, a callback, replaces the
model's train function at the start of `fit` with one that takes the next N
batches from `fit`'s own iterator and loops Keras's unchanged `train_step` over
them inside ONE XLA-compiled program: the same maths, step after step, without
coming back to Python, and a smaller program to trace and compile. Adam is built
before tracing, so the step is traced once.

Off position: no `FusedSteps` in the callbacks, i.e. Keras's own loop. It needs
`compile(jit_compile=True, steps_per_execution > 1)` and a static batch; without
them it leaves Keras's loop in place.
"""

from __future__ import annotations

import keras


class FusedSteps(keras.callbacks.Callback):
    """At the start of `fit`, run `steps_per_execution` steps per call as one XLA program."""

    def on_train_begin(self, logs=None):
        model = self.model
        if usable(model):
            model.train_function = fused_train_function(model)


def usable(model: keras.Model) -> bool:
    """Can `model`'s training run fused: TensorFlow, XLA, several steps per call, static batch?"""
    return (
        keras.backend.backend() == "tensorflow"
        and model.jit_compile is True
        and model.steps_per_execution > 1
        and model.inputs is not None
        and model.inputs[0].shape[0] is not None
    )


def fused_train_function(model: keras.Model):
    """A train function for `fit` that runs up to `steps_per_execution` steps per call."""
    import tensorflow as tf

    per_call = model.steps_per_execution
    batch_size = model.inputs[0].shape[0]
    if not model.optimizer.built:  # variables made while tracing would mean tracing twice
        model.optimizer.build(model.trainable_variables)

    @tf.function(jit_compile=True, autograph=False)
    def run_steps(batches, n):  # batches: (x, y) each (per_call, batch, ...); n are real
        def body(i):
            model.train_step(tf.nest.map_structure(lambda t: t[i], batches))
            return i + 1  # train_step: forward, cost, gradients, Adam, metrics

        tf.while_loop(lambda i: i < n, body, [tf.constant(0)])
        return model.get_metrics_result()

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

    return train_function
