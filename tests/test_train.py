import signal
import threading

import keras
import numpy as np
import pytest

from sine_lstm import data
from sine_lstm.model import build_model, cost
from sine_lstm.train import Diverged, train


def test_given_a_folder_it_writes_the_run_s_files_there(tiny, tmp_path):
    folder = tmp_path / "run"
    result = train(tiny, folder, verbose=False)
    assert sorted(p.name for p in folder.iterdir()) == [
        "cost.png",
        "final.png",
        "logs",
        "metrics.csv",
        "model.keras",
        "sine_lstm.gif",
    ]
    rows = (folder / "metrics.csv").read_text().splitlines()
    assert rows[0] == "step,cost"
    assert [int(r.split(",")[0]) for r in rows[1:]] == list(range(6))
    np.testing.assert_allclose([float(r.split(",")[1]) for r in rows[1:]], result.costs, rtol=1e-6)
    assert (folder / "model.keras").stat().st_size > 1000
    assert len(list((folder / "logs").iterdir())) == 1


def test_given_no_folder_it_writes_nothing(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    train(tiny, verbose=False)
    assert list(tmp_path.iterdir()) == []


def test_prints_cost_every_20_steps_rounded_to_4_places(tiny, capsys):
    result = train(tiny.replace(steps=41), verbose=True)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("cost:")]
    assert lines == [f"cost: {round(float(result.costs[s]), 4)}" for s in (0, 20, 40)]


def test_first_cost_is_the_forward_pass_of_the_initial_model(tiny):
    result = train(tiny, verbose=False)
    keras.utils.set_random_seed(tiny.seed)
    fresh = build_model(tiny)  # the same seed draws the same initial weights
    _, sin_x, cos_x = data.batch(0, tiny.batch_size, tiny.time_steps)
    pred = np.asarray(fresh(sin_x))
    np.testing.assert_allclose(result.costs[0], ((pred - cos_x) ** 2).sum() / 4, rtol=1e-5)
    np.testing.assert_allclose(result.record.pred_history()[0], pred[0, :, 0], atol=1e-6)


def test_state_is_carried_across_batches(tiny):
    carried = train(tiny, verbose=False).costs
    reset = train(tiny.replace(stateful=False), verbose=False).costs
    np.testing.assert_allclose(carried[0], reset[0], rtol=1e-6)  # both start from zeros
    assert np.abs(carried[1:] - reset[1:]).max() > 1e-4


def test_epochs_replay_the_stream_from_a_zero_state(tiny):
    """With a learning rate near 0 the weights stay put, so epoch 2 repeats epoch 1's costs
    exactly when, and only when, it starts again from a zero state."""
    result = train(tiny.replace(epochs=2, lr=1e-12), verbose=False)
    first, second = result.costs[:6], result.costs[6:]
    np.testing.assert_allclose(second, first, rtol=1e-5)
    # batch 0 from the state epoch 1 ended with would cost something else
    _, sin_x, cos_x = data.batch(0, tiny.batch_size, tiny.time_steps)
    carried = float(np.mean(np.asarray(cost(cos_x, result.model(sin_x)))))
    assert abs(carried - first[0]) > 1e-3 * first[0]


def test_divergence_raises_naming_the_step_and_keeps_only_its_costs(tiny, tmp_path):
    with pytest.raises(Diverged, match=r"at step \d+ .*learning rate .*try a smaller one") as err:
        train(tiny.replace(lr=1e3, steps=60), tmp_path, verbose=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logs", "metrics.csv"]  # its costs only
    rows = (tmp_path / "metrics.csv").read_text().splitlines()
    assert len(rows) == 1 + err.value.steps_done < 1 + 60  # it stopped at the blow-up


def test_compiled_once_with_adam_and_the_cost(tiny):
    model = train(tiny, verbose=False).model
    assert model.optimizer.epsilon == 1e-8  # TF1's AdamOptimizer
    assert float(model.optimizer.learning_rate) == pytest.approx(tiny.lr)
    assert model.loss is cost


def test_a_watching_callback_reads_the_record_as_training_goes(tiny):
    class Watch(keras.callbacks.Callback):
        seen: list = []

        def on_train_batch_end(self, batch, logs=None):
            self.seen.append(len(self.record.cost_history()))

    watch = Watch()
    result = train(tiny.replace(steps=40, steps_per_call=10), verbose=False, watch=[watch])
    assert watch.seen == [10, 20, 30, 40]  # one call into the backend: 10 steps
    np.testing.assert_allclose(watch.record.cost_history(), result.costs)


def test_a_forecaster_trains_on_the_stream_it_is_given(tiny):
    from sine_lstm.forecasting import series

    config = tiny.replace(task="forecast", series="seasonal", horizon=2)
    result = train(config, stream=series.stream(config), verbose=False)
    keras.utils.set_random_seed(config.seed)
    fresh = build_model(config)
    s = series.load(config)
    z = s.scaled()  # the network's view of the series
    i = data.points(1, config.batch_size, config.time_steps)  # batch 0's point numbers
    pred = np.asarray(fresh(z[i].astype("float32")))
    first = ((pred - z[i + 2]) ** 2).sum() / config.batch_size  # the target: 2 points on
    np.testing.assert_allclose(result.costs[0], first, rtol=1e-5)


def test_train_runs_off_the_main_thread_and_leaves_the_signal_handlers_alone(tiny):
    """On a thread (an app's, a notebook's), where Python sets no signal handler."""
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    results, errors = [], []

    def run():
        try:
            results.append(train(tiny, verbose=False))
        except Exception as err:  # seen by the assert below, not lost in the thread
            errors.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert errors == [] and len(results[0].costs) == tiny.steps
    assert {sig: signal.getsignal(sig) for sig in before} == before
