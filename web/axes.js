/* A plot's frame on a canvas, written by hand: the canvas fitted to its box, the scales from
data to pixels, round ticks (linear, or powers of ten), the grid, the axis names and a title.
What is drawn inside the frame (lines, long series, bands, vertical marks) and the legends
beside it are plot.js; heat maps, for the gates, are heat.js.

An Axes draws into one <canvas>; the canvas's CSS box sets its size, and the frame fills it
at the screen's own pixel density. Axes take the ranges they are given: the parts compute
them from their data (with `extent`), so no curve is ever cut off.

A classic script: it defines the one global `SineAxes`, which plot.js builds on.
*/
const SineAxes = (() => {
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

  class Axes {
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

  return { Axes, FONT, INK, ticks, logTicks, powerLabel, extent };
})();
