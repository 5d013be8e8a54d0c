"""The playground: train the post's LSTM in the browser, scrub it, open its gates, ask "what if".

`sine-lstm play` (or `python -m sine_lstm.play`) serves it on 127.0.0.1. An app beside
the lesson: it calls `train()`, the cell and the record, and copies none of them.

- `session.py`: a tab's values checked as the CLI's flags; the queue that trains the runs
- `probe.py`: the trained model on the stretch after training; its gates; what-ifs
- `views.py`: the Bokeh figures; `app.py`: the Panel page, with `what_if.py` its part 4
- `server.py`: `sine-lstm play` and its flags; `__main__.py`: `python -m sine_lstm.play`
- `notebook.py`: `inline()`, the same page in a notebook's cell
- `bench.py`: click-to-drawn latencies through a real browser (not a test)

`session.py` and `probe.py` need no web library; the rest needs `requirements-play.txt`.
"""

from sine_lstm.play import server  # noqa: F401  (`sine-lstm play`'s flags, for cli.py)
