"""The playground's logic, headless: its checks, its queue, its what-ifs (no Panel needed).

The page itself, in a real browser, is tests/browser/ (`make test-browser`).
"""

import json
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from conftest import ENV

from sine_lstm import cli
from sine_lstm.cell import LSTMCell
from sine_lstm.checks import UsageError
from sine_lstm.config import Config
from sine_lstm.model import build_model, cost, recurrent
from sine_lstm.play import session
from sine_lstm.play.probe import POST_RNN, Probe, WhatIf, check_what_if
from sine_lstm.train import Incomplete, train

TEXT = {name: str(getattr(Config, name)) for name in session.FIELDS}  # the page's defaults


@pytest.mark.parametrize(
    "name, text",
    [("lr", t) for t in ("0", "-1", "nan", "1e9", "abc", "")]
    + [("steps", t) for t in ("0", "-1", "1e9", "nan", "20000000")]
    + [("cell_size", "1000000"), ("seed", "-1"), ("cell", "gru"), ("batch_size", "2.5")]
    + [("forget_bias", t) for t in ("nan", "inf", "abc", "-2.5")],
)
def test_the_page_refuses_what_the_cli_refuses_in_the_cli_s_words(name, text):
    word, flag = session.FIELDS[name]
    try:
        cli.parse_args(["train", f"{flag}={text}"])
    except UsageError as err:
        refused = str(err).removeprefix("argument ").removeprefix(flag)  # ": must be …"
    else:
        refused = None
    try:
        config = session.settings({**TEXT, name: text})
    except UsageError as err:
        assert refused is not None, f"the CLI takes {flag} {text!r}"
        assert str(err) == f"{word} ({flag}){refused}"
    else:
        assert refused is None, f"the CLI refuses {flag} {text!r}: {refused}"
        assert getattr(config, name) == float(text)  # e.g. --lr 1e9: taken, then it diverges


def test_a_forget_bias_for_the_rnn_is_refused_on_the_page_as_on_the_command_line():
    argv = ["train", "--cell", "rnn", "--forget-bias", "0"]
    with pytest.raises(UsageError) as cli_err:
        cli.parse_args(argv)
    with pytest.raises(UsageError) as page_err:
        session.settings({**TEXT, "cell": "rnn", "forget_bias": "0"})
    assert str(cli_err.value) == "--forget-bias 0: --cell rnn has no forget gate"
    assert str(page_err.value) == "forget bias (--forget-bias) 0: --cell rnn has no forget gate"


def test_the_page_s_fields_at_their_defaults_give_the_cli_s_config_without_the_gif():
    expected = cli.config_from(cli.parse_args(["train"])).replace(gif=False)
    assert session.settings(TEXT) == expected
    assert session.settings(TEXT, stateful=False) == expected.replace(stateful=False)
    assert session.settings(TEXT, xla=True) == expected.replace(xla=True)  # its checkbox


def test_the_command_names_the_flags_a_learner_changed():
    config = session.settings({**TEXT, "lr": "0.02", "seed": "3"}, stateful=False, xla=True)
    assert session.command(config) == "sine-lstm train --lr 0.02 --seed 3 --stateless --xla"
    assert session.command(session.settings(TEXT)) == "sine-lstm train"


@pytest.mark.parametrize("every, sent", [(0.0, list(range(2, 31, 2))), (60.0, [2, 30])])
def test_live_sends_its_first_steps_at_once_then_at_most_every_so_often_and_the_last(
    tiny, every, sent
):
    config = tiny.replace(steps=30, steps_per_call=2, gif=False)
    events = []
    live = session.Live(session.Run(config, events.append), every=every)
    result = train(config, verbose=False, save=False, watch=[live])
    assert [len(e.costs) for e in events] == sent
    assert [e.first for e in events] == [0, *sent[:-1]]  # each sends the steps since the last
    np.testing.assert_array_equal(events[-1].costs, result.costs)


