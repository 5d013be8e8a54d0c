"""What one browser tab asks for, and the queue that trains it: no web code here.

A tab's values become the flags of `sine-lstm train` and pass the command line's own
checks (`settings`), so the page and the CLI refuse the same things with the same
words. A `Run` is one press of Train: `Worker` runs them one at a time, in the order
asked (Keras's seed is global, so two runs at once would draw each other's weights),
through the project's `train()`; its `Live` callback hands the page each step the
training step recorded. The page learns what happened from events given to the
`notify` function it supplied (called from the training thread).
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from sine_lstm import checks, cli
from sine_lstm import train as lesson
from sine_lstm.callbacks import cost_line, first_divergence
from sine_lstm.config import Config
from sine_lstm.play.probe import Probe
from sine_lstm.record import recorded
from sine_lstm.train import Diverged, Incomplete, train

# The page's fields: Config field -> (the learner's word, the flag of `sine-lstm train`).
FIELDS = {
    "lr": ("learning rate", "--lr"),
    "steps": ("steps", "--steps"),
    "cell": ("cell", "--cell"),
    "seed": ("seed", "--seed"),
    "cell_size": ("cell size", "--cell-size"),
    "forget_bias": ("forget bias", "--forget-bias"),
    "time_steps": ("time steps", "--time-steps"),
    "batch_size": ("batch size", "--batch-size"),
}


def settings(values: dict, stateful: bool = True, xla: bool = False) -> Config:
    """The Config for a tab's values (text as typed), checked as the CLI checks its flags.

    Raises UsageError with one line naming the field, e.g. "learning rate (--lr):
    must be a finite positive number, got 'nan'".
    """
    argv = ["train", *(f"{FIELDS[name][1]}={value}" for name, value in values.items())]
    argv += switches(stateful, xla)
    try:
        args = cli.make_parser().parse_args(argv)
        args.backend = keras.backend.backend()  # the server's
        checks.check_network(args, {f.name: f.default for f in dataclasses.fields(Config)})
    except checks.UsageError as err:
        raise checks.UsageError(in_words(str(err))) from None
    return cli.config_from(args).replace(gif=False)


def in_words(message: str) -> str:
    """A CLI message with the field's name in front of its flag."""
    message = message.removeprefix("argument ")
    for word, flag in FIELDS.values():
        if message.startswith((f"{flag}: ", f"{flag} ")):
            return f"{word} ({flag}){message[len(flag) :]}"
    return message


def command(config: Config) -> str:
    """The `sine-lstm train` command that prints the same costs (the flags not at default)."""
    flags = [
        f"{flag} {getattr(config, name)}"
        for name, (_, flag) in FIELDS.items()
        if getattr(config, name) != getattr(Config, name)
    ]
    return " ".join(["sine-lstm train", *flags, *switches(config.stateful, config.xla)])


def switches(stateful: bool, xla: bool) -> list[str]:
    """The page's two checkboxes as the flags of `sine-lstm train`."""
    return [*([] if stateful else ["--stateless"]), *(["--xla"] if xla else [])]


def cost_lines(costs: np.ndarray, every: int = 20) -> list[str]:
    """The lines `sine-lstm train` prints for these costs (`callbacks.CostPrinter`'s)."""
    return [cost_line(c) for c in costs[::every]]


@dataclass
class Event:
    """What the page hears about its run: kind is queued, started, progress, done or failed."""

    kind: str
    ahead: int = 0  # queued: runs before this one
    first: int = 0  # progress: the first step in the arrays below
    x: np.ndarray | None = None  # (steps, time + 1) row 0's x, as `recorded` gives it
    target: np.ndarray | None = None  # (steps, time + 1)
    pred: np.ndarray | None = None  # (steps, time)
    costs: np.ndarray | None = None  # (steps,) every cost so far (progress) or in all (done)
    probe: Probe | None = None  # done: the trained model, for the gates and the what-if
    message: str = ""  # failed: why, in one line
    seconds: float = 0.0  # done or failed: from the start of training
    final: float = 0.0  # done: the final cost, `Result.final_cost` (the CLI's last line)


