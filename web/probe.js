/* The trained model asked, with no retraining: the twin of sine_lstm/probe.py.

Parts 3–5 of the page read the trained model here: its gates over the stretch after training,
what the stretch looks like with gates pinned, units zeroed or the state reset (the what-ifs),
and the product of its forget gates n steps back. Only the forward pass of model.js runs;
tests/test_web.py holds the answers equal to probe.py's.

A classic script: it defines the one global `SineProbe`.
*/
const SineProbe = (() => {
  "use strict";

  /** The trained model over the stretch after training (batch `steps`): its 50 rows are 50
   * windows in a row of the curve, each starting from the state training left in that row.
   * `what`: {pin: {f, i, o} held at constants, zeroed: [units], reset: each window from 0}.
   * Returns x, target, fit (batch·time), cost, and traces {i, f, o, c, h} (batch·time·units). */
  let asTrained = { model: null, answer: null }; // the last model's answer with no what-if

  function probe(model, what = {}) {
    const plain = !what.reset && !(what.zeroed || []).length && !Object.keys(what.pin || {}).length;
    if (plain && asTrained.model === model) return asTrained.answer; // three parts ask it
    const answer = ask(model, what);
    if (plain) asTrained = { model, answer };
    return answer;
  }

  function ask(model, what) {
    const s = model.settings;
    const { x, sin: curveIn, cos: curveOut } = SineData.stream(s.steps, s.batch_size, s.time_steps);
    // the remember task's next batch: noise, and the values to recall (NaN: none yet)
    const recalled = s.task === "remember" && SineData.recall(s.steps, s.batch_size, s.time_steps, s.lag, s.seed);
    const [sin, cos] = recalled ? [recalled.inputs, recalled.targets] : [curveIn, curveOut];
    const w = SineModel.workspace(s);
    const reset = what.reset || !s.stateful;
    const pin = s.cell === "lstm" ? what.pin || {} : {};
    const zeroed = what.zeroed || [];
    const [h0, c0] = reset ? [null, null] : [model.state.h, model.state.c];
    const cost = SineModel.forward(s, model.weights, w, sin, cos, h0, c0, { pin, zeroed });
    const traces = {};
    for (const name of SineCells[s.cell].kept) traces[name] = w[name];
    return { x, target: cos, fit: w.y, cost, traces };
  }

  /** The product of the trained forget gates n = 0 … steps back along the stretch: how much
   * of an error in c_t reaches c_{t−n} along the cell state's own path (mean over units).
   * For the other cells with such a path, its factor (cells/*.js `keeps`): the GRU's z, the
   * minGRU's 1 − z, the minLSTM's f′; null for the vanilla RNN, which has none. */
  function forgetPath(model, steps) {
    const s = model.settings;
    const U = s.cell_size;
    const keeps = SineCells[s.cell].keeps;
    if (keeps === null) return null;
    const traces = probe(model).traces; // rows in a row: one stretch of B·T steps
    const last = traces.h.length / U - 1;
    const path = new Float64Array(steps + 1).fill(Number.NaN); // NaN: past the stretch's start
    path.fill(0, 0, Math.min(steps, last + 1) + 1);
    for (let u = 0; u < U; u++) {
      let product = 1;
      path[0] += 1 / U;
      for (let n = 1; n <= steps && last - n + 1 >= 0; n++) {
        product *= keeps(traces, (last - n + 1) * U + u);
        path[n] += product / U;
      }
    }
    return path;
  }

  return { probe, forgetPath };
})();
