/* How the page's model learns: Keras 3's Adam and the run, the twin of train.py.

What Keras's `fit` does for train.py: one batch a step in the stream's order, the state
carried from batch to batch, the gradients (model.js's `backward`) applied by Keras 3's Adam.
tests/test_web.py holds it equal to Keras: every cost of a run and a batch's gradients.

A classic script, loaded after initial.js (where the weights come from), data.js and
model.js: it defines the one global `SineLearn`.
*/
const SineLearn = (() => {
  "use strict";

  const BLOW_UP = 1000; // callbacks.py: a cost this many times the first step's has diverged
  const LAST = 20; // the final cost is the mean of the last 20 steps (train.Result.final_cost)
  const { NAMES, initial, copy } = SineWeights; // initial.js: where the weights come from
  const { curve, stream, recall } = SineData; // data.js
  const { workspace, forward, backward, sentBack, lastState } = SineModel; // model.js

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
      this.names = NAMES.filter((name) => name in weights); // a min cell has no recurrent_kernel
      for (const name of this.names) {
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
      for (const name of this.names) {
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

  /** Batch k of the settings' task: {inputs, targets}, each Float64Array(batch·time). The
   * post's sin x → cos x is a stretch of `points` (the run's curve, made once), or made here. */
  function batch(s, k, points = null) {
    if (s.task === "remember") return recall(k, s.batch_size, s.time_steps, s.lag, s.seed);
    if (points === null) {
      const { sin, cos } = stream(k, s.batch_size, s.time_steps);
      return { inputs: sin, targets: cos };
    }
    const from = s.time_steps * k; // batch k, as stream(k) makes it
    const to = from + s.batch_size * s.time_steps;
    return { inputs: points.sin.subarray(from, to), targets: points.cos.subarray(from, to) };
  }

  /** What remembering nothing costs on the batches the final cost averages (steps done − 20 …
   * done − 1): the best constant, their targets' mean (data.memoryless_cost). */
  function memorylessCost(s, done) {
    const targets = [];
    for (let k = Math.max(0, done - LAST); k < done; k++) targets.push(batch(s, k).targets);
    let sum = 0;
    let n = 0;
    for (const batchTargets of targets) {
      for (const y of batchTargets) if (!Number.isNaN(y)) [sum, n] = [sum + y, n + 1];
    }
    const mean = sum / n;
    let squares = 0;
    for (const batchTargets of targets) {
      for (const y of batchTargets) if (!Number.isNaN(y)) squares += (y - mean) ** 2;
    }
    return squares / (targets.length * s.batch_size);
  }

  /** A training run: `step()` trains batch k = done, as `fit` does with shuffle=False.
   * It keeps each step's cost and row 0's prediction from the forward pass that step
   * trained on (before the update), as the StepRecord does. */
  class Run {
    constructor(settings, weights = initial(settings).weights) {
      this.settings = { ...settings };
      this.weights = copy(weights);
      this.adam = new Adam(this.weights, settings.lr);
      this.w = workspace(settings);
      const BU = settings.batch_size * settings.cell_size;
      this.state = { h: new Float64Array(BU), c: new Float64Array(BU) }; // zeros, as Keras starts
      // every batch of the post's task is a stretch of these points (see `stream`): made once
      this.curve =
        settings.task === "remember"
          ? null
          : curve(0, settings.time_steps * (settings.steps + settings.batch_size - 1));
      this.costs = new Float64Array(settings.steps);
      this.preds = new Float64Array(settings.steps * settings.time_steps);
      this.done = 0;
      this.diverged = null;
      this.askSentBack = false; // set by a part: the next step measures how far back it reaches
      this.sent = null; // {step, sizes}: model.js's sentBack, row 0, before that step's update
    }

    get finished() {
      return this.diverged !== null || this.done === this.settings.steps;
    }

    /** Train one step; its cost. */
    step() {
      const s = this.settings;
      const k = this.done;
      const { inputs, targets } = batch(s, k, this.curve);
      // stateless: every batch starts from zeros (--stateless)
      const start = s.stateful ? this.state : { h: null, c: null };
      const cost = forward(s, this.weights, this.w, inputs, targets, start.h, start.c);
      const grads = backward(s, this.weights, this.w, inputs, targets, start.h, start.c);
      if (this.askSentBack) {
        this.sent = { step: k, sizes: sentBack(s, this.weights, this.w, start.h, start.c) };
        this.askSentBack = false;
      }
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
      return { settings: { ...this.settings }, weights: copy(this.weights), state };
    }
  }

  /** One batch's cost and gradients, from `weights` and the carried-in state (tests). */
  function gradients(settings, weights, k, state = null) {
    const { inputs, targets } = batch(settings, k);
    const w = workspace(settings);
    const h0 = state && state.h;
    const c0 = state && state.c;
    const cost = forward(settings, weights, w, inputs, targets, h0, c0);
    const grads = backward(settings, weights, w, inputs, targets, h0, c0);
    return { cost, grads, pred: w.y, sent: sentBack(settings, weights, w, h0, c0) };
  }

  return { LAST, Run, batch, gradients, finalCost, memorylessCost };
})();
