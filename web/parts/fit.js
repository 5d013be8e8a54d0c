/* Part 1's two plots: the fit, as the post's GIF draws it, and the cost of every step.

The fit shows row 0 of each step's batch: the red target cos x, and the blue dashed
prediction from the forward pass that step trained on. Windows pile up from left to right;
the x axis holds at most VIEW of them and then jumps on by half a view (plots.view_starts).
Live, only the new windows are drawn; the plot is drawn whole only when an axis changes.
*/
const SineFit = (() => {
  "use strict";

  const VIEW = 200; // windows on the x axis at most (plots.VIEW)
  const { red: RED, blue: BLUE } = SinePlot.COLORS; // the post's red target, blue dashed fit
  const fitPlot = new SinePlot.Plot(document.getElementById("fit"));
  const costPlot = new SinePlot.Plot(document.getElementById("cost"));
  const caption = document.getElementById("caption");

  let run = null; // what is drawn: {settings, costs, preds, done, diverged}
  let starts = [0]; // the first step of each view of the x axis
  let view = null; // the fit's axes now: {start, yLimit}
  let drawn = -1; // the last step on the fit
  let costsDrawn = 0; // steps on the cost plot
  let costRange = null; // its y range, whole decades
  let costExtent = null; // the lowest and highest cost drawn, kept as steps arrive
  let marker = null; // the step the scrub slider shows, or null while a run is live

  /** The first step of each view (plots.view_starts): the last view ends at the last step. */
  function viewStarts(steps) {
    const later = [];
    for (let start = steps - VIEW; start > 0; start -= VIEW / 2) later.push(start);
    return [0, ...later.reverse()];
  }

  /** The first step of the view that shows `step`: the earliest that reaches it. */
  function viewOf(step) {
    return starts.find((start) => step < start + VIEW);
  }

  /** Row 0 of batch k (its T points and the next window's first, so the red curve joins
   * up) and the prediction the model made for it. Row 0 of batch k does not depend on the
   * batch size, so a batch of one gives it. */
  function windowOf(k) {
    const T = run.settings.time_steps;
    const here = SineData.stream(k, 1, T);
    const next = SineData.stream(k + 1, 1, T);
    const x = new Float64Array(T + 1); // (T + 1)
    const target = new Float64Array(T + 1); // (T + 1)
    x.set(here.x);
    x[T] = next.x[0];
    target.set(here.cos);
    target[T] = next.cos[0];
    const pred = run.preds.subarray(k * T, (k + 1) * T); // (T)
    return { x, target, pred };
  }

  /** The last step worth drawing: a diverged step's prediction means nothing. */
  function lastGood() {
    return run.diverged === null ? run.done - 1 : run.diverged - 1;
  }

  /** ±1.5, or wider if a prediction of steps a … b goes further (plots.y_limit). */
  function yLimit(a, b) {
    const T = run.settings.time_steps;
    const range = SineAxes.extent(run.preds.subarray(a * T, (b + 1) * T));
    const far = range ? Math.max(-range[0], range[1]) : 0;
    return Math.max(1.5, 1.1 * far);
  }

  // ---- the fit ----

  function fitAxes(start, limit) {
    const T = run.settings.time_steps;
    const stop = Math.min(start + VIEW, run.settings.steps);
    const xLabel =
      start === 0 ? SineWords.t("axis_x") : SineWords.t("x_view", { start, stop: stop - 1 });
    fitPlot.axes({
      x: [SineData.stream(start, 1, T).x[0], SineData.stream(stop, 1, T).x[0]],
      y: [-limit, limit],
      xLabel,
      yLabel: SineWords.t("axis_cos"),
    });
    view = { start, yLimit: limit };
  }

  function drawWindow(k) {
    const { x, target, pred } = windowOf(k);
    fitPlot.line(x, target, { color: RED, width: 1.5 });
    fitPlot.line(x.subarray(0, pred.length), pred, { color: BLUE, width: 1.5, dash: [5, 3] });
  }

  // ---- the remember task: each answer against the value it recalls ----

  const RECALLED = 40; // the latest steps whose answers are drawn

  /** The remember task has no curve: row 0's answers of the latest steps up to `last`, each
   * at (the value lag steps back, the answer). Remembering puts them on the red diagonal;
   * remembering nothing, on a flat line. */
  function drawRecall(last) {
    const s = run.settings;
    const T = s.time_steps;
    fitPlot.axes({
      x: [-0.5, 0.5],
      y: [-0.75, 0.75],
      xLabel: SineWords.t("axis_recalled", { lag: s.lag }),
      yLabel: SineWords.t("axis_answer"),
    });
    fitPlot.line([-0.5, 0.5], [-0.5, 0.5], { color: RED, width: 1.5 });
    for (let k = Math.max(0, last - RECALLED + 1); k <= last; k++) {
      const { targets } = SineLearn.batch({ ...s, batch_size: 1 }, k); // row 0 of batch k
      fitPlot.dots(targets.subarray(0, T), run.preds.subarray(k * T, (k + 1) * T), {
        color: BLUE,
        radius: k === last ? 3.5 : 2,
      });
    }
    drawn = last;
  }

  /** The fit as it stands at step `last`: the windows of its view up to it. `limit`: the y axis. */
  function drawFitWhole(last, limit) {
    if (run.settings.task === "remember") return drawRecall(last);
    const start = viewOf(Math.max(last, 0));
    fitAxes(start, limit);
    for (let k = start; k <= last; k++) drawWindow(k);
    drawn = last;
  }

  /** Live: add the windows trained since the last call, or draw whole if an axis must change. */
  function growFit(last) {
    if (run.settings.task === "remember") return drawRecall(last);
    const start = viewOf(Math.max(last, 0));
    if (view === null || start !== view.start || yLimit(drawn + 1, last) > view.yLimit) {
      drawFitWhole(last, yLimit(start, last));
      return;
    }
    for (let k = drawn + 1; k <= last; k++) drawWindow(k);
    drawn = last;
  }

  // ---- the cost ----

  /** Whole decades around the costs so far: the axis follows the data, and moves rarely. */
  function decades() {
    if (costExtent === null || !(costExtent[0] > 0)) return [0.01, 100];
    const [lo, hi] = costExtent;
    return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi) + 1e-12)];
  }

  function costLine(from, to) {
    costPlot.series(run.costs, from, to, { color: "#111", width: 1.2 });
  }

  function drawCostWhole(upTo) {
    costRange = decades();
    costPlot.axes({
      x: [0, Math.max(run.settings.steps - 1, 1)],
      y: costRange,
      logY: true,
      xLabel: SineWords.t("axis_step"),
      yLabel: SineWords.t("axis_cost"),
    });
    if (marker !== null) costPlot.vline(marker, { color: BLUE, width: 1.5, dash: [3, 3] });
    costLine(0, upTo);
    costsDrawn = upTo;
  }

  function growCost(upTo) {
    const fresh = SineAxes.extent(run.costs.subarray(costsDrawn, upTo));
    if (fresh !== null) {
      costExtent =
        costExtent === null
          ? fresh
          : [Math.min(costExtent[0], fresh[0]), Math.max(costExtent[1], fresh[1])];
    }
    const [lo, hi] = decades();
    if (costRange === null || lo < costRange[0] || hi > costRange[1]) return drawCostWhole(upTo);
    costLine(Math.max(costsDrawn - 1, 0), upTo); // from the last point drawn, so the line joins
    costsDrawn = upTo;
  }

  // ---- the caption: the step and its cost ----

  function setCaption(step) {
    if (step < 0) {
      SineWords.put(caption.firstElementChild, "caption_none");
      caption.lastElementChild.textContent = "";
      return;
    }
    const cost = run.costs[step].toFixed(4); // as the GIF's caption (plots.caption)
    SineWords.put(caption.firstElementChild, "caption", { step, cost });
    const finished = run.done === run.settings.steps && run.diverged === null;
    if (finished && step === run.done - 1) {
      const n = Math.min(SineLearn.LAST, run.done);
      const mean = SineLearn.finalCost(run.costs, run.done).toFixed(4);
      SineWords.put(caption.lastElementChild, "caption_last", { n, mean });
    } else caption.lastElementChild.textContent = "";
  }

  // ---- what the other parts call ----

  /** A new run: empty plots on its axes. */
  function begin(newRun) {
    run = newRun;
    starts = viewStarts(run.settings.steps);
    marker = null;
    drawn = -1;
    costsDrawn = 0;
    costExtent = null;
    drawFitWhole(-1, 1.5);
    drawCostWhole(0);
    setCaption(-1);
    legends();
  }

  /** Live: draw what the run trained since the last call. */
  function live() {
    const last = lastGood();
    if (last > drawn) growFit(last);
    const costs = run.diverged === null ? run.done : run.diverged + 1; // the blow-up shows on the cost
    if (costs > costsDrawn) growCost(costs);
    setCaption(Math.min(last, run.done - 1));
  }

  /** The fit as it stood at `step`, that step's cost, and a mark on the cost curve. */
  function show(step) {
    marker = step;
    const start = viewOf(step);
    const end = Math.min(start + VIEW, lastGood() + 1) - 1; // the y axis holds still as you scrub
    drawFitWhole(step, yLimit(start, Math.max(end, step)));
    drawCostWhole(costsDrawn);
    setCaption(step);
  }

  /** Draw everything again (a new width, a new language). */
  function redraw() {
    if (run === null) return;
    legends();
    if (marker !== null) return show(marker);
    drawFitWhole(drawn, view ? view.yLimit : 1.5);
    drawCostWhole(costsDrawn);
    setCaption(drawn);
  }

  function legends() {
    const cell = SineWords.t("cell_" + run.settings.cell);
    const remember = run.settings.task === "remember";
    SinePlot.legend(document.getElementById("fit-legend"), [
      { text: SineWords.t(remember ? "legend_remembered" : "legend_target"), color: RED },
      { text: SineWords.t(remember ? "legend_answers" : "legend_pred", { cell }), color: BLUE, dash: !remember },
    ]);
    SinePlot.legend(document.getElementById("cost-legend"), [
      { text: SineWords.t("legend_cost"), color: "#111" },
      { text: SineWords.t("legend_marker"), color: BLUE, dash: true },
    ]);
  }

  /** The run has ended: draw from what it kept (its arrays), not from the Run itself. */
  function keep(kept) {
    run = kept;
  }

  return { begin, live, show, redraw, keep, lastGood: () => (run ? lastGood() : -1) };
})();
