/* Part 2, Scrub: the step slider under the fit. The post's GIF, by hand: the fit as it stood
at any step of the last run, and that step's cost, marked on the cost curve. */
const SineScrub = (() => {
  "use strict";

  const slider = document.getElementById("step");

  /** A run has ended (done, stopped or diverged): its steps become the slider's. */
  function open(kept) {
    SineFit.keep(kept);
    const last = SineFit.lastGood();
    if (last < 0) return close();
    slider.max = String(last);
    slider.value = String(last);
    slider.disabled = false;
    SineFit.show(last);
  }

  /** A new run: nothing to scrub until it ends. */
  function close() {
    slider.disabled = true;
    slider.max = "0";
    slider.value = "0";
  }

  slider.addEventListener("input", () => {
    if (!slider.disabled) SineFit.show(Number(slider.value)); // nothing to show before a run ends
  });

  return { open, close };
})();
