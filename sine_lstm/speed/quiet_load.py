"""Hide TensorFlow's two bogus error lines when it loads a cached program, and only those."""

from __future__ import annotations

import keras

from sine_lstm.speed.compile_cache import StderrFilter


class QuietLoad(keras.callbacks.Callback):
    """Filter TensorFlow's bogus cache lines (`BOGUS`) during `fit`'s first call only.

    The compiled program is loaded (or compiled) during the first call; every
    other line, then and at any other time, stays visible.
    """

    def __init__(self):
        super().__init__()
        self.filter = StderrFilter()

    def on_train_begin(self, logs=None):
        self.filter.start()

    def on_train_batch_end(self, batch, logs=None):
        self.filter.stop()

    def on_train_end(self, logs=None):
        self.filter.stop()

    def close(self) -> None:
        self.filter.stop()
