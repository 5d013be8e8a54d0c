"""The benchmarks: `make bench` (`python -m sine_lstm.bench`) and `make bench-web`.

Not tests: the machine is shared and noisy, so each compares its rows within one run.
- `__main__.py`: the command line's speed settings (`speed/`) against Keras's defaults
  and the original TensorFlow 1 demo (`original.py`).
- `web.py`: the page in Chromium, `web/lstm.js` beside Keras and TensorFlow.js
  (`web_setup.py`: npm, a local server, the browser; the pages it times beside it).
"""
