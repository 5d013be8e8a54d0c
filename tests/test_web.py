"""The page's maths (web/model.js, its cells, learn.js, under Node) against Keras, micrograd-style.

The one place the project keeps the maths twice: these tests hold the two together. The
page computes in float64 from Keras's float32 weights, so it equals Keras run in float64
to rounding, and Keras's usual float32 run to float32 rounding grown over 200 steps.
"""

import base64
import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import cli_main

from sine_lstm import data, plots, remember
from sine_lstm.callbacks import first_divergence
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost, recurrent
from sine_lstm.page import site
from sine_lstm.page.probe import POST_RNN, Probe, WhatIf
from sine_lstm.train import train

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node") or "node"  # Node.js runs the page's maths (Node 20 here)
CASES = {  # the runs the page must give exactly as sine-lstm train: each cell, and no state
    "lstm": Config(),
    "rnn": Config(cell="rnn"),
    "gru": Config(cell="gru", steps=80),  # beyond the post: shorter runs, to keep the suite fast
    "mingru": Config(cell="mingru", steps=80),
    "minlstm": Config(cell="minlstm", steps=80),
    "lstm, reset every window": Config(stateful=False),
    "lstm, remember": Config(
        task="remember", lag=9, time_steps=10, stateful=False, forget_bias=5.0, lr=0.02, steps=80
    ),
}
CELLS = ["lstm", "rnn", "gru", "mingru", "minlstm"]


def node(*jobs: dict) -> list:
    """Run jobs of tests/web/twin.js in one Node process: the page's scripts as it loads them."""
    done = subprocess.run(
        [NODE, str(ROOT / "tests/web/twin.js")],
        input=json.dumps(list(jobs)),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def settings(config: Config) -> dict:
    return site.page_settings(config)


def exported() -> dict:
    """web/keras/weights.js, as the page reads it."""
    text = (ROOT / "web/keras/weights.js").read_text()
    return json.loads(text[text.index("{") : text.rindex("}") + 1])


def decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4")


def keras_weights(model: keras.Model, weights: dict) -> None:
    """Set a model's trainable weights from model.js's named arrays."""
    for variable, name in zip(model.trainable_weights, site.names(model), strict=True):
        value = np.asarray(weights[name], dtype="float64").reshape(variable.shape)
        variable.assign(value.astype(variable.dtype))


@contextlib.contextmanager
def precision(dtype: str):
    """Keras computing in `dtype`: new layers take the global dtype policy, not just floatx."""
    keras.config.set_floatx(dtype)
    keras.config.set_dtype_policy(dtype)
    try:
        yield
    finally:
        keras.config.set_floatx("float32")
        keras.config.set_dtype_policy("float32")


def relative(a, b) -> float:
    a, b = np.asarray(a, "float64"), np.asarray(b, "float64")
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-30)))


def batches(config: Config, ks) -> tuple[np.ndarray, np.ndarray]:
    """Batches ks of the config's task, rows stacked: inputs and targets, (rows, time, 1)."""
    c = config
    if c.task == "remember":
        stream = remember.Recall(c.steps, c.batch_size, c.time_steps, c.lag, c.seed)
        pairs = [stream[k] for k in ks]
        return np.concatenate([x for x, _ in pairs]), np.concatenate([y for _, y in pairs])
    pairs = [data.batch(k, c.batch_size, c.time_steps)[1:] for k in ks]
    return np.concatenate([x for x, _ in pairs]), np.concatenate([y for _, y in pairs])


@pytest.fixture(scope="module")
def page_runs() -> dict:
    """Each case trained by the page's maths from Keras's exported initial weights."""
    out = node(*({"job": "run", "settings": settings(c)} for c in CASES.values()))
    return dict(zip(CASES, out, strict=True))


@pytest.mark.parametrize("case", CASES)
def test_every_cost_equals_keras_train(case, page_runs):
    keras_costs = train(CASES[case], verbose=False).costs  # float32
    page = page_runs[case]["costs"]
    assert len(page) == len(keras_costs) == CASES[case].steps
    assert relative(page, keras_costs) < 5e-4
    assert page[-1] < page[0] / 2  # it learned: not a comparison of constants


def float64_costs(config: Config, initial: dict) -> np.ndarray:
    """Keras in float64 from the page's (float32) initial weights: every step's cost."""
    with precision("float64"):
        model = build_model(config)
        keras_weights(model, initial)
        model.compile(optimizer=keras.optimizers.Adam(config.lr, epsilon=1e-8), loss=cost)
        inputs, targets = batches(config, range(config.steps))
        costs = []
        for k in range(config.steps):  # one step at a time: every cost, before its update
            rows = slice(k * config.batch_size, (k + 1) * config.batch_size)
            costs.append(model.train_on_batch(inputs[rows], targets[rows]))
        return np.asarray(costs)


