/* The stream of batches: the twin of sine_lstm/data.py.

Batch k is a pure function of k: its rows are stretches of the curve x = i / (10π), the
input sin x, the target cos x. Row b, step t holds point i = T·(k + b) + t, so row b + 1 of
batch k is row b of batch k + 1: the path along which the state is carried.

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

  return { curve, stream };
})();
