/* Heat maps on a SinePlot.Plot: a row per unit, a column per point of the curve, a colour per
value; the row numbers on the left and the colour scale in the right margin (part 3, Gates). */
const SineHeat = (() => {
  "use strict";

  const { FONT, INK } = SineAxes;

  /** Interpolate between evenly spaced colour stops: t from 0 to 1 → [r, g, b]. */
  function scale(stops) {
    return (t) => {
      if (!Number.isFinite(t)) return [200, 200, 200];
      const at = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
      const k = Math.min(Math.floor(at), stops.length - 2);
      const w = at - k;
      return stops[k].map((c, j) => Math.round(c + (stops[k + 1][j] - c) * w));
    };
  }

  // viridis, sampled at 7 points: dark purple (0) to yellow (1), for the gates, which live in (0, 1)
  const viridis = scale([
    [68, 1, 84],
    [68, 57, 131],
    [49, 104, 142],
    [33, 145, 140],
    [53, 183, 121],
    [144, 215, 67],
    [253, 231, 37],
  ]);

  // blue (negative) through white (0) to red (positive), as figure 5's cell state
  const blueRed = scale([
    [33, 102, 172],
    [103, 169, 207],
    [209, 229, 240],
    [247, 247, 247],
    [253, 219, 199],
    [239, 138, 98],
    [178, 24, 43],
  ]);

  /** `rows` rows of `cols` values (row r, column j at r·cols + j), row 0 on top, over the x
   * range [x0, x1] of `plot`; `color(v)` gives [r, g, b]. Where there are more rows or columns
   * than pixels, neighbours are averaged, so that none is silently dropped. */
  function draw(plot, values, rows, cols, x0, x1, color) {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.min(cols, Math.max(1, Math.round((plot.X(x1) - plot.X(x0)) * ratio)));
    const height = Math.min(rows, Math.max(1, Math.round((plot.bottom - plot.top) * ratio)));
    const image = new ImageData(width, height);
    for (let y = 0; y < height; y++) {
      const [r0, r1] = bin(y, rows, height);
      for (let c = 0; c < width; c++) {
        const [j0, j1] = bin(c, cols, width);
        let sum = 0;
        for (let r = r0; r < r1; r++) {
          for (let j = j0; j < j1; j++) sum += values[r * cols + j];
        }
        const [red, green, blue] = color(sum / ((r1 - r0) * (j1 - j0)));
        const at = 4 * (y * width + c);
        image.data[at] = red;
        image.data[at + 1] = green;
        image.data[at + 2] = blue;
        image.data[at + 3] = 255;
      }
    }
    const sheet = document.createElement("canvas");
    sheet.width = width;
    sheet.height = height;
    sheet.getContext("2d").putImageData(image, 0, 0);
    plot.inside((ctx) => {
      ctx.imageSmoothingEnabled = false; // one unit, one crisp row
      ctx.drawImage(sheet, plot.X(x0), plot.top, plot.X(x1) - plot.X(x0), plot.bottom - plot.top);
    });
  }

  /** The values k of n that pixel p of `pixels` covers: [from, to). */
  function bin(p, n, pixels) {
    const from = Math.floor((p * n) / pixels);
    return [from, Math.max(from + 1, Math.floor(((p + 1) * n) / pixels))];
  }

  /** Row labels down the left edge, one per row (every k-th if the rows are thin). */
  function rowLabels(plot, labels) {
    const ctx = plot.ctx;
    const height = (plot.bottom - plot.top) / labels.length;
    const every = Math.ceil(13 / height);
    ctx.font = FONT;
    ctx.fillStyle = INK;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    labels.forEach((label, r) => {
      if (r % every === 0) ctx.fillText(label, plot.left - 5, plot.top + (r + 0.5) * height);
    });
  }

  /** The colour scale in the right margin, lo at the bottom, hi on top, with three labels. */
  function colorBar(plot, lo, hi, color) {
    const ctx = plot.ctx;
    const x = plot.right + 8;
    const width = 10;
    const height = plot.bottom - plot.top;
    for (let k = 0; k < height; k++) {
      const [r, g, b] = color(hi - ((hi - lo) * k) / Math.max(height - 1, 1));
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x, plot.top + k, width, 1);
    }
    ctx.font = FONT;
    ctx.fillStyle = INK;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    const label = (v) =>
      Math.abs(v) >= 10 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2);
    ctx.fillText(label(hi), x + width + 3, plot.top + 5);
    ctx.fillText(label((lo + hi) / 2), x + width + 3, plot.top + height / 2);
    ctx.fillText(label(lo), x + width + 3, plot.bottom - 5);
  }

  return { draw, rowLabels, colorBar, viridis, blueRed };
})();