@pytest.mark.parametrize("case", CASES)
def test_every_cost_equals_keras_in_float64(case, page_runs):
    config = CASES[case]
    [initial] = node({"job": "initial", "settings": settings(config)})
    assert initial["source"] == "keras"
    assert relative(page_runs[case]["costs"], float64_costs(config, initial["weights"])) < 1e-9


def batch_gradients(config: Config, weights: dict, state: dict, k: int, dtype: str):
    """Keras's cost and GradientTape's gradients for batch k from the given carried state."""
    with precision(dtype):
        model = build_model(config)
        keras_weights(model, weights)
        for variable, name in zip(recurrent(model).states, ("h", "c"), strict=False):
            variable.assign(np.asarray(state[name], dtype).reshape(variable.shape))
        inputs, targets = batches(config, [k])
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(cost(targets.astype(dtype), model(inputs.astype(dtype))))
        grads = tape.gradient(loss, model.trainable_weights)
        values = [g.numpy().ravel() for g in grads]
        return float(loss), dict(zip(site.names(model), values, strict=True))


@pytest.mark.parametrize("cell", CELLS)
def test_a_batch_gradients_equal_gradient_tape(cell):
    config = Config(cell=cell)
    rng = np.random.default_rng(0)
    [initial] = node({"job": "initial", "settings": settings(config)})
    units = config.batch_size * config.cell_size
    state = {"h": rng.uniform(-0.5, 0.5, units).tolist(), "c": rng.uniform(-1, 1, units).tolist()}
    state = {name: np.float32(value).tolist() for name, value in state.items()}  # Keras f32's
    job = {"job": "gradients", "settings": settings(config), "k": 7, "state": state}
    [page] = node({**job, "weights": initial["weights"]})
    # Keras's float32 sums change with the order its threads add them in: the GRU's and the
    # minLSTM's in_bias came 6.6e-7 to 1.5e-6 from the page's in runs here; in float64 every
    # cell's gradients are within 2e-15
    loose = 1e-6 if cell in ("lstm", "rnn") else 3e-6
    for dtype, tolerance in (("float32", loose), ("float64", 1e-12)):
        loss, grads = batch_gradients(config, initial["weights"], state, 7, dtype)
        assert abs(page["cost"] - loss) / loss < tolerance
        assert set(grads) == set(page["grads"])
        for name, grad in grads.items():
            scale = np.abs(grad).max()
            assert scale > 1e-3, name  # not a comparison of zeros
            error = np.linalg.norm(np.asarray(page["grads"][name]) - grad) / np.linalg.norm(grad)
            assert error < tolerance, (name, dtype, error)


@pytest.mark.parametrize("cell", ["lstm", "rnn", "gru", "minlstm"])  # each way h_{t−1} enters
def test_the_fused_kernel_gives_the_plain_loops_numbers(cell):
    """kernel.js's fused product against its plain loops: 3 units, so that 12 (LSTM), 9 (GRU,
    minLSTM), 6 (minGRU) and 3 (RNN) columns take the fused loop's tail too; the same cost
    and gradients to 1e-13."""
    config = Config(cell=cell, cell_size=3, batch_size=4, time_steps=5)
    [initial] = node({"job": "initial", "settings": settings(config)})
    job = {"job": "gradients", "settings": settings(config), "k": 2, "weights": initial["weights"]}
    fused, plain = node({**job, "kernel": "fast"}, {**job, "kernel": "plain"})
    assert abs(fused["cost"] - plain["cost"]) <= 1e-13 * plain["cost"]
    for name in plain["grads"]:
        a, b = np.asarray(fused["grads"][name]), np.asarray(plain["grads"][name])
        assert np.abs(b).max() > 1e-6, name  # not a comparison of zeros
        assert np.linalg.norm(a - b) <= 1e-13 * np.linalg.norm(b), name


@pytest.fixture(scope="module")
def trained_probe() -> Probe:
    """The Keras model of web/keras/weights.js's trained default, with its carried state."""
    trained = exported()["trained"]
    config = Config(**trained["settings"])
    model = build_model(config)
    keras_weights(model, {name: decode(text) for name, text in trained["weights"].items()})
    for variable, name in zip(recurrent(model).states, ("h", "c"), strict=True):
        variable.assign(decode(trained["state"][name]).reshape(variable.shape))
    return Probe(model, config)


