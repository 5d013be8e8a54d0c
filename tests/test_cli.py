"""The command line: bad input is one line on stderr and exit 2; good input trains."""

from pathlib import Path

import pytest
from conftest import cli_main, run_cli

from sine_lstm.cli import main
from sine_lstm.cli.exits import USAGE_ERROR
from sine_lstm.cli.parser import config_from, parse_args

TINY = ["--steps", "3", "--batch-size", "2", "--time-steps", "4", "--cell-size", "2"]
run = run_cli


BAD = [
    (flag, value)
    for flag in (
        "--steps",
        "--batch-size",
        "--time-steps",
        "--cell-size",
        "--epochs",
        "--fps",
        "--max-frames",
        "--steps-per-call",
    )
    for value in ("-1", "0", "ten", "nan", "inf", "1e9", "99999999999", "2.5", "")
]
BAD += [
    ("--lr", v) for v in ("0", "-0.1", "nan", "-nan", "inf", "-inf", "abc", "1e999", "-1e9", "")
]
BAD += [("--seed", v) for v in ("-1", "x", "1.5", str(2**40))]
BAD += [("--cell", v) for v in ("transformer", "LSTM", "")]
BAD += [("--forget-bias", v) for v in ("nan", "inf", "-inf", "1e999", "abc", "")]


@pytest.mark.parametrize("flag,value", BAD)
def test_bad_value_is_one_line_exit_2_nothing_written(tmp_path, capsys, flag, value):
    code = main(["train", "--out", str(tmp_path / "out"), flag, value])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert flag in lines[0] and value.strip() in lines[0]
    assert not (tmp_path / "out").exists()


def test_forget_bias_takes_any_finite_number_and_is_refused_without_a_forget_gate(tmp_path, capsys):
    args = parse_args(["train", "--forget-bias", "-2.5", "--out", str(tmp_path / "out")])
    assert config_from(args).forget_bias == -2.5
    args = ["train", "--cell", "minlstm", "--forget-bias", "2", "--out", str(tmp_path / "out")]
    assert config_from(parse_args(args)).forget_bias == 2.0  # the minLSTM has one
    out = ["--out", str(tmp_path / "out")]
    for cell in ("rnn", "gru", "mingru"):
        line = one_line_exit_2(
            tmp_path, capsys, "train", *out, "--cell", cell, "--forget-bias", "0"
        )
        assert line == f"sine-lstm: error: --forget-bias 0: the {cell} cell has no forget gate"


@pytest.mark.parametrize(
    "cell, name", [("gru", "GRUCell"), ("mingru", "MinGRUCell"), ("minlstm", "MinLSTMCell")]
)
def test_each_cell_beyond_the_post_trains_and_its_saved_model_reloads(tmp_path, cell, name):
    from sine_lstm.cli.predict import load_model
    from sine_lstm.model import recurrent

    out = tmp_path / "out"
    proc = cli_main("train", "--cell", cell, "--steps", "40", "--no-gif", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    costs = [float(line.split()[1]) for line in lines if line.startswith("cost:")]
    final = float(lines[-2].split()[-1])  # "final cost (mean of the last 20 steps): …"
    assert len(costs) == 2 and costs[1] < costs[0] and final < 0.9 * costs[0]  # it learns
    layer = recurrent(load_model(out / "model.keras"))
    assert layer.name == cell and type(layer.cell).__name__ == name


@pytest.mark.parametrize("flag,value", [("--steps", "0"), ("--lr", "nan"), ("--fps", "ten")])
def test_bad_value_in_a_real_process_never_loads_tensorflow(tmp_path, flag, value):
    proc = run("train", "--out", str(tmp_path / "out"), flag, value)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and flag in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()
    probe = (
        "import sys, sine_lstm.cli as c; c.main(sys.argv[1:]); print('tensorflow' in sys.modules)"
    )
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", probe, "train", flag, value], capture_output=True, text=True
    )
    assert loaded.stdout.strip() == "False"


