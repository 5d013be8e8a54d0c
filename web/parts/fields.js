/* Part 1's settings: the eleven fields, their values, and a line beside any value refused.

Every value passes the command line's own checks (SineCommand.parse, then SineCommand.check
for values that depend on each other), so the page refuses what `sine-lstm train` refuses,
and also a run too large for a browser tab. The learner sees why in the page's language,
beside the field; the settings are read afresh on every press of Train.
*/
const SineFields = (() => {
  "use strict";

  const form = document.getElementById("settings");
  let refusals = []; // [{field, err}] shown beside their fields

  const input = (field) => form.elements[field];

  /** Put settings (Config names) into the fields; the others keep their values. */
  function fill(settings) {
    for (const [field, value] of Object.entries(settings)) {
      if (field === "stateful") input(field).checked = value;
      else input(field).value = String(value);
    }
    taskChanged();
  }

  /** The settings in the fields, or null if any is refused (then shown beside it). */
  function read() {
    const settings = {};
    const found = [];
    for (const field of SineURL.FIELDS) {
      if (field === "stateful") {
        settings[field] = input(field).checked;
        continue;
      }
      try {
        settings[field] = SineCommand.parse(field, input(field).value);
      } catch (err) {
        found.push({ field, err });
      }
    }
    if (settings.task === "remember") settings.stateful = false; // its windows start from zero
    if (!found.length) {
      try {
        SineCommand.check(settings);
      } catch (err) {
        found.push({ field: err.field in SINE_LSTM_CLI.flags ? err.field : "steps", err });
      }
    }
    show(found);
    return found.length ? null : settings;
  }

  /** The fields' values that pass on their own: what the URL holds while the learner types. */
  function passing() {
    const settings = {};
    for (const field of SineURL.FIELDS) {
      if (field === "stateful") settings[field] = input(field).checked;
      else {
        try {
          settings[field] = SineCommand.parse(field, input(field).value);
        } catch (err) {
          // a value still being typed, or refused: the link keeps the default for it
        }
      }
    }
    return settings;
  }

  /** One line beside each refused field; the others lose theirs. */
  function show(found) {
    refusals = found;
    relabel();
  }

  function relabel() {
    for (const line of form.querySelectorAll(".refusal")) {
      const refusal = refusals.find((r) => r.field === line.dataset.field);
      line.textContent = refusal ? SineWords.refusal(refusal.err) : "";
      const field = input(line.dataset.field);
      if (refusal) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    }
  }

  /** The remember task trains stateless: its box is off and cannot be ticked. */
  function taskChanged() {
    const remember = input("task").value === "remember";
    const box = input("stateful");
    if (remember) box.checked = false;
    else if (box.disabled) box.checked = SINE_LSTM_CLI.defaults.stateful; // back from remember
    box.disabled = remember;
  }

  /** Call `changed` whenever the learner changes a value. */
  function watch(changed) {
    form.elements.task.addEventListener("change", taskChanged);
    form.addEventListener("change", changed);
    form.addEventListener("input", changed);
    form.addEventListener("submit", (event) => event.preventDefault());
  }

  return { fill, read, passing, relabel, watch };
})();
