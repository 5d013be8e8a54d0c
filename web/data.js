/* The stream of batches: the twin of sine_lstm/data.py.

Batch k is a pure function of k: its rows are stretches of the curve x = i / (10π), the
input sin x, the target cos x. Row b, step t holds point i = T·(k + b) + t, so row b + 1 of
batch k is row b of batch k + 1: the path along which the state is carried.

The remember task (`recall`, the twin of sine_lstm/remember.py): every input is noise,
uniform in ±0.5, and the target at step t is the input at step t − lag (NaN before: nothing
to recall). Batch k's noise is a hash of (seed, k, index), the same numbers remember.py
draws, so no window is seen twice and nothing is kept between batches.

A classic script (the page opens from disk, where browsers refuse modules): it defines the
one global `SineData`.
*/
const SineData = (() => {
  "use strict";

  const X_SCALE = 10 * Math.PI; // one point every 1/(10π) ≈ 0.032

  /** Points start … start + n − 1 of the curve: x, sin x and cos x, each Float64Array(n);
   * sin x and cos x rounded to float32, as data.py's are, so both sides see the same numbers. */
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

  /** Batch k: x, sin x and cos x, each Float64Array(batch·time), indexed [b][t] (b·T + t). */
  function stream(k, batchSize, timeSteps) {
    return curve(timeSteps * k, batchSize * timeSteps);
  }

  /** A 32-bit integer hash with little bias (Chris Wellons's lowbias32): remember.py's too. */
  function hash(x) {
    x = (x ^ (x >>> 16)) >>> 0;
    x = Math.imul(x, 0x7feb352d) >>> 0;
    x = (x ^ (x >>> 15)) >>> 0;
    x = Math.imul(x, 0x846ca68b) >>> 0;
    return (x ^ (x >>> 16)) >>> 0;
  }

  /** Batch k of the remember task: inputs and targets, each Float64Array(batch·time), [b][t].
   * Input i of the batch is hash(hash(hash(seed) ^ k) ^ i)'s top 24 bits / 2²⁴ − 0.5: exact
   * in float32, uniform in ±0.5. */
  function recall(k, batchSize, timeSteps, lag, seed) {
    const n = batchSize * timeSteps;
    const inputs = new Float64Array(n);
    const targets = new Float64Array(n).fill(Number.NaN); // NaN: nothing to recall yet
    const key = hash((hash(seed >>> 0) ^ k) >>> 0);
    for (let i = 0; i < n; i++) inputs[i] = (hash((key ^ i) >>> 0) >>> 8) / 2 ** 24 - 0.5;
    for (let b = 0; b < batchSize; b++) {
      for (let t = lag; t < timeSteps; t++) targets[b * timeSteps + t] = inputs[b * timeSteps + t - lag];
    }
    return { inputs, targets };
  }

  return { curve, stream, recall };
})();
