"""`make site`: what the page (`web/`) takes from Python, written by the lesson's own code.

The page trains its own copy of the model in JavaScript (`web/model.js`, `learn.js`); to give the
numbers `sine-lstm train` gives, it starts from the weights Keras draws. This writes
`web/keras/`, two classic scripts (a page opened from disk may not `fetch`):

- `weights.js`: the initial weights `train()` starts from at seeds 0–4, for each of our
  cells of 10 units (the learning rate, steps, batch, time steps and the state do not
  change them; the forget bias only sets b_f); and the model `make gif` trains,
  with the state training left in each row. Weights as base64 float32, Keras's layouts.
- `cli.js`: the page's fields as the command line has them: defaults, flags, limits.

Run: `python -m sine_lstm.page.site [FOLDER]` (default `web/keras`).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

from sine_lstm.cli import checks
from sine_lstm.config import Config

SEEDS = range(5)  # the seeds whose Keras draw the page holds
# every cell of ours; keras.layers.LSTMCell is the command line's check, not the page's
PAGE_CELLS = ("lstm", "rnn", "gru", "mingru", "minlstm")
PAGE_FIELDS = (  # the page's fields, in its order
    "lr",
    "steps",
    "cell",
    "stateful",
    "seed",
    "cell_size",
    "forget_bias",
    "time_steps",
    "batch_size",
    "task",
    "lag",
)
PAGE_TASKS = ("cos", "remember")  # a forecast needs a CSV file: the command line's
NAMES = (  # model.js's names for the model's trainable weights, in their order
    "in_kernel",
    "in_bias",
    "kernel",
    "recurrent_kernel",
    "bias",
    "out_kernel",
    "out_bias",
)


def encoded(array) -> str:
    """A float32 array as base64 of its little-endian bytes."""
    return base64.b64encode(np.asarray(array, dtype="<f4").tobytes()).decode()


def names(model) -> tuple[str, ...]:
    """model.js's names for the model's trainable weights, in their order (the minGRU and
    the minLSTM have no recurrent_kernel)."""
    from sine_lstm.model import recurrent

    has_u = hasattr(recurrent(model).cell, "recurrent_kernel")
    return tuple(name for name in NAMES if has_u or name != "recurrent_kernel")


def named(model) -> dict:
    """The model's trainable weights as model.js's named, encoded arrays."""
    from keras import ops

    weights = [ops.convert_to_numpy(w.value) for w in model.trainable_weights]
    return {name: encoded(w) for name, w in zip(names(model), weights, strict=True)}


def initial_weights(config: Config) -> dict:
    """The weights `train(config)` starts from: seeded as it seeds, built as it builds."""
    import keras

    from sine_lstm.model import build_model

    keras.utils.set_random_seed(config.seed)
    return named(build_model(config))


def trained_model(config: Config) -> dict:
    """The model `train(config)` trains, with the state it leaves in each row."""
    from keras import ops

    from sine_lstm.model import recurrent
    from sine_lstm.train import train

    result = train(config, verbose=False)
    h, c = (ops.convert_to_numpy(state.value) for state in recurrent(result.model).states)
    return {
        "settings": page_settings(config),
        "weights": named(result.model),
        "state": {"h": encoded(h), "c": encoded(c)},  # (batch, units) each
        "final_cost": round(result.final_cost, 6),
    }


def page_settings(config: Config) -> dict:
    return {name: getattr(config, name) for name in PAGE_FIELDS}


def weights_js() -> str:
    """`weights.js`: the initial draws and the trained default model."""
    from sine_lstm.cli import run

    exported = {
        "versions": run.versions(),
        "cell_size": Config.cell_size,
        "initial": {
            cell: {str(seed): initial_weights(Config(cell=cell, seed=seed)) for seed in SEEDS}
            for cell in PAGE_CELLS
        },
        "trained": trained_model(Config()),
    }
    return script("SINE_LSTM_KERAS", exported, "weights.js: Keras's weights for the page")


def cli_js() -> str:
    """`cli.js`: each field's default, flag and limits, from the table `checks.parse` reads."""
    from sine_lstm.cli.exits import flag

    fields = {f.name: f for f in dataclasses.fields(Config)}
    out = {"defaults": {}, "flags": {}, "limits": {}, "kinds": {}}
    for name in PAGE_FIELDS:
        out["defaults"][name] = fields[name].default
        out["flags"][name] = flag(name)
        out["kinds"][name] = checks.kind(name)
        if checks.kind(name) == "integer":
            out["limits"][name] = list(checks.limits(name))
    out["choices"] = {"cell": list(PAGE_CELLS), "task": list(PAGE_TASKS)}
    out["every"] = 20  # CostPrinter prints every 20 steps
    from sine_lstm import plots
    from sine_lstm.cli import run

    out["lines"] = {
        "final": plots.FINAL,
        "memoryless": plots.MEMORYLESS,
        "no_gif": run.NO_GIF,
        "learned_nothing": run.LEARNED_NOTHING,  # {relative}, {hint}: a hint of HINTS
        "hints": run.HINTS,
        "nothing": run.NOTHING,
    }
    return script("SINE_LSTM_CLI", out, "cli.js: the page's fields as sine-lstm train has them")


def script(name: str, value: dict, title: str) -> str:
    head = f"// {title}. Written by `make site` (sine_lstm/page/site.py); do not edit.\n"
    return f"{head}globalThis.{name} = {json.dumps(value, indent=1)};\n"


def main(argv: list[str] | None = None) -> int:
    folder = Path((argv or sys.argv[1:] or ["web/keras"])[0])
    from sine_lstm.cli.speed import load_backend

    load_backend("tensorflow", plain=False)  # as `sine-lstm train` runs: the same numbers
    folder.mkdir(parents=True, exist_ok=True)
    for file, text in (("cli.js", cli_js()), ("weights.js", weights_js())):
        (folder / file).write_text(text, encoding="utf-8")
        print(f"wrote {folder / file} ({len(text.encode()) / 1000:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
