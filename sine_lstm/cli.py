"""The command line: flags made from `Config`, each checked before TensorFlow loads.

Bad input gets one line on stderr naming the flag and the value, and exit status 2.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import sys
import tempfile
from pathlib import Path

from sine_lstm.config import CELLS, INT_LIMIT, Config

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


def positive_int(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if not 1 <= value <= INT_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {INT_LIMIT}, got {text!r}")
    return value


def learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite positive number, got {text!r}")
    return value


def seed(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2**32-1, got {text!r}")
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


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    d = Config()
    parser.add_argument(
        "--steps",
        type=positive_int,
        default=d.steps,
        help=f"training steps (batches) per epoch (default {d.steps})",
    )
    parser.add_argument(
        "--batch-size",
        type=positive_int,
        default=d.batch_size,
        help=f"rows per batch (default {d.batch_size})",
    )
    parser.add_argument(
        "--time-steps",
        type=positive_int,
        default=d.time_steps,
        help=f"points per row, the unrolled length (default {d.time_steps})",
    )
    parser.add_argument(
        "--cell-size",
        type=positive_int,
        default=d.cell_size,
        help=f"LSTM units (default {d.cell_size})",
    )
    parser.add_argument(
        "--lr", type=learning_rate, default=d.lr, help=f"Adam learning rate (default {d.lr})"
    )
    parser.add_argument("--seed", type=seed, default=d.seed, help=f"random seed (default {d.seed})")
    parser.add_argument(
        "--epochs",
        type=positive_int,
        default=d.epochs,
        help="passes over the steps; the state is reset at each (default 1)",
    )
    parser.add_argument(
        "--cell",
        choices=CELLS,
        default=d.cell,
        help="lstm: ours; rnn: our vanilla RNN; keras: keras.layers.LSTMCell",
    )
    parser.add_argument(
        "--steps-per-call",
        type=positive_int,
        default=d.steps_per_call,
        help=f"training steps per compiled call; Ctrl-C stops after the current call "
        f"(default {d.steps_per_call})",
    )
    parser.add_argument(
        "--stateless",
        dest="stateful",
        action="store_false",
        help="reset the state at every batch instead of carrying it over",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(d.out), help=f"output folder (default {d.out})"
    )
    parser.add_argument(
        "--gif",
        dest="gif_path",
        type=Path,
        default=None,
        metavar="PATH",
        help="where to write the GIF (default OUT/sine_lstm.gif)",
    )
    parser.add_argument("--no-gif", dest="gif", action="store_false", help="skip the GIF")
    parser.add_argument(
        "--fps", type=positive_int, default=d.fps, help=f"GIF frames per second (default {d.fps})"
    )
    parser.add_argument(
        "--max-frames",
        type=positive_int,
        default=d.max_frames,
        help=f"at most this many GIF frames (default {d.max_frames})",
    )
    parser.add_argument(
        "--show", action="store_true", help="a live window that updates during training"
    )
    parser.add_argument("--quiet", action="store_true", help="no cost lines, no progress bar")


def make_parser() -> Parser:
    parser = Parser(prog="sine-lstm", description="An LSTM learns cos x from sin x.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    add_config_flags(sub.add_parser("train", help="train the demo; writes OUT/"))
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
        type=positive_int,
        default=1000,
        help="first batch of the stretch; past training's 200 (default 1000)",
    )
    predict.add_argument(
        "--batches",
        type=positive_int,
        default=30,
        help="how many windows of the curve to draw (default 30)",
    )
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse and check every flag; raise UsageError with one line if anything is off."""
    args = make_parser().parse_args(argv)
    if args.command == "train":
        check_writable_dir("--out", args.out)
        if args.gif_path is not None:
            if args.gif_path.is_dir():
                raise UsageError(f"--gif {str(args.gif_path)!r} is a folder, not a file")
            check_writable_dir("--gif", args.gif_path.parent)
    else:
        if not args.model.is_file():
            raise UsageError(f"--model {str(args.model)!r} does not exist; run train first")
        check_writable_dir("--png", args.png.parent)
    return args


def config_from(args: argparse.Namespace) -> Config:
    fields = Config.__dataclass_fields__
    values = {k: v for k, v in vars(args).items() if k in fields}
    values["out"] = str(args.out)
    if args.gif_path is not None:
        values["gif_path"] = str(args.gif_path)
    return Config(**values)


def quiet_tensorflow(without_matplotlib: bool = False) -> None:
    """Import TensorFlow and Keras with TensorFlow's start-up chatter hidden (shown if it fails).

    TensorFlow 2.21 prints absl lines before its logging is set up, whatever
    TF_CPP_MIN_LOG_LEVEL says.

    Args:
        without_matplotlib: keep Keras from importing matplotlib.pyplot at start-up
            (for two image-gallery helpers we never call; a few tenths of a
            second) when the pictures are drawn in another process. Importing
            matplotlib later works as usual.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            blocked = without_matplotlib and "matplotlib" not in sys.modules
            if blocked:
                sys.modules["matplotlib"] = None  # `import matplotlib` raises ImportError
            try:
                import keras  # noqa: F401  (imports TensorFlow)
                import tensorflow as tf
            finally:
                if blocked:
                    del sys.modules["matplotlib"]

            # The matrices are 50 × 40: threads cost more to wake than they save.
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
            tf.config.list_physical_devices()  # probes for a GPU now, while quiet
        except BaseException:
            os.dup2(saved, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except UsageError as err:
        print(f"sine-lstm: error: {err}", file=sys.stderr)
        return USAGE_ERROR
    try:
        if args.command == "train":
            return run_train(config_from(args), quiet=args.quiet)
        return run_predict(args)
    except KeyboardInterrupt:  # Ctrl-C before training started, or a second one
        print("sine-lstm: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT


def run_train(config: Config, quiet: bool = False) -> int:
    from sine_lstm.compile_cache import CompileCache, root

    painter = start_painter(config)  # first: it imports matplotlib while we load TensorFlow
    try:
        with CompileCache(root()) as cache:  # before TensorFlow reads TF_XLA_FLAGS
            if cache.active:
                # TensorFlow logs two bogus error lines whenever it loads a cached program.
                os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
            return _train(config, quiet, painter)
    finally:
        if painter is not None:
            painter.close()


def start_painter(config: Config):
    """A `painter.Painter` for the GIF and the pictures, or None to draw them here."""
    if not config.gif:
        return None
    from sine_lstm.painter import Painter

    gif_path = config.gif_path or Path(config.out) / "sine_lstm.gif"
    try:
        return Painter(gif_path, config.out, config.fps, config.max_frames)
    except OSError:
        return None


def _train(config: Config, quiet: bool, painter) -> int:
    # With a painter, matplotlib is only needed here for the live window (--show).
    quiet_tensorflow(without_matplotlib=painter is not None and not config.show)
    from sine_lstm.painter import PainterError
    from sine_lstm.train import Diverged, Incomplete, train

    try:
        result = train(config, verbose=not quiet, painter=painter)
        if painter is not None:
            painter.wait()
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
    quiet_tensorflow()
    import zipfile

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