WHAT_IFS = {
    "as trained": WhatIf(),
    "unit 3 zeroed": WhatIf(zeroed=(3,)),
    "f = 0, i = 1, o = 1": POST_RNN,
    "f pinned at 0.5, reset every window": WhatIf(pin={"f": 0.5}, reset=True),
}


def test_trained_model_gates_and_what_ifs_equal_keras(trained_probe):
    jobs = [
        {"job": "probe", "model": "trained", "what": dataclasses.asdict(what)}
        for what in WHAT_IFS.values()
    ]
    for (name, what), page in zip(WHAT_IFS.items(), node(*jobs), strict=True):
        theirs = trained_probe.run(what)
        np.testing.assert_allclose(page["fit"], theirs["fit"].ravel(), atol=1e-5, err_msg=name)
        assert abs(page["cost"] - theirs["cost"]) < 1e-5 * max(1, theirs["cost"]), name
        for trace in ("i", "f", "o", "c", "h"):
            np.testing.assert_allclose(
                page["traces"][trace], theirs[trace].ravel(), atol=1e-5, err_msg=f"{name}: {trace}"
            )
    as_trained, post = trained_probe.run(WhatIf()), trained_probe.run(POST_RNN)
    assert as_trained["cost"] < 1 < post["cost"]  # the what-if changes the fit: not equal by luck


def test_the_forget_path_is_the_product_of_the_forget_gates(trained_probe):
    [page] = node({"job": "forget_path", "model": "trained", "n": 50})
    f = trained_probe.run(WhatIf())["f"]  # (batch, time, units): the rows are windows in a row
    along = f.reshape(-1, f.shape[-1])[::-1]  # the stretch's steps, latest first
    expected = np.concatenate([[1.0], np.cumprod(along[:50], axis=0).mean(axis=1)])
    np.testing.assert_allclose(page["path"], expected, rtol=1e-5)
    assert 0 < page["path"][50] < page["path"][1] < 1


def cli_run(tmp_path, *flags: str) -> tuple[list[str], list[float]]:
    """What `sine-lstm train` prints (stdout, then stderr), and the costs it wrote (a diverged
    run's in diverged/, and only there: its one line on stderr, exit 1)."""
    done = cli_main("train", "--no-gif", "--out", str(tmp_path), *flags)
    if done.returncode == 1:
        assert len(done.stderr.splitlines()) == 1 and os.listdir(tmp_path) == ["diverged"]
    metrics = tmp_path / ("diverged" if done.returncode == 1 else "") / "metrics.csv"
    costs = metrics.read_text().splitlines()[1:]
    return (done.stdout + done.stderr).splitlines(), [float(row.split(",")[1]) for row in costs]


def test_the_remember_task_s_transcript_is_what_the_command_line_prints(tmp_path):
    flags = ["--task", "remember", "--lag", "9", "--time-steps", "10", "--steps", "40"]
    lines, costs = cli_run(tmp_path, *flags)
    config = settings(Config(task="remember", lag=9, time_steps=10, steps=40, stateful=False))
    [page] = node({"job": "transcript", "settings": config, "costs": costs})
    assert lines[-1] == f"wrote {tmp_path}/"
    assert page["lines"] == [*lines[:-1], "wrote out/"]  # the memoryless cost, "no GIF" too
    assert any(line.startswith(plots.MEMORYLESS) for line in lines)
    [shown] = node({"job": "command", "settings": config})
    assert sorted(shown["command"].split()) == sorted(["sine-lstm", "train", *flags])


def test_the_transcript_is_what_the_command_line_prints(tmp_path, page_runs):
    lines, costs = cli_run(tmp_path)
    config = settings(CASES["lstm"])
    [from_cli, from_page] = node(
        {"job": "transcript", "settings": config, "costs": costs},
        {"job": "transcript", "settings": config, "costs": page_runs["lstm"]["costs"]},
    )
    assert lines[0] == "cost: 10.6838" and len(lines) == 13  # the README's run
    assert lines[-1] == f"wrote {tmp_path}/"  # the page's runs write nothing: it says out/
    lines[-1] = "wrote out/"
    memoryless = f"{plots.MEMORYLESS}: {data.memoryless_cost(data.Stream(200), 200):.4f}"
    assert lines[-2] == memoryless
    assert from_cli["lines"] == lines  # the same costs: the same lines, character for character
    for mine, theirs in zip(from_page["lines"], lines, strict=True):
        if mine != theirs:  # float64 against float32: a last digit may straddle a rounding
            a, b = (float(line.rsplit(" ", 1)[1].rstrip("/")) for line in (mine, theirs))
            assert abs(a - b) <= 1e-4, (mine, theirs)


