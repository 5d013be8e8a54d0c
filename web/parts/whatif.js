/* Part 4, What if: change the trained model with no retraining, and see it fit at once.

Pin a gate to a constant (the post's section 三: f = 0, i = 1, o = 1 make the LSTM a plain
RNN), silence units, or reset the state at every window; the model then runs over the
windows after training (SineProbe.probe), drawn over the model as trained, with both costs.
*/
const SineWhatIf = (() => {
  "use strict";

  const { red: RED, blue: BLUE, grey: GREY } = SinePlot.COLORS; // grey: the model as trained
  const POST = { f: 0, i: 1, o: 1 }; // the post's RNN
  const plot = new SinePlot.Plot(document.getElementById("whatif"));
  const unitsBox = document.getElementById("units");
  const reset = document.getElementById("reset");
  const costLine = document.getElementById("whatif-cost");
  const noGates = document.getElementById("whatif-rnn");
  const pins = Object.fromEntries(
    SineURL.PINS.map((gate) => [
      gate,
      {
        box: document.getElementById("pin-" + gate),
        slider: document.getElementById("pin-" + gate + "-value"),
        out: document.getElementById("pin-" + gate + "-out"),
      },
    ]),
  );

  for (const { slider } of Object.values(pins)) {
    Object.assign(slider, { min: SineURL.PIN.low, max: SineURL.PIN.high, step: SineURL.PIN.step });
  }

  let page = null; // the page's state: this part draws page.whatIf, and keeps no copy of it
  let model = null;
  let trained = null; // the model's probe as trained
  let changed = () => {}; // a what-if asked for by hand: the page keeps it and renders again

  /** The what-if the controls hold now: {pin: {gate: value}, zeroed: [units], reset}. */
  function fromControls() {
    const pin = {};
    for (const [gate, { box, slider }] of Object.entries(pins)) {
      if (box.checked) pin[gate] = Number(slider.value);
    }
    const zeroed = [...unitsBox.querySelectorAll("input:checked")].map((box) => Number(box.value));
    // a unit this model lacks (a link's, for the run it trains) stays asked for
    const lacking = page.whatIf.zeroed.filter((u) => !unitsBox.querySelector(`input[value="${u}"]`));
    return { pin, zeroed: [...zeroed, ...lacking].sort((a, b) => a - b), reset: reset.checked };
  }

  /** The controls as the page's what-if says, and the model under it. */
  function render() {
    const { pin, zeroed } = page.whatIf;
    for (const [gate, { box, slider, out }] of Object.entries(pins)) {
      box.checked = gate in pin;
      if (box.checked) slider.value = String(pin[gate]);
      out.textContent = slider.value;
    }
    for (const box of unitsBox.querySelectorAll("input"))
      box.checked = zeroed.includes(Number(box.value));
    reset.checked = page.whatIf.reset;
    redraw();
  }

  /** A new model: a box for each of its units, its probe as trained, and the what-if on it. */
  function show(newModel) {
    model = newModel;
    trained = SineProbe.probe(model, {});
    const units = model.settings.cell_size;
    unitsBox.replaceChildren(
      ...Array.from({ length: units }, (_, u) => {
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = String(u);
        label.append(box, document.createTextNode(String(u)));
        return label;
      }),
    );
    const lstm = model.settings.cell === "lstm";
    for (const { box, slider } of Object.values(pins)) {
      box.disabled = !lstm;
      slider.disabled = !lstm;
    }
    noGates.hidden = lstm;
    noGates.dataset.s = model.settings.cell === "rnn" ? "whatif_rnn" : "whatif_other";
    SineWords.put(noGates, noGates.dataset.s);
    document.getElementById("post").disabled = !lstm;
    render();
  }

  /** What this model is asked: the pins only if it has gates, the units it has. */
  function asked() {
    const { pin, zeroed, reset: resets } = page.whatIf;
    return {
      pin: model.settings.cell === "lstm" ? pin : {},
      zeroed: zeroed.filter((u) => u < model.settings.cell_size),
      reset: resets,
    };
  }

  /** The model under the what-if, drawn over the model as trained, and the two costs. */
  function redraw() {
    if (model === null) return;
    const whatIf = asked();
    const asTrained = !Object.keys(whatIf.pin).length && !whatIf.zeroed.length && !whatIf.reset;
    const probe = asTrained ? trained : SineProbe.probe(model, whatIf);
    const cost = probe.cost.toFixed(4);
    const trainedCost = trained.cost.toFixed(4);
    if (asTrained) SineWords.put(costLine, "whatif_same", { trained: trainedCost });
    else SineWords.put(costLine, "whatif_cost", { cost, trained: trainedCost });

    const { x, target } = probe;
    const T = model.settings.time_steps;
    const range = SineAxes.extent(target, trained.fit, probe.fit) || [-1, 1];
    const pad = 0.08 * (range[1] - range[0]);
    plot.axes({
      x: [x[0], x[x.length - 1]],
      y: [range[0] - pad, range[1] + pad],
      xLabel: SineWords.t("axis_stretch"),
      yLabel: SineWords.t("axis_cos"),
    });
    plot.line(x, target, { color: RED, width: 1.5 });
    windows(x, trained.fit, T, { color: GREY, width: 2.5 });
    windows(x, probe.fit, T, { color: BLUE, width: 1.5, dash: [5, 3] });
    SinePlot.legend(document.getElementById("whatif-legend"), [
      { text: SineWords.t("legend_target"), color: RED },
      { text: SineWords.t("legend_trained"), color: GREY },
      { text: SineWords.t("legend_changed"), color: BLUE, dash: true },
    ]);
  }

  /** A prediction, one line per window: each window starts from its own state. */
  function windows(x, fit, T, style) {
    for (let from = 0; from < fit.length; from += T) {
      plot.line(x.subarray(from, from + T), fit.subarray(from, from + T), style);
    }
  }

  /** `state`: the page's; `onChange(whatIf)`: a what-if asked for by hand or by a button. */
  function init(state, onChange) {
    page = state;
    changed = onChange;
    const byHand = () => changed(fromControls());
    for (const { box, slider } of Object.values(pins)) {
      box.addEventListener("change", byHand);
      slider.addEventListener("input", () => {
        box.checked = true; // moving a gate's slider pins it
        byHand();
      });
    }
    unitsBox.addEventListener("change", byHand);
    reset.addEventListener("change", byHand);
    const button = (id, whatIf) =>
      document.getElementById(id).addEventListener("click", () => changed(whatIf));
    button("post", { pin: { ...POST }, zeroed: [], reset: false });
    button("as-trained", { pin: {}, zeroed: [], reset: false });
  }

  return { init, show, render, redraw };
})();
