"""The playground page: Train, Scrub, Gates and What if, as Panel widgets over Bokeh figures.

One `Page` per browser tab (or notebook cell). Its values pass `session.settings` (the
CLI's checks); Train queues a `session.Run` on the one `Worker`, whose events come back
here on the thread that owns the page (`notify`: on a server, Bokeh's thread-safe
`add_next_tick_callback`; in a notebook, the event loop of the thread the kernel hands
the page's clicks to) and are drawn by streaming the new windows into the figures of
`views.py`.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from functools import partial

import keras
import numpy as np
import panel as pn

from sine_lstm import data, plots
from sine_lstm.checks import UsageError
from sine_lstm.config import Config
from sine_lstm.play import views
from sine_lstm.play.session import FIELDS, Event, Run, Worker, command, cost_lines, settings
from sine_lstm.play.what_if import WAITING, WhatIfPart

TABS = itertools.count(1)  # numbers the tabs in the server's log
CELLS = {"our LSTM": "lstm", "our vanilla RNN": "rnn"}
INTRO = """# An LSTM learns cos x from sin x: the playground
Train the post's LSTM here, watch it fit, scrub through its steps, look at its gates, and ask
the trained model *what if*. Every number is the one `sine-lstm train` prints for the same
settings: the page runs the project's own `train()`, cell and record."""


def log(line: str) -> None:
    """One line in the server's log (in a notebook, under the cell)."""
    print(f"sine-lstm play: {line}", file=sys.stderr, flush=True)


