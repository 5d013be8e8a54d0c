/* The demo's network in plain JavaScript: the twin of model.py, and its backward pass.

Dense in_hidden → the cell over time (one of cells/*.js) → Dense out_hidden, and
the cost, Σ_t (ŷ − y)² averaged over the rows. A browser cannot run Keras, so the page trains
this copy; learn.js is the rest of train.py (Adam and the run). Keras finds the gradients
itself; here `backward` goes back through the same layers by hand: backpropagation through
time within each window, the state carried in from the previous batch held constant, as
Keras treats it. tests/test_web.py holds both equal to Keras: every cost of a run, a batch's
gradients, the trained model's gates (probe.js).

Everything is float64 (Keras trains in float32): the initial weights and the data are float32
numbers, as in Keras, so the two agree to float32 rounding.

Weights are flat Float64Arrays in Keras's layouts, row-major (U units, G pre-activations per
unit: 4 for the LSTM, 1 for the RNN, 3 for the GRU and the minLSTM, 2 for the minGRU):
  in_kernel (1, U), in_bias (U): the Dense in_hidden
  kernel (U, G·U), recurrent_kernel (U, G·U), bias (G·U): the cell (the GRU's bias (2, G·U):
    b beside W·x_t, b' beside U·h_{t−1}; the minGRU and the minLSTM have no recurrent_kernel)
  out_kernel (U, 1), out_bias (1): the Dense out_hidden
A cell says how its step meets h_{t−1} (`recurrent`): "sum", z = W·x_t + U·h_{t−1} + b in one
(the LSTM, the RNN); "apart", U·h_{t−1} + b' beside W·x_t + b (the GRU, whose reset gate
multiplies the first alone); "none", W·x_t + b alone, h_{t−1} entering only the cell's own
line (the minGRU, the minLSTM).
A batch's values are indexed [b][t] (b·T + t), and per unit [b][t][u] ((b·T + t)·U + u).

A classic script, loaded after kernel.js and cells/*.js: it defines the one global `SineModel`.
*/
const SineModel = (() => {
  "use strict";

  /** Room for one batch's forward pass, kept for the backward pass. */
  function workspace(settings) {
    const cell = SineCells[settings.cell];
    const n = settings.batch_size * settings.time_steps * settings.cell_size;
    const U = settings.cell_size;
    const w = {
      x: new Float64Array(n), // in_hidden's output x_t (kernel.js's plain loops), then dx_t
      xw: new Float64Array(n * cell.gates), // W·x_t + b, every step's (kernel.js)
      pre: new Float64Array(cell.gates * U), // one step's pre-activations z (or their recurrent part)
      dzIn: new Float64Array(cell.gates * U), // "apart": the input part's ∂cost/∂z
      y: new Float64Array(settings.batch_size * settings.time_steps), // out_hidden's ŷ
      zeros: new Float64Array(U), // the state a row starts from when none is carried in
      dZ: new Float64Array(n * cell.gates), // every step's ∂cost/∂z, going back
      grads: null, // the gradients, made on the first backward pass and refilled after
    };
    for (const name of cell.kept) w[name] = new Float64Array(n); // the cell's own, per step
    return w;
  }

  /** The forward pass over one batch from the state (h0, c0), or zeros: fills `w` and
   * returns the cost. `what` (probe.js's what-ifs): {pin: gates held, zeroed: [units]}. */
  function forward(settings, weights, w, inputs, targets, h0, c0, what = {}) {
    const B = settings.batch_size;
    const T = settings.time_steps;
    const U = settings.cell_size;
    const cell = SineCells[settings.cell];
    const cols = cell.gates * U;
    const pin = what.pin || {};
    const keep = new Float64Array(U).fill(1); // 1, or 0 for a zeroed unit: it says nothing
    for (const unit of what.zeroed || []) keep[unit] = 0;
    const { x, xw, pre: z, h, c } = w; // w.z is the GRU's update gate
    const { in_kernel, in_bias, kernel, recurrent_kernel, bias, out_kernel } = weights;
    const out_bias = weights.out_bias[0];
    // in_hidden, a Dense layer: x_t = s_t·W_in + b_in; and the input's part of the cell's
    // pre-activations, W·x_t + b: both for every step at once, as neither waits for h
    SineKernel.input(xw, x, inputs, in_kernel, in_bias, kernel, bias, B * T, U, cols);
    const start = h0 && h0.map((v, k) => v * keep[k % U]); // a zeroed unit is silent from the start
    let total = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const at = (b * T + t) * U;
        // h_{t-1} and c_{t-1}: the step before, or the state carried in, or zeros
        const [hs, cs, from] = t > 0 ? [h, c, at - U] : h0 ? [start, c0, b * U] : [w.zeros, w.zeros, 0];
        const off = (b * T + t) * cols;
        if (cell.recurrent === "sum") {
          // the cell's pre-activations: z = W·x_t + U·h_{t-1} + b
          SineKernel.step(z, xw, off, hs, from, recurrent_kernel, U, cols);
        } else if (cell.recurrent === "apart") {
          // the recurrent part alone: U·h_{t-1} + b' (the input's, W·x_t + b, is xw's)
          SineKernel.step(z, bias, cols, hs, from, recurrent_kernel, U, cols);
        } else {
          z.set(xw.subarray(off, off + cols)); // W·x_t + b alone
        }
        // the cell's own state before: the LSTM's c_{t-1}, the others' h_{t-1}
        cell.step(w, z, at, cell.carried.includes("c") ? cs : hs, from, pin, U, xw, off);
        for (let u = 0; u < U; u++) h[at + u] *= keep[u];
        // out_hidden: ŷ = W_out · h_t + b_out
        let y = out_bias;
        for (let u = 0; u < U; u++) y += h[at + u] * out_kernel[u];
        w.y[b * T + t] = y;
        const target = targets[b * T + t];
        if (!Number.isNaN(target)) total += (y - target) ** 2; // NaN: nothing to answer, no cost
      }
    }
    return total / B;
  }

  /** The gradient of the cost for every weight, after `forward` filled `w`: {name: array}.
   * The error goes back step by step; at each step back it is multiplied by the recurrent
   * weights and the gates (the post's section 二). Nothing flows into the carried-in state. */
  function backward(settings, weights, w, inputs, targets, h0, c0) {
    const B = settings.batch_size;
    const T = settings.time_steps;
    const U = settings.cell_size;
    const cell = SineCells[settings.cell];
    const cols = cell.gates * U;
    // the same arrays every step: a run leaves no garbage behind it, however many its steps
    w.grads ??= Object.fromEntries(
      Object.entries(weights).map(([name, value]) => [name, new Float64Array(value.length)]),
    );
    const grads = w.grads;
    for (const grad of Object.values(grads)) grad.fill(0);
    const { x, h, c, y } = w; // x: in_hidden's output, for kernel.js's plain loops
    const { kernel, recurrent_kernel, out_kernel } = weights;
    const dh = new Float64Array(U); // ∂cost/∂h_t: from the output now and from step t+1
    const dc = new Float64Array(U); // ∂cost/∂c_t: from h_t and from c_{t+1}
    const dz = new Float64Array(cols); // ∂cost/∂z, the pre-activations
    const dZ = w.dZ; // every step's dz
    for (let b = 0; b < B; b++) {
      dh.fill(0);
      dc.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const at = (b * T + t) * U;
        const [hs, cs, from] = t > 0 ? [h, c, at - U] : h0 ? [h0, c0, b * U] : [w.zeros, w.zeros, 0];
        // ŷ = W_out · h_t + b_out, cost Σ (ŷ − y)² / B: dŷ = 2(ŷ − y)/B
        const target = targets[b * T + t];
        const dy = !Number.isNaN(target) ? (2 * (y[b * T + t] - target)) / B : 0; // NaN: none
        grads.out_bias[0] += dy;
        for (let u = 0; u < U; u++) {
          grads.out_kernel[u] += dy * h[at + u]; // dW_out += dŷ · h_t
          dh[u] += dy * out_kernel[u]; // dh_t += dŷ · W_out
        }
        // dz; dc → dc_{t-1} (the LSTM), or the error reaching h_{t-1} not through U (the others)
        const lstm = cell.carried.includes("c");
        cell.back(w, at, dh, dc, dz, lstm ? cs : hs, from, U, w.dzIn);
        dZ.set(cell.recurrent === "apart" ? w.dzIn : dz, (b * T + t) * cols);
        if (cell.recurrent === "none") {
          dh.set(dc); // h_{t-1} reaches h_t through the cell's own line only
          continue;
        }
        // z = W·x_t + U·h_{t-1} + b: dU += h_{t-1} ⊗ dz, and dh_{t-1} = U·dz, the error
        // sent one step back through h
        SineKernel.stepBack(dz, hs, from, recurrent_kernel, grads.recurrent_kernel, U, dh, cols);
        if (cell.recurrent === "apart") {
          for (let j = 0; j < cols; j++) grads.bias[cols + j] += dz[j]; // db' += dz
        }
        if (!lstm) for (let u = 0; u < U; u++) dh[u] += dc[u]; // and the direct path
      }
    }
    // and the input's part, every step at once: dW += x_t ⊗ dz, db += dz; dx_t = W·dz, then
    // in_hidden's x_t = s_t·W_in + b_in: dW_in += s_t · dx_t, db_in += dx_t
    SineKernel.inputBack(dZ, x, inputs, weights.in_kernel, weights.in_bias, kernel, grads.kernel,
      grads.bias, grads.in_kernel, grads.in_bias, B * T, U, cols);
    return grads;
  }

  /** How much of the last step's prediction reaches back n steps, after `forward` filled `w`:
   * for n = 0 … T − 1, the size of ∂ŷ_{T−1}/∂h_{T−1−n} in row `b` (the root of the sum of
   * squares over units; every path back counted, the LSTM's cell state too), divided by
   * its size at n = 0.
   * The same steps back as `backward`'s, from the one output alone: the post's section 二,
   * measured on the model as it trains. Returns Float64Array(T). */
  function sentBack(settings, weights, w, h0, c0, b = 0) {
    const T = settings.time_steps;
    const U = settings.cell_size;
    const cell = SineCells[settings.cell];
    const cols = cell.gates * U;
    const lstm = cell.carried.includes("c");
    const dh = Float64Array.from(weights.out_kernel); // ŷ = W_out · h_{T−1} + b_out
    const dc = new Float64Array(U);
    const dz = new Float64Array(cols);
    const scratch = new Float64Array(weights.recurrent_kernel ? weights.recurrent_kernel.length : 0);
    const sizes = new Float64Array(T);
    for (let t = T - 1; t >= 0; t--) {
      let square = 0;
      for (let u = 0; u < U; u++) square += dh[u] * dh[u];
      sizes[T - 1 - t] = Math.sqrt(square);
      const at = (b * T + t) * U;
      const [hs, cs, from] = t > 0 ? [w.h, w.c, at - U] : h0 ? [h0, c0, b * U] : [w.zeros, w.zeros, 0];
      cell.back(w, at, dh, dc, dz, lstm ? cs : hs, from, U, w.dzIn);
      if (cell.recurrent === "none") {
        dh.set(dc);
        continue;
      }
      SineKernel.stepBack(dz, hs, from, weights.recurrent_kernel, scratch, U, dh, cols);
      if (!lstm) for (let u = 0; u < U; u++) dh[u] += dc[u];
    }
    return sizes.map((size) => size / sizes[0]);
  }

  /** The last state of every row, {h, c} (the RNN's c empty): where the next batch starts. */
  function lastState(settings, w) {
    const B = settings.batch_size;
    const T = settings.time_steps;
    const U = settings.cell_size;
    const state = { h: new Float64Array(B * U), c: new Float64Array(w.c ? B * U : 0) };
    for (let b = 0; b < B; b++) {
      const at = (b * T + T - 1) * U;
      for (const name of SineCells[settings.cell].carried) {
        state[name].set(w[name].subarray(at, at + U), b * U);
      }
    }
    return state;
  }

  return { workspace, forward, backward, sentBack, lastState };
})();
