/* Part 6, How far back: the post's claim at work, live for the run.

The post (section 二) says an error sent back n steps is multiplied n times, so a plain RNN
forgets what lies far back, and that the LSTM's gates keep it. On the left, measured on the
model as it trains: how much of the last step's prediction reaches h n steps back
(SineModel.sentBack, row 0), beside 0.9ⁿ. On the right, for every run of the remember task
on this page: its final cost over what remembering nothing costs, against its lag, a colour
per cell. Three buttons train the experiment that shows it.
*/
const SineHowFar = (() => {
  "use strict";

  const { blue: BLUE, red: RED, grey: GREY } = SinePlot.COLORS;
  const PURPLE = "#7b4fa0";
  // a colour for each kind of run (a cell, and its forget bias where it has one), in turn
  const PALETTE = [BLUE, "#e08a00", "#2ca02c", "#d6279e", "#8c564b", "#17becf", "#7f7f7f", "#bcbd22"];
  const sentPlot = new SinePlot.Plot(document.getElementById("far-sent"));
  const lagPlot = new SinePlot.Plot(document.getElementById("far-lag"));
  const readout = document.getElementById("far-readout");
  const EXPERIMENT = { task: "remember", lag: 29, time_steps: 30, lr: 0.02, steps: 500 };
  const TRIES = {
    "far-lstm-1": { ...EXPERIMENT, cell: "lstm", forget_bias: 1 },
    "far-lstm-5": { ...EXPERIMENT, cell: "lstm", forget_bias: 5 },
    "far-rnn": { ...EXPERIMENT, cell: "rnn", forget_bias: 1 },
  };

  let run = null; // the run shown: its settings and its latest measurement (run.sent)
  const runs = []; // finished remember runs: {cell, forget_bias, lag, relative}

  /** Live: ask the run to measure on its next step, and draw what it measured last. */
  function live(current) {
    run = current;
    current.askSentBack = true;
    drawSent();
  }

  /** A run ended: its last measurement, and a dot on the right for a remember run. */
  function finish(ended, final, memoryless) {
    run = ended;
    if (ended.settings.task === "remember") {
      const { cell, forget_bias, lag } = ended.settings;
      const kind = SineCells[cell].forget ? `${cell} ${forget_bias}` : cell;
      runs.push({ cell, forget_bias, kind, lag, relative: final / memoryless });
    }
    redraw();
  }

  function drawSent() {
    const T = run ? run.settings.time_steps : 20;
    const sizes = run && run.sent ? run.sent.sizes : null;
    const ns = Float64Array.from({ length: T }, (_, n) => n);
    const powers = ns.map((n) => 0.9 ** n);
    const lows = [powers[T - 1], ...(sizes ? sizes.filter((v) => v > 0) : [])];
    const lo = Math.max(1e-12, Math.min(...lows));
    sentPlot.axes({
      x: [0, T],
      y: [10 ** Math.floor(Math.log10(lo)), 10],
      logY: true,
      xLabel: SineWords.t("axis_n"),
      yLabel: SineWords.t("axis_reach"),
    });
    sentPlot.line(ns, powers, { color: PURPLE, width: 1.5, dash: [5, 3] });
    if (run && run.settings.task === "remember") sentPlot.vline(run.settings.lag, { color: RED, dash: [2, 3] });
    if (sizes) sentPlot.line(ns, sizes, { color: BLUE, width: 2.5 });
    SinePlot.legend(document.getElementById("far-sent-legend"), [
      { text: SineWords.t("legend_reach", { step: run && run.sent ? run.sent.step : "–" }), color: BLUE },
      { text: SineWords.t("legend_09"), color: PURPLE, dash: true },
      ...(run && run.settings.task === "remember"
        ? [{ text: SineWords.t("legend_lag", { lag: run.settings.lag }), color: RED, dash: "dotted" }]
        : []),
    ]);
    if (!sizes) return SineWords.put(readout, "far_none");
    const n = run.settings.task === "remember" ? run.settings.lag : T - 1;
    SineWords.put(readout, "far_readout", { n, size: short(sizes[n]), power: short(0.9 ** n) });
  }

  function drawLag() {
    const most = Math.max(30, ...runs.map((r) => r.lag));
    const high = Math.max(1.2, ...runs.map((r) => Math.min(r.relative, 3)));
    lagPlot.axes({
      x: [0, most + 1],
      y: [0, high],
      xLabel: SineWords.t("axis_lag"),
      yLabel: SineWords.t("axis_relative"),
    });
    lagPlot.line([0, most + 1], [1, 1], { color: GREY, width: 1.5, dash: [5, 3] });
    const kinds = [...new Set(runs.map((r) => r.kind))];
    const colour = (kind) => PALETTE[kinds.indexOf(kind) % PALETTE.length];
    for (const kind of kinds) {
      const mine = runs.filter((r) => r.kind === kind);
      lagPlot.dots(mine.map((r) => r.lag), mine.map((r) => Math.min(r.relative, 3)), {
        color: colour(kind),
        radius: 4,
      });
    }
    const named = (r) =>
      SineCells[r.cell].forget
        ? SineWords.t("legend_run_bias", { cell: SineWords.t("cell_" + r.cell), bias: r.forget_bias })
        : SineWords.t("cell_" + r.cell);
    SinePlot.legend(document.getElementById("far-lag-legend"), [
      { text: SineWords.t("legend_nothing"), color: GREY, dash: true },
      ...kinds.map((kind) => ({ text: named(runs.find((r) => r.kind === kind)), color: colour(kind) })),
    ]);
    const last = runs[runs.length - 1];
    SineWords.put(
      document.getElementById("far-runs"),
      last ? "far_last" : "far_no_runs",
      last && {
        cell: SineWords.t("cell_" + last.cell),
        bias: last.forget_bias,
        lag: last.lag,
        relative: last.relative.toFixed(3),
      },
    );
  }

  const short = (v) => (v >= 0.01 && v < 1000 ? v.toPrecision(3) : v.toExponential(1));

  function redraw() {
    drawSent();
    drawLag();
  }

  /** `start(settings)`: the page fills the fields with the settings and trains them. */
  function init(start) {
    for (const [id, changes] of Object.entries(TRIES)) {
      document.getElementById(id).addEventListener("click", () => start(changes));
    }
  }

  return { init, live, finish, redraw };
})();
