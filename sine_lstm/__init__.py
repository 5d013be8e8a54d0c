"""sine_lstm: an LSTM learns cos x from sin x, the demo of the post on RNNs and LSTMs.

Importing the package is cheap; TensorFlow loads only when a module that needs
it is imported. Import `sine_lstm.cell` (or `sine_lstm.model`) before
`keras.models.load_model` so our registered classes are known.
"""
