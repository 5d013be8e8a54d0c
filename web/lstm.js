/* The lesson's model in plain JavaScript: the twin of data.py, cell.py and model.py.

A browser cannot run Keras, so the page trains this copy of the post's model instead: the
same stream of batches, the same Dense in_hidden → LSTM (or vanilla RNN) → Dense out_hidden
and the same cost. This file is the forward pass: the cell's equations, one line each in
the post's order, and the cost they lead to. How the model learns from that cost
(backpropagation through time, Keras 3's Adam, the run step by step) is learn.js.
tests/test_web.py holds the two equal to Keras: every cost of a run and a batch's gradients
(probe.js asks the trained model, with the forward pass below).

Everything is float64 (Keras trains in float32): the initial weights and the data are
float32 numbers, as in Keras, so the two agree to float32 rounding.

Arrays are flat Float64Arrays in Keras's layouts, row-major:
  in_kernel (1, U), in_bias (U): the Dense in_hidden
  kernel (U, G·U), recurrent_kernel (U, G·U), bias (G·U): the cell, gates i, f, c, o (G = 4);
    the vanilla RNN has G = 1
  out_kernel (U, 1), out_bias (1): the Dense out_hidden
A batch's values are indexed [b][t] (b·T + t), and per unit [b][t][u] ((b·T + t)·U + u).

A classic script (the page opens from disk, where browsers refuse modules) that needs no
other: it defines the one global `SineLSTM`, which learn.js and probe.js read.
*/
const SineLSTM = (() => {
  "use strict";

  const X_SCALE = 10 * Math.PI; // data.py: one point every 1/(10π) ≈ 0.032
  const GATES = { lstm: 4, rnn: 1 }; // pre-activations per unit: i, f, c, o; or the RNN's one

  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  /** tanh x = (1 − e^(−2|x|)) / (1 + e^(−2|x|)), signed: Math.tanh to a unit in the last place,
   * from one expm1, which V8 computes faster than Math.tanh (a step is 5 % shorter). */
  const tanh = (x) => {
    const m = Math.expm1(-2 * Math.abs(x));
    return x < 0 ? m / (2 + m) : -m / (2 + m);
  };

  /** The settings as one object of a fixed shape: V8 compiles the training loop for the
   * shape of the object it reads, and settings made another way would make it start over. */
  function fixed(s) {
    return {
      lr: s.lr,
      steps: s.steps,
      cell: s.cell,
      stateful: s.stateful,
      seed: s.seed,
      cell_size: s.cell_size,
      forget_bias: s.forget_bias,
      time_steps: s.time_steps,
      batch_size: s.batch_size,
    };
  }

  // ---- data.py: batch k as a pure function of k ----

  /** Points start … start + n − 1 of the curve: x = i / (10π), sin x and cos x, each
   * Float64Array(n); sin x and cos x rounded to float32, as data.stream does, so both sides
   * see the same numbers. */
  function curve(start, n) {
    const x = new Float64Array(n);
    const sin = new Float64Array(n);
    const cos = new Float64Array(n);
    for (let at = 0; at < n; at++) {
      x[at] = (start + at) / X_SCALE;
      sin[at] = Math.fround(Math.sin(x[at]));
      cos[at] = Math.fround(Math.cos(x[at]));
    }
    return { x, sin, cos };
  }

  /** Batch k of the stream: x, sin x and cos x, each Float64Array(batch·time), [b][t].
   * Row b, step t holds point i = T·(k + b) + t, so the batch is the curve's B·T points from
   * T·k on, in a row: row b + 1 of batch k is row b of batch k + 1, the carried state's path. */
  function stream(k, batchSize, timeSteps) {
    return curve(timeSteps * k, batchSize * timeSteps);
  }

  // ---- model.py: in_hidden → the cell over time → out_hidden, and the cost ----

  /** Room for one batch's forward pass, kept for the backward pass. */
  function workspace(settings) {
    const B = settings.batch_size;
    const T = settings.time_steps;
    const U = settings.cell_size;
    const G = GATES[settings.cell];
    const cells = B * T * U;
    const lstm = settings.cell === "lstm";
    return {
      gates: new Float64Array(cells * G), // i, f, c_hat, o after their σ or tanh; the RNN's h
      c: new Float64Array(lstm ? cells : 0), // c_t
      tanh_c: new Float64Array(lstm ? cells : 0), // tanh(c_t), kept for the backward pass
      h: new Float64Array(cells), // h_t
      y: new Float64Array(B * T), // out_hidden: the prediction
      z: new Float64Array(G * U), // one step's pre-activations
      w_x: new Float64Array(G * U), // W_in·W: see `fold`
      w_b: new Float64Array(G * U), // b_in·W + b
      keep: new Float64Array(U), // 1, or 0 for a zeroed unit
      zeros: new Float64Array(U),
    };
  }

  /** in_hidden folded into the cell's kernel. The input is one number s = sin x, so
   * in_hidden's output is x_t = s·W_in + b_in and the cell's W·x_t + b = s·(W_in·W) + (b_in·W + b):
   * two vectors per batch instead of a matrix product per step, the same numbers to 1e-13. */
  function fold(settings, weights, w) {
    const U = settings.cell_size;
    const GU = GATES[settings.cell] * U;
    w.w_x.fill(0);
    w.w_b.set(weights.bias);
    for (let u = 0; u < U; u++) {
      for (let j = 0; j < GU; j++) {
        w.w_x[j] += weights.in_kernel[u] * weights.kernel[u * GU + j];
        w.w_b[j] += weights.in_bias[u] * weights.kernel[u * GU + j];
      }
    }
  }

  /** One step of the cell for one row, at (b, t) = `at`: gates, c and h written into `w`.
   * h_tm1 and c_tm1 are read at offset `from` of `hs` and `cs`. `pin` holds gates at
   * constants (section 三's thought experiment); `w.keep` zeroes units. */
  function cellStep(settings, weights, w, at, s, hs, cs, from, pin) {
    const U = settings.cell_size;
    const GU = GATES[settings.cell] * U;
    const R = weights.recurrent_kernel;
    const { z, w_x, w_b, gates, h, c, tanh_c, keep } = w; // typed arrays, read once
    // All pre-activations W·x_t + U·h_{t-1} + b in one product, then cut.
    // Four of them at a time, their sums held in registers: V8 does not unroll loops itself,
    // and this loop and the backward pass's are most of a step (make bench-web times them).
    let j = 0;
    for (; j + 3 < GU; j += 4) {
      let z0 = w_b[j] + s * w_x[j];
      let z1 = w_b[j + 1] + s * w_x[j + 1];
      let z2 = w_b[j + 2] + s * w_x[j + 2];
      let z3 = w_b[j + 3] + s * w_x[j + 3];
      for (let u = 0, at_u = j; u < U; u++, at_u += GU) {
        const h_u = hs[from + u];
        z0 += h_u * R[at_u];
        z1 += h_u * R[at_u + 1];
        z2 += h_u * R[at_u + 2];
        z3 += h_u * R[at_u + 3];
      }
      z[j] = z0;
      z[j + 1] = z1;
      z[j + 2] = z2;
      z[j + 3] = z3;
    }
    for (; j < GU; j++) {
      let z_j = w_b[j] + s * w_x[j];
      for (let u = 0; u < U; u++) z_j += hs[from + u] * R[u * GU + j];
      z[j] = z_j;
    }
    const g = at * GU;
    const out = at * U;
    if (GU === U) {
      for (let u = 0; u < U; u++) {
        // the RNN step: h_t = tanh(W·x_t + U·h_{t-1} + b)
        gates[g + u] = h[out + u] = tanh(z[u]) * keep[u];
      }
      return;
    }
    const { i: pin_i, f: pin_f, o: pin_o } = pin;
    for (let u = 0; u < U; u++) {
      // input gate: i_t = σ(W_i·x_t + U_i·h_{t-1} + b_i)
      const i = pin_i ?? sigmoid(z[u]);
      // forget gate: f_t = σ(W_f·x_t + U_f·h_{t-1} + b_f)
      const f = pin_f ?? sigmoid(z[U + u]);
      // candidate: c̃_t = tanh(W_c·x_t + U_c·h_{t-1} + b_c)
      const c_hat = tanh(z[2 * U + u]);
      // output gate: o_t = σ(W_o·x_t + U_o·h_{t-1} + b_o)
      const o = pin_o ?? sigmoid(z[3 * U + u]);
      // new cell: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
      const c_t = f * cs[from + u] + i * c_hat;
      // new hidden: h_t = o_t ⊙ tanh(c_t)
      const tanh_c_t = tanh(c_t);
      h[out + u] = o * tanh_c_t * keep[u];
      c[out + u] = c_t;
      tanh_c[out + u] = tanh_c_t;
      gates[g + u] = i;
      gates[g + U + u] = f;
      gates[g + 2 * U + u] = c_hat;
      gates[g + 3 * U + u] = o;
    }
  }

  /** The forward pass over one batch from the state (h0, c0), or zeros: fills `w`, returns
   * the cost, Σ_t (ŷ − y)² averaged over the rows: model.cost as Keras reports it. */
  function forward(settings, weights, w, inputs, targets, h0, c0, what = {}) {
    const B = settings.batch_size;
    const T = settings.time_steps;
    const U = settings.cell_size;
    const pin = what.pin || {};
    w.keep.fill(1);
    for (const unit of what.zeroed || []) w.keep[unit] = 0; // a zeroed unit says nothing
    const start = h0 ? h0.map((v, k) => v * w.keep[k % U]) : null; // (batch, units)
    fold(settings, weights, w);
    const { out_kernel } = weights;
    const out_bias = weights.out_bias[0];
    const { h } = w;
    let total = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const at = b * T + t;
        if (t > 0) cellStep(settings, weights, w, at, inputs[at], w.h, w.c, (at - 1) * U, pin);
        else if (start) cellStep(settings, weights, w, at, inputs[at], start, c0, b * U, pin);
        else cellStep(settings, weights, w, at, inputs[at], w.zeros, w.zeros, 0, pin);
        // out_hidden: ŷ = W_out · h_t + b_out
        let y = out_bias;
        for (let u = 0; u < U; u++) y += h[at * U + u] * out_kernel[u];
        w.y[at] = y;
        total += (y - targets[at]) ** 2;
      }
    }
    return total / B;
  }

  /** The last (h, c) of every row: where the next batch's rows start. */
  function lastState(settings, w) {
    const B = settings.batch_size;
    const T = settings.time_steps;
    const U = settings.cell_size;
    const h = new Float64Array(B * U);
    const c = new Float64Array(B * U);
    for (let b = 0; b < B; b++) {
      const at = (b * T + T - 1) * U;
      h.set(w.h.subarray(at, at + U), b * U);
      if (settings.cell === "lstm") c.set(w.c.subarray(at, at + U), b * U);
    }
    return { h, c };
  }

  return {
    X_SCALE,
    GATES,
    fixed,
    curve,
    stream,
    workspace,
    forward,
    lastState,
  };
})();
