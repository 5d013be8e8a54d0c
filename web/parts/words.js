/* The page's language: which one, and its words (strings/en.js, strings/zh.js) put into it.

The language follows `?lang=zh|en`, else the browser (zh… → Chinese), and the switch on the
page. Every text goes in as text, never as HTML: a `code` span is built as an element, and
a value from the URL or a field can only ever be shown, not run.
*/
const SineWords = (() => {
  "use strict";

  let lang = "en";
  const LANGS = ["en", "zh"];
  const STRINGS = { en: SINE_STRINGS_EN, zh: SINE_STRINGS_ZH }; // strings/en.js, strings/zh.js
  const LONGEST = 40; // a value shown back to the learner is cut to this many characters

  /** The language the browser asks for: Chinese for zh…, else English. */
  function fromBrowser() {
    const asked =
      navigator.languages && navigator.languages.length
        ? navigator.languages
        : [navigator.language];
    return String(asked[0] || "en")
      .toLowerCase()
      .startsWith("zh")
      ? "zh"
      : "en";
  }

  function set(which) {
    lang = LANGS.includes(which) ? which : "en";
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("page_title");
  }

  /** The template `key` in this language (English if missing), its {name} slots filled. */
  function t(key, args = {}) {
    const template = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
    return fillSlots(template, args);
  }

  function fillSlots(template, args) {
    return template.replace(/\{(\w+)\}/g, (slot, name) =>
      name in args ? String(args[name]) : slot,
    );
  }

  /** Put the text `key` into `el`: `code` between backticks becomes a <code> element. */
  function put(el, key, args = {}) {
    const template = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
    // split the template first, so that a backtick inside a value stays a plain character
    const parts = template.split("`").map((part, j) => {
      const text = fillSlots(part, args);
      if (j % 2 === 0) return document.createTextNode(text);
      const code = document.createElement("code");
      code.textContent = text;
      return code;
    });
    el.replaceChildren(...parts);
  }

  /** Every element of the page marked data-s="key" gets its text again. */
  function apply(root = document) {
    for (const el of root.querySelectorAll("[data-s]")) put(el, el.dataset.s);
  }

  /** A value given by the learner or a link, fit to be shown: short, and plain text. */
  function shown(value) {
    const text = String(value);
    return text.length > LONGEST ? text.slice(0, LONGEST) + "…" : text;
  }

  /** Why a value was refused, in this language: a SineCommand.Refused, or our own {code, args}. */
  function refusal(err) {
    const args = { ...(err.args || {}) };
    if ("text" in args) args.text = shown(args.text);
    if ("value" in args) args.value = shown(args.value);
    if (Array.isArray(args.choices)) args.choices = args.choices.join(", ");
    if (err.code === "too_big") {
      // `times`: how far over the page's limit; `limit` for memory is in bytes
      const times = Number(args.times);
      args.times =
        times < 10 ? times.toFixed(1) : times.toPrecision(2).replace(/e\+?(\d+)$/, "×10^$1");
      args.mb = Math.round(Number(args.limit) / 1e6);
      return t(
        "refused_too_big_" + (["step", "time", "memory", "task"].includes(args.what) ? args.what : "time"),
        args,
      );
    }
    if (err.code === "no_forget_gate") args.default = SINE_LSTM_CLI.defaults.forget_bias;
    const key = "refused_" + err.code;
    if (key in STRINGS.en) return t(key, args);
    return t("refused_other", { message: shown(err.message || err) });
  }

  return {
    LANGS,
    fromBrowser,
    set,
    t,
    put,
    apply,
    shown,
    refusal,
    get lang() {
      return lang;
    },
  };
})();
