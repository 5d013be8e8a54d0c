/* The command line's side of the page: its checks, its command and the lines it prints.

A value the page takes passes the checks `sine-lstm train` gives its flag (the limits and
defaults come from web/keras/cli.js, which `make site` writes from the command line's own
table), plus one of the page's own: a run too large for a browser tab is refused before it
starts (budget.js). A refusal carries its field and the check it fails, the command line's
`reason`; the page says it in the reader's language (strings/*.js). The transcript is what `sine-lstm train` prints for the same costs, number for
number (Python's `round(cost, 4)`, `:.4f` and `:.4g`).

A classic script: it defines the one global `SineCommand`.
*/
const SineCommand = (() => {
  "use strict";

  const CLI = globalThis.SINE_LSTM_CLI;
  const EVERY = CLI.every; // a cost line every 20 steps, as the original printed
  const SIZES = ["steps", "batch_size", "time_steps", "cell_size"]; // what a run's cost grows with

  /** A value the page will not take, naming its field: `code` says which check failed (the
   * command line's `reason`), `args` the values the page's words for it name (strings/*.js). */
  class Refused extends Error {
    constructor(field, code, args) {
      super(`${field}: ${code}`);
      this.field = field;
      this.code = code;
      this.args = args;
    }
  }

  // ---- Python's formatting, so the lines are the terminal's ----

  /** Python's repr of a float: the shortest round-trip digits, `1e-05`, `12.0`. */
  function pyFloat(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
    const exponent = Math.floor(Math.log10(Math.abs(x)));
    if (exponent < -4 || exponent >= 16) return pyExponent(x.toExponential());
    return String(x);
  }

  /** JavaScript's `1e-5` as Python's `1e-05`. */
  function pyExponent(text) {
    return text.replace(/e([+-])(\d)$/, "e$10$2");
  }

  /** Python's `format(x, ".Ng")`. */
  function pyG(x, digits = 6) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return "0";
    const exponent = Number(x.toExponential(digits - 1).split("e")[1]);
    if (exponent < -4 || exponent >= digits) {
      const [mantissa, power] = x.toExponential(digits - 1).split("e");
      return pyExponent(`${trimZeros(mantissa)}e${power}`);
    }
    return trimZeros(x.toFixed(Math.max(0, digits - 1 - exponent)));
  }

  function trimZeros(text) {
    return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  }

  /** The post's line for one step's cost: `cost: 10.6838` (`round(cost, 4)` as Python prints it). */
  function costLine(cost) {
    return `cost: ${Number.isFinite(cost) ? pyFloat(Number(cost.toFixed(4))) : pyFloat(cost)}`;
  }

  // ---- the command and its lines ----

  /** The value as the command line's flag takes it. */
  function shown(name, value) {
    return CLI.kinds[name] === "number" || CLI.kinds[name] === "finite"
      ? pyFloat(value)
      : String(value);
  }

  /** The `sine-lstm train` command that prints the same costs: the flags not at default. */
  function command(settings) {
    const flags = [];
    for (const name of Object.keys(CLI.flags)) {
      if (settings[name] === CLI.defaults[name]) continue;
      if (name === "stateful" && settings.task === "remember") continue; // it trains stateless
      flags.push(
        name === "stateful"
          ? CLI.flags.stateful
          : `${CLI.flags[name]} ${shown(name, settings[name])}`,
      );
    }
    return ["sine-lstm train", ...flags].join(" ");
  }

  /** What `sine-lstm train` prints for these costs (cli.run_train, callbacks.CostPrinter).
   * divergedAt: the first diverged step, or null; a run cut short prints its lines so far. */
  function transcript(settings, costs, divergedAt = null) {
    const done = divergedAt === null ? costs.length : divergedAt;
    const lines = [];
    for (let k = 0; k < done; k += EVERY) lines.push(costLine(costs[k]));
    if (divergedAt !== null) {
      lines.push(
        `sine-lstm: diverged: cost blew up to ${pyG(costs[divergedAt], 4)} at step ${divergedAt} ` +
          `(step 0: ${pyG(costs[0], 4)}) with learning rate ${pyG(settings.lr)}; ` +
          `try a smaller one, e.g. ${pyG(CLI.defaults.lr)}; its costs are in out/diverged/`,
      );
    } else if (costs.length === settings.steps) {
      const final = SineLearn.finalCost(costs, done); // learn.js, loaded before this file
      const memoryless = SineLearn.memorylessCost(settings, done);
      lines.push(`${CLI.lines.final}: ${final.toFixed(4)}`);
      lines.push(`${CLI.lines.memoryless}: ${memoryless.toFixed(4)}`);
      if (settings.task === "remember") lines.push(CLI.lines.no_gif);
      lines.push("wrote out/");
      if (final >= CLI.lines.nothing * memoryless) {
        const hint = CLI.lines.hints[settings.lr > CLI.defaults.lr ? "lr" : "steps"];
        const relative = (final / memoryless).toFixed(2);
        lines.push(CLI.lines.learned_nothing.replace("{relative}", relative).replace("{hint}", hint));
      }
    }
    return lines;
  }

  // ---- the checks: checks.parse, on what a learner types ----

  const INTEGER = /^[+-]?\d+$/;
  const NUMBER = /^[+-]?((\d+\.?\d*|\.\d+)(e[+-]?\d+)?|inf|infinity|nan)$/i;

  /** A Chinese keyboard's full-width digits (０–９) as 0–9: Python's int() and float() read them. */
  function asciiDigits(text) {
    return text.replace(/[\uFF10-\uFF19]/g, (digit) => String(digit.charCodeAt(0) - 0xff10));
  }

  /** The number a text that passed NUMBER names; `inf`, `nan` as JavaScript spells them. */
  function number(text) {
    const word = text.toLowerCase().replace(/^[+-]/, "");
    if (word === "nan") return Number.NaN;
    const sign = text.startsWith("-") ? -1 : 1;
    return word.startsWith("inf") ? sign * Number.POSITIVE_INFINITY : Number(text);
  }

  /** The value of `field` typed as `text`, or a Refused saying which check it fails. Stricter than
   * Python's int() and float() only in what a learner does not type: `1_000`, other scripts' digits. */
  function parse(field, text) {
    const kind = CLI.kinds[field];
    const refuse = (code, args = {}) => {
      throw new Refused(field, code, { ...args, text });
    };
    text = String(text);
    const typed = asciiDigits(text).trim();
    if (kind === "integer") {
      const [low, high] = CLI.limits[field];
      if (!INTEGER.test(typed)) refuse("integer", { low });
      const value = Number(typed);
      if (!(low <= value && value <= high)) refuse("between", { low, high });
      return value;
    }
    if (kind === "number" || kind === "finite") {
      if (!NUMBER.test(typed)) refuse("number");
      const value = number(typed);
      if (kind === "number" && !(Number.isFinite(value) && value > 0)) refuse("positive");
      if (!Number.isFinite(value)) refuse("finite");
      return value;
    }
    if (kind === "choice") {
      const choices = CLI.choices[field];
      if (!choices.includes(text)) refuse("choice", { choices });
      return text;
    }
    if (!["0", "1", "true", "false"].includes(text)) refuse("switch");
    return text === "true" || text === "1";
  }

  /** The field to name: the one whose default leaves the fewest limits broken, then the one
   * that shrinks `measure` the most. */
  function culprit(s, measure, fields) {
    let best = fields[0];
    let least = [Infinity, Infinity];
    for (const name of fields) {
      const t = { ...s, [name]: CLI.defaults[name] };
      const left = [SineBudget.over(t).length, measure(t)];
      if (left[0] < least[0] || (left[0] === least[0] && left[1] < least[1])) {
        [best, least] = [name, left];
      }
    }
    return best;
  }

  /** The settings that depend on each other, or on the tab: throws Refused naming a field. */
  function check(s) {
    if (!SineCells[s.cell].forget && s.forget_bias !== CLI.defaults.forget_bias) {
      throw new Refused("forget_bias", "no_forget_gate", { value: pyG(s.forget_bias) });
    }
    if (s.task !== "remember" && s.lag !== CLI.defaults.lag) {
      throw new Refused("lag", "remember_only", { text: s.lag, default: CLI.defaults.lag });
    }
    if (s.task === "remember" && s.lag >= s.time_steps) {
      const { lag, time_steps } = s;
      throw new Refused("lag", "lag_window", { text: lag, time_steps, most: time_steps - 1, need: lag + 1 });
    }
    const [first] = SineBudget.over(s); // budget.js
    if (first === undefined) return;
    const { what, need, limit } = first;
    const measure = (t) => SineBudget.over(t).find((o) => o.what === what)?.need ?? 0;
    const field = culprit(s, measure, what === "time" || what === "memory" ? SIZES : SIZES.slice(1));
    throw new Refused(field, "too_big", { field, what, need, limit, times: need / limit });
  }

  return { parse, check, command, transcript };
})();
