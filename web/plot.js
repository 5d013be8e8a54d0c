/* Small canvas plots, written by hand: lines, long series, shaded bands and vertical marks,
drawn inside axes.js's frame, and the legends beside them (heat maps, for the gates, are in
heat.js).

A Plot is an Axes (axes.js) that draws data: `axes({x, y, …})` clears the canvas, draws the
frame and sets the scales; then `line`, `series`, `band` and `vline` draw in those scales,
held inside the plot area. Legends are HTML beside the canvas (see `legend`), so a legend
never covers a curve.

A classic script, loaded after axes.js: it defines the one global `SinePlot`.
*/
const SinePlot = (() => {
  "use strict";

  class Plot extends SineAxes.Axes {
    /** A line through (xs[j], ys[j]); a value that is not finite breaks it.
     * style: {color, width, dash: [on, off]} */
    line(xs, ys, style) {
      this.inside((ctx) => {
        ctx.strokeStyle = style.color;
        ctx.lineWidth = style.width || 1.5;
        ctx.setLineDash(style.dash || []);
        ctx.beginPath();
        let pen = false;
        for (let j = 0; j < xs.length; j++) {
          const y = ys[j];
          const ok = Number.isFinite(y) && (!this.logY || y > 0);
          if (!ok) {
            pen = false;
            continue;
          }
          const px = this.X(xs[j]);
          // a huge value still draws, just off the canvas (canvas coordinates stay finite)
          const py = Math.max(-1e4, Math.min(1e4, this.Y(y)));
          if (pen) ctx.lineTo(px, py);
          else ctx.moveTo(px, py);
          pen = true;
        }
        ctx.stroke();
      });
    }

    /** values[k] at x = k for k from `from` to `to` − 1: a long series, such as a run's costs.
     * Where many points share a pixel column, only the lowest and highest of them are drawn:
     * the same picture, however many steps. */
    series(values, from, to, style) {
      const columns = Math.max(1, Math.round(this.X(to) - this.X(from)));
      const dense = to - from > 4 * columns;
      const each = dense ? Math.floor((to - from) / (2 * columns)) : 1; // points per bucket
      const xs = [];
      const ys = [];
      for (let a = from; a < to; a += each) {
        const b = Math.min(a + each, to);
        let low = a;
        let high = a;
        for (let k = a; k < b; k++) {
          if (!(values[k] >= values[low])) low = k; // a NaN is "lowest": it breaks the line
          if (values[k] > values[high]) high = k;
        }
        for (const k of low <= high ? [low, high] : [high, low]) {
          if (xs[xs.length - 1] !== k) {
            xs.push(k);
            ys.push(values[k]);
          }
        }
      }
      this.line(xs, ys, style);
    }

    /** A dot at each (xs[j], ys[j]) whose y is finite. style: {color, radius} */
    dots(xs, ys, style) {
      this.inside((ctx) => {
        ctx.fillStyle = style.color;
        ctx.beginPath();
        for (let j = 0; j < xs.length; j++) {
          if (!Number.isFinite(ys[j])) continue;
          const [px, py] = [this.X(xs[j]), this.Y(ys[j])];
          ctx.moveTo(px + (style.radius || 2), py);
          ctx.arc(px, py, style.radius || 2, 0, 2 * Math.PI);
        }
        ctx.fill();
      });
    }

    /** A shaded band over the whole height from x0 to x1. */
    band(x0, x1, color) {
      this.inside((ctx) => {
        ctx.fillStyle = color;
        ctx.fillRect(this.X(x0), this.top, this.X(x1) - this.X(x0), this.bottom - this.top);
      });
    }

    /** A vertical line at x. */
    vline(x, style) {
      this.inside((ctx) => {
        const px = Math.round(this.X(x)) + 0.5;
        ctx.strokeStyle = style.color;
        ctx.lineWidth = style.width || 1;
        ctx.setLineDash(style.dash || []);
        ctx.beginPath();
        ctx.moveTo(px, this.top);
        ctx.lineTo(px, this.bottom);
        ctx.stroke();
      });
    }
  }

  // ---- legends: HTML beside the canvas ----

  /** Fill `box` with one key per entry: {text, color, dash (true or "dotted"), fill (a shaded swatch)}. */
  function legend(box, entries) {
    box.replaceChildren(
      ...entries.map((entry) => {
        const item = document.createElement("span");
        item.className = "key";
        const swatch = document.createElement("span");
        swatch.className =
          "swatch " +
          (entry.fill ? "fill" : entry.dash === "dotted" ? "dotted" : entry.dash ? "dashed" : "");
        swatch.style.setProperty("--c", entry.color || entry.fill);
        item.append(swatch, document.createTextNode(entry.text));
        return item;
      }),
    );
  }

  // The lesson's colours, as gif.py and the figures draw them: red the target, blue the
  // prediction (dashed) or the input, grey the model as trained under a what-if.
  const COLORS = { red: "#d62728", blue: "#1f57c8", grey: "#9a9a9a" };

  return { Plot, legend, COLORS };
})();
