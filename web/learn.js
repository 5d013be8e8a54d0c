/* How the page's model learns: backpropagation through time, Keras 3's Adam and the run.

The twin of train.py and of what Keras's `fit` does for it: the gradient of lstm.js's cost
for every weight, by backpropagation through time within each window (the state carried in
from the previous batch is a constant, as Keras treats it), Keras 3's Adam step by step,
and a run that trains one batch a step with the state carried from batch to batch.
tests/test_web.py holds it equal to Keras: every cost of a run and a batch's gradients.

The backward pass reads what lstm.js's forward pass kept in its workspace, in the layouts
that lstm.js's header gives; the gradients come out in the weights' own layouts.

A classic script, loaded after initial.js (where the weights come from) and lstm.js (the
forward pass): it defines the one global `SineLearn`.
*/
const SineLearn = (() => {
  "use strict";

  const BLOW_UP = 1000; // callbacks.py: a cost this many times the first step's has diverged
  const LAST = 20; // the final cost is the mean of the last 20 steps (train.Result.final_cost)
  const { NAMES, initial, copy } = SineWeights; // initial.js: where the weights come from
  const { GATES, fixed, curve, stream, workspace, forward, lastState } = SineLSTM; // lstm.js

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
    BLOW_UP,
    LAST,
    backward,
    Adam,
    Run,
    gradients,
    finalCost,
  };
})();
