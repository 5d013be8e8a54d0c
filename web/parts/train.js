/* Part 1's run: Train and Stop, the pace, the status line, and what the command line prints.

Training runs in the page's own thread, in short chunks with a pause for the browser between
them, so the page never freezes and Stop answers within a chunk (CHUNK_MS). A run holds only
its own arrays; when it ends, the page keeps the costs and row 0's predictions for the scrub
slider and lets the rest go.
*/
const SineTrain = (() => {
  "use strict";

  const CHUNK_MS = 33; // train at most this long (two frames) before the browser may draw and hear a click
  const trainButton = document.getElementById("train");
  const stopButton = document.getElementById("stop");
  const pace = document.getElementById("pace");
  const paceText = document.getElementById("pace-text");
  const status = document.getElementById("status");
  const source = document.getElementById("source");
  const cli = document.getElementById("cli");
  const cliNote = document.getElementById("cli-note");
  const cliBox = document.getElementById("cli-box"); // hidden until the first run

  let job = null; // the run in progress: {run, settings, started, clock}
  let runs = 0; // how many runs have started: a run's late work checks it is still the latest
  let said = { key: "status_ready", args: {} }; // the status line, kept to say again in another language
  let sourceSaid = null; // where the run's initial weights came from
  let started = () => {}; // the page's callbacks: a run started (its settings), a run ended
  let ended = () => {};

  // Chromium can tell when a click is waiting: the chunk then ends after the step in hand
  const scheduling = navigator.scheduling;
  const inputWaiting =
    scheduling && scheduling.isInputPending ? () => scheduling.isInputPending() : () => false;

  // ---- a message channel wakes the loop without the 4 ms a chained setTimeout waits
  const channel = new MessageChannel();
  channel.port1.onmessage = () => tick();
  const soon = () => channel.port2.postMessage(null);

  function say(key, args = {}) {
    said = { key, args };
    SineWords.put(status, key, args);
    status.dataset.said = key; // which message, whatever the language: for tests and styles
  }

  pace.max = String(SineURL.PACES.length - 1);
  let page = null; // the page's state: its pace, an index of SineURL.PACES

  /** Steps a second at the page's pace; Infinity: no waiting. */
  function stepsPerSecond() {
    return SineURL.PACES[page.pace];
  }

  /** Train `settings` (already checked): a new run replaces any run in progress. */
  function start(settings) {
    stop(false);
    runs += 1;
    const { weights, source: from } = SineWeights.initial(settings);
    const run = new SineLearn.Run(settings, weights);
    job = { run, settings, started: performance.now(), clock: { at: performance.now(), done: 0 } };
    sourceSaid = {
      key: from === "keras" ? "source_keras" : "source_page",
      args: { seed: settings.seed },
    };
    SineWords.put(source, sourceSaid.key, sourceSaid.args);
    showCommand(settings, null);
    SineFit.begin(run);
    trainButton.setAttribute("aria-busy", "true");
    stopButton.disabled = false;
    say("status_training", { done: 0, steps: settings.steps });
    started(settings);
    tick(); // the first chunk now: its steps are on screen in the click's own frame
  }

  /** One chunk: the steps the pace allows, for at most CHUNK_MS, then a pause. */
  function tick() {
    if (job === null) return; // stopped since this chunk was asked for
    const { run, clock } = job;
    const now = performance.now();
    const rate = stepsPerSecond();
    // the pace counts from the last change of pace: steps due = rate × seconds since then
    const due = Number.isFinite(rate)
      ? clock.done + Math.floor(((now - clock.at) * rate) / 1000) + 1
      : Infinity;
    const until = now + CHUNK_MS;
    while (!run.finished && run.done < due && performance.now() < until && !inputWaiting())
      run.step();
    if (run.finished) return finish();
    if (!job.frame) job.frame = requestAnimationFrame(draw);
    if (run.done < due) soon();
    else
      job.timer = setTimeout(
        tick,
        Math.max(1, clock.at + ((run.done - clock.done) * 1000) / rate - now),
      );
  }

  /** Draw what was trained since the last frame. */
  function draw() {
    if (job === null) return;
    job.frame = 0;
    SineFit.live();
    SineHowFar.live(job.run);
    say("status_training", { done: job.run.done, steps: job.settings.steps });
  }

  /** The slider at the page's pace; a run counts from now, so a slower pace does not wait
   * for time already past. */
  function renderPace() {
    pace.value = String(page.pace);
    relabel();
    if (job === null) return;
    job.clock = { at: performance.now(), done: job.run.done };
    clearTimeout(job.timer);
    soon();
  }

  /** The run is over, done or diverged: the last picture, the command line's lines, the model. */
  function finish() {
    const { run, settings, started } = job;
    const seconds = (performance.now() - started) / 1000;
    cancel();
    SineFit.live(); // the last steps, drawn now rather than at the next frame
    const costs = run.costs.subarray(0, run.done);
    showCommand(settings, SineCommand.transcript(settings, costs, run.diverged));
    const kept = keep(run);
    if (run.diverged !== null) {
      say("status_diverged", { step: run.diverged });
      ended({ kept });
      return;
    }
    const final = SineLearn.finalCost(costs);
    const model = run.model();
    // Parts 3–5 take the new model once the last step is on screen: they lie below it, and
    // redrawing them first would keep the learner's eyes on a fit one frame late.
    const ours = runs;
    afterPaint(() => {
      if (ours !== runs) return; // a newer run has started: this one's model is not shown
      // the status speaks of the latest action: a press refused since then keeps its line
      if (said.key === "status_training") {
        say("status_done", {
          steps: run.done,
          seconds: seconds.toFixed(2),
          final: final.toFixed(4),
        });
      }
      SineHowFar.finish(run, final, SineLearn.memorylessCost(settings, run.done));
      ended({ kept, model, settings, final });
    });
  }

  /** `then()` once the browser has painted the current frame. */
  function afterPaint(then) {
    requestAnimationFrame(() => setTimeout(then, 0));
  }

  /** A few steps of a small run, once the page is idle after opening: the browser then
   * compiles the training code before the first press, which is as fast as the tenth.
   * Three steps a task, so that the tab is never held long; a run started meanwhile ends it. */
  function warmUp(run = new SineLearn.Run({ ...SINE_LSTM_CLI.defaults, steps: 30 })) {
    if (job !== null) return;
    for (let k = 0; k < 3 && !run.finished; k++) run.step();
    if (!run.finished) return setTimeout(() => warmUp(run), 0);
    document.documentElement.dataset.warm = String(Math.round(performance.now())); // for make bench-web
  }

  /** Stop the run in progress; `told`: say so on the status line. */
  function stop(told = true) {
    if (job === null) return;
    const { run, settings } = job;
    cancel();
    SineFit.live();
    // the lines the command line had printed by then (it prints a cost every 20 steps)
    showCommand(settings, SineCommand.transcript(settings, run.costs.subarray(0, run.done), null));
    if (told) {
      say("status_stopped", { done: run.done, steps: settings.steps });
      ended({ kept: keep(run) });
    }
  }

  /** No more chunks or frames for this run. */
  function cancel() {
    clearTimeout(job.timer);
    cancelAnimationFrame(job.frame);
    job = null;
    trainButton.removeAttribute("aria-busy");
    stopButton.disabled = true;
  }

  /** What the scrub slider needs of a run that has ended; its workspace, weights and
   * optimiser go with the Run object. */
  function keep(run) {
    return {
      settings: run.settings,
      costs: run.costs,
      preds: run.preds,
      done: run.done,
      diverged: run.diverged,
    };
  }

  /** `$ command` and, once the run has ended, the lines `sine-lstm train` prints for it. */
  function showCommand(settings, lines) {
    cli.textContent = ["$ " + SineCommand.command(settings), ...(lines || [])].join("\n");
    cliNote.hidden = lines !== null;
    cliBox.hidden = false;
  }

  function relabel() {
    const rate = stepsPerSecond();
    if (!Number.isFinite(rate)) SineWords.put(paceText, "pace_fast");
    else SineWords.put(paceText, rate === 1 ? "pace_one" : "pace", { n: rate });
    say(said.key, said.args);
    if (sourceSaid) SineWords.put(source, sourceSaid.key, sourceSaid.args);
  }

  /** Wire the buttons; `onStart(settings)`, `onEnd(result)` and `onPace(index)` tell the page,
   * whose `state` holds the pace. */
  function init({ state, read, onStart, onEnd, onPace }) {
    page = state;
    started = onStart;
    ended = onEnd;
    trainButton.addEventListener("click", () => {
      const settings = read();
      if (settings === null) {
        stop(); // the status line speaks of this press, so no run may go on beneath it
        say("status_refused");
        return;
      }
      start(settings);
    });
    stopButton.addEventListener("click", () => stop());
    pace.addEventListener("input", () => onPace(Number(pace.value)));
    (window.requestIdleCallback || setTimeout)(() => warmUp());
  }

  return {
    init,
    start,
    stop,
    say,
    relabel,
    renderPace,
  };
})();
