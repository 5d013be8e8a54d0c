/* Where the page's weights come from: Keras's own initial draw, or the page's seeded one.

`make site` (sine_lstm/site.py) exported, into web/keras/weights.js, the weights Keras draws for
seeds 0–4 with cell size 10, and the model `make gif` trains; with those, the page's costs are
`sine-lstm train`'s. Other seeds and cell sizes start from the page's own draw of the same
distributions. Weights are flat Float64Arrays in Keras's layouts (see model.js).

A classic script: it defines the one global `SineWeights`.
*/
const SineWeights = (() => {
  "use strict";

  const NAMES = [
    "in_kernel",
    "in_bias",
    "kernel",
    "recurrent_kernel",
    "bias",
    "out_kernel",
    "out_bias",
  ];

  /** The bytes of a base64 string of little-endian float32s, as Float64Array. */
  function decode(text) {
    const bytes =
      typeof atob === "function"
        ? Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
        : Uint8Array.from(Buffer.from(text, "base64"));
    return Float64Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
  }

  /** The weights a cell has (the minGRU and the minLSTM have no recurrent_kernel). */
  function decodeAll(exported) {
    const weights = {};
    for (const name of NAMES) if (name in exported) weights[name] = decode(exported[name]);
    return weights;
  }

  /** A small seeded generator (mulberry32): the same numbers on every machine. */
  function generator(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let r = Math.imul(a ^ (a >>> 15), 1 | a);
      r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
      return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** The page's own draw of Keras's distributions, for settings Keras's export does not hold:
   * Dense kernels N(0, 1) and biases 0.1 (model.py); the cell's kernels one Glorot-uniform
   * draw over the stacked [x; h] matrix (cell.stacked_glorot), or over the kernel alone for
   * a cell without U (the minGRU, the minLSTM); biases 0 but b_f (the GRU's two rows). */
  function drawn(settings) {
    const units = settings.cell_size;
    const cell = SineCells[settings.cell]; // cells/*.js, loaded by the time this runs
    const gates = cell.gates;
    const withU = cell.recurrent !== "none";
    const random = generator(settings.seed ^ 0x5eed1157);
    const f32 = Math.fround; // Keras's weights are float32: so are these
    const normal = () => {
      const u = 1 - random(); // in (0, 1]: the logarithm stays finite
      return f32(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())); // Box–Muller
    };
    // fan_in 2U (x and h; U alone without U·h), fan_out G·U
    const limit = Math.sqrt(6 / ((withU ? 2 : 1) * units + gates * units));
    const glorot = () => f32((2 * random() - 1) * limit);
    const fill = (n, value) => Float64Array.from({ length: n }, value);
    const bias = new Float64Array((cell.recurrent === "apart" ? 2 : 1) * gates * units);
    if (cell.forget) bias.fill(Math.fround(settings.forget_bias), units, 2 * units); // b_f, float32
    return {
      in_kernel: fill(units, normal),
      in_bias: fill(units, () => f32(0.1)),
      kernel: fill(units * gates * units, glorot),
      ...(withU && { recurrent_kernel: fill(units * gates * units, glorot) }),
      bias,
      out_kernel: fill(units, normal),
      out_bias: fill(1, () => f32(0.1)),
    };
  }

  /** The initial weights for `settings`, and where they come from.
   * "keras": the weights `sine-lstm train` starts from (make site exported them: seeds 0–4,
   * cell size 10; the learning rate, steps, batch, time steps and the state do not change
   * them, and the forget bias is b_f's starting value only). "page": the page's own draw. */
  function initial(settings) {
    const exported = globalThis.SINE_LSTM_KERAS;
    const keras = exported && exported.initial[settings.cell];
    const found =
      keras && settings.cell_size === exported.cell_size ? keras[String(settings.seed)] : null;
    if (!found) return { weights: drawn(settings), source: "page" };
    const weights = decodeAll(found);
    if (SineCells[settings.cell].forget) {
      const b_f = Math.fround(settings.forget_bias); // float32, as Keras stores it
      weights.bias.fill(b_f, settings.cell_size, 2 * settings.cell_size);
    }
    return { weights, source: "keras" };
  }

  /** The model `make gif` trains (seed 0, the defaults), exported by make site. */
  function trained() {
    const exported = globalThis.SINE_LSTM_KERAS.trained;
    return {
      settings: { ...exported.settings },
      weights: decodeAll(exported.weights),
      state: { h: decode(exported.state.h), c: decode(exported.state.c) },
      final_cost: exported.final_cost, // the mean of its last 20 costs, as the CLI printed it
    };
  }

  function copy(weights) {
    const out = {};
    for (const name of NAMES) if (name in weights) out[name] = Float64Array.from(weights[name]);
    return out;
  }

  return { NAMES, initial, trained, copy };
})();
