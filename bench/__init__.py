"""The benchmarks: `make bench` (`python -m bench`) and `make bench-web`, run from the
project's folder (its web/ and out/ are the ones they read and write); not installed with
the package.

Not tests: the machine is shared and noisy, so each compares its rows within one run.
- `__main__.py`: the command line's speed settings (`sine_lstm/cli/speed.py`) against
  Keras's defaults and the original TensorFlow 1 demo (`original.py`).
- `web.py`: the page in Chromium, `web/model.js` beside Keras and TensorFlow.js
  (`web_setup.py`: npm, a local server, the browser; the pages it times beside it).
"""