def test_a_diverged_run_prints_the_command_lines_message(tmp_path):
    lines, costs = cli_run(tmp_path, "--lr", "1000")
    config = settings(Config(lr=1000.0))
    step = first_divergence(np.asarray(costs))
    [diverged] = node({"job": "run", "settings": config})
    assert diverged["diverged"] == step == 1  # the page stops at the step the CLI names
    [page] = node({"job": "transcript", "settings": config, "costs": costs, "diverged": step})
    assert lines[-1].startswith("sine-lstm: diverged: cost blew up to ")
    assert lines[-1].endswith(f"; its costs are in {tmp_path}/diverged/")
    lines[-1] = lines[-1].replace(f"{tmp_path}/", "out/")  # the page's runs write nothing
    assert page["lines"] == lines


def test_where_training_is_chaotic_float32_parts_and_the_page_keeps_to_float64():
    """The page's note: the vanilla RNN at learning rate 0.01, seed 3, parts from Keras's
    float32 run after about 120 steps (rounding grown by chaos), not from its float64 run."""
    config = Config(cell="rnn", lr=0.01, seed=3)
    [initial] = node({"job": "initial", "settings": settings(config)})
    [page] = node({"job": "run", "settings": settings(config)})
    page = np.asarray(page["costs"])
    float32 = np.abs(page - train(config, verbose=False).costs) / page
    float64 = np.abs(page - float64_costs(config, initial["weights"])) / page
    assert float64.max() < 1e-8  # the same maths, the same rounding: together to the end
    assert float32[:60].max() < 1e-4 and float32[100:120].max() > 1e-3  # parting after ~100
    assert float32[140:].max() > 1e-2


def keras_sent_back(config: Config, weights: dict, state: dict, k: int) -> np.ndarray:
    """Keras in float64: the size of ∂ŷ_{T−1}/∂h_{T−1−n} in row 0, over n, divided by n = 0's."""
    with precision("float64"):
        model = build_model(config)
        keras_weights(model, weights)
        inputs, _ = batches(config, [k])
        cell = recurrent(model).cell
        units = config.cell_size
        states = [tf.constant(np.asarray(state[n], "float64").reshape(-1, units)[:1]) for n in "hc"]
        with tf.GradientTape() as tape:
            x = model.get_layer("in_hidden")(inputs[:1].astype("float64"))  # (1, time, units)
            states = states if config.cell == "lstm" else states[:1]
            hs = []
            for t in range(config.time_steps):
                step = cell.step(x[:, t], states) if hasattr(cell, "step") else None
                h = step["h"] if step else cell(x[:, t], states)[0]
                states = [h, step["c"]] if config.cell == "lstm" else [h]
                hs.append(h)
            y = model.get_layer("out_hidden")(hs[-1])
        grads = tape.gradient(y, hs[::-1])  # n = 0 … T − 1
        sizes = np.array([np.linalg.norm(g.numpy()) for g in grads])
        return sizes / sizes[0]


@pytest.mark.parametrize("cell", ["lstm", "gru", "minlstm"])  # a sum, apart, none (model.js)
def test_how_far_back_the_prediction_reaches_equals_gradient_tape(cell):
    config = Config(cell=cell, time_steps=20, batch_size=2)
    [initial] = node({"job": "initial", "settings": settings(config)})
    rng = np.random.default_rng(1)
    units = config.batch_size * config.cell_size
    state = {n: np.float32(rng.uniform(-0.5, 0.5, units)).tolist() for n in "hc"}
    job = {"job": "gradients", "settings": settings(config), "k": 3, "state": state}
    [page] = node({**job, "weights": initial["weights"]})
    theirs = keras_sent_back(config, initial["weights"], state, 3)
    np.testing.assert_allclose(page["sent"], theirs, rtol=1e-9, atol=1e-300)
    assert len(page["sent"]) == 20 and page["sent"][0] == 1 and page["sent"][-1] < 0.9  # it fades


def test_a_run_that_learned_nothing_says_so_as_the_command_line_does(tmp_path):
    lines, costs = cli_run(tmp_path, "--lr", "0.5")
    assert lines[-1].startswith("sine-lstm: it learned nothing") and "0.005" in lines[-1]
    [page] = node({"job": "transcript", "settings": settings(Config(lr=0.5)), "costs": costs})
    assert page["lines"][-1] == lines[-1] and page["lines"][-2] == "wrote out/"
    assert (tmp_path / "metrics.csv").is_file() and (tmp_path / "config.json").is_file()  # its set
