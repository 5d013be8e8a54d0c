"""Part 4 of the page, "What if": the trained model changed, with no retraining.

Pin any of f, i, o to a constant or leave it computed, zero units, or reset the state
at every window; each change runs `probe.Probe.run` on the stretch after training and
redraws its fit and cost at once. One button sets the post's f = 0, i = 1, o = 1.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial

import panel as pn

from sine_lstm.play import views
from sine_lstm.play.probe import GATES, POST_RNN, Probe, WhatIf

GATE_NAMES = {"i": "input gate i", "f": "forget gate f", "o": "output gate o"}
WAITING = "*(after training)*"


class WhatIfPart:
    """The what-if controls, text and figure of one tab; `refuse` shows a bad value."""

    def __init__(self, refuse: Callable[[str], None]):
        self.refuse, self.probe = refuse, None
        self.quiet = False  # while a button sets several controls at once
        self.pins = {
            gate: (
                pn.widgets.Checkbox(name=f"pin the {GATE_NAMES[gate]} to the value below"),
                pn.widgets.FloatSlider(
                    name=gate, start=0.0, end=1.0, step=0.05, value=0.5, width=300
                ),
            )
            for gate in GATES
        }
        self.zeroed = pn.widgets.CheckButtonGroup(name="zero units", options=[], value=[])
        self.reset = pn.widgets.Checkbox(name="reset the state at every window")
        self.post = pn.widgets.Button(
            name="f = 0, i = 1, o = 1 (the post's RNN)", button_type="warning", width=260
        )
        self.as_trained = pn.widgets.Button(name="as trained", width=110)
        self.text = pn.pane.Markdown(WAITING, **views.WIDE)
        self.figure, self.sources = views.what_if_figure()
        self.gated = [self.post, *itertools.chain(*self.pins.values())]  # LSTM only
        self.controls = [*self.gated, self.zeroed, self.reset, self.as_trained]
        for widget in self.controls:  # until a model is trained
            widget.disabled = True
        for box, slider in self.pins.values():
            box.param.watch(self.redraw, "value")
            slider.param.watch(partial(self.slide, box), "value")
        self.zeroed.param.watch(self.redraw, "value")
        self.reset.param.watch(self.redraw, "value")
        self.post.on_click(partial(self.preset, POST_RNN))
        self.as_trained.on_click(partial(self.preset, WhatIf()))

    def view(self) -> list:
        return [
            pn.FlexBox(*(pn.Column(box, slider, width=330) for box, slider in self.pins.values())),
            pn.FlexBox(pn.pane.Markdown("zero units:"), self.zeroed, self.reset),
            pn.Row(self.post, self.as_trained),
            self.text,
            pn.pane.Bokeh(self.figure, **views.WIDE),
        ]

    def open(self, probe: Probe) -> None:
        """A trained model to ask: the controls open, the fit as trained drawn."""
        self.probe, trained = probe, probe.trained
        self.zeroed.options = [str(u) for u in range(probe.config.cell_size)]
        for widget in self.controls:  # our RNN has no gates to pin
            widget.disabled = probe.config.cell != "lstm" and widget in self.gated
        self.sources["target"].data = views.windows(trained["x"], trained["target"])
        self.sources["trained"].data = views.windows(trained["x"], trained["fit"])
        self.figure.legend.items[1].label = {"value": views.trained_label(probe.config.cell)}
        self.preset(WhatIf())

    def close(self) -> None:
        """The tab is gone: its model can go."""
        self.probe = None

    def slide(self, box, event) -> None:
        """Moving a gate's slider pins that gate."""
        if box.value:
            self.redraw()
        else:
            box.value = True  # which redraws

    def preset(self, what: WhatIf, event=None) -> None:
        """Set every control to `what` (the post's RNN, or as trained), then redraw once."""
        with pn.io.hold():  # the controls and the fit: one message (served)
            self.quiet = True
            for gate, (box, slider) in self.pins.items():
                box.value = gate in what.pin
                slider.value = what.pin.get(gate, slider.value)
            self.zeroed.value = [str(u) for u in what.zeroed]
            self.reset.value = what.reset
            self.quiet = False
            self.redraw()

    def redraw(self, event=None) -> None:
        """The stretch under the controls' what-if: its fit and its cost, at once."""
        if self.quiet or self.probe is None:
            return
        pin = {gate: float(slider.value) for gate, (box, slider) in self.pins.items() if box.value}
        what = WhatIf(pin, tuple(int(u) for u in self.zeroed.value), bool(self.reset.value))
        try:
            out = self.probe.run(what)
        except ValueError as err:
            return self.refuse(str(err))
        with pn.io.hold():
            self.show(out)

    def show(self, out: dict) -> None:
        self.sources["changed"].data = views.windows(out["x"], out["fit"])
        self.text.object = (
            f"Cost on the stretch with this what-if: **{out['cost']:.4f}** "
            f"(as trained: {self.probe.trained['cost']:.4f})."
        )
