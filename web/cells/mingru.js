/* The minGRU of Feng et al. 2024, one time step: the twin of cell.py's MinGRUCell.

Its gate and candidate see x_t only: there is no U·h_{t−1}, so the model (model.js) hands
`step` the input's part W·x_t + b in `z`, [z | h] per unit, and nothing else. What is left
is h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ h̃_t: here z writes (in the GRU, z keeps). `back`
sends in `dh_tm1` the error that reaches h_{t−1}, all of it directly.

A classic script: it adds `mingru` to the global `SineCells`.
*/
var SineCells = SineCells || {};
SineCells.mingru = (() => {
  "use strict";

  const sigmoid = (v) => 1 / (1 + Math.exp(-v));

  /** One step: z → the gate, h̃ and h_t, from h_{t−1} (`h_tm1` at offset `from`). */
  function step(w, z, at, h_tm1, from, pin, U) {
    for (let u = 0; u < U; u++) {
      // update gate: z_t = σ(W_z·x_t + b_z)
      const z_t = sigmoid(z[u]);
      // candidate: h̃_t = W_h·x_t + b_h
      const h_hat = z[U + u];
      // new hidden: h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
      w.h[at + u] = (1 - z_t) * h_tm1[from + u] + z_t * h_hat;
      w.z[at + u] = z_t;
      w.h_hat[at + u] = h_hat;
    }
  }

  /** Back through one step, from dh = ∂cost/∂h_t. */
  function back(w, at, dh, dh_tm1, dz, h_tm1, from, U) {
    for (let u = 0; u < U; u++) {
      const z_t = w.z[at + u];
      // h_t = … + z_t ⊙ (h̃_t − h_{t-1}), z_t = σ(…): dz_z = dh_t · (h̃_t − h_{t-1}) · z_t (1 − z_t)
      dz[u] = dh[u] * (w.h_hat[at + u] - h_tm1[from + u]) * z_t * (1 - z_t);
      // h_t = … + z_t ⊙ h̃_t: dz_h = dh_t · z_t
      dz[U + u] = dh[u] * z_t;
      // h_t = (1 − z_t) ⊙ h_{t-1} + …: dh_{t-1} = dh_t · (1 − z_t)
      dh_tm1[u] = dh[u] * (1 - z_t);
    }
  }

  return {
    gates: 2, // pre-activations per unit: z, h
    recurrent: "none", // gates and candidate from x_t alone
    forget: false,
    keep: "1 − z", // h_t = (1 − z_t) ⊙ h_{t−1} + …
    keeps: (w, k) => 1 - w.z[k],
    kept: ["z", "h_hat", "h"],
    traced: ["z", "h"],
    carried: ["h"],
    step,
    back,
  };
})();
