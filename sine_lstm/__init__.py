"""sine_lstm: an LSTM learns cos x from sin x, the demo of the post on RNNs and LSTMs.

Read it in this order: config, data, cell, model, train, callbacks, plots (the
lesson); `cli.py` and `speed/` are the command line and what makes it fast.
Importing the package is cheap; Keras loads only when a module that needs it is
imported. To reload a trained model: `sine_lstm.cli.predict.load_model(path)`.
"""
