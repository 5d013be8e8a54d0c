/* The lesson's maths in plain JavaScript: the twin of data.py, cell.py, model.py and Keras's Adam.

A browser cannot run Keras, so the page trains this copy of the post's model instead: the
same stream of batches, the same Dense in_hidden → LSTM (or vanilla RNN) → Dense out_hidden,
the same cost, backpropagation through time within each window (the state carried in from
the previous batch is a constant, as Keras treats it) and Keras 3's Adam step by step.
tests/test_web.py holds it equal to Keras: every cost of a run and a batch's gradients
(probe.js asks the trained model, with the forward pass below).

Everything is float64 (Keras trains in float32): the initial weights and the data are
float32 numbers, as in Keras, so the two agree to float32 rounding.

Arrays are flat Float64Arrays in Keras's layouts, row-major:
  in_kernel (1, U), in_bias (U): the Dense in_hidden
  kernel (U, G·U), recurrent_kernel (U, G·U), bias (G·U): the cell, gates i, f, c, o (G = 4);
    the vanilla RNN has G = 1
  out_kernel (U, 1), out_bias (1): the Dense out_hidden
A batch's values are indexed [b][t] (b·T + t), and per unit [b][t][u] ((b·T + t)·U + u).

A classic script (the page opens from disk, where browsers refuse modules), loaded after
initial.js (its weights): it defines the one global `SineLSTM`.
*/
const SineLSTM = (() => {
  "use strict";

  const X_SCALE = 10 * Math.PI; // data.py: one point every 1/(10π) ≈ 0.032
  const BLOW_UP = 1000; // callbacks.py: a cost this many times the first step's has diverged
  const LAST = 20; // the final cost is the mean of the last 20 steps (train.Result.final_cost)
  const { NAMES, initial, copy } = SineWeights; // initial.js: where the weights come from
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

  // ---- backpropagation through time, within the window ----

  /** The gradient of the cost for every weight, after `forward` filled `w`.
   * The error goes back step by step; at each step back it is multiplied by the
   * recurrent weights and the gates (the post's section 二). The carried-in state
   * (h0, c0) is a constant: nothing flows into the previous batch. */
  function backward(settings, weights, w, inputs, targets, h0, c0) {
    const B = settings.batch_size;
    const T = settings.time_steps;
    const U = settings.cell_size;
    const G = GATES[settings.cell];
    const GU = G * U;
    const lstm = settings.cell === "lstm";
    const R = weights.recurrent_kernel;
    const grads = {};
    for (const name of NAMES) grads[name] = new Float64Array(weights[name].length);
    const dR = grads.recurrent_kernel;
    const d_bias = grads.bias;
    const d_out_kernel = grads.out_kernel;
    const { out_kernel } = weights;
    const { gates, h, c, tanh_c, y, zeros } = w; // typed arrays, read once
    let d_out_bias = 0;
    const dh = new Float64Array(U); // ∂cost/∂h_t: from the output now and from step t+1
    const dc = new Float64Array(U); // ∂cost/∂c_t: from h_t and from c_{t+1}
    const dz = new Float64Array(GU); // ∂cost/∂ pre-activations
    const sdz = new Float64Array(GU); // Σ s·dz: what the folded in_hidden needs (below)
    for (let b = 0; b < B; b++) {
      dh.fill(0);
      dc.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const at = b * T + t;
        const out = at * U;
        const g = at * GU;
        // h_{t-1} and c_{t-1}: the step before, or the state carried in (zeros if none)
        let hs = h;
        let cs = c;
        let from = out - U;
        if (t === 0) {
          hs = h0 || zeros;
          cs = c0 || zeros;
          from = h0 ? b * U : 0;
        }
        // dŷ = 2(ŷ − y)/B: the cost's derivative, averaged over the rows
        const dy = (2 * (y[at] - targets[at])) / B;
        d_out_bias += dy;
        for (let u = 0; u < U; u++) {
          d_out_kernel[u] += dy * h[out + u]; // dW_out += dŷ · h_t
          dh[u] += dy * out_kernel[u]; // dh_t += dŷ · W_out
        }
        if (lstm) {
          for (let u = 0; u < U; u++) {
            const i = gates[g + u];
            const f = gates[g + U + u];
            const c_hat = gates[g + 2 * U + u];
            const o = gates[g + 3 * U + u];
            const tanh_c_t = tanh_c[out + u];
            // dc = dh · o · (1 − tanh²c) + the error already in c from step t+1
            dc[u] += dh[u] * o * (1 - tanh_c_t * tanh_c_t);
            // do = dh · tanh c, through σ: dz_o = do · o(1 − o)
            dz[3 * U + u] = dh[u] * tanh_c_t * o * (1 - o);
            // di = dc · c̃, through σ: dz_i = di · i(1 − i)
            dz[u] = dc[u] * c_hat * i * (1 - i);
            // df = dc · c_{t-1}, through σ: dz_f = df · f(1 − f)
            dz[U + u] = dc[u] * cs[from + u] * f * (1 - f);
            // dc̃ = dc · i, through tanh: dz_c = dc̃ · (1 − c̃²)
            dz[2 * U + u] = dc[u] * i * (1 - c_hat * c_hat);
            // dc_tm1 = dc · f: the error sent one step back through the cell state
            dc[u] *= f;
          }
        } else {
          // the RNN: dz = dh · (1 − h²), through the one tanh
          for (let u = 0; u < U; u++) dz[u] = dh[u] * (1 - gates[g + u] ** 2);
        }
        // db += dz; Σ s·dz for the kernel and in_hidden (folded, below)
        const s = inputs[at];
        for (let j = 0; j < GU; j++) {
          d_bias[j] += dz[j];
          sdz[j] += s * dz[j];
        }
        // dU += h_{t-1} ⊗ dz; dh_tm1 = U · dz: the error sent one step back through h
        // (four columns at a time, as the forward pass's product)
        for (let u = 0; u < U; u++) {
          const h_u = hs[from + u];
          const row = u * GU;
          let dh_tm1 = 0;
          let j = 0;
          for (; j + 3 < GU; j += 4) {
            const dz0 = dz[j];
            const dz1 = dz[j + 1];
            const dz2 = dz[j + 2];
            const dz3 = dz[j + 3];
            dR[row + j] += h_u * dz0;
            dR[row + j + 1] += h_u * dz1;
            dR[row + j + 2] += h_u * dz2;
            dR[row + j + 3] += h_u * dz3;
            dh_tm1 +=
              R[row + j] * dz0 + R[row + j + 1] * dz1 + R[row + j + 2] * dz2 + R[row + j + 3] * dz3;
          }
          for (; j < GU; j++) {
            dR[row + j] += h_u * dz[j];
            dh_tm1 += R[row + j] * dz[j];
          }
          dh[u] = dh_tm1;
        }
      }
    }
    grads.out_bias[0] = d_out_bias;
    // in_hidden, unfolded: x_t = s·W_in + b_in, so dW = Σ x_t ⊗ dz = W_in ⊗ Σ s·dz + b_in ⊗ Σ dz,
    // and dx_t = W · dz gives dW_in = W · Σ s·dz, db_in = W · Σ dz
    for (let u = 0; u < U; u++) {
      for (let j = 0, row = u * GU; j < GU; j++) {
        grads.kernel[row + j] = weights.in_kernel[u] * sdz[j] + weights.in_bias[u] * grads.bias[j];
        grads.in_kernel[u] += weights.kernel[row + j] * sdz[j];
        grads.in_bias[u] += weights.kernel[row + j] * grads.bias[j];
      }
    }
    return grads;
  }

  // ---- Keras 3's Adam (keras/src/optimizers/adam.py) ----

  /** Adam as Keras 3 applies it, epsilon 1e-8 (TF1's, as train.py sets it).
   * Keras casts β₁ and β₂ to float32 before raising them to the step; the moments use
   * the exact 1 − β. */
  class Adam {
    constructor(weights, lr) {
      this.lr = lr;
      this.iterations = 0;
      this.m = {};
      this.v = {};
      for (const name of NAMES) {
        this.m[name] = new Float64Array(weights[name].length);
        this.v[name] = new Float64Array(weights[name].length);
      }
    }

    apply(weights, grads) {
      const beta_1 = 0.9;
      const beta_2 = 0.999;
      const epsilon = 1e-8;
      const step = ++this.iterations;
      const beta_1_power = Math.fround(beta_1) ** step;
      const beta_2_power = Math.fround(beta_2) ** step;
      const alpha = (this.lr * Math.sqrt(1 - beta_2_power)) / (1 - beta_1_power);
      for (const name of NAMES) {
        const w = weights[name];
        const g = grads[name];
        const m = this.m[name];
        const v = this.v[name];
        for (let j = 0; j < w.length; j++) {
          m[j] += (g[j] - m[j]) * (1 - beta_1);
          v[j] += (g[j] * g[j] - v[j]) * (1 - beta_2);
          w[j] -= (m[j] * alpha) / (Math.sqrt(v[j]) + epsilon);
        }
      }
    }
  }

  // ---- train.py: the stream through the model, the state carried, one step at a time ----

  /** The first step whose cost is NaN, infinite or over BLOW_UP × the first (callbacks.py). */
  function firstDivergence(costs, done = costs.length) {
    for (let k = 0; k < done; k++) {
      if (!Number.isFinite(costs[k]) || costs[k] > BLOW_UP * costs[0]) return k;
    }
    return null;
  }

  /** The mean of the last 20 costs: the CLI's final cost. */
  function finalCost(costs, done = costs.length) {
    const from = Math.max(0, done - LAST);
    let sum = 0;
    for (let k = from; k < done; k++) sum += costs[k];
    return sum / (done - from);
  }

  /** A training run: `step()` trains batch k = done, as `fit` does with shuffle=False.
   * It keeps each step's cost and row 0's prediction from the forward pass that step
   * trained on (before the update), as the StepRecord does. */
  class Run {
    constructor(settings, weights = initial(settings).weights) {
      this.settings = fixed(settings);
      this.weights = copy(weights);
      this.adam = new Adam(this.weights, settings.lr);
      this.w = workspace(settings);
      const BU = settings.batch_size * settings.cell_size;
      this.state = { h: new Float64Array(BU), c: new Float64Array(BU) }; // zeros, as Keras starts
      // every batch of the run is a stretch of these points (see `stream`): made once
      this.curve = curve(0, settings.time_steps * (settings.steps + settings.batch_size - 1));
      this.costs = new Float64Array(settings.steps);
      this.preds = new Float64Array(settings.steps * settings.time_steps);
      this.done = 0;
      this.diverged = null;
    }

    get finished() {
      return this.diverged !== null || this.done === this.settings.steps;
    }

    /** Train one step; its cost. */
    step() {
      const s = this.settings;
      const k = this.done;
      const from = s.time_steps * k; // batch k, as stream(k) makes it
      const sin = this.curve.sin.subarray(from, from + s.batch_size * s.time_steps);
      const cos = this.curve.cos.subarray(from, from + s.batch_size * s.time_steps);
      // stateless: every batch starts from zeros (--stateless)
      const start = s.stateful ? this.state : { h: null, c: null };
      const cost = forward(s, this.weights, this.w, sin, cos, start.h, start.c);
      const grads = backward(s, this.weights, this.w, sin, cos, start.h, start.c);
      if (s.stateful) this.state = lastState(s, this.w); // before the update, as Keras
      this.adam.apply(this.weights, grads);
      this.costs[k] = cost;
      this.preds.set(this.w.y.subarray(0, s.time_steps), k * s.time_steps);
      this.done = k + 1;
      // the first step that blew up ends the run (earlier steps were checked as they ran)
      if (!Number.isFinite(cost) || cost > BLOW_UP * this.costs[0]) this.diverged = k;
      return cost;
    }

    /** The trained model: weights and the state training left in each row. */
    model() {
      const BU = this.settings.batch_size * this.settings.cell_size;
      const state = this.settings.stateful
        ? { h: Float64Array.from(this.state.h), c: Float64Array.from(this.state.c) }
        : { h: new Float64Array(BU), c: new Float64Array(BU) };
      return { settings: fixed(this.settings), weights: copy(this.weights), state };
    }
  }

  /** One batch's cost and gradients, from `weights` and the carried-in state (tests). */
  function gradients(settings, weights, k, state = null) {
    settings = fixed(settings);
    const { sin, cos } = stream(k, settings.batch_size, settings.time_steps);
    const w = workspace(settings);
    const h0 = state && state.h;
    const c0 = state && state.c;
    const cost = forward(settings, weights, w, sin, cos, h0, c0);
    return { cost, grads: backward(settings, weights, w, sin, cos, h0, c0), pred: w.y };
  }

  return {
    X_SCALE,
    BLOW_UP,
    LAST,
    NAMES,
    curve,
    stream,
    forward,
    backward,
    gradients,
    Adam,
    Run,
    firstDivergence,
    finalCost,
    fixed,
    workspace,
    GATES,
  };
})();
