// Runs the page's model (web/model.js, its cells, learn.js) under Node for tests/test_web.py: JSON in, JSON out.
// Loads the page's own scripts in its order, as classic scripts into one global scope.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const web = path.join(__dirname, "..", "..", "web");
for (const file of ["keras/cli.js", "keras/weights.js", "initial.js", "data.js", "kernel.js", "cells/lstm.js", "cells/rnn.js", "cells/gru.js", "cells/mingru.js", "cells/minlstm.js", "model.js", "budget.js", "learn.js", "probe.js", "command.js", "strings/en.js", "strings/zh.js"]) {
  const where = path.join(web, file);
  if (fs.existsSync(where)) vm.runInThisContext(fs.readFileSync(where, "utf8"), { filename: where });
}
const SineLearn = vm.runInThisContext("SineLearn");
const SineWeights = vm.runInThisContext("SineWeights");
const SineCommand = vm.runInThisContext("SineCommand");
const SineProbe = vm.runInThisContext("SineProbe");

const list = (array) => Array.from(array);
const model = (request) =>
  request.model === "trained"
    ? SineWeights.trained()
    : { settings: request.settings, weights: decoded(request.weights), state: decodedState(request.state) };
const decoded = (weights) => Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, Float64Array.from(v)]));
const decodedState = (state) => state && { h: Float64Array.from(state.h), c: Float64Array.from(state.c) };

const jobs = {
  // every cost of a run from the given (or Keras's exported) initial weights
  run(request) {
    const weights = request.weights ? decoded(request.weights) : SineWeights.initial(request.settings).weights;
    const run = new SineLearn.Run(request.settings, weights);
    while (!run.finished) run.step();
    const trained = run.model();
    return {
      costs: list(run.costs.subarray(0, run.done)),
      diverged: run.diverged,
      preds: list(run.preds.subarray(0, run.done * request.settings.time_steps)),
      weights: Object.fromEntries(Object.entries(trained.weights).map(([k, v]) => [k, list(v)])),
    };
  },
  initial(request) {
    const { weights, source } = SineWeights.initial(request.settings);
    return { source, weights: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, list(v)])) };
  },
  gradients(request) {
    SineKernel.use(SineKernel[request.kernel || "fast"]); // kernel.js's plain loops, or fused
    const { cost, grads, sent } = SineLearn.gradients(
      request.settings, decoded(request.weights), request.k, decodedState(request.state));
    SineKernel.use(SineKernel.fast);
    return { cost, sent: list(sent), grads: Object.fromEntries(Object.entries(grads).map(([k, v]) => [k, list(v)])) };
  },
  probe(request) {
    const out = SineProbe.probe(model(request), request.what || {});
    const traces = Object.fromEntries(Object.entries(out.traces).map(([k, v]) => [k, list(v)]));
    return { fit: list(out.fit), cost: out.cost, traces };
  },
  forget_path(request) {
    return { path: list(SineProbe.forgetPath(model(request), request.n)) };
  },
  transcript(request) {
    return { lines: SineCommand.transcript(request.settings, request.costs, request.diverged ?? null) };
  },
  parse(request) {
    try {
      return { value: SineCommand.parse(request.field, request.text) };
    } catch (err) {
      return { field: err.field, code: err.code, args: err.args };
    }
  },
  check(request) {
    try {
      SineCommand.check(request.settings);
      return { ok: true };
    } catch (err) {
      return { field: err.field, code: err.code, args: err.args };
    }
  },
  // the page's words in one language: its keys and their text
  strings(request) {
    return vm.runInThisContext(request.lang === "zh" ? "SINE_STRINGS_ZH" : "SINE_STRINGS_EN");
  },
  command(request) {
    return { command: SineCommand.command(request.settings) };
  },
};

const request = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(request.map((one) => jobs[one.job](one))));
