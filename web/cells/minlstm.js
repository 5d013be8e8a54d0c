/* The minLSTM of Feng et al. 2024, one time step: the twin of cell.py's MinLSTMCell.

Its gates and candidate see x_t only: there is no U·h_{t−1}, so the model (model.js) hands
`step` the input's part W·x_t + b in `z`, [i | f | h] per unit, and nothing else. The forget
and input gates are normalised to sum to 1, so h_t is a weighted mean of h_{t−1} and h̃_t.
`back` sends in `dh_tm1` the error that reaches h_{t−1}, all of it directly, through f'_t.

A classic script: it adds `minlstm` to the global `SineCells`.
*/
var SineCells = SineCells || {};
SineCells.minlstm = (() => {
  "use strict";

  const sigmoid = (v) => 1 / (1 + Math.exp(-v));

  /** One step: z → the gates, h̃ and h_t, from h_{t−1} (`h_tm1` at offset `from`). */
  function step(w, z, at, h_tm1, from, pin, U) {
    for (let u = 0; u < U; u++) {
      // input gate: i_t = σ(W_i·x_t + b_i)
      const i = sigmoid(z[u]);
      // forget gate: f_t = σ(W_f·x_t + b_f)
      const f = sigmoid(z[U + u]);
      // normalised forget gate: f'_t = f_t / (f_t + i_t)
      const f_prime = f / (f + i);
      // normalised input gate: i'_t = i_t / (f_t + i_t)
      const i_prime = i / (f + i);
      // candidate: h̃_t = W_h·x_t + b_h
      const h_hat = z[2 * U + u];
      // new hidden: h_t = f'_t ⊙ h_{t-1} + i'_t ⊙ h̃_t
      w.h[at + u] = f_prime * h_tm1[from + u] + i_prime * h_hat;
      w.i[at + u] = i;
      w.f[at + u] = f;
      w.f_prime[at + u] = f_prime;
      w.h_hat[at + u] = h_hat;
    }
  }

  /** Back through one step, from dh = ∂cost/∂h_t. */
  function back(w, at, dh, dh_tm1, dz, h_tm1, from, U) {
    for (let u = 0; u < U; u++) {
      const i = w.i[at + u];
      const f = w.f[at + u];
      const f_prime = w.f_prime[at + u];
      const h_hat = w.h_hat[at + u];
      const s2 = (f + i) * (f + i);
      // h_t = f'_t ⊙ h_{t-1} + i'_t ⊙ h̃_t: df' = dh_t · h_{t-1}, di' = dh_t · h̃_t
      const d_fp = dh[u] * h_tm1[from + u];
      const d_ip = dh[u] * h_hat;
      // f' = f / (f + i), i' = i / (f + i): df = (df' − di') · i / (f + i)², di = (di' − df') · f / (f + i)²
      const d_f = ((d_fp - d_ip) * i) / s2;
      const d_i = ((d_ip - d_fp) * f) / s2;
      // i_t = σ(z_i), f_t = σ(z_f): dz = d· · σ (1 − σ)
      dz[u] = d_i * i * (1 - i);
      dz[U + u] = d_f * f * (1 - f);
      // h_t = … + i'_t ⊙ h̃_t: dz_h = dh_t · i'_t
      dz[2 * U + u] = dh[u] * (1 - f_prime);
      // h_t = f'_t ⊙ h_{t-1} + …: dh_{t-1} = dh_t · f'_t
      dh_tm1[u] = dh[u] * f_prime;
    }
  }

  return {
    gates: 3, // pre-activations per unit: i, f, h
    recurrent: "none", // gates and candidate from x_t alone
    forget: true, // b_f is units U…2U of the bias (--forget-bias)
    keep: "f′", // h_t = f'_t ⊙ h_{t−1} + …
    keeps: (w, k) => w.f_prime[k],
    kept: ["i", "f", "f_prime", "h_hat", "h"],
    traced: ["i", "f", "h"],
    carried: ["h"],
    step,
    back,
  };
})();
