/* Small canvas plots, written by hand: axes with ticks, lines, shaded bands and marks
(heat maps, for the gates, are in heat.js).

A Plot draws into one <canvas>; the canvas's CSS box sets its size, and the plot fills it at
the screen's own pixel density. Legends are HTML beside the canvas (see `legend`), so a
legend never covers a curve. Axes take the ranges they are given: the parts compute them
from their data, so no curve is ever cut off.
*/
const SinePlot = (() => {
  "use strict";

  const FONT = "12px system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', sans-serif";
  const INK = "#333";
  const GRID = "#e6e6e6";
  const SUPERSCRIPT = {
    "-": "⁻",
    0: "⁰",
    1: "¹",
    2: "²",
    3: "³",
    4: "⁴",
    5: "⁵",
    6: "⁶",
    7: "⁷",
    8: "⁸",
    9: "⁹",
  };

  /** About `count` round tick values from lo to hi: steps of 1, 2 or 5 times a power of 10. */
  function ticks(lo, hi, count) {
    const raw = (hi - lo) / Math.max(count, 1);
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return { values: out, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
  }

  /** Powers of ten from lo to hi (both > 0); at most about `count` of them. */
  function logTicks(lo, hi, count) {
    const first = Math.ceil(Math.log10(lo) - 1e-9);
    const last = Math.floor(Math.log10(hi) + 1e-9);
    const every = Math.max(1, Math.ceil((last - first + 1) / count));
    const out = [];
    for (let p = first; p <= last; p += every) out.push(p);
    return out;
  }

  /** 10 to the power p as the eye reads it: 1, 10, 0.1, or 10⁻⁵. */
  function powerLabel(p) {
    if (p >= -2 && p <= 3) return String(10 ** p);
    return "10" + String(p).replace(/./g, (ch) => SUPERSCRIPT[ch]);
  }

  /** The range [lo, hi] of the finite values in some arrays, or null if there are none. */
  function extent(...arrays) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const array of arrays) {
      for (let j = 0; j < array.length; j++) {
        const v = array[j];
        if (Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
    }
    return lo <= hi ? [lo, hi] : null;
  }

  /** A range with room in it: a single value (one point, a flat line) gets ±0.5 about it. */
  function open([lo, hi]) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
  }

  class Plot {
    /** `margin`: room left for the tick labels and axis names, in CSS pixels. */
    constructor(canvas, margin = {}) {
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d");
      this.margin = { left: 52, right: 12, top: 8, bottom: 38, ...margin };
    }

    /** Match the canvas's pixels to its CSS box and clear it. */
    fit() {
      const ratio = window.devicePixelRatio || 1;
      this.width = Math.max(this.canvas.clientWidth, 50);
      this.height = Math.max(this.canvas.clientHeight, 30);
      const w = Math.round(this.width * ratio);
      const h = Math.round(this.height * ratio);
      if (this.canvas.width !== w || this.canvas.height !== h) {
        this.canvas.width = w;
        this.canvas.height = h;
      }
      this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      this.ctx.clearRect(0, 0, this.width, this.height);
      this.left = this.margin.left;
      this.top = this.margin.top;
      this.right = this.width - this.margin.right;
      this.bottom = this.height - this.margin.bottom;
    }

    /** Clear the canvas and draw the axes.
     * axes: {x: [lo, hi], y: [lo, hi], logY, xLabel, yLabel, yTicks (values), noXTicks} */
    axes(axes) {
      this.fit();
      this.xRange = open(axes.x);
      this.yRange = open(axes.y);
      this.logY = Boolean(axes.logY);
      const ctx = this.ctx;
      ctx.font = FONT;
      ctx.fillStyle = INK;
      ctx.lineWidth = 1;
      // the y ticks and the grid behind the data
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      const yTicks = this.logY
        ? logTicks(axes.y[0], axes.y[1], Math.floor((this.bottom - this.top) / 26)).map((p) => [
            10 ** p,
            powerLabel(p),
          ])
        : this.linearTicks(
            axes.y,
            axes.yTicks,
            Math.max(2, Math.floor((this.bottom - this.top) / 40)),
          );
      for (const [value, label] of yTicks) {
        const y = Math.round(this.Y(value)) + 0.5;
        this.hline(y, GRID);
        ctx.fillText(label, this.left - 5, y);
      }
      if (!axes.noXTicks) {
        ctx.textAlign = "center";
        ctx.textBaseline = "top";
        const count = Math.max(3, Math.floor((this.right - this.left) / 60));
        for (const [value, label] of this.linearTicks(axes.x, null, count)) {
          const x = Math.round(this.X(value)) + 0.5;
          ctx.strokeStyle = INK;
          ctx.beginPath();
          ctx.moveTo(x, this.bottom);
          ctx.lineTo(x, this.bottom + 4);
          ctx.stroke();
          ctx.fillText(label, x, this.bottom + 6);
        }
      }
      ctx.strokeStyle = "#999";
      ctx.strokeRect(
        this.left + 0.5,
        this.top + 0.5,
        this.right - this.left,
        this.bottom - this.top,
      );
      // the axis names: x under the ticks, y turned along the left edge
      ctx.textAlign = "center";
      ctx.textBaseline = "bottom";
      if (axes.xLabel)
        ctx.fillText(
          this.clip(axes.xLabel, this.width - 8),
          (this.left + this.right) / 2,
          this.height - 2,
        );
      if (axes.yLabel) {
        ctx.save();
        ctx.translate(12, (this.top + this.bottom) / 2);
        ctx.rotate(-Math.PI / 2);
        ctx.textBaseline = "middle";
        ctx.fillText(this.clip(axes.yLabel, this.bottom - this.top), 0, 0);
        ctx.restore();
      }
    }

    linearTicks(range, given, count) {
      if (given) return given.map((v) => [v, String(v)]);
      const { values, decimals } = ticks(range[0], range[1], count);
      return values.map((v) => [v, v.toFixed(Math.min(decimals, 6))]);
    }

    /** A text shortened with … to fit `width` pixels. */
    clip(text, width) {
      if (this.ctx.measureText(text).width <= width) return text;
      let cut = text;
      while (cut.length > 1 && this.ctx.measureText(cut + "…").width > width)
        cut = cut.slice(0, -1);
      return cut + "…";
    }

    hline(y, color) {
      this.ctx.strokeStyle = color;
      this.ctx.beginPath();
      this.ctx.moveTo(this.left, y);
      this.ctx.lineTo(this.right, y);
      this.ctx.stroke();
    }

    /** Data to pixels. */
    X(v) {
      const [lo, hi] = this.xRange;
      return this.left + ((v - lo) / (hi - lo)) * (this.right - this.left);
    }

    Y(v) {
      let [lo, hi] = this.yRange;
      if (this.logY) {
        v = Math.log10(v);
        lo = Math.log10(lo);
        hi = Math.log10(hi);
      }
      return this.bottom - ((v - lo) / (hi - lo)) * (this.bottom - this.top);
    }

    /** Run `draw` with drawing held inside the plot area. */
    inside(draw) {
      const ctx = this.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(this.left, this.top, this.right - this.left, this.bottom - this.top);
      ctx.clip();
      draw(ctx);
      ctx.restore();
    }

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

    /** The label of an axis's top-left corner, above the plot area (a heat map's name). */
    title(text) {
      const ctx = this.ctx;
      ctx.font = "bold " + FONT;
      ctx.fillStyle = INK;
      ctx.textAlign = "left";
      ctx.textBaseline = "bottom";
      ctx.fillText(this.clip(text, this.width - this.left), this.left, this.top - 3);
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

  return { Plot, FONT, INK, ticks, logTicks, powerLabel, extent, legend };
})();