RUNS = [  # (the page's values, stateful, XLA): one queue, in this order
    ({"steps": "60"}, True, False),
    ({"steps": "60", "lr": "0.02", "seed": "7", "cell": "rnn"}, False, False),
    ({"steps": "60", "seed": "1"}, True, False),  # the first run's shapes: its model, warm
    ({"steps": "60", "lr": "50"}, True, False),  # diverges at step 1
    ({"steps": "60", "seed": "2"}, True, True),  # as the page trains on TensorFlow: --xla
]
QUEUE = """
import json, sys
from sine_lstm import checks
from sine_lstm.cli import load_backend
load_backend(checks.choose_backend(None), plain=False)  # as the server does
from sine_lstm.play import session
worker, seen = session.Worker(), []
for i, (values, stateful, xla) in enumerate(json.loads(sys.argv[1])):
    config = session.settings({**json.loads(sys.argv[2]), **values}, stateful, xla)
    worker.submit(session.Run(config, lambda e, i=i: seen.append((i, e))))
worker.work(until=lambda: worker.jobs.empty() and worker.running is None)
costs = {i: e.costs.tolist() for i, e in seen if e.kind in ("progress", "done")}
print(json.dumps({"costs": costs, "events": [(i, e.kind, e.ahead, e.message) for i, e in seen]}))
"""


