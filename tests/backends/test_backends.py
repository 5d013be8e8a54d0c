"""The demo on every Keras backend: the cell, the carried state, learning, saving, the CLI.

Run once per backend by `make test-backends` (KERAS_BACKEND=tensorflow, jax, torch).
"""

import json
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from conftest import ENV

from sine_lstm import data
from sine_lstm.cell import GRUCell, LSTMCell, MinGRUCell, MinLSTMCell
from sine_lstm.cli.predict import load_model, predict_stretch
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost
from sine_lstm.record import StepRecord
from sine_lstm.train import train

BACKEND = keras.backend.backend()  # from KERAS_BACKEND, set by the Makefile for each run
OTHERS = [b for b in ("tensorflow", "jax", "torch") if b != BACKEND]
UNITS, DIM, BATCH, TIME = 6, 3, 4, 16

pytestmark = pytest.mark.backends

if BACKEND == "torch":  # 50 × 40 matrices: threads cost more than they save (5× per step)
    import torch

    torch.set_num_threads(1)


# The cell ---------------------------------------------------------------------------------
def twins(seed=1, cell=LSTMCell, keras_layer=keras.layers.LSTM):
    """Our cell in keras.layers.RNN and Keras's own layer (LSTM, GRU), with the same random
    weights; an input and an initial state ([h, c], the GRU: [h])."""
    ours = keras.layers.RNN(cell(UNITS), return_sequences=True, return_state=True)
    theirs = keras_layer(UNITS, return_sequences=True, return_state=True)
    ours.build((BATCH, TIME, DIM))
    theirs.build((BATCH, TIME, DIM))
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.5, w.shape).astype("float32") for w in theirs.get_weights()]
    ours.set_weights(weights)
    theirs.set_weights(weights)
    x = rng.normal(size=(BATCH, TIME, DIM)).astype("float32")
    sizes = ours.cell.state_size if isinstance(ours.cell.state_size, list) else [UNITS]
    state = [rng.normal(size=(BATCH, size)).astype("float32") for size in sizes]
    return ours, theirs, x, state


def test_cell_equals_keras_lstm_outputs_and_states():
    ours, theirs, x, state = twins()
    for a, b in zip(ours(x, initial_state=state), theirs(x, initial_state=state), strict=True):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=1e-5
        )
    assert np.abs(keras.ops.convert_to_numpy(ours(x, initial_state=state)[2])).max() > 0.1


