"""The command line's flags: made from `Config`, and every one checked before the backend loads.

Bad input: one line on stderr naming the flag and the value, exit 2. `forecast`'s flags:
`forecast.py`.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from sine_lstm.cli import checks
from sine_lstm.cli import forecast as forecast_cli
from sine_lstm.cli.checks import INT_LIMIT, UsageError
from sine_lstm.cli.exits import flag, typed, whole
from sine_lstm.config import Config

# How a Config field shows in `train --help`, where the plain `--field-name VALUE` won't do;
# what each field takes is checks.py's (`parse`), its flag's name exits.py's (`flag`).
FLAGS = {
    "stateful": {"help": "reset the state at every batch instead"},
    "out": {"group": "outputs"},
    "gif": {
        "help": "skip the GIF (final.png and cost.png are still drawn; an old GIF in OUT goes)",
        "group": "outputs",
    },
    "gif_path": {"metavar": "PATH.gif", "group": "outputs"},
    "fps": {"group": "outputs"},
    "max_frames": {"group": "outputs"},
    "show": {"group": "outputs"},
    "steps_per_call": {"group": "speed", "metavar": "N"},
    "xla": {"group": "speed", "help": "XLA for the training step (TensorFlow; JAX always has it)"},
    "task": {"group": "forecast"},
    "horizon": {"group": "forecast"},
    "series": {"group": "forecast"},
    "csv": {"group": "forecast", "metavar": "FILE"},
    "column": {"group": "forecast", "metavar": "NAME"},
    "holdout": {"group": "forecast", "metavar": "FRACTION"},
    "lag": {"group": "forecast", "metavar": "N"},
}
GROUPS = {  # the headings of `train --help`, in order
    "model": "the model and its training",
    "forecast": "beyond the post: forecasting (then `sine-lstm forecast`), remembering",
    "outputs": "what it writes and shows",
    "speed": "speed (how fast it runs; --xla also rounds a little differently)",
}


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and exit 2, and `-inf`, `-1e9` read as values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = checks.NEGATIVE_NUMBER  # argparse knows only -1, -1.5

    def error(self, message: str):
        raise UsageError(None, message)


def add_config_flags(groups: dict) -> None:
    """One flag per field of `Config`, its help the field's "why" and its default."""
    for field in dataclasses.fields(Config):
        meta = FLAGS.get(field.name, {})
        default = field.default
        target = groups[meta.get("group", "model")]
        why = field.metadata["why"]
        if field.type == "bool":
            action = "store_false" if default else "store_true"
            help = meta.get("help", why)
            target.add_argument(flag(field.name), dest=field.name, action=action, help=help)
            continue
        target.add_argument(
            flag(field.name),
            dest=field.name,
            type=typed(lambda text, name=field.name: checks.parse(name, text)),
            default=default,
            choices=checks.CHOICES.get(field.name),
            metavar=meta.get("metavar"),
            help=why if default is None else f"{why} (default {default})",
        )


def make_parser() -> Parser:
    parser = Parser(prog="sine-lstm", description="An LSTM learns cos x from sin x.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    train = sub.add_parser("train", help="train the demo; writes OUT/")
    groups = {name: train.add_argument_group(title) for name, title in GROUPS.items()}
    add_config_flags(groups)
    groups["outputs"].add_argument(
        "--quiet", action="store_true", help="no cost lines, no progress bar"
    )
    add_backend_flag(groups["model"])
    groups["speed"].add_argument(
        "--plain",
        action="store_true",
        help="run as Keras does by default: 1 step per call, all threads, no compile cache",
    )
    predict = sub.add_parser("predict", help="draw a saved model's fit over a fresh stretch")
    batches = whole(1, checks.MAX_PREDICT_BATCHES)
    for name, kind, default, what in (
        ("--model", Path, Path("out/model.keras"), "a model.keras"),
        ("--png", Path, Path("out/predict.png"), "the picture"),
        ("--start", whole(1, INT_LIMIT), 1000, "first batch; past training's 200"),
        ("--batches", batches, 30, "how many windows of the curve to draw"),
    ):
        predict.add_argument(name, type=kind, default=default, help=f"{what} (default {default})")
    add_backend_flag(predict)
    add_backend_flag(forecast_cli.add_parser(sub))
    return parser


def add_backend_flag(parser) -> None:
    parser.add_argument(
        "--backend",
        choices=checks.BACKENDS,
        default=None,
        help="Keras's backend (default: $KERAS_BACKEND, else tensorflow); "
        "jax and torch come with `make install-backends`",
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse and check every flag; raise UsageError with one line if anything is off.

    train: `args.config`, and `args.loaded`, the CSV series read and checked once, or None.
    """
    args = make_parser().parse_args(argv)
    args.backend = checks.choose_backend(args.backend)
    if args.command == "train":
        args.config = config_from(args)
        checks.check(args.config)
        if args.xla and args.backend == "torch":
            raise UsageError(
                None, "--xla: PyTorch does not compile with XLA; try --backend tensorflow"
            )
        args.loaded = None
        if args.config.csv is not None:  # read and checked now, once: train takes it as it is
            args.loaded = checks.series_of(args.config)
    elif args.command == "forecast":
        forecast_cli.check(args)
    elif args.command == "predict":
        check_predict(args)
    return args


def check_predict(args: argparse.Namespace) -> None:
    """The predict flags: a model that train wrote, a picture that can be written."""
    checks.check_model(args.model)
    task = checks.saved_settings(args.model, missing={}).get("task", "cos")
    if task == "forecast":
        raise UsageError("model", f"{str(args.model)!r} forecasts: run `sine-lstm forecast` on it")
    if task != "cos":
        raise UsageError("model", f"{str(args.model)!r} was trained for the {task} task, not cos x")
    checks.new_file("png", args.png, ".png", "a PNG")


def config_from(args: argparse.Namespace) -> Config:
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(Config)}
    if args.plain:
        values["steps_per_call"] = 1
    if args.task == "remember":  # each window starts from zero; noise has no curve to animate
        values |= {"stateful": False, "gif": False}
    return Config(**values)


def overview() -> str:
    """`sine-lstm` alone: its usage and each command in one line, as `git` lists its own."""
    parser = make_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    lines = [f"  {c.dest:<10}{c.help}" for c in commands._choices_actions]
    return "\n".join(
        [
            parser.format_usage().strip(),
            "",
            "commands:",
            *lines,
            "",
            "sine-lstm COMMAND --help: its flags",
        ]
    )
