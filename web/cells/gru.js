/* The GRU, one time step: the twin of cell.py's GRUCell (Keras's GRU, reset_after).

Its reset gate multiplies U_h·h_{t−1} + b'_h, so the two products stay apart: the model
(model.js) hands `step` the input's part W·x_t + b from `xw` at offset `off` and the
recurrent part U·h_{t−1} + b' in `z`, each [z | r | h] per unit in Keras's order. `back`
sends the recurrent part's derivative in `dz`, the input part's in `dzIn`, and in `dh_tm1`
the error that reaches h_{t−1} directly, through z_t ⊙ h_{t−1}.

Here z keeps: h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h̃_t (the minGRU's z writes).

A classic script: it adds `gru` to the global `SineCells`.
*/
var SineCells = SineCells || {};
SineCells.gru = (() => {
  "use strict";

  const sigmoid = (v) => 1 / (1 + Math.exp(-v));

  /** One step: the two parts → z, r, h̃ and h_t, from h_{t−1} (`h_tm1` at offset `from`). */
  function step(w, z, at, h_tm1, from, pin, U, xw, off) {
    for (let u = 0; u < U; u++) {
      // update gate: z_t = σ(W_z·x_t + b_z + U_z·h_{t-1} + b'_z)
      const z_t = sigmoid(xw[off + u] + z[u]);
      // reset gate: r_t = σ(W_r·x_t + b_r + U_r·h_{t-1} + b'_r)
      const r = sigmoid(xw[off + U + u] + z[U + u]);
      // candidate: h̃_t = tanh(W_h·x_t + b_h + r_t ⊙ (U_h·h_{t-1} + b'_h))
      const u_h = z[2 * U + u];
      const h_hat = Math.tanh(xw[off + 2 * U + u] + r * u_h);
      // new hidden: h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
      w.h[at + u] = z_t * h_tm1[from + u] + (1 - z_t) * h_hat;
      w.z[at + u] = z_t;
      w.r[at + u] = r;
      w.h_hat[at + u] = h_hat;
      w.u_h[at + u] = u_h;
    }
  }

  /** Back through one step, from dh = ∂cost/∂h_t. */
  function back(w, at, dh, dh_tm1, dz, h_tm1, from, U, dzIn) {
    for (let u = 0; u < U; u++) {
      const z_t = w.z[at + u];
      const r = w.r[at + u];
      const h_hat = w.h_hat[at + u];
      // h_t = z_t ⊙ h_{t-1} + …, z_t = σ(…): dz_z = dh_t · (h_{t-1} − h̃_t) · z_t (1 − z_t)
      const d_z = dh[u] * (h_tm1[from + u] - h_hat) * z_t * (1 - z_t);
      // h_t = … + (1 − z_t) ⊙ h̃_t, h̃_t = tanh(a): da = dh_t · (1 − z_t) · (1 − h̃_t²)
      const d_a = dh[u] * (1 - z_t) * (1 - h_hat * h_hat);
      // a = W_h·x_t + b_h + r_t ⊙ u_h, r_t = σ(…): dz_r = da · u_h · r_t (1 − r_t)
      const d_r = d_a * w.u_h[at + u] * r * (1 - r);
      dzIn[u] = d_z;
      dzIn[U + u] = d_r;
      dzIn[2 * U + u] = d_a; // the input's part enters a as it is
      dz[u] = d_z;
      dz[U + u] = d_r;
      dz[2 * U + u] = d_a * r; // the recurrent part enters a times r_t
      // h_t = z_t ⊙ h_{t-1} + …: dh_{t-1} = dh_t · z_t, before the path through U
      dh_tm1[u] = dh[u] * z_t;
    }
  }

  return {
    gates: 3, // pre-activations per unit: z, r, h
    recurrent: "apart", // U·h_{t−1} + b' kept apart from W·x_t + b: r multiplies it alone
    forget: false,
    keep: "z", // h_t = z_t ⊙ h_{t−1} + …: the state's own path, multiplied by z each step
    keeps: (w, k) => w.z[k],
    kept: ["z", "r", "h_hat", "u_h", "h"],
    traced: ["z", "r", "h"],
    carried: ["h"],
    step,
    back,
  };
})();
