/* A link is an experiment: every setting and what-if of the page lives in the URL query.

The names are the command line's flags without their dashes (`?seed=3&lr=0.01&cell=rnn`),
`stateless=1` for --stateless, and the what-ifs `pin-f=0&pin-i=1&pin-o=1&zero=3,4&reset=1`;
then `pace` (steps a second), `w` (part 5's W), `lang`, and `v`, the page's version, first.
The link says what is on the screen: the settings of the run shown (or asked for), never a
value typed since and not yet trained.

A link from another version of the page (a `v=` other than VERSION) is followed, and says
that it comes from another version: its settings may not mean there what they mean here. A
link without `v=` is from before links carried it, when the settings meant what they mean in
version 1.

The URL is hostile input. Each value passes the command line's own checks (SineCommand.parse)
or ours; one that fails is replaced by the default and named in a notice, and nothing from
the URL is ever run or put into the page as HTML.
*/
const SineURL = (() => {
  "use strict";

  const CLI = SINE_LSTM_CLI;
  const FIELDS = Object.keys(CLI.flags); // Config names, in the command line's order
  const PARAM = Object.fromEntries(
    FIELDS.map((field) => [field, CLI.flags[field].replace(/^--/, "")]),
  );
  const VERSION = 1; // what a link's settings mean: raise it when a default or a name changes
  const PINS = ["i", "f", "o"];
  const PIN = { low: 0, high: 1, step: 0.05 }; // a pinned gate's slider
  const PACES = [1, 2, 5, 10, 20, 50, 100, 200, Infinity]; // steps a second; the last: no waiting
  const W = { low: 0.5, high: 1.5, step: 0.01, default: 0.95 }; // part 5's slider
  const KNOWN = new Set([
    ...Object.values(PARAM),
    ...PINS.map((g) => "pin-" + g),
    "zero",
    "reset",
    "pace",
    "w",
    "lang",
    "v",
  ]);

  /** Edits (insert, delete, change a character) from a to b: a misspelling is one or two. */
  function distance(a, b) {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      row = next;
    }
    return row[b.length];
  }

  /** The known name `param` is closest to, if it is a misspelling of one (two edits at most). */
  function meant(param) {
    const lower = param.toLowerCase().replace(/_/g, "-");
    let best = null;
    let least = 3;
    for (const name of KNOWN) {
      const d = name === lower ? 0 : distance(lower, name);
      if (d < least && d < name.length) [best, least] = [name, d];
    }
    return best;
  }

  /** A refusal of our own, shaped as SineCommand's: a code and the values its message names. */
  function refused(code, args) {
    return { code, args };
  }

  /** "0" or "1". */
  function parseSwitch(text) {
    if (text === "0" || text === "1") return text === "1";
    throw refused("switch", { text });
  }

  /** A number from low to high, on a slider's steps (a link's 0.33 is the slider's 0.35). */
  function parseRange(text, { low, high, step }, code) {
    const value = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text) ? Number(text) : NaN;
    if (!(value >= low && value <= high)) throw refused(code, { text, low, high });
    return Number((low + Math.round((value - low) / step) * step).toFixed(10));
  }

  /** Unit numbers, "3,4": each from 0 to units − 1, none twice. */
  function parseUnits(text, units) {
    const list = text === "" ? [] : text.split(",");
    const out = [];
    for (const item of list) {
      const unit = /^\d{1,7}$/.test(item.trim()) ? Number(item) : NaN;
      if (!(unit < units) || out.includes(unit)) throw refused("units", { text, high: units - 1 });
      out.push(unit);
    }
    return out;
  }

  /** What the query asks for, and a notice for every value it cannot have.
   * Returns {settings (the settings given and accepted), given (any setting named), whatIf,
   * lang, pace (a PACES index), w, notices: [{param, text}] in the page's words (as functions,
   * so that they can be said again in another language)}. */
  function read(search) {
    const query = new URLSearchParams(search);
    const out = {
      settings: {},
      given: false,
      whatIf: { pin: {}, zeroed: [], reset: false },
      lang: null,
      pace: null,
      w: null,
      notices: [],
    };
    const bad = (param, err, fallback) =>
      out.notices.push(() =>
        SineWords.t("link_bad", {
          param: SineWords.shown(param),
          reason: SineWords.refusal(err),
          default: fallback,
        }),
      );
    const seen = new Set();
    for (const param of query.keys()) {
      const shown = SineWords.shown(param);
      if (seen.has(param)) {
        if (seen.has(param + "\u0000")) continue; // one notice, however many times
        seen.add(param + "\u0000");
        const first = SineWords.shown(query.get(param));
        out.notices.push(() => SineWords.t("link_twice", { param: shown, value: first }));
        continue;
      }
      seen.add(param);
      if (KNOWN.has(param)) continue;
      const near = meant(param);
      if (near) out.notices.push(() => SineWords.t("link_misspelt", { param: shown, near }));
      else out.notices.push(() => SineWords.t("link_unknown", { param: shown }));
    }
    if (query.has("v")) {
      const text = query.get("v");
      if (!/^\d{1,6}$/.test(text)) bad("v", refused("version", { text }), VERSION);
      else if (Number(text) !== VERSION) {
        const v = Number(text);
        out.notices.push(() => SineWords.t("link_version", { v, version: VERSION }));
      }
    }
    for (const field of FIELDS) {
      const param = PARAM[field];
      if (!query.has(param)) continue;
      out.given = true;
      const text = query.get(param);
      try {
        out.settings[field] =
          field === "stateful" ? !parseSwitch(text) : SineCommand.parse(field, text);
      } catch (err) {
        const fallback = field === "stateful" ? "0" : CLI.defaults[field];
        bad(param, err, fallback);
      }
    }
    const units = out.settings.cell_size ?? CLI.defaults.cell_size;
    for (const gate of PINS) {
      const param = "pin-" + gate;
      if (!query.has(param)) continue;
      try {
        out.whatIf.pin[gate] = parseRange(query.get(param), PIN, "fraction");
      } catch (err) {
        bad(param, err, "–");
      }
    }
    if (query.has("zero")) {
      try {
        out.whatIf.zeroed = parseUnits(query.get("zero"), units);
      } catch (err) {
        bad("zero", err, "–");
      }
    }
    if (query.has("reset")) {
      try {
        out.whatIf.reset = parseSwitch(query.get("reset"));
      } catch (err) {
        bad("reset", err, "0");
      }
    }
    if (query.has("pace")) {
      const text = query.get("pace");
      const index = PACES.slice(0, -1).map(String).indexOf(text);
      if (index >= 0) out.pace = index;
      else bad("pace", refused("choice", { text, choices: PACES.slice(0, -1) }), "–");
    }
    if (query.has("w")) {
      try {
        out.w = parseRange(query.get("w"), W, "w");
      } catch (err) {
        bad("w", err, W.default);
      }
    }
    if (query.has("lang")) {
      const text = query.get("lang");
      if (SineWords.LANGS.includes(text)) out.lang = text;
      else bad("lang", refused("lang", { text }), SineWords.fromBrowser());
    }
    return out;
  }

  /** The query for the page's state: settings that differ from the defaults (and the seed,
   * once a run has been asked for, so that the link trains it), what-ifs, pace, W, language.
   * Every value written here is one of the page's own, already checked. */
  function query(state) {
    const pairs = [];
    for (const field of FIELDS) {
      const value = state.settings[field];
      if (value === undefined) continue;
      if (field === "stateful") {
        if (!value) pairs.push(["stateless", "1"]);
      } else if (value !== CLI.defaults[field] || (field === "seed" && state.trained)) {
        pairs.push([PARAM[field], String(value)]);
      }
    }
    for (const gate of PINS) {
      if (gate in state.whatIf.pin) pairs.push(["pin-" + gate, String(state.whatIf.pin[gate])]);
    }
    if (state.whatIf.zeroed.length) pairs.push(["zero", state.whatIf.zeroed.join(",")]);
    if (state.whatIf.reset) pairs.push(["reset", "1"]);
    if (Number.isFinite(PACES[state.pace])) pairs.push(["pace", String(PACES[state.pace])]);
    if (state.w !== W.default) pairs.push(["w", String(state.w)]);
    if (state.lang) pairs.push(["lang", state.lang]);
    if (pairs.length) pairs.unshift(["v", String(VERSION)]);
    return pairs
      .map(([name, value]) => name + "=" + encodeURIComponent(value).replace(/%2C/g, ","))
      .join("&");
  }

  /** Put the state into the address bar, without reloading or adding to the history. */
  function write(state) {
    const text = query(state);
    try {
      history.replaceState(null, "", text ? "?" + text : location.pathname);
    } catch (err) {
      // some browsers refuse to change a file:// address: the page works on without it
    }
  }

  return { FIELDS, PINS, PIN, PACES, W, read, write };
})();