def gradients(layer, x, state, probe):
    """∂(Σ out·probe + Σ s)/∂(x, weights), s the last state (the LSTM's c, the GRU's h),
    with this backend's own autodiff."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        x = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            out, *states = layer(x, initial_state=state)
            loss = tf.reduce_sum(out * probe) + tf.reduce_sum(states[-1])
        return [np.asarray(g) for g in tape.gradient(loss, [x, *layer.trainable_variables])]
    if BACKEND == "jax":
        import jax

        fixed = [v.value for v in layer.non_trainable_variables]  # e.g. a dropout seed

        def loss(weights, x):
            (out, *states), _ = layer.stateless_call(weights, fixed, x, initial_state=state)
            return (out * probe).sum() + states[-1].sum()

        weights = [v.value for v in layer.trainable_variables]
        dw, dx = jax.grad(loss, argnums=(0, 1))(weights, x)
        return [np.asarray(dx), *(np.asarray(g) for g in dw)]
    import torch

    x = torch.tensor(x, requires_grad=True)
    out, *states = layer(x, initial_state=[torch.tensor(s) for s in state])
    ((out * torch.tensor(probe)).sum() + states[-1].sum()).backward()
    return [x.grad.numpy(), *(v.value.grad.numpy() for v in layer.trainable_variables)]


def test_cell_gradients_equal_keras_lstm():
    ours, theirs, x, state = twins()
    probe = np.random.default_rng(3).normal(size=(BATCH, TIME, UNITS)).astype("float32")
    for a, b in zip(
        gradients(ours, x, state, probe), gradients(theirs, x, state, probe), strict=True
    ):
        np.testing.assert_allclose(a, b, atol=1e-5)
        assert np.abs(a).max() > 1e-3


def test_gru_cell_equals_keras_gru_outputs_states_and_gradients():
    ours, theirs, x, state = twins(seed=4, cell=GRUCell, keras_layer=keras.layers.GRU)
    mine, keras_s = ours(x, initial_state=state), theirs(x, initial_state=state)
    for a, b in zip(mine, keras_s, strict=True):
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=1e-5
        )
    assert np.abs(keras.ops.convert_to_numpy(mine[1])).max() > 0.1
    probe = np.random.default_rng(5).normal(size=(BATCH, TIME, UNITS)).astype("float32")
    for a, b in zip(
        gradients(ours, x, state, probe), gradients(theirs, x, state, probe), strict=True
    ):
        np.testing.assert_allclose(a, b, atol=1e-5)
        assert np.abs(a).max() > 1e-3


@pytest.mark.parametrize("length", [1, 7, 200])
@pytest.mark.parametrize("cell_class", [MinGRUCell, MinLSTMCell])
def test_min_cells_parallel_scan_equals_their_step_loop(cell_class, length):
    """This backend's associative scan against keras.layers.RNN's loop, h0 of either sign."""
    cell = cell_class(UNITS)
    loop = keras.layers.RNN(cell, return_sequences=True)
    rng = np.random.default_rng(length)
    x = rng.normal(size=(BATCH, length, DIM)).astype("float32")
    for sign in (1.0, -1.0):
        h0 = (sign * np.abs(rng.normal(size=(BATCH, UNITS)))).astype("float32")
        stepped = keras.ops.convert_to_numpy(loop(x, initial_state=[h0]))  # (batch, time, units)
        scanned = keras.ops.convert_to_numpy(cell.parallel(x, h0))
        np.testing.assert_allclose(scanned, stepped, atol=1e-5)
        assert np.abs(stepped).max() > 0.1


# The carried state ------------------------------------------------------------------------
def state_of(model) -> list[np.ndarray]:
    return [keras.ops.convert_to_numpy(s) for s in model.get_layer("lstm").states]


def test_fit_carries_the_state_exactly_as_calls_do_and_reset_zeroes_it():
    config = Config(batch_size=4, time_steps=5, cell_size=3)
    _, sin_x, cos_x = data.stream(6, 4, 5)  # 6 batches
    keras.utils.set_random_seed(0)
    fitted = build_model(config)
    called = build_model(config)
    called.set_weights(fitted.get_weights())
    fitted.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss=cost)  # weights fixed
    fitted.fit(sin_x, cos_x, batch_size=4, shuffle=False, verbose=0)
    for k in range(6):  # the same batches, one call each
        called(sin_x[4 * k : 4 * (k + 1)])
    for a, b in zip(state_of(fitted), state_of(called), strict=True):
        assert np.abs(a).max() > 0.05  # carried: not the zero state
        np.testing.assert_allclose(a, b, atol=1e-5)
    predicted = build_model(config)
    predicted.set_weights(fitted.get_weights())
    predicted.get_layer("lstm").reset_state()
    predicted.predict(sin_x, batch_size=4, verbose=0)  # predict carries it too
    for a, b in zip(state_of(predicted), state_of(called), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    fitted.get_layer("lstm").reset_state()
    assert all(np.all(s == 0) for s in state_of(fitted))


def test_the_step_record_sees_the_carried_state(tmp_path):
    """Stateful and stateless start alike, then part: the record saw the carried state."""
    tiny = Config(steps=6, batch_size=4, time_steps=5, cell_size=3)
    carried = train(tiny, verbose=False)
    reset = train(tiny.replace(stateful=False), verbose=False)
    np.testing.assert_allclose(carried.costs[0], reset.costs[0], rtol=1e-5)
    assert np.abs(carried.costs[1:] - reset.costs[1:]).max() > 1e-4
    assert isinstance(carried.record, StepRecord) and carried.record.done() == 6


# Learning, on the demo's own settings -----------------------------------------------------
@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The default demo, stateful and stateless, trained on this backend (saved)."""
    out = tmp_path_factory.mktemp(BACKEND)
    return {
        name: train(Config(stateful=stateful), out / name, verbose=False)
        for name, stateful in (("stateful", True), ("stateless", False))
    } | {"out": out}


def test_stateless_is_clearly_worse(trained):
    carried, reset = trained["stateful"].final_cost, trained["stateless"].final_cost
    print(f"\n{BACKEND}: final cost stateful {carried:.4f}, stateless {reset:.4f}")
    assert carried < 1.0 and reset > 3 * carried


def test_predicted_windows_improve_once_the_state_has_memory(trained):
    model = trained["stateful"].model
    *_, costs = predict_stretch(model, start=1000, batches=10)
    print(f"\n{BACKEND}: cost of the first window {costs[0]:.3f}, later {costs[1:].mean():.3f}")
    assert costs[0] > 3 * costs[3:].mean()  # the first window starts with no memory


LOAD = """
import json, sys
from keras.ops import convert_to_numpy
from sine_lstm import data
from sine_lstm.cli.predict import load_model
model = load_model(sys.argv[1])
model.get_layer("lstm").reset_state()
outs = [convert_to_numpy(model(data.batch(k, 50, 20)[1])) for k in (1000, 1001)]
print(json.dumps([o.ravel().tolist() for o in outs]))
"""