def test_unknown_flag_and_command(tmp_path):
    for args in (["train", "--bogus", "1"], ["fly"]):  # alone, it lists its commands (below)
        proc = run(*args)
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_cell_error_lists_the_choices():
    proc = run("train", "--cell", "transformer")
    assert all(cell in proc.stderr for cell in ("lstm", "rnn", "keras", "gru", "mingru", "minlstm"))


@pytest.mark.parametrize("make_target", ["file", "under_file", "readonly_fs"])
def test_unwritable_out_folder(tmp_path, make_target):
    (tmp_path / "a_file").write_text("x")
    target = {
        "file": tmp_path / "a_file",
        "under_file": tmp_path / "a_file" / "out",
        "readonly_fs": "/proc/sine_lstm_out",
    }[make_target]
    proc = run("train", "--out", str(target))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "--out" in proc.stderr
    assert (tmp_path / "a_file").read_text() == "x"


def test_flags_are_made_from_config():
    """No flag retypes a default: parsing nothing gives Config(); --help shows every why."""
    import dataclasses

    from sine_lstm.cli.exits import flag
    from sine_lstm.cli.parser import FLAGS, config_from, make_parser, parse_args
    from sine_lstm.config import Config

    assert config_from(parse_args(["train"])) == Config()
    assert config_from(parse_args(["train", "--plain"])) == Config(steps_per_call=1)
    assert config_from(parse_args(["train", "--xla"])) == Config(xla=True)
    train = make_parser()._subparsers._group_actions[0].choices["train"]
    help = " ".join(train.format_help().split())  # argparse wraps lines
    for field in dataclasses.fields(Config):
        meta = FLAGS.get(field.name, {})
        assert flag(field.name) in help, field.name
        words = meta.get("help", field.metadata["why"])
        if field.type in ("int", "float", "str"):
            words += f" (default {field.default})"
        assert words in help, field.name


def test_xla_on_pytorch_is_refused(monkeypatch):
    from sine_lstm.cli import checks
    from sine_lstm.cli.parser import parse_args

    monkeypatch.setattr(checks, "choose_backend", lambda flag: flag)  # no PyTorch needed
    with pytest.raises(checks.UsageError) as err:
        parse_args(["train", "--xla", "--backend", "torch"])
    assert str(err.value) == "--xla: PyTorch does not compile with XLA; try --backend tensorflow"


def one_line_exit_2(tmp_path, capsys, *args) -> str:
    """Run `main(args)`; assert exit 2, one line on stderr, nothing written; return the line."""
    code = main([*args])
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1, lines
    assert not (tmp_path / "out").exists()
    return lines[0]


@pytest.mark.parametrize(
    "flag,value",
    [("--cell-size", "100000"), ("--time-steps", "10000000"), ("--batch-size", "10000000")],
)
def test_a_run_too_large_for_memory_is_refused_before_it_starts(tmp_path, capsys, flag, value):
    line = one_line_exit_2(tmp_path, capsys, "train", "--out", str(tmp_path / "out"), flag, value)
    assert line.startswith(f"sine-lstm: error: {flag} {value}: this run needs about ")
    assert "of memory" in line and "are free" in line


def test_gif_rates_players_cannot_show_are_refused(tmp_path, capsys):
    from sine_lstm.cli.parser import parse_args

    assert parse_args(["train", "--fps", "50"]).fps == 50  # 20 ms a frame
    line = one_line_exit_2(tmp_path, capsys, "train", "--out", str(tmp_path / "out"), "--fps", "51")
    assert "--fps" in line and "50" in line


def test_a_gif_path_must_end_in_gif(tmp_path, capsys):
    gif = str(tmp_path / "x.png")
    line = one_line_exit_2(tmp_path, capsys, "train", "--out", str(tmp_path / "out"), "--gif", gif)
    assert f"--gif {gif!r} must end in .gif" in line
    assert not (tmp_path / "x.png").exists()


