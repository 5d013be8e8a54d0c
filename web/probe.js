/* The trained model asked, with no retraining: the twin of sine_lstm/probe.py.

Parts 3–5 of the page read the trained model here: its gates over the stretch after training,
what the stretch looks like with gates pinned, units zeroed or the state reset (the what-ifs),
and the product of its forget gates n steps back. Only the forward pass of lstm.js runs;
tests/test_web.py holds the answers equal to probe.py's.

A classic script: it defines the one global `SineProbe`.
*/
const SineProbe = (() => {
  "use strict";

  /** The trained model over the stretch after training (batch `steps`): its 50 rows are 50
   * windows in a row of the curve, each starting from the state training left in that row.
   * `what`: {pin: {f, i, o} held at constants, zeroed: [units], reset: each window from 0}.
   * Returns x, target, fit (batch·time), cost, and traces {i, f, o, c, h} (batch·time·units). */
  function probe(model, what = {}) {
    const s = SineLSTM.fixed(model.settings);
    const B = s.batch_size;
    const T = s.time_steps;
    const U = s.cell_size;
    const G = SineLSTM.GATES[s.cell];
    const { x, sin, cos } = SineLSTM.stream(s.steps, B, T);
    const w = SineLSTM.workspace(s);
    const reset = what.reset || !s.stateful;
    const pin = s.cell === "lstm" ? what.pin || {} : {};
    const cost = SineLSTM.forward(
      s,
      model.weights,
      w,
      sin,
      cos,
      reset ? null : model.state.h,
      reset ? null : model.state.c,
      {
        pin,
        zeroed: what.zeroed || [],
      },
    );
    const traces = { h: w.h };
    if (s.cell === "lstm") {
      traces.c = w.c;
      for (const [name, gate] of [
        ["i", 0],
        ["f", 1],
        ["o", 3],
      ]) {
        const out = new Float64Array(B * T * U);
        for (let at = 0; at < B * T; at++) {
          for (let u = 0; u < U; u++) out[at * U + u] = w.gates[(at * G + gate) * U + u];
        }
        traces[name] = out;
      }
    }
    return { x, target: cos, fit: w.y, cost, traces };
  }

  /** The product of the trained forget gates n = 0 … steps back along the stretch: how much
   * of an error in c_t reaches c_{t−n} along the cell state's own path (mean over units). */
  function forgetPath(model, steps) {
    const s = model.settings;
    const U = s.cell_size;
    const f = probe(model).traces.f; // rows in a row: one stretch of B·T steps
    const last = f.length / U - 1;
    const path = new Float64Array(steps + 1).fill(Number.NaN); // NaN: past the stretch's start
    path.fill(0, 0, Math.min(steps, last + 1) + 1);
    for (let u = 0; u < U; u++) {
      let product = 1;
      path[0] += 1 / U;
      for (let n = 1; n <= steps && last - n + 1 >= 0; n++) {
        product *= f[(last - n + 1) * U + u];
        path[n] += product / U;
      }
    }
    return path;
  }

  return { probe, forgetPath };
})();
