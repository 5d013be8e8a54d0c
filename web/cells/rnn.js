/* The vanilla RNN of the post (section 二), one time step: the twin of cell.py's SimpleRNNCell.

h_t = tanh(W·x_t + U·h_{t−1} + b): z = W·x_t + U·h_{t−1} + b is the kernel's (kernel.js),
made by the model before each step (model.js); `step` is the tanh, `back` its derivative.

A classic script: it adds `rnn` to the global `SineCells`.
*/
var SineCells = SineCells || {};
SineCells.rnn = (() => {
  "use strict";

  /** One step: h_t = tanh(z). */
  function step(w, z, at, c_tm1, from, pin, U) {
    // the RNN step: h_t = tanh(W·x_t + U·h_{t-1} + b)
    for (let u = 0; u < U; u++) w.h[at + u] = Math.tanh(z[u]);
  }

  /** Back through one step: dz = dh_t · (1 − h_t²), through the one tanh. */
  function back(w, at, dh, dc, dz, c_tm1, from, U) {
    for (let u = 0; u < U; u++) dz[u] = dh[u] * (1 - w.h[at + u] ** 2);
  }

  return {
    gates: 1, // one pre-activation per unit
    recurrent: "sum", // z = W·x_t + U·h_{t−1} + b, one sum
    forget: false,
    keep: null, // no path back but through U
    keeps: null,
    kept: ["h"],
    traced: ["h"],
    carried: ["h"],
    step,
    back,
  };
})();