def test_an_empty_out_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = one_line_exit_2(tmp_path, capsys, "train", "--out", "")
    assert "--out: must name a path" in line and list(tmp_path.iterdir()) == []


def test_predict_batches_are_bounded(tmp_path, capsys):
    line = one_line_exit_2(tmp_path, capsys, "predict", "--batches", "10000000")
    assert "--batches" in line and "10000000" in line


# Forecasting -------------------------------------------------------------------------------
def csv_file(tmp_path, rows: list[str], name="s.csv") -> str:
    (tmp_path / name).write_text("month,co2\n" + "".join(f"{i},{r}\n" for i, r in enumerate(rows)))
    return str(tmp_path / name)


def long_series(n=2000) -> list[str]:
    return [f"{300 + (i % 12):.2f}" for i in range(n)]


@pytest.mark.parametrize(
    "case,extra,words",
    [
        ("missing file", ["--csv", "{tmp}/nope.csv", "--column", "co2"], ["does not exist"]),
        ("a folder", ["--csv", "{tmp}", "--column", "co2"], ["is a folder"]),
        ("missing column", ["--csv", "{good}", "--column", "ppm"], ["'ppm'", "month, co2"]),
        ("no column", ["--csv", "{good}"], ["--column is missing", "month, co2"]),
        (
            "too short",
            ["--csv", "{short}", "--column", "co2"],
            ["1001", "out 60 (0.2)", "240"],
        ),
        ("not a number", ["--csv", "{text}", "--column", "co2"], ["line 6", "'n/a'"]),
        ("empty cell", ["--csv", "{empty}", "--column", "co2"], ["line 4", "''"]),
        ("constant", ["--csv", "{constant}", "--column", "co2"], ["constant", "std 0"]),
        ("a header alone", ["--csv", "{header}", "--column", "co2"], ["no data rows"]),
        (
            "steps past the data",
            ["--csv", "{good}", "--column", "co2", "--steps", "999"],
            ["--steps 999", "30 or fewer"],
        ),
        ("horizon 0", ["--horizon", "0"], ["--horizon", "'0'"]),
        ("horizon negative", ["--horizon", "-3"], ["--horizon", "'-3'"]),
        ("holdout 1", ["--csv", "{good}", "--column", "co2", "--holdout", "1"], ["--holdout"]),
        ("csv for the cos task", ["--csv", "{good}"], ["--csv", "forecast task"]),
        ("column without csv", ["--column", "co2"], ["--column", "CSV file"]),
    ],
)
def test_bad_forecast_input_is_one_line_exit_2_nothing_written(
    tmp_path, capsys, case, extra, words
):
    files = {
        "tmp": str(tmp_path),
        "good": csv_file(tmp_path, long_series()),
        "short": csv_file(tmp_path, long_series(300), "short.csv"),
        "text": csv_file(tmp_path, [*long_series(4), "n/a", *long_series()], "text.csv"),
        "empty": csv_file(tmp_path, [*long_series(2), "", *long_series()], "empty.csv"),
        "constant": csv_file(tmp_path, ["7.5"] * 2000, "constant.csv"),
        "header": csv_file(tmp_path, [], "header.csv"),
    }
    task = [] if case == "csv for the cos task" else ["--task", "forecast"]
    args = [a.format(**files) for a in extra]
    line = one_line_exit_2(tmp_path, capsys, "train", *task, "--out", str(tmp_path / "out"), *args)
    for word in words:
        assert word in line, (case, line)


