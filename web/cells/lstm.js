/* The LSTM of the post (section 三), one time step: the twin of cell.py's LSTMCell.

`step` is the forward pass, one line per equation under cell.py's comments; `back` is its
derivative, each line beside the one it differentiates. The product z = W·x_t + U·h_{t−1} + b
is the kernel's (kernel.js), made by the model before each step (model.js): z holds the
four pre-activations per unit in Keras's order, [z_i | z_f | z_c | z_o].

A step's values are kept per unit at offset `at` of the workspace's arrays (w.i, w.f, w.c_hat,
w.o, w.c, w.tanh_c, w.h); c_{t−1} is read at offset `from` of `c_tm1`.

A classic script: it adds `lstm` to the global `SineCells`.
*/
var SineCells = SineCells || {};
SineCells.lstm = (() => {
  "use strict";

  const sigmoid = (z) => 1 / (1 + Math.exp(-z));

  /** One step: z → the gates, c_t and h_t. `pin` holds gates at constants (section 三). */
  function step(w, z, at, c_tm1, from, pin, U) {
    for (let u = 0; u < U; u++) {
      // input gate: i_t = σ(W_i·x_t + U_i·h_{t-1} + b_i)
      const i = pin.i ?? sigmoid(z[u]);
      // forget gate: f_t = σ(W_f·x_t + U_f·h_{t-1} + b_f)
      const f = pin.f ?? sigmoid(z[U + u]);
      // candidate: c̃_t = tanh(W_c·x_t + U_c·h_{t-1} + b_c)
      const c_hat = Math.tanh(z[2 * U + u]);
      // output gate: o_t = σ(W_o·x_t + U_o·h_{t-1} + b_o)
      const o = pin.o ?? sigmoid(z[3 * U + u]);
      // new cell: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
      const c = f * c_tm1[from + u] + i * c_hat;
      // new hidden: h_t = o_t ⊙ tanh(c_t)
      const tanh_c = Math.tanh(c);
      w.h[at + u] = o * tanh_c;
      w.i[at + u] = i;
      w.f[at + u] = f;
      w.c_hat[at + u] = c_hat;
      w.o[at + u] = o;
      w.c[at + u] = c;
      w.tanh_c[at + u] = tanh_c;
    }
  }

  /** Back through one step: from dh = ∂cost/∂h_t and dc = ∂cost/∂c_t (what step t+1 sent),
   * dz = ∂cost/∂z; dc becomes ∂cost/∂c_{t−1}, the error sent back along the cell state. */
  function back(w, at, dh, dc, dz, c_tm1, from, U) {
    for (let u = 0; u < U; u++) {
      const i = w.i[at + u];
      const f = w.f[at + u];
      const c_hat = w.c_hat[at + u];
      const o = w.o[at + u];
      const tanh_c = w.tanh_c[at + u];
      // h_t = o_t ⊙ tanh(c_t): dc_t += dh_t · o_t · (1 − tanh² c_t)
      dc[u] += dh[u] * o * (1 - tanh_c * tanh_c);
      // o_t = σ(z_o): dz_o = dh_t · tanh(c_t) · o_t (1 − o_t)
      dz[3 * U + u] = dh[u] * tanh_c * o * (1 - o);
      // c_t = … + i_t ⊙ c̃_t, i_t = σ(z_i): dz_i = dc_t · c̃_t · i_t (1 − i_t)
      dz[u] = dc[u] * c_hat * i * (1 - i);
      // c_t = f_t ⊙ c_{t-1} + …, f_t = σ(z_f): dz_f = dc_t · c_{t-1} · f_t (1 − f_t)
      dz[U + u] = dc[u] * c_tm1[from + u] * f * (1 - f);
      // c̃_t = tanh(z_c): dz_c = dc_t · i_t · (1 − c̃_t²)
      dz[2 * U + u] = dc[u] * i * (1 - c_hat * c_hat);
      // c_t = f_t ⊙ c_{t-1} + …: dc_{t-1} = dc_t · f_t
      dc[u] *= f;
    }
  }

  return {
    gates: 4, // pre-activations per unit: i, f, c, o
    recurrent: "sum", // z = W·x_t + U·h_{t−1} + b, one sum
    forget: true, // b_f is units U…2U of the bias (--forget-bias)
    keep: "f", // what the state's own path is multiplied by each step: c_t = f_t ⊙ c_{t−1} + …
    keeps: (w, k) => w.f[k],
    kept: ["i", "f", "c_hat", "o", "c", "tanh_c", "h"], // per step and unit, for `back`
    traced: ["i", "f", "o", "c", "h"], // what the page draws
    carried: ["h", "c"], // the state, Keras's order
    step,
    back,
  };
})();
