/* The page: its one state, the parts wired to it, the link read into it on opening and
written from it after.

The parts draw from `state` and keep no copy of it: a control moved tells the page, which
changes the state, writes the link and asks the part to render. Before any training, parts
3–5 ask the model `make gif` trains (exported from Keras), so they answer at once; a
finished run hands them its own model. The link always says what is on the page: settings
typed but not trained are shown as not yet run, and the link keeps the run shown until Train.
*/
(() => {
  "use strict";

  const CLI = SINE_LSTM_CLI;
  const notices = document.getElementById("notices");
  const pending = document.getElementById("pending"); // settings typed, not yet trained

  const state = {
    settings: { ...CLI.defaults }, // the run shown (or asked for by the link), as the link holds it
    trained: false, // a run was asked for: the link then trains it on opening
    whatIf: { pin: {}, zeroed: [], reset: false }, // part 4's: gates pinned, units silenced
    pace: SineURL.PACES.length - 1, // an index of SineURL.PACES
    w: SineURL.W.default, // part 5's W
    lang: null, // set by a link or the switch; else the browser's language, unwritten
    model: null,
    about: null, // what the model line says of it: {key, args}
    notices: [], // the link's refused values, as functions of the language
  };

  const remember = () => SineURL.write(state);

  const later = SineLater; // later.js: a task for each part

  // ---- the model parts 3–5 ask ----

  /** `standIn`: the model of `make gif`, shown while a link's own run trains, so the what-if
   * keeps units that only the link's model has. */
  let models = 0; // how many models have been shown: a part draws only the latest

  function useModel(model, about, standIn = false) {
    state.model = model;
    state.about = about;
    sayModel();
    const mine = ++models;
    const latest = (job) => () => mine === models && job();
    later(
      latest(() => SineGates.show(model)),
      latest(() => {
        if (!standIn) {
          const units = model.settings.cell_size; // a smaller model drops the units it lacks
          const zeroed = state.whatIf.zeroed.filter((u) => u < units);
          state.whatIf = { ...state.whatIf, zeroed };
          remember(); // … and so does the link
        }
        SineWhatIf.show(model);
      }),
      latest(() => SineThroughTime.show(model)),
    );
  }

  function sayModel() {
    for (const line of document.querySelectorAll(".model-line"))
      SineWords.put(line, state.about.key, state.about.args);
  }

  /** The model `make gif` trains, as Keras trained it. */
  function gifModel() {
    const final = SINE_LSTM_KERAS.trained.final_cost;
    return { key: "model_gif", args: { final: Number.isFinite(final) ? final.toFixed(4) : "–" } };
  }

  // ---- the language ----

  function setLanguage(lang) {
    SineWords.set(lang);
    for (const button of document.querySelectorAll("[data-lang]")) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
    }
    SineWords.apply();
    SineFields.relabel();
    SineTrain.relabel();
    showNotices();
    if (state.model) {
      sayModel();
      redrawPlots();
    }
  }

  /** The link's notices, each with a button that closes it. */
  function showNotices() {
    notices.replaceChildren(
      ...state.notices.map((say) => {
        const item = document.createElement("li");
        const close = document.createElement("button");
        close.type = "button";
        close.className = "close";
        close.textContent = "×";
        close.setAttribute("aria-label", SineWords.t("notice_close"));
        close.addEventListener("click", () => {
          state.notices = state.notices.filter((other) => other !== say);
          showNotices();
        });
        item.append(document.createTextNode(say()), close);
        return item;
      }),
    );
    notices.hidden = state.notices.length === 0;
  }

  /** Whether the fields hold settings other than the run shown: said beside Train. */
  function showPending() {
    const typed = SineFields.passing();
    const changed = SineURL.FIELDS.some((field) => typed[field] !== state.settings[field]);
    pending.hidden = !changed;
  }

  function redrawPlots() {
    later(SineFit.redraw, SineGates.redraw, SineWhatIf.redraw, SineThroughTime.redraw, SineHowFar.redraw);
  }

  // ---- wiring ----

  SineFields.watch(showPending); // the link keeps the run shown until Train
  SineTrain.init({
    state,
    read: SineFields.read,
    onStart(settings) {
      state.settings = { ...settings };
      state.trained = true;
      state.notices = []; // the link's refusals were about its opening, now past
      showNotices();
      showPending();
      SineScrub.close();
      remember();
    },
    onEnd({ kept, model, settings, final }) {
      SineScrub.open(kept);
      if (model) {
        const command = SineCommand.command(settings);
        useModel(model, {
          key: "model_run",
          args: { command, steps: settings.steps, final: final.toFixed(4) },
        });
      }
    },
    onPace(pace) {
      state.pace = pace;
      remember();
      SineTrain.renderPace();
    },
  });
  SineWhatIf.init(state, (whatIf) => {
    state.whatIf = whatIf;
    remember();
    SineWhatIf.render();
  });
  SineHowFar.init((changes) => {
    SineFields.fill({ ...CLI.defaults, ...changes }); // the experiment, all else at defaults
    const settings = SineFields.read();
    if (settings !== null) SineTrain.start(settings);
  });
  SineThroughTime.init(state, (w) => {
    state.w = w;
    remember();
    SineThroughTime.render();
  });
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      state.lang = button.dataset.lang;
      setLanguage(state.lang);
      remember();
    });
  }
  let resizing = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(redrawPlots); // once per frame, however many events
  });

  // ---- opening: the link's settings, then a run if it names one ----

  const link = SineURL.read(location.search);
  state.notices = link.notices;
  state.lang = link.lang;
  state.settings = { ...CLI.defaults, ...link.settings };
  state.whatIf = link.whatIf;
  state.pace = link.pace ?? state.pace;
  state.w = link.w ?? state.w;
  setLanguage(link.lang || SineWords.fromBrowser());
  SineFields.fill(state.settings);
  SineTrain.renderPace();
  SineFit.begin({
    settings: state.settings,
    costs: new Float64Array(0),
    preds: new Float64Array(0),
    done: 0,
    diverged: null,
  });
  useModel(SineWeights.trained(), gifModel(), true);
  later(SineHowFar.redraw);
  if (state.notices.length) remember(); // the address bar loses what the page refused
  if (link.given) {
    if (state.notices.length) SineTrain.say("status_link");
    else {
      const settings = SineFields.read();
      if (settings === null) SineTrain.say("status_refused");
      else later(() => SineTrain.start(settings)); // a link is an experiment: it runs on opening, in a task of its own
    }
  }
})();