def test_a_csv_forecast_run_opens_its_file_once(tmp_path):
    import sys

    from conftest import cli_train

    from sine_lstm.cli.parser import parse_args

    csv = Path(csv_file(tmp_path, long_series(400))).resolve()
    opened = []
    watching = [True]

    def audit(event, args):  # every open of any file in this process, by anyone
        if watching[0] and event == "open" and isinstance(args[0], str | Path):
            if Path(args[0]).resolve() == csv:
                opened.append(args[0])

    sys.addaudithook(audit)  # a hook stays for the process: `watching` turns it off
    try:  # as `main` runs it, but in this process: its backend is loaded already
        args = parse_args(
            ["train", "--task", "forecast", "--csv", str(csv), "--column", "co2", "--no-gif"]
            + ["--batch-size", "4", "--time-steps", "5", "--steps", "6"]
            + ["--out", str(tmp_path / "out")]
        )
        code, _ = cli_train(args.config, loaded=args.loaded)
    finally:
        watching[0] = False
    assert code == 0 and (tmp_path / "out" / "model.keras").exists()
    assert len(opened) == 1  # read and checked by the command line, trained on as it is


def fake_model(folder, settings: dict | None):
    """A file with the members of a .keras archive, and the config.json train writes beside it."""
    import json
    import zipfile

    folder.mkdir()
    with zipfile.ZipFile(folder / "model.keras", "w") as archive:
        archive.writestr("config.json", "{}")
        archive.writestr("model.weights.h5", "")
    if settings is not None:
        (folder / "config.json").write_text(json.dumps(settings))
    return str(folder / "model.keras")


def test_forecast_on_a_cos_model_says_so(tmp_path, capsys):
    model = fake_model(tmp_path / "cos", {"task": "cos", "steps": 200})
    line = one_line_exit_2(tmp_path, capsys, "forecast", "--model", model)
    assert "trained for the cos task" in line and "--task forecast" in line
    assert sorted(p.name for p in (tmp_path / "cos").iterdir()) == ["config.json", "model.keras"]
    line = one_line_exit_2(
        tmp_path, capsys, "forecast", "--model", fake_model(tmp_path / "old", None)
    )
    assert "no readable config.json" in line


def test_forecast_checks_its_sizes_against_the_series(tmp_path, capsys):
    good = csv_file(tmp_path, long_series(500))
    settings = {"task": "forecast", "csv": good, "column": "co2", "batch_size": 4}
    settings |= {"time_steps": 5, "steps": 20}
    model = fake_model(tmp_path / "m", settings)
    line = one_line_exit_2(tmp_path, capsys, "forecast", "--model", model, "--steps", "101")
    assert "--steps 101" in line and "100" in line  # 20 % of 500 held out
    line = one_line_exit_2(tmp_path, capsys, "forecast", "--model", model, "--warmup", "401")
    assert "--warmup 401" in line and "400" in line
    (tmp_path / "s.csv").write_text("month,co2\n1,2\n")  # the series changed since training
    line = one_line_exit_2(tmp_path, capsys, "forecast", "--model", model)
    assert f"--model {model!r}: the series it trained on: csv {good!r}" in line  # not --csv
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["config.json", "model.keras"]


def test_a_picture_or_json_path_must_say_what_it_holds(tmp_path, capsys):
    model = fake_model(tmp_path / "cos", {"task": "cos"})
    txt = str(tmp_path / "x.txt")
    line = one_line_exit_2(tmp_path, capsys, "predict", "--model", model, "--png", txt)
    assert f"--png {txt!r} must end in .png: it is a PNG" in line
    forecaster = fake_model(tmp_path / "f", {"task": "forecast"})
    line = one_line_exit_2(tmp_path, capsys, "forecast", "--model", forecaster, "--json", txt)
    assert f"--json {txt!r} must end in .json" in line
    assert not (tmp_path / "x.txt").exists()


def test_sine_lstm_alone_lists_its_commands_and_exits_2(capsys):
    assert main([]) == USAGE_ERROR
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("usage: sine-lstm")
    listed = {line.split()[0] for line in err if line.startswith("  ")}
    assert listed == {"train", "predict", "forecast"}  # each with its line of help
    assert all(len(line.split()) > 2 for line in err if line.startswith("  "))


