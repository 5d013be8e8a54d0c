/* What a run costs a browser tab, estimated before it starts, and the tab's limits.

A link trains as soon as it opens, so one link given to a class could freeze every tab in
it. The page refuses a run, beside the field that makes it too large, when its estimate is
over a limit:
- a run of more than a minute, or a step of more than 30 ms (a step is never cut short, so
  Stop waits for it: 30 ms keeps Stop within 50 ms);
- more than 300 MB;
- a task of more than 100 ms after training: the end of the run, a what-if, a move of the
  scrub slider or a change of language, each of which redraws a part (page.js gives every
  part a task of its own, so the longest part is what counts).
Each estimate is above what `make bench-web` measured in Chromium on a 2-core machine for
every shape of its sweep (it prints estimate / measured for each), so that a slower laptop
fits too. The command line has no such limits.

A classic script, loaded after the cells (cells/*.js): it defines the one global `SineBudget`.
*/
const SineBudget = (() => {
  "use strict";

  // the run's seconds, a step's ms, bytes, the longest task's ms
  const LIMITS = { time: 60, step: 30, memory: 3e8, task: 100 };
  const VIEW = 200; // windows on the fit's x axis at most (parts/fit.js)

  /** The sizes a shape's costs grow with. */
  function sizes(s) {
    const G = SineCells[s.cell].gates; // pre-activations per unit
    const U = s.cell_size;
    const points = s.batch_size * s.time_steps; // a batch's steps, and the stretch's
    return {
      G,
      U,
      points,
      products: 3 * points * G * U * U, // U·h_{t−1} forward, dU and U·dz back (kernel.js)
      values: points * G * U, // each an exp or a tanh, and its derivative
      weights: 2 * G * U * U + G * U + 3 * U + 1, // Adam's work; the two kernels dominate
      kept: SineCells[s.cell].kept.length, // arrays per unit and step in the workspace
      traces: SineCells[s.cell].traced.length, // heat maps of part 3
    };
  }

  /** A training step, ms: its products, its gate values, its points and Adam, at 1.5 ns,
   * 70 ns, 150 ns and 28 ns each, and 0.15 ms for the rest. */
  function stepMs(s) {
    const n = sizes(s);
    return (1.5 * n.products + 70 * n.values + 150 * n.points + 28 * n.weights + 1.5e5) / 1e6;
  }

  /** A run from the press of Train to its end, seconds: its steps, each with its window
   * drawn on the fit (4 µs a point), a tenth more for the frames between chunks, and 0.2 s
   * to begin and end. */
  function runSeconds(s) {
    return (1.1 * s.steps * (stepMs(s) + 0.004 * (s.time_steps + 1))) / 1000 + 0.2;
  }

  /** The longest task after training, ms: 60 ms that any shape takes (the page laid out
   * again in another language; the fit drawn whole at the end of a run), and the larger of
   * - a what-if: a forward pass (a third of a step's work) and two lines of every window;
   * - part 3's heat maps: one cell per trace, unit and point;
   * - the fit: the windows of its view, T + 1 points each, the target and the prediction. */
  function taskMs(s) {
    const n = sizes(s);
    const whatIf = stepMs(s) / 3 + 0.016 * s.batch_size + 0.0008 * n.points;
    const heat = 0.0001 * n.traces * n.U * n.points + 0.0008 * n.points;
    const fit = 0.0004 * Math.min(s.steps, VIEW) * (s.time_steps + 1);
    return 60 + Math.max(whatIf, heat, fit);
  }

  /** Bytes a run holds at most: 10 MB that any run takes, then float64s: per point, room
   * for eight workspaces (the input, its product, the cell's kept values, dz: one trains, the
   * parts' questions and what the collector has yet to take make the rest) and two copies of
   * part 3's traces; per step, its cost and row 0's prediction; the curve the batches are cut
   * from; the weights with their gradients, Adam's two moments and copies. */
  function runBytes(s) {
    const n = sizes(s);
    const workspace = n.U * (2 * n.G + n.kept + 1) + 2;
    const perPoint = 8 * workspace + 2 * n.traces * n.U;
    const perStep = 1 + s.time_steps;
    const curve = 3 * s.time_steps * (s.steps + s.batch_size);
    return 1e7 + 8 * (n.points * perPoint + s.steps * perStep + curve + 8 * n.weights);
  }

  /** The estimates against the limits: each over its limit as {what, need, limit}, the
   * furthest over first. */
  function over(s) {
    const needs = {
      time: runSeconds(s),
      step: stepMs(s),
      memory: runBytes(s),
      task: taskMs(s),
    };
    return Object.keys(LIMITS)
      .filter((what) => needs[what] > LIMITS[what])
      .map((what) => ({ what, need: needs[what], limit: LIMITS[what] }))
      .sort((a, b) => b.need / b.limit - a.need / a.limit);
  }

  return { stepMs, runSeconds, taskMs, runBytes, over };
})();
