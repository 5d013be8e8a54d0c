"""The page's checks and command (`web/command.js`) against the command line's own.

A value the page refuses, it refuses as `sine-lstm train` refuses its flag: the same field,
the same check (`UsageError.reason`), each worded by the page in its own languages; a value
it takes, it takes as the same number; the command it shows parses back to the settings it
trained with.
"""

import pytest
from test_web import node

from sine_lstm.cli import checks
from sine_lstm.cli import parser as cli
from sine_lstm.cli.checks import UsageError
from sine_lstm.config import Config
from sine_lstm.page import site

FIELDS = [name for name in site.PAGE_FIELDS if name not in ("cell", "stateful")]
TEXTS = {
    "lr": [
        "0",
        "-1",
        "nan",
        "inf",
        "1e9",
        "abc",
        "",
        " 0.01 ",
        "1_0.5",
        "1e-3",
        "+.5",
        "5.",
        "０.０１",
    ],
    "steps": ["0", "-1", "1e9", "nan", "20000000", "2.5", " 7 ", "1_000", "+3", "٣", "１２"],
    "seed": ["-1", "4294967296", "4294967295", "0", "x"],
    "cell_size": ["1000000", "0", "12"],
    "forget_bias": ["nan", "inf", "-inf", "abc", "-2.5", "0", "1e-9"],
    "time_steps": ["0", "30"],
    "batch_size": ["2.5", "0", "10000001", "64"],
    "task": ["cos", "remember", "forecast", "Remember", ""],
    "lag": ["0", "1", "29", "-3", "x"],
}


# What Python's int() and float() read that a learner does not type: the page refuses it.
# and the forecast, which needs a CSV file: the command line's, not the page's
PYTHON_ONLY = {("lr", "1_0.5"), ("steps", "1_000"), ("steps", "٣"), ("task", "forecast")}


def cli_says(name: str, text: str):
    """The command line's value for `--flag=text`, or the check it fails."""
    flag = "--" + name.replace("_", "-")
    try:
        args = cli.make_parser().parse_args(["train", f"{flag}={text}"])
    except UsageError:
        try:
            checks.parse(name, text)
        except UsageError as err:
            return None, err.reason
        raise
    return getattr(args, name), None


CASES = [(name, text) for name in FIELDS for text in TEXTS[name]]


@pytest.fixture(scope="module")
def page_says() -> dict:
    """What the page makes of every case, in one Node process."""
    jobs = [{"job": "parse", "field": name, "text": text} for name, text in CASES]
    return dict(zip(CASES, node(*jobs), strict=True))


@pytest.mark.parametrize("name, text", CASES)
def test_each_field_takes_and_refuses_what_the_command_line_does(name, text, page_says):
    value, reason = cli_says(name, text)
    page = page_says[(name, text)]
    if (name, text) in PYTHON_ONLY:
        assert value is not None and page["code"] in ("integer", "number", "choice")
    elif reason is None:
        assert page == {"value": value}
    else:
        assert (page["field"], page["code"]) == (name, reason)
        assert page["args"]["text"] == text


def test_every_refusal_the_page_makes_is_worded_in_both_languages():
    reasons = {"integer", "between", "number", "positive", "finite", "choice", "switch"}
    for lang in ("en", "zh"):
        strings = node({"job": "strings", "lang": lang})[0]
        assert {f"refused_{reason}" for reason in reasons | {"no_forget_gate"}} <= set(strings)


@pytest.mark.parametrize(
    "config",
    [
        Config(cell="rnn", forget_bias=2.0),
        Config(cell="gru", forget_bias=5.0),
        Config(cell="mingru", forget_bias=0.0),
        Config(lag=5),  # a lag for the post's task
        Config(task="remember", lag=20, time_steps=20, stateful=False),  # past its window
    ],
)
def test_settings_that_clash_are_refused_as_on_the_command_line(config):
    with pytest.raises(UsageError) as err:
        checks.check(config)
    [page] = node({"job": "check", "settings": site.page_settings(config)})
    assert (page["field"], page["code"]) == (err.value.field, err.value.reason)


@pytest.mark.parametrize(
    "changes, field, what",
    [
        ({"steps": 1_000_000}, "steps", "time"),  # about 40 minutes
        ({"cell_size": 200}, "cell_size", "step"),  # a step longer than Stop may wait
        ({"batch_size": 100_000}, "batch_size", "step"),
        # a short run of short steps, but a what-if drawing 3000 windows: it would hold the tab
        ({"cell": "rnn", "cell_size": 1, "batch_size": 3000}, "batch_size", "task"),
        # short steps, but every step's cost and row 0 kept: about 2 GB
        (
            {"cell": "rnn", "cell_size": 1, "batch_size": 1, "time_steps": 2_000, "steps": 30_000},
            "time_steps",
            "memory",
        ),
    ],
)
def test_a_run_too_large_for_a_tab_is_refused_naming_the_field(changes, field, what):
    [page] = node({"job": "check", "settings": site.page_settings(Config(**changes))})
    assert page["code"] == "too_big" and page["field"] == field
    assert page["args"]["what"] == what and page["args"]["need"] > page["args"]["limit"]


def test_the_defaults_and_a_run_of_two_thousand_steps_fit_a_tab():
    for config in (Config(), Config(steps=2000), Config(cell="rnn", cell_size=30)):
        assert node({"job": "check", "settings": site.page_settings(config)}) == [{"ok": True}]


@pytest.mark.parametrize(
    "config",
    [
        Config(),
        Config(lr=1e-05, seed=3, cell="rnn", cell_size=20),
        Config(stateful=False, forget_bias=-0.5, time_steps=7, batch_size=3, steps=40),
    ],
)
def test_the_command_shown_parses_back_to_the_run_s_settings(config):
    [shown] = node({"job": "command", "settings": site.page_settings(config)})
    argv = shown["command"].split()
    assert argv[:2] == ["sine-lstm", "train"]
    parsed = cli.config_from(cli.parse_args([*argv[1:], "--out", "out"]))
    assert site.page_settings(parsed) == site.page_settings(config)