def test_predict_refuses_a_forecaster(tmp_path, capsys):
    model = fake_model(tmp_path / "f", {"task": "forecast"})
    line = one_line_exit_2(tmp_path, capsys, "predict", "--model", model)
    assert "sine-lstm forecast" in line


def test_bad_forecast_input_in_a_real_process_is_one_line_without_tensorflow(tmp_path):
    for args in (
        ["train", "--task", "forecast", "--csv", str(tmp_path / "no.csv"), "--column", "x"],
        ["forecast", "--model", str(tmp_path / "no.keras")],
    ):
        proc = run(*args)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("inside", ["logs", "diverged"])
def test_a_gif_inside_a_folder_a_run_replaces_is_refused(tmp_path, capsys, inside):
    gif = str(tmp_path / "out" / inside / "anim.gif")
    line = one_line_exit_2(tmp_path, capsys, "train", "--out", str(tmp_path / "out"), "--gif", gif)
    assert line == f"sine-lstm: error: --gif {gif!r} is inside {inside}/, which a run replaces"


# The remember task ---------------------------------------------------------------------------
R = ["--task", "remember"]


@pytest.mark.parametrize(
    "extra,said",
    [
        ([*R, "--lag", "0"], "argument --lag: must be between 1 and 10000000, got '0'"),
        ([*R, "--lag", "-3"], "argument --lag: must be between 1 and 10000000, got '-3'"),
        ([*R, "--lag", "x"], "argument --lag: must be a positive integer, got 'x'"),
        ([*R, "--lag", "1e9"], "argument --lag: must be a positive integer, got '1e9'"),
        (
            [*R, "--lag", "20"],
            "--lag 20: a window of 20 time steps holds lags up to 19; give --time-steps 21 or more",
        ),
        (["--lag", "5"], "--lag 5: it is for the remember task"),
        (["--task", "forecast", "--lag", "5"], "--lag 5: it is for the remember task"),
        ([*R, "--horizon", "2"], "--horizon 2: it is for the forecast task"),
        ([*R, "--show"], "--show draws a curve live; the remember task's inputs"),
        ([*R, "--gif", "a.gif"], "--gif 'a.gif': the remember task draws no GIF"),
    ],
)
def test_a_bad_lag_or_setting_for_the_remember_task_is_one_line_exit_2(
    tmp_path, capsys, extra, said
):
    line = one_line_exit_2(tmp_path, capsys, "train", "--out", str(tmp_path / "out"), *extra)
    assert line.startswith(f"sine-lstm: error: {said}"), line


def test_the_remember_task_trains_stateless_and_draws_no_gif():
    config = config_from(parse_args(["train", "--task", "remember", "--lag", "7"]))
    assert (config.task, config.lag, config.stateful, config.gif) == ("remember", 7, False, False)
    assert config_from(parse_args(["train"])).stateful  # the post's task carries its state


def test_predict_and_forecast_refuse_a_model_of_the_remember_task(tmp_path, capsys):
    model = fake_model(tmp_path / "r", {"task": "remember"})
    line = one_line_exit_2(tmp_path, capsys, "predict", "--model", model)
    assert "trained for the remember task" in line
    line = one_line_exit_2(tmp_path, capsys, "forecast", "--model", model)
    assert "trained for the remember task" in line and "--task forecast" in line


def test_a_terminal_that_cannot_show_chinese_gets_it_escaped_not_a_traceback():
    import io

    from sine_lstm.cli import terminal_safe

    raw = io.BytesIO()
    log = io.TextIOWrapper(raw, encoding="cp1252")  # a log file on a Western Windows
    terminal_safe(log)
    print("wrote 输出/", file=log)
    log.flush()
    assert raw.getvalue().decode("cp1252") == "wrote \\u8f93\\u51fa/\n"
