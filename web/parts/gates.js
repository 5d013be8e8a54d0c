/* Part 3, Gates: what each unit of the model does over the windows after training (figure 5).

On top, the input sin x and the target cos x, the rising half of each period (cos x > 0)
shaded green and the falling half purple: the same sin x comes once in each, and only the
state can tell them apart. Below, one heat map for each of i, f, o, c and h (the vanilla RNN
has only h): a row per unit, a column per point of the curve.
*/
const SineGates = (() => {
  "use strict";

  const { red: RED, blue: BLUE } = SinePlot.COLORS;
  const RISING = "rgba(44, 160, 44, 0.14)";
  const FALLING = "rgba(148, 103, 189, 0.18)";
  const NAMES = ["i", "f", "o", "c", "z", "r", "h"]; // those the model's cell has, in this order
  const MARGIN = { left: 52, right: 64 }; // the same for every plot, so their x axes line up
  const wave = new SinePlot.Plot(document.getElementById("wave"), { ...MARGIN, bottom: 8 });
  const heatBox = document.getElementById("heat");
  const intro = document.getElementById("gates-intro");

  let probe = null; // SineProbe.probe of the model as trained
  let settings = null;
  let heats = []; // [{name, plot}] one canvas per trace

  /** The x between points j and j + 1 wherever cos x changes sign: where sin x turns. */
  function turns(x, cos) {
    const out = [];
    for (let j = 0; j + 1 < x.length; j++) {
      if (cos[j] > 0 !== cos[j + 1] > 0) out.push((x[j] + x[j + 1]) / 2);
    }
    return out;
  }

  /** The model changed: ask it once, and make a canvas for each trace it has. */
  function show(model) {
    settings = model.settings;
    probe = SineProbe.probe(model, {});
    const names = NAMES.filter((name) => name in probe.traces);
    const units = settings.cell_size;
    const rows = units <= 12 ? 13 * units : 156; // many units share the height
    heats = names.map((name, k) => {
      const bottom = k === names.length - 1 ? 40 : 6; // the last map carries the x axis
      const canvas = document.createElement("canvas");
      canvas.className = "heat";
      canvas.style.height = 22 + rows + bottom + "px";
      return { name, canvas, plot: new SinePlot.Plot(canvas, { ...MARGIN, top: 22, bottom }) };
    });
    heatBox.replaceChildren(...heats.map((heat) => heat.canvas));
    redraw();
  }

  function redraw() {
    if (probe === null) return;
    const key = { lstm: "gates_intro", rnn: "gates_rnn" }[settings.cell] ?? "gates_other";
    SineWords.put(intro, key, {
      windows: settings.batch_size,
      cell: SineWords.t("cell_" + settings.cell),
    });
    SinePlot.legend(document.getElementById("wave-legend"), [
      { text: SineWords.t("legend_sin"), color: BLUE },
      { text: SineWords.t("legend_cos"), color: RED, dash: true },
      { text: SineWords.t("legend_rising"), fill: RISING },
      { text: SineWords.t("legend_falling"), fill: FALLING },
    ]);
    const { x } = probe;
    const dx = x.length > 1 ? x[1] - x[0] : 1 / (10 * Math.PI); // one point: data.py's spacing
    const range = [x[0] - dx / 2, x[x.length - 1] + dx / 2];
    const sin = x.map(Math.sin);
    const cos = x.map(Math.cos);
    const turning = turns(x, cos);

    wave.axes({ x: range, y: [-1.15, 1.15], yTicks: [-1, 0, 1], noXTicks: true });
    // the halves: from each turn to the next, shaded by the sign of cos x there
    const edges = [range[0], ...turning, range[1]];
    for (let k = 0; k + 1 < edges.length; k++) {
      const middle = (edges[k] + edges[k + 1]) / 2;
      wave.band(edges[k], edges[k + 1], Math.cos(middle) > 0 ? RISING : FALLING);
    }
    wave.line(x, sin, { color: BLUE, width: 1.5 });
    wave.line(x, cos, { color: RED, width: 1.5, dash: [5, 3] });

    const shown = probe;
    SineLater(...heats.map((heat) => () => probe === shown && drawHeat(heat, range, turning)));
  }

  function drawHeat({ name, plot }, range, turning) {
    const trace = probe.traces[name]; // (points·units), [point][unit]
    const units = settings.cell_size;
    const points = trace.length / units;
    const rows = new Float64Array(trace.length); // (units·points): a row per unit
    for (let p = 0; p < points; p++) {
      for (let u = 0; u < units; u++) rows[u * points + p] = trace[p * units + u];
    }
    const isGate = name !== "c" && name !== "h";
    const extent = SineAxes.extent(rows) || [0, 0];
    const limit = Math.max(Math.abs(extent[0]), Math.abs(extent[1]), 1e-6);
    // gates live in (0, 1); c and h swing about 0, white there
    const color = isGate ? SineHeat.viridis : (v) => SineHeat.blueRed((v / limit + 1) / 2);
    const last = heats[heats.length - 1].plot === plot;
    plot.axes({
      x: range,
      y: [0, 1],
      yTicks: [],
      noXTicks: !last,
      xLabel: last ? SineWords.t("axis_stretch") : "",
      yLabel: SineWords.t("axis_unit"),
    });
    SineHeat.draw(plot, rows, units, points, range[0], range[1], color);
    SineHeat.rowLabels(
      plot,
      Array.from({ length: units }, (_, u) => String(u)),
    );
    for (const at of turning) plot.vline(at, { color: "#222", width: 1, dash: [2, 3] });
    SineHeat.colorBar(plot, isGate ? 0 : -limit, isGate ? 1 : limit, color);
    plot.title(SineWords.t("gate_" + name));
  }

  return { show, redraw };
})();