class Live(keras.callbacks.Callback):
    """A `train(watch=…)` callback: every step recorded since it last sent, to the page.

    `train` sets `self.record`; Keras calls this every `steps_per_call` steps. It sends
    its first steps at once, then at most every `every` seconds, and the last step: ten
    pictures a second, as the GIF's, are as many as a browser draws while it trains. Steps from a
    divergence on are not sent: nothing after it means anything (as `CostPrinter`).
    """

    def __init__(self, run: Run, every: float = 0.1):
        super().__init__()
        self.run, self.sent, self.every, self.last = run, 0, every, -every  # the first: at once

    def on_train_batch_end(self, batch, logs=None):
        self.model  # noqa: B018  (on JAX, this brings the record back from the training step)
        costs = self.record.cost_history()
        diverged = first_divergence(costs)
        done = len(costs) if diverged is None else diverged
        due = time.perf_counter() - self.last >= self.every or done < len(costs) or self.run.stopped
        if done > self.sent and (due or done == self.run.config.total_steps):
            self.last = time.perf_counter()
            x, target, pred, _ = recorded(self.record, self.run.config)
            new = slice(self.sent, done)
            self.run.notify(
                Event(
                    "progress",
                    first=self.sent,
                    x=x[new],
                    target=target[new],
                    pred=pred[new],
                    costs=costs[:done],
                )
            )
            self.sent = done
        if self.run.stopped:
            self.model.stop_training = True


@dataclass(eq=False)
class Run:
    """One press of Train in one tab: its settings, and where to tell the page."""

    config: Config
    notify: Callable[[Event], None]  # called from the training thread
    stopped: bool = False  # Stop pressed, or the tab closed


class Worker:
    """Trains the tabs' runs one at a time, in the order asked, on the thread that calls `work`.

    The server calls `work` on its main thread, where `train()` sets its Ctrl-C handler;
    a notebook, on a thread of its own (`notebook.inline`).
    """

    def __init__(self, keep: int = 4):
        self.jobs: queue.Queue[Run] = queue.Queue()
        self.waiting: list[Run] = []  # asked, not started
        self.running: Run | None = None
        self.lock = threading.Lock()
        self.warm: dict[tuple, object] = {}  # train.shapes -> the last Result of those shapes
        self.keep = keep
        self.signum: int | None = None  # a signal that stopped training: the server stops

    def submit(self, run: Run) -> None:
        with self.lock:  # told inside it, so that a later count cannot arrive first
            ahead = sum(not r.stopped for r in self.waiting) + (self.running is not None)
            self.waiting.append(run)
            tell(run, Event("queued", ahead=ahead))
        self.jobs.put(run)

    def ahead(self) -> None:
        """Tell every waiting run how many runs are before it."""
        with self.lock:
            waiting = [run for run in self.waiting if not run.stopped]
            for ahead, run in enumerate(waiting, start=self.running is not None):
                tell(run, Event("queued", ahead=ahead))

    def work(self, until: Callable[[], bool], poll: float = 0.2) -> None:
        """Run the queue until `until()` (asked every `poll` s) or a signal stops a run."""
        while not until() and self.signum is None:
            try:
                run = self.jobs.get(timeout=poll)
            except queue.Empty:
                continue
            with self.lock:
                self.waiting.remove(run)
                self.running = None if run.stopped else run
            self.ahead()
            if not run.stopped:
                self.train(run)
            with self.lock:
                self.running = None

    def train(self, run: Run) -> None:
        """Train `run` with the project's `train()`, telling its page as it goes."""
        config, live = run.config, Live(run)
        key = lesson.shapes(config)
        tell(run, Event("started"))
        start = time.perf_counter()
        try:
            warm = self.warm.get(key)  # a compiled model of these shapes, if any
            result = train(config, verbose=False, save=False, watch=[live], warm=warm)
            seconds = elapsed(start)
            self.signum = result.signum
            self.keep_warm(key, result)
            if result.signum is None:
                x, target, pred, costs = recorded(result.record, config)
                probe = Probe(result.model, config)  # a copy: the next run may retrain it
        except Diverged as err:  # the CLI's words: "diverged: cost blew up to …"
            tell(run, Event("failed", message=f"diverged: {err}", seconds=elapsed(start)))
            return
        except Incomplete:
            tell(
                run,
                Event("failed", message=f"stopped after {live.sent} steps", seconds=elapsed(start)),
            )
            return
        except Exception as err:  # the page says so, in one line; the server goes on
            tell(run, Event("failed", message=f"{type(err).__name__}: {err}".splitlines()[0]))
            return
        if result.signum is None:
            done = {"x": x, "target": target, "pred": pred, "costs": costs, "probe": probe}
            tell(run, Event("done", **done, seconds=seconds, final=result.final_cost))

    def keep_warm(self, key: tuple, result) -> None:
        """Keep `result` as the compiled model for its shapes: at most `keep`, the oldest go."""
        self.warm.pop(key, None)
        self.warm[key] = result
        while len(self.warm) > self.keep:
            self.warm.pop(next(iter(self.warm)))


def tell(run: Run, event: Event) -> None:
    """`run.notify(event)`: a page that can no longer hear stops its run, not the worker."""
    try:
        run.notify(event)
    except Exception:
        run.stopped = True


def elapsed(start: float) -> float:
    return time.perf_counter() - start