class Page:
    """One tab: its controls, its figures, and the run it last asked for."""

    def __init__(self, worker: Worker):
        self.worker, self.tab, self.doc = worker, next(TABS), pn.state.curdoc
        served = self.doc is not None and self.doc.session_context is not None
        self.loop = None if served else asyncio.get_running_loop()  # a notebook's; see notify
        self.run: Run | None = None
        self.inputs = {
            name: pn.widgets.TextInput(
                name=f"{word} ({flag})", value=str(getattr(Config, name)), width=160
            )
            for name, (word, flag) in FIELDS.items()
            if name != "cell"
        }
        self.cell = pn.widgets.Select(name="cell (--cell)", options=CELLS, width=160)
        self.stateful = pn.widgets.Checkbox(name="carry the state from batch to batch", value=True)
        self.xla = pn.widgets.Checkbox(  # JAX always compiles with XLA; PyTorch never does
            name="XLA (--xla): 2x faster steps, rounded a little differently",
            value=True,
            visible=keras.backend.backend() == "tensorflow",
        )
        self.train_button = pn.widgets.Button(name="Train", button_type="primary", width=110)
        self.stop_button = pn.widgets.Button(name="Stop", width=80, disabled=True)
        self.error = pn.pane.Alert("", alert_type="danger", visible=False, **views.WIDE)
        self.status = pn.pane.Markdown("Press **Train**.", **views.WIDE)
        self.caption = pn.pane.Markdown("step –", width=640, css_classes=["caption"])
        self.cli = pn.pane.Str("", max_height=240, styles={"overflow-y": "auto"}, **views.WIDE)
        self.fit_fig, self.target_src, self.fit_src = views.fit_figure("lstm")
        self.cost_fig, self.cost_src, self.marker = views.cost_figure()
        self.slider = pn.widgets.IntSlider(
            name="step", start=0, end=1, value=0, disabled=True, **views.WIDE
        )
        self.model = pn.pane.Markdown(WAITING, **views.WIDE)  # which model 3 and 4 ask
        self.gates = pn.pane.Bokeh(visible=False, **views.WIDE)  # a figure for each trained model
        self.what = WhatIfPart(refuse=self.refuse)
        self.wire()
        self.clear(settings({}))  # the axes of a run with the defaults

    def wire(self) -> None:
        self.train_button.on_click(self.train)
        self.stop_button.on_click(self.stop)
        self.slider.param.watch(self.scrub, "value")
        if self.loop is None:  # a notebook's cell has no session to end
            pn.state.on_session_destroyed(self.closed)

    def view(self) -> pn.Column:
        controls = list(self.inputs.values())
        return pn.Column(
            pn.pane.Markdown(INTRO, **views.WIDE),
            pn.pane.Markdown("## 1. Train"),
            pn.FlexBox(self.inputs["lr"], self.inputs["steps"], self.cell, self.inputs["seed"]),
            pn.FlexBox(*controls[3:], pn.Column(self.stateful, self.xla)),
            pn.Row(self.train_button, self.stop_button),
            self.error,
            self.status,
            pn.FlexBox(  # side by side where they fit, one under the other in a notebook
                pn.Column(self.caption, pn.pane.Bokeh(self.fit_fig)),
                pn.Column(pn.pane.Bokeh(self.cost_fig)),
            ),
            pn.pane.Markdown("What the same run prints on the command line:"),
            self.cli,
            pn.pane.Markdown(
                "## 2. Scrub\nAfter training, move **step** to see the fit the "
                "model drew at that step, and that step's cost: the GIF, by hand."
            ),
            self.slider,
            pn.pane.Markdown(
                "## 3. Gates\nThe trained model on the 50 windows after training, "
                "the state carried: each unit's gates, cell state and output."
            ),
            self.model,
            self.gates,
            pn.pane.Markdown(
                "## 4. What if\nChange the trained model, with no retraining: pin "
                "a gate, silence a unit, or forget the state at every window."
            ),
            *self.what.view(),
            max_width=1100,  # as wide as a notebook's cell, up to this
            **views.WIDE,
        )

    # ----- 1. Train
    def train(self, event=None) -> None:
        values = {name: widget.value for name, widget in self.inputs.items()}
        try:
            xla = self.xla.value and self.xla.visible
            config = settings({**values, "cell": self.cell.value}, self.stateful.value, xla)
        except UsageError as err:
            return self.refuse(str(err))
        if self.run is not None:
            self.run.stopped = True  # a new press replaces this tab's last run
        if self.loop is not None:  # a notebook: this run's events go where its clicks come
            self.loop = asyncio._get_running_loop() or self.loop
        self.run = Run(config, notify=None)
        self.run.notify = partial(self.notify, self.run)  # events name the run they are about
        self.worker.submit(self.run)  # first: its events wait for this callback to end
        with pn.io.hold():  # every change below reaches the browser as one message (served)
            self.error.visible = False
            self.clear(config)
            self.status.object = "**Queued**"
            self.stop_button.disabled = False

    def stop(self, event=None) -> None:
        if self.run is not None:
            self.run.stopped = True
            self.status.object = "Stopped."
            self.stop_button.disabled = True

    def refuse(self, message: str) -> None:
        """Bad input: one message on the page, one line in the log; nothing runs."""
        self.error.param.update(object=message, alert_type="danger", visible=True)
        log(f"tab {self.tab}: refused: {message}")

    def notify(self, run: Run, event: Event) -> None:
        """From any thread: handle `event` on this tab's document, in its own turn; in a
        notebook, on the thread its clicks came on (JupyterLab may hand them to a kernel
        subshell, and changes sent from two threads at once garble the page's messages)."""
        try:
            if self.loop is None:
                self.doc.add_next_tick_callback(partial(self.apply, run, event))
            else:
                self.loop.call_soon_threadsafe(self.apply, run, event)
        except Exception:  # the tab, or its subshell, has closed: nobody to tell
            run.stopped = True

    def apply(self, run: Run, event: Event) -> None:
        if run is not self.run:
            return  # a run this tab has replaced
        with pn.io.hold():  # the changes of one event reach the browser as one message (served)
            self.show(event)

    def show(self, event: Event) -> None:
        if event.kind == "queued":
            ahead = {0: "next", 1: "1 run ahead of yours"}.get(event.ahead)
            ahead = ahead or f"{event.ahead} runs ahead of yours"
            self.status.object = f"**Queued** ({ahead}): one run trains at a time."
        elif event.kind == "started":
            before = " Parts 3 and 4 ask the last model until this one is trained."
            self.status.object = "**Training…**" + (before if self.what.probe else "")
        elif event.kind == "progress":
            self.add_steps(event)
        elif event.kind == "done":
            self.finish(event)
        else:  # failed: diverged, stopped, or an error; the message says which
            kind = event.message.split(":")[0]
            self.status.object = f"**{kind[0].upper()}{kind[1:]}.**"
            self.error.param.update(object=event.message, alert_type="warning", visible=True)
            diverged = event.message.startswith("diverged")  # the CLI's stderr line
            self.print_cli(f"sine-lstm: {event.message}" if diverged else None)
            self.stop_button.disabled = True
            log(f"tab {self.tab}: {event.message}")

    def clear(self, config: Config) -> None:
        """Empty figures for a new run, the x axis on its first view (as the GIF's)."""
        self.config, self.done = config, 0
        self.steps = {"x": [], "target": [], "pred": []}
        self.costs = np.zeros(0)
        self.starts = plots.view_starts(config.total_steps)
        self.view_start = None
        self.set_view(0)
        empty = views.windows(np.zeros((0, 2)), np.zeros((0, 2)))
        self.target_src.data, self.fit_src.data = dict(empty), dict(empty)
        self.cost_src.data = {"step": [], "cost": []}
        self.cost_fig.x_range.start, self.cost_fig.x_range.end = 0, config.total_steps
        self.marker.visible = False
        self.caption.object = "step –"
        self.cli.object = f"$ {command(config)}\n"
        self.slider.disabled = True
        self.fit_fig.legend.items[1].label = {"value": plots.prediction_label(config.cell)}
        # the gates and the what-if keep the last trained model until this one is: to hide
        # them would cost the browser more than the training run

    def add_steps(self, event: Event) -> None:
        """Live drawing: the new windows onto the fit, the new costs onto the cost curve."""
        for name in self.steps:
            self.steps[name].append(getattr(event, name))
        first, self.costs = event.first, event.costs
        self.done = len(self.costs)
        last = self.done - 1
        start = plots.view_of(last, self.starts)
        if start != self.view_start:  # the axis jumps on: draw the view whole
            self.draw_windows(start, last)
        else:
            self.target_src.stream(views.windows(event.x, event.target))
            self.fit_src.stream(views.windows(event.x[:, :-1], event.pred))
        self.cost_src.stream({"step": np.arange(first, self.done), "cost": self.costs[first:]})
        self.caption.object = in_lines(f"step {last}   cost {self.costs[last]:.4f}")

    def print_cli(self, last: str | None) -> None:
        """What `sine-lstm train` prints for this run: its cost lines, then `last`, if any.

        Written once the run ends: a text that changes every tenth of a second costs
        the browser more than the figures.
        """
        lines = [f"$ {command(self.config)}", *cost_lines(self.costs), *([last] if last else [])]
        self.cli.object = "\n".join(lines)

    def draw_windows(self, start: int, last: int) -> None:
        """The fit figure holds steps start … last, its x axis on their view."""
        x, target, pred = (np.concatenate(self.steps[n])[start : last + 1] for n in self.steps)
        self.target_src.data = views.windows(x, target)
        self.fit_src.data = views.windows(x[:, :-1], pred)
        self.set_view(start)

    def set_view(self, start: int) -> None:
        """The fit's x axis on the windows of the view from `start` (`plots.view_starts`)."""
        if start == self.view_start:
            return
        t, steps = self.config.time_steps, self.config.total_steps
        stop = min(start + plots.VIEW, steps)
        self.fit_fig.x_range.start = float(data.batch(start, 1, t)[0].min())
        self.fit_fig.x_range.end = float(data.batch(stop, 1, t)[0].min())  # the last window's end
        self.fit_fig.xaxis.axis_label = plots.x_label(start, steps)
        self.view_start = start

    def finish(self, event: Event) -> None:
        """Training is over: the scrub slider, the gates and the what-if open."""
        self.costs, last = event.costs, len(event.costs) - 1
        self.steps = {"x": [event.x], "target": [event.target], "pred": [event.pred]}
        final = f"final cost (mean of the last 20 steps): {event.final:.4f}"  # the CLI's line
        self.status.object = f"**Done**: {len(self.costs)} steps in {event.seconds:.2f} s. {final}"
        self.print_cli(final)
        self.stop_button.disabled = True
        self.slider.param.update(end=max(last, 1), value=last, disabled=False)
        self.show_step(last)
        trained = f"{len(self.costs)} steps, final cost {event.final:.4f}"
        self.model.object = f"The model of `{command(event.probe.config)}` ({trained}):"
        self.gates.object = views.gates_figure(event.probe.trained)
        self.gates.visible = True
        self.what.open(event.probe)

    # ----- 2. Scrub
    def scrub(self, event) -> None:
        with pn.io.hold():
            self.show_step(event.new)

    def show_step(self, step: int) -> None:
        """The fit as it stood at `step`, the windows of its view up to it, and its cost."""
        if self.slider.disabled or step >= len(self.costs):
            return
        self.draw_windows(plots.view_of(step, self.starts), step)
        self.caption.object = in_lines(plots.caption(step, self.costs))
        self.marker.location, self.marker.visible = step, True

    def closed(self, session_context) -> None:
        if self.run is not None:
            self.run.stopped = True  # a queued run is skipped, a running one stops
        self.what.close()


def in_lines(caption: str) -> str:
    """A GIF caption as Markdown: its gaps kept, its lines apart."""
    return caption.replace("   ", "&nbsp;&nbsp;&nbsp;").replace("\n", "  \n")


def page(worker: Worker) -> pn.Column:
    """A new tab's page (Panel calls this once per browser session)."""
    return Page(worker).view()
