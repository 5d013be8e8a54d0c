/* Part 5, Back through time (the post's section 二): an error sent back n steps is
multiplied n times.

In the post's picture it is multiplied by W at each step: Wⁿ fades for W < 1 (the vanishing
gradient) and blows up for W > 1 (the exploding one). Along the LSTM's cell state the factor
is the forget gate: beside Wⁿ, 0.9ⁿ and 1.1ⁿ, the product of the model's own forget gates
n steps back (SineProbe.forgetPath).
*/
const SineThroughTime = (() => {
  "use strict";

  const N = 50; // steps back, as the post's and figure 3's
  const BLUE = SinePlot.COLORS.blue;
  const PURPLE = "#7b4fa0";
  const ORANGE = "#d9730d";
  const GREEN = "#2ca02c";
  const plot = new SinePlot.Plot(document.getElementById("time"));
  const slider = document.getElementById("w");
  const wText = document.getElementById("w-text");
  const readout = document.getElementById("time-readout");
  const note = document.getElementById("time-rnn");

  Object.assign(slider, { min: SineURL.W.low, max: SineURL.W.high, step: SineURL.W.step });

  let page = null; // the page's state: this part draws page.w
  let path = null; // the forget gates' product, n = 0 … N; null for the vanilla RNN
  let cell = "lstm";
  let changed = () => {};

  const powers = (w) => Float64Array.from({ length: N + 1 }, (_, n) => w ** n);
  const short = (v) => (v >= 0.01 && v < 1000 ? v.toPrecision(3) : v.toExponential(1));

  /** A new model: its forget gates' path back. */
  function show(model) {
    path = SineProbe.forgetPath(model, N);
    cell = model.settings.cell;
    render();
  }

  /** The slider at the page's W, and the curves for it. */
  function render() {
    slider.value = String(page.w);
    redraw();
  }

  function redraw() {
    const w = page.w;
    const ns = Float64Array.from({ length: N + 1 }, (_, n) => n);
    const curves = [
      {
        values: powers(0.9),
        style: { color: PURPLE, width: 1.5, dash: [5, 3] },
        text: SineWords.t("legend_09"),
      },
      {
        values: powers(1.1),
        style: { color: ORANGE, width: 1.5, dash: [2, 3] },
        text: SineWords.t("legend_11"),
        dotted: true,
      },
      {
        values: powers(w),
        style: { color: BLUE, width: 2.5 },
        text: SineWords.t("legend_w", { w: w.toFixed(2) }),
      },
    ];
    if (path !== null)
      curves.push({
        values: path,
        style: { color: GREEN, width: 2.5 },
        text:
          cell === "lstm"
            ? SineWords.t("legend_forget")
            : SineWords.t("legend_keep", { keep: SineCells[cell].keep }),
      });
    // the y axis: whole decades around every curve (only values above 0 have a logarithm)
    const positive = curves.map((c) => c.values.filter((v) => v > 0));
    const [lo, hi] = SineAxes.extent(...positive);
    plot.axes({
      x: [0, N],
      y: [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi) + 1e-12)],
      logY: true,
      xLabel: SineWords.t("axis_n"),
      yLabel: SineWords.t("axis_factor"),
    });
    for (const curve of curves) plot.line(ns, curve.values, curve.style);
    SinePlot.legend(
      document.getElementById("time-legend"),
      curves.map((c) => ({
        text: c.text,
        color: c.style.color,
        dash: c.dotted ? "dotted" : Boolean(c.style.dash),
      })),
    );
    SineWords.put(wText, "w_label", { w: w.toFixed(2) });
    const w50 = short(w ** N);
    if (path === null) SineWords.put(readout, "time_readout_rnn", { w50 });
    else if (Number.isNaN(path[N]))
      SineWords.put(readout, "time_readout_short", { w50 }); // a stretch under 50 steps
    else if (cell === "lstm") SineWords.put(readout, "time_readout", { w50, f50: short(path[N]) });
    else SineWords.put(readout, "time_readout_keep", { w50, f50: short(path[N]), keep: SineCells[cell].keep });
    note.hidden = path !== null;
  }

  /** `state`: the page's; `onChange(w)`: a W moved to on the slider. */
  function init(state, onChange) {
    page = state;
    changed = onChange;
    slider.addEventListener("input", () => changed(Number(slider.value)));
  }

  return { init, show, render, redraw };
})();