@pytest.mark.parametrize("other", OTHERS)
def test_a_saved_model_predicts_the_same_on_another_backend(trained, other):
    path = Path(trained["out"]) / "stateful" / "model.keras"
    model = load_model(path)
    model.get_layer("lstm").reset_state()
    here = [
        keras.ops.convert_to_numpy(model(data.batch(k, 50, 20)[1])).ravel() for k in (1000, 1001)
    ]
    env = {**ENV, "KERAS_BACKEND": other}
    proc = subprocess.run(
        [sys.executable, "-c", LOAD, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    there = json.loads(proc.stdout.strip().splitlines()[-1])
    for a, b in zip(here, there, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert np.abs(here[1] - here[0]).max() > 0.1  # the second window used the carried state


# The command line -------------------------------------------------------------------------
def test_cli_trains_and_draws_on_this_backend(tmp_path):
    out = tmp_path / "out"
    args = ["--steps", "60", "--out", str(out), "--backend", BACKEND]
    proc = subprocess.run(
        [sys.executable, "-m", "sine_lstm", "train", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    costs = [
        float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("cost:")
    ]
    assert len(costs) == 3 and costs[-1] < costs[0] / 2  # the cost lines fall
    assert (out / "sine_lstm.gif").stat().st_size > 10_000
    assert "Traceback" not in proc.stderr
    png = tmp_path / "predict.png"
    predict = ["predict", "--model", str(out / "model.keras"), "--png", str(png)]
    proc = subprocess.run(
        [sys.executable, "-m", "sine_lstm", *predict, "--backend", BACKEND],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert png.stat().st_size > 20_000


def test_jax_compile_cache_is_filled_once_then_reused(tmp_path):
    """JAX keeps its compiled programs; a second run compiles nothing new (TF, PyTorch: none)."""
    env = {**ENV, "SINE_LSTM_CACHE": str(tmp_path / "cache")}
    args = ["--steps", "20", "--no-gif", "--quiet", "--backend", BACKEND]
    entries, metrics = [], []
    for run in ("first", "second"):
        out = tmp_path / run
        proc = subprocess.run(
            [sys.executable, "-m", "sine_lstm", "train", *args, "--out", str(out)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr == ""
        entries.append(sorted(p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()))
        metrics.append((out / "metrics.csv").read_text())
    assert metrics[0] == metrics[1]
    if BACKEND == "jax":
        assert len(entries[0]) > 0 and entries[1] == entries[0]
    else:
        assert entries == [[], []]


# Ctrl-C -----------------------------------------------------------------------------------
def test_ctrl_c_stops_every_run_with_one_line(tmp_path):
    """SIGINT at start-up (4 runs, timed from the launch) and in training (6 runs, timed from
    the first cost line, so a slow start-up cannot turn them into start-up runs): each exits
    130 with one line on stderr; a run that had started training wrote its outputs for the
    steps done."""
    import signal
    import time

    moments = [("launch", d) for d in (0.3, 1.0, 2.0, 3.0)]
    moments += [("first cost line", d) for d in (0.0, 0.1, 0.3, 0.7, 1.5, 3.0)]
    for i, (after, delay) in enumerate(moments):
        out = tmp_path / f"run{i}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "sine_lstm", "train", "--steps", "100000"]
            + ["--batch-size", "4", "--time-steps", "5", "--backend", BACKEND, "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        if after == "first cost line":
            assert proc.stdout.readline().startswith("cost: "), (after, delay)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 130, (after, delay, stderr)
        assert len(stderr.strip().splitlines()) == 1 and "SIGINT" in stderr, (after, delay, stderr)
        if "stopped by SIGINT after" in stderr:
            done = int(stderr.split("after ")[1].split(" of")[0])
            rows = (out / "metrics.csv").read_text().splitlines()
            assert len(rows) == done + 1 and (out / "model.keras").exists()
        else:
            assert after == "launch", (delay, stderr)  # a run in training always writes
            assert "nothing written" in stderr and not out.exists()


# Forecasting ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def forecaster(tmp_path_factory):
    """A small forecaster of the seasonal series, trained and saved on this backend."""
    out = tmp_path_factory.mktemp(f"{BACKEND}-forecaster")
    config = Config(task="forecast", series="seasonal", steps=40, batch_size=8, time_steps=10)
    from conftest import cli_train

    assert cli_train(config.replace(out=str(out)))[0] == 0  # model.keras and its config.json
    return out / "model.keras"


def forecast_on(backend: str, model: Path, json_path: Path) -> dict:
    """`sine-lstm forecast` in a fresh process on `backend`; its JSON."""
    proc = subprocess.run(
        [sys.executable, "-m", "sine_lstm", "forecast", "--model", str(model), "--steps", "100"]
        + ["--json", str(json_path), "--png", str(json_path.with_suffix(".png"))]
        + ["--backend", backend],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert len([line for line in proc.stdout.splitlines() if line.startswith("  ")]) == 4
    return json.loads(json_path.read_text())


def test_a_saved_forecaster_forecasts_the_same_on_every_backend(forecaster, tmp_path):
    here = forecast_on(BACKEND, forecaster, tmp_path / f"{BACKEND}.json")
    assert here["free_run_rmse"] > 0 and np.ptp(here["pred"]["free_run"]) > 0.5  # not flat
    for other in OTHERS:
        there = forecast_on(other, forecaster, tmp_path / f"{other}.json")
        for name in ("one_step", "free_run"):
            np.testing.assert_allclose(here["pred"][name], there["pred"][name], atol=1e-4)
        assert there["drift_step"] == here["drift_step"]
        np.testing.assert_array_equal(here["truth"], there["truth"])