def test_runs_queued_from_the_page_give_the_cli_s_costs_step_by_step(tmp_path):
    """Five runs in one server-like process, queued at once, against `sine-lstm train`."""
    page = subprocess.Popen(
        [sys.executable, "-c", QUEUE, json.dumps(RUNS), json.dumps(TEXT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    clis = []
    for i, (values, stateful, xla) in enumerate(RUNS):
        flags = [f"{session.FIELDS[name][1]}={value}" for name, value in values.items()]
        argv = ["train", "--no-gif", "--out", str(tmp_path / str(i)), *flags]
        argv += ([] if stateful else ["--stateless"]) + (["--xla"] if xla else [])
        clis.append(
            subprocess.Popen(
                [sys.executable, "-m", "sine_lstm", *argv],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=ENV,
            )
        )
    out, err = page.communicate(timeout=300)
    assert page.returncode == 0, err
    shown = json.loads(out.splitlines()[-1])
    events = [tuple(e) for e in shown["events"]]
    assert [e[2] for e in events if e[1] == "queued"][:5] == [0, 1, 2, 3, 4]  # as submitted
    assert [i for i, kind, *_ in events if kind == "started"] == [0, 1, 2, 3, 4]  # in order
    for i, proc in enumerate(clis):
        stdout, stderr = proc.communicate(timeout=300)
        rows = (tmp_path / str(i) / "metrics.csv").read_text().splitlines()[1:]
        expected = np.array([float(row.split(",")[1]) for row in rows])
        costs = np.array(shown["costs"][str(i)])
        if i == 3:  # the CLI's divergence line, word for word; the page shows step 0 only
            failed = [e for e in events if e[0] == 3 and e[1] == "failed"]
            assert failed[0][3] == stderr.strip().splitlines()[-1].removeprefix("sine-lstm: ")
            expected = expected[:1]
        assert len(costs) == len(expected) > 0
        np.testing.assert_allclose(costs, expected, atol=1e-5, rtol=0)
        assert np.abs(costs).min() > 0.01  # not a comparison of zeros
        lines = [line for line in stdout.splitlines() if line.startswith("cost:")]
        assert session.cost_lines(costs) == lines


def test_a_stopped_run_sends_every_step_it_trained_before_it_stops(tiny):
    config = tiny.replace(steps=30, steps_per_call=2, gif=False)
    run, events = session.Run(config, None), []
    run.notify = events.append

    class StopAtThirdCall(keras.callbacks.Callback):  # as if Stop were pressed meanwhile
        def on_train_batch_end(self, batch, logs=None):
            run.stopped = run.stopped or batch == 5  # steps 0-5: three calls of two

    with pytest.raises(Incomplete):  # no signal, no divergence: the page says "stopped"
        train(config, verbose=False, save=False, watch=[StopAtThirdCall(), session.Live(run, 60)])
    assert [len(e.costs) for e in events] == [2, 6]  # the first call at once, then all the rest


def test_stop_ends_the_run_in_progress_and_a_stopped_run_never_starts(tiny):
    config = tiny.replace(steps=100, gif=False)
    worker, seen = session.Worker(), []
    first = session.Run(config, lambda e: seen.append(("first", e)))
    second = session.Run(config, lambda e: seen.append(("second", e)))
    first.notify = lambda e: (seen.append(("first", e)), e.kind == "progress" and stop(first))

    def stop(run):
        run.stopped = True
        second.stopped = True

    worker.submit(first)
    worker.submit(second)
    worker.work(until=lambda: worker.jobs.empty() and worker.running is None)
    kinds = [(who, e.kind) for who, e in seen if e.kind != "queued"]
    assert kinds == [("first", "started"), ("first", "progress"), ("first", "failed")]
    assert seen[-1][1].message == f"stopped after {config.steps_per_call} steps"


def test_a_page_that_can_no_longer_hear_stops_its_run_and_the_worker_goes_on(tiny):
    config = tiny.replace(steps=20, gif=False)
    worker, heard = session.Worker(), []

    def gone(event):  # a page whose tab (or notebook output) has closed
        raise RuntimeError("Event loop is closed")

    first, second = session.Run(config, gone), session.Run(config, heard.append)
    worker.submit(first)
    worker.submit(second)
    worker.work(until=lambda: worker.jobs.empty() and worker.running is None)
    assert first.stopped and not second.stopped
    kinds = [e.kind for e in heard if e.kind != "progress"]
    assert kinds == ["queued", "queued", "started", "done"]  # asked, then the first started


@pytest.fixture(scope="module")
def trained():
    config = Config(steps=30, batch_size=4, time_steps=6, cell_size=3, gif=False)
    result = train(config, verbose=False, save=False)
    return result, config, Probe(result.model, config)


def twin(config, trained_model, stateful=True):
    """A fresh build of the demo model with the trained weights (and the state training left)."""
    model = build_model(config, stateful=stateful)
    for name in ("in_hidden", "out_hidden"):
        model.get_layer(name).set_weights(trained_model.get_layer(name).get_weights())
    recurrent(model).cell.set_weights(recurrent(trained_model).cell.get_weights())
    if stateful:
        for mine, theirs in zip(
            recurrent(model).states, recurrent(trained_model).states, strict=True
        ):
            mine.assign(theirs)  # the state training left
    return model


def test_as_trained_the_probe_is_the_trained_model_s_own_forward_pass(trained):
    result, config, probe = trained
    out = probe.run(WhatIf())
    model = twin(config, result.model)
    fit = np.asarray(model(probe.sin_x))[:, :, 0]  # (batch, time), from the carried state
    np.testing.assert_allclose(out["fit"], fit, atol=1e-5)
    assert np.abs(fit).max() > 0.01  # not a comparison of zeros
    expected = float(np.mean(cost(probe.cos_x, fit[:, :, None])))
    np.testing.assert_allclose(out["cost"], expected, rtol=1e-5)


def test_the_post_s_rnn_is_our_cell_built_with_pinned_gates(trained):
    result, config, probe = trained
    out = probe.run(POST_RNN)
    cell = LSTMCell(config.cell_size, pin=POST_RNN.pin)  # the trusted twin: Keras's own loop
    rnn = keras.layers.RNN(cell, return_sequences=True)
    rnn.build((config.batch_size, config.time_steps, config.cell_size))
    rnn.set_weights(recurrent(result.model).cell.get_weights())
    model = twin(config, result.model)
    h = rnn(model.get_layer("in_hidden")(probe.sin_x), initial_state=recurrent(model).states)
    fit = np.asarray(model.get_layer("out_hidden")(h))[:, :, 0]
    np.testing.assert_allclose(out["fit"], fit, atol=1e-5)
    assert np.abs(out["fit"] - probe.trained["fit"]).max() > 0.01  # it did change the fit
    assert (out["f"] == 0).all() and (out["i"] == 1).all() and (out["o"] == 1).all()


def test_reset_every_window_is_the_same_weights_run_stateless(trained):
    result, config, probe = trained
    out = probe.run(WhatIf(reset=True))
    model = twin(config, result.model, stateful=False)
    np.testing.assert_allclose(out["fit"], np.asarray(model(probe.sin_x))[:, :, 0], atol=1e-5)
    assert np.abs(out["fit"] - probe.trained["fit"]).max() > 1e-3


def test_a_zeroed_unit_is_the_unit_cut_out_of_the_weights(trained):
    result, config, probe = trained
    out = probe.run(WhatIf(zeroed=(1,)))
    model = twin(config, result.model)
    cell, out_hidden = recurrent(model).cell, model.get_layer("out_hidden")
    cell.recurrent_kernel.assign(np.asarray(cell.recurrent_kernel) * [[1], [0], [1]])  # U·h: no 1
    out_hidden.kernel.assign(np.asarray(out_hidden.kernel) * [[1], [0], [1]])  # ŷ: no unit 1
    np.testing.assert_allclose(out["fit"], np.asarray(model(probe.sin_x))[:, :, 0], atol=1e-5)
    assert (out["h"][:, :, 1] == 0).all() and np.abs(out["h"][:, :, 0]).max() > 0.01


def test_the_probe_keeps_its_own_copy_of_the_trained_model(trained):
    result, config, probe = trained
    before = probe.run(WhatIf())["fit"]
    kept = result.model.get_weights()
    result.model.set_weights([w * 0 for w in kept])  # as the next run would retrain it
    np.testing.assert_array_equal(probe.run(WhatIf())["fit"], before)
    result.model.set_weights(kept)


@pytest.mark.parametrize(
    "what, message",
    [
        (WhatIf(pin={"f": 1.5}), "pin f: must be a number from 0 to 1, got 1.5"),
        (WhatIf(pin={"f": float("nan")}), "pin f: must be a number from 0 to 1, got nan"),
        (WhatIf(pin={"g": 0.5}), "pin: no gate 'g'; the gates are i, f, o"),
        (WhatIf(zeroed=(3,)), "zero unit: must be 0 to 2, got 3"),
    ],
)
def test_what_ifs_out_of_range_are_refused_in_one_line(what, message):
    with pytest.raises(ValueError) as err:
        check_what_if(what, Config(cell_size=3))
    assert str(err.value) == message


def test_the_playground_s_logic_loads_no_web_library():
    probe = "import sys, sine_lstm.play.session, sine_lstm.play.probe; "
    probe += "print(sorted(m for m in ('panel', 'bokeh', 'tornado') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=ENV)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_requirements_play_names_panel_and_playwright():
    text = (Path(__file__).parents[1] / "requirements-play.txt").read_text()
    names = {line.split(">")[0].split("=")[0].strip() for line in text.splitlines()}
    assert {"panel", "playwright"} <= names


def serve_line(capsys, monkeypatch, port: int, hide_panel: bool = False) -> str:
    """`sine-lstm play`'s serve() that cannot start: its exit status 2 and its one line."""
    from sine_lstm.play import server

    if hide_panel:
        monkeypatch.setitem(sys.modules, "panel", None)  # `import panel` raises ImportError
    args = cli.make_parser().parse_args(["play", "--port", str(port), "--no-browser"])
    assert server.serve(args) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_play_on_a_taken_port_or_without_panel_says_so_in_one_line(capsys, monkeypatch):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        line = serve_line(capsys, monkeypatch, port)
    assert line.startswith(f"sine-lstm: error: cannot serve on 127.0.0.1:{port}: "), line
    line = serve_line(capsys, monkeypatch, port, hide_panel=True)
    assert line == "sine-lstm: error: the playground needs Panel: `make play` installs it"
