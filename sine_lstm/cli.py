"""The command line: flags made from `Config` and the speed `Switches`, checked before
TensorFlow loads.

Bad input gets one line on stderr naming the flag and the value, and exit status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import math
import os
import re
import signal
import sys
import tempfile
import zipfile
from pathlib import Path

from sine_lstm.config import INT_LIMIT, Config
from sine_lstm.quiet import import_keras
from sine_lstm.speed import PLAIN, Switches

USAGE_ERROR = 2


class UsageError(Exception):
    """A flag's value is not acceptable; the message names the flag and the value."""


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and exit 2, like ours.

    It also reads `-inf`, `-nan` and `-1e9` as (bad) values, not as unknown flags,
    so the error can name them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # argparse's own pattern knows only -1 and -1.5
        self._negative_number_matcher = re.compile(
            r"^-(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE
        )

    def error(self, message: str):
        raise UsageError(message)


def whole_number(low: int, high: int):
    """An argparse type: an integer from `low` to `high`."""

    def check(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            kind = "a positive integer" if low >= 1 else "an integer"
            raise argparse.ArgumentTypeError(f"must be {kind}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {text!r}")
        return value

    return check


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite positive number, got {text!r}")
    return value


def check_writable_dir(flag: str, folder: Path) -> None:
    """Raise UsageError unless `folder` exists as a writable folder or can be created."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{flag} {str(folder)!r} is not a folder")
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise UsageError(f"{flag} {str(folder)!r} cannot be created: {str(probe)!r} is a file")
    try:  # os.access says yes to root even on a read-only file system: try it
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as err:
        raise UsageError(f"{flag} {str(folder)!r} is not writable: {err.strerror}") from None


def add_flags(parser: argparse.ArgumentParser, settings) -> None:
    """One flag per field of the dataclass `settings`, its help the field's "why".

    ints are checked to lie between the field's `low` (default 1) and INT_LIMIT,
    floats to be finite and positive, strings against `choices`; a boolean with
    `off` is a flag that turns it off (`--no-gif`, helped by `off`), else one that
    turns it on.
    """
    for field in dataclasses.fields(settings):
        meta, default = field.metadata, field.default
        flag = meta.get("name", "--" + field.name.replace("_", "-"))
        shown = f"{meta['why']} (default {default})"
        if field.type == "bool":
            action, help = (
                ("store_false", meta["off"]) if "off" in meta else ("store_true", meta["why"])
            )
            parser.add_argument(flag, dest=field.name, action=action, help=help)
        elif field.type == "int":
            high = meta.get("high", INT_LIMIT)
            parser.add_argument(
                flag,
                dest=field.name,
                type=whole_number(meta.get("low", 1), high),
                default=default,
                help=shown,
            )
        elif field.type == "float":
            parser.add_argument(
                flag, dest=field.name, type=positive_number, default=default, help=shown
            )
        elif "choices" in meta:
            parser.add_argument(
                flag, dest=field.name, choices=meta["choices"], default=default, help=shown
            )
        else:  # a path
            help = meta["why"] if default is None else shown
            parser.add_argument(
                flag,
                dest=field.name,
                type=Path,
                default=default,
                metavar=meta.get("metavar"),
                help=help,
            )


def make_parser() -> Parser:
    parser = Parser(prog="sine-lstm", description="An LSTM learns cos x from sin x.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    train = sub.add_parser("train", help="train the demo; writes OUT/")
    add_flags(train, Config)
    train.add_argument("--quiet", action="store_true", help="no cost lines, no progress bar")
    add_backend_flag(train)
    speed = train.add_argument_group("speed switches (sine_lstm/speed; all on by default)")
    speed.add_argument(
        "--plain", action="store_true", help="all off: the textbook Keras path, same costs and GIF"
    )
    add_flags(speed, Switches)
    predict = sub.add_parser("predict", help="draw a saved model's fit over a fresh stretch")
    predict.add_argument(
        "--model",
        type=Path,
        default=Path("out/model.keras"),
        help="a model.keras written by train (default out/model.keras)",
    )
    predict.add_argument(
        "--png",
        type=Path,
        default=Path("out/predict.png"),
        help="where to draw the fit (default out/predict.png)",
    )
    predict.add_argument(
        "--start",
        type=whole_number(1, INT_LIMIT),
        default=1000,
        help="first batch of the stretch; past training's 200 (default 1000)",
    )
    predict.add_argument(
        "--batches",
        type=whole_number(1, INT_LIMIT),
        default=30,
        help="how many windows of the curve to draw (default 30)",
    )
    add_backend_flag(predict)
    return parser


BACKENDS = ("tensorflow", "jax", "torch")
NEEDS = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}  # backend → package


def add_backend_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default=None,
        help="Keras's backend (default: $KERAS_BACKEND, else tensorflow); "
        "jax and torch come with `make install-backends`",
    )


def choose_backend(flag: str | None) -> str:
    """The backend from --backend, else $KERAS_BACKEND, else tensorflow; set before Keras loads."""
    backend = flag or os.environ.get("KERAS_BACKEND") or "tensorflow"
    if backend not in BACKENDS:
        raise UsageError(f"KERAS_BACKEND {backend!r} is not one of {', '.join(BACKENDS)}")
    if importlib.util.find_spec(NEEDS[backend]) is None:
        raise UsageError(
            f"--backend {backend} needs the {NEEDS[backend]} package: run `make install-backends`"
        )
    if "keras" in sys.modules and os.environ.get("KERAS_BACKEND", "tensorflow") != backend:
        raise UsageError(f"--backend {backend}: Keras is already loaded with another backend")
    os.environ["KERAS_BACKEND"] = backend
    return backend


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse and check every flag; raise UsageError with one line if anything is off."""
    args = make_parser().parse_args(argv)
    args.backend = choose_backend(args.backend)
    if args.command == "train":
        check_writable_dir("--out", args.out)
        if args.gif_path is not None:
            if args.gif_path.is_dir():
                raise UsageError(f"--gif {str(args.gif_path)!r} is a folder, not a file")
            check_writable_dir("--gif", args.gif_path.parent)
    else:
        if args.model.is_dir():
            raise UsageError(f"--model {str(args.model)!r} is a folder, not a .keras file")
        if not args.model.is_file():
            raise UsageError(f"--model {str(args.model)!r} does not exist; run train first")
        if not is_keras_archive(args.model):
            raise UsageError(
                f"--model {str(args.model)!r} is not a .keras model "
                "(the zip archive that train writes as model.keras)"
            )
        if args.png.is_dir():
            raise UsageError(f"--png {str(args.png)!r} is a folder, not a file")
        check_writable_dir("--png", args.png.parent)
    return args


def is_keras_archive(path: Path) -> bool:
    """Is `path` a zip archive with the members `model.save` writes?"""
    try:
        with zipfile.ZipFile(path) as archive:
            return {"config.json", "model.weights.h5"} <= set(archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def config_from(args: argparse.Namespace) -> Config:
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(Config)}
    values["out"] = str(args.out)
    if args.gif_path is not None:
        values["gif_path"] = str(args.gif_path)
    return Config(**values)


def switches_from(args: argparse.Namespace) -> Switches:
    if args.plain:
        return PLAIN
    return Switches(**{f.name: getattr(args, f.name) for f in dataclasses.fields(Switches)})


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except UsageError as err:
        print(f"sine-lstm: error: {err}", file=sys.stderr)
        return USAGE_ERROR
    try:
        if args.command == "train":
            return run_train(config_from(args), switches_from(args), args.backend, args.quiet)
        return run_predict(args)
    except KeyboardInterrupt:  # Ctrl-C before training started, or a second one
        print("sine-lstm: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT


def run_train(config: Config, switches: Switches, backend: str, quiet: bool = False) -> int:
    """Train as `train(config)` does, with the speed switches around it; the exit status."""
    from sine_lstm import outlock, speed

    try:
        with outlock.hold(config.out), speed.session(switches, config, backend) as session:
            return _train(config, session, quiet)
    except outlock.Busy as err:
        print(f"sine-lstm: error: {err}", file=sys.stderr)
        return USAGE_ERROR


def _train(config: Config, session, quiet: bool) -> int:
    import_keras(around=session.imports(show=config.show))
    session.after_import()
    from sine_lstm.speed.painter import PainterError
    from sine_lstm.train import Diverged, Incomplete, train

    try:
        result = train(
            config,
            pictures=session.pictures,
            compile_options=session.compile_options(),
            extra_callbacks=session.callbacks(),
            verbose=not quiet,
        )
        session.finish()
    except PainterError as err:
        print(f"sine-lstm: error: {err}", file=sys.stderr)
        return 1
    except Diverged as err:
        print(f"sine-lstm: diverged: {err}", file=sys.stderr)
        return 1
    except Incomplete as err:
        print(f"sine-lstm: error: {err}; no model written", file=sys.stderr)
        return 1
    except OSError as err:  # e.g. the disk filled up, or a folder vanished mid-run
        print(
            f"sine-lstm: error: cannot write {err.filename or config.out}: {err.strerror}",
            file=sys.stderr,
        )
        return 1
    done = len(result.costs)
    if result.signum is not None:
        name = signal.Signals(result.signum).name
        print(
            f"sine-lstm: stopped by {name} after {done} of {config.total_steps} steps; "
            f"wrote {config.out}/ for those steps",
            file=sys.stderr,
        )
        return 128 + result.signum
    if not quiet:
        print(f"final cost (mean of the last 20 steps): {result.final_cost:.4f}")
        print(f"wrote {config.out}/")
    return 0


def run_predict(args: argparse.Namespace) -> int:
    import_keras()
    from sine_lstm.predict import predict_png

    try:
        predict_png(args.model, args.png, start=args.start, batches=args.batches)
    except (ValueError, TypeError, KeyError, OSError, zipfile.BadZipFile) as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        print(
            f"sine-lstm: error: --model {str(args.model)!r} cannot be used: {reason}",
            file=sys.stderr,
        )
        return USAGE_ERROR
    print(f"wrote {args.png}")
    return 0


def main_exit() -> None:
    """Entry point of the `sine-lstm` console script."""
    sys.exit(main())
