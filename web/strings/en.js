/* Every word the page shows, in English; strings/zh.js holds the same keys in Chinese.

A string may hold {name} slots, which the page fills with plain text (never HTML).
The lines `sine-lstm train` prints are not here: they stay as the terminal prints them.
A key that one language lacks is shown in English (words.js).

A classic script: it defines the one global `SINE_STRINGS_EN`, which words.js reads.
*/
const SINE_STRINGS_EN = {
  page_title: "An LSTM learns cos x from sin x",
  intro:
    "The demo at the end of the post “循环神经网络RNN”与“LSTM”: fed sin x, an LSTM learns " +
    "to output cos x. It trains here, in your browser, with the maths of the project's Keras " +
    "code written out in JavaScript.",
  language: "Language",

  // 1. Train
  h_train: "1. Train",
  f_lr: "learning rate",
  f_steps: "steps",
  f_cell: "cell",
  cell_lstm: "LSTM",
  cell_rnn: "vanilla RNN",
  cell_gru: "GRU",
  cell_mingru: "minGRU (2024)",
  cell_minlstm: "minLSTM (2024)",
  f_stateful: "carry the state from batch to batch",
  f_seed: "seed",
  f_cell_size: "cell size",
  f_forget_bias: "forget bias",
  f_time_steps: "time steps",
  f_batch_size: "batch size",
  f_task: "task",
  task_cos: "cos x from sin x",
  task_remember: "remember",
  f_lag: "lag (remember)",
  b_train: "Train",
  b_stop: "Stop",
  pace: "pace: {n} steps a second",
  pace_one: "pace: 1 step a second",
  pace_fast: "pace: as fast as it can",
  status_ready:
    "Press Train: the network learns on the settings above, and its fit and cost draw as it learns.",
  status_training: "Training… step {done} of {steps}.",
  status_done:
    "Done: {steps} steps in {seconds} s; final cost (mean of the last 20 steps) {final}. " +
    "Parts 3–5 now ask this model.",
  status_stopped:
    "Stopped after {done} of {steps} steps. Parts 3–5 still ask the model they showed before.",
  status_diverged:
    "Diverged at step {step}: the cost blew up, and the run stopped, as the command line stops. " +
    "Try a smaller learning rate.",
  status_refused: "Not trained: a value was refused; the line beside its field says why.",
  status_link:
    "Not trained: the link held a value the page cannot use (see above). " +
    "Press Train to train on the values shown.",
  source_keras:
    "Initial weights: Keras's own for seed {seed}, so the costs are the ones " +
    "`sine-lstm train` prints. The page computes in float64 and Keras in float32: a fourth " +
    "decimal may differ by one, and where training is chaotic the rounding grows until the " +
    "two runs part (the vanilla RNN at learning rate 0.01, seed 3, after about 120 steps).",
  source_page:
    "Initial weights: the page's own draw for seed {seed}, from the same distributions " +
    "(Keras's own are here for seeds 0–4 with 10 units only). The costs differ from " +
    "`sine-lstm train`'s, but are the same on every press and every machine.",
  legend_target: "target cos x",
  legend_pred: "{cell} prediction",
  legend_remembered: "remembering: the answer is the value lag steps back",
  legend_answers: "the {cell}'s answers (row 0, the latest 40 steps)",
  axis_recalled: "the input {lag} steps back: what to recall",
  axis_answer: "the answer",
  legend_cost: "cost of each step",
  legend_marker: "the step shown",
  axis_x: "x",
  axis_cos: "cos x",
  axis_step: "training step",
  axis_cost: "cost (log scale)",
  x_view: "x (this view: steps {start}–{stop}; earlier steps scrolled off to the left)",
  caption_none: "step –",
  caption: "step {step}   this step's cost {cost}",
  caption_last: "mean of the last {n} steps: {mean}",
  cli_heading: "What `sine-lstm train` prints for the same settings:",
  cli_after: "(the lines appear when the run ends)",

  // 2. Scrub
  h_scrub: "2. Scrub",
  scrub_label: "step",
  scrub_hint:
    "Move the slider: the fit as it stood at that step, and that step's cost (the GIF, by hand).",

  // 3. Gates
  h_gates: "3. Gates (the post's section 三)",
  model_gif:
    "The model: the one `make gif` trains (the defaults, seed 0; final cost {final}), as " +
    "Keras trained it.",
  model_run: "The model: the one you trained, `{command}` ({steps} steps; final cost {final}).",
  gates_intro:
    "The model on the {windows} windows after training, the state carried. On top, the " +
    "input sin x and the target cos x: the same sin x comes twice a period, once rising " +
    "(cos x > 0, shaded green) and once falling (shaded purple), and only the state can tell " +
    "the two apart. Below, one row per unit: its input gate i, forget gate f and output gate " +
    "o (0 to 1), its cell state c and its output h. Dotted lines: where sin x turns.",
  gates_rnn:
    "The vanilla RNN has no gates and no cell state: here is its output h, one row per unit.",
  gates_other:
    "The {cell} on the {windows} windows after training, the state carried. On top, the " +
    "input sin x and the target cos x, as for the LSTM. Below, one row per unit: its gates " +
    "(0 to 1) and its output h, which is also its state. Dotted lines: where sin x turns.",
  legend_sin: "sin x, the input",
  legend_cos: "cos x, the target",
  legend_rising: "rising: cos x > 0",
  legend_falling: "falling: cos x < 0",
  gate_i: "input gate i",
  gate_f: "forget gate f",
  gate_o: "output gate o",
  gate_c: "cell state c",
  gate_h: "hidden output h",
  gate_z: "update gate z",
  gate_r: "reset gate r",
  axis_unit: "unit",

  // 4. What if
  h_whatif: "4. What if (the post's section 三)",
  whatif_intro:
    "Change the trained model, with no retraining: it answers at once. The post says that " +
    "with the forget gate f = 0, the input gate i = 1 and the output gate o = 1, the LSTM is " +
    "a plain RNN (in fact with a second tanh). Try it, and try one gate at a time.",
  pin_i: "pin the input gate i to",
  pin_f: "pin the forget gate f to",
  pin_o: "pin the output gate o to",
  zero_units: "silence units:",
  reset: "reset the state at every window",
  b_post: "f = 0, i = 1, o = 1 (the post's RNN)",
  b_trained: "as trained",
  whatif_cost: "Cost on the stretch with this what-if: {cost} (as trained: {trained}).",
  whatif_same: "The model as trained: cost {trained} on the stretch.",
  whatif_rnn: "The vanilla RNN has no gates to pin.",
  whatif_other: "Only the LSTM's gates can be pinned here; silence units or reset the state.",
  legend_trained: "prediction as trained",
  legend_changed: "prediction with the what-if",
  axis_stretch: "x (the windows after training)",

  // 5. Back through time
  h_time: "5. Back through time (the post's section 二)",
  time_intro:
    "An error sent back n steps is multiplied n times, by W at each step in the post's " +
    "picture: with W = 0.9 it fades away (0.9⁵⁰ ≈ 0.005, the vanishing gradient), with " +
    "W = 1.1 it blows up (1.1⁵⁰ ≈ 117, the exploding gradient). The LSTM's long path back " +
    "runs through its cell state, c_t = f_t ⊙ c_{t−1} + …, so there the error is multiplied " +
    "by the forget gate f at each step: drawn beside, the product of the model's forget " +
    "gates n steps back (mean over units).",
  time_rnn: "The vanilla RNN has no forget gate: only Wⁿ, 0.9ⁿ and 1.1ⁿ are drawn.",
  w_label: "W = {w}",
  legend_w: "Wⁿ, W = {w}",
  legend_09: "0.9ⁿ: vanishes",
  legend_11: "1.1ⁿ: explodes",
  legend_forget: "the model's forget gates, f·f·…·f (n of them)",
  time_readout: "At n = 50: Wⁿ = {w50}; the forget gates' product = {f50}.",
  time_readout_rnn: "At n = 50: Wⁿ = {w50}.",
  h_far: "6. How far back (the post's claim at work)",
  far_intro:
    "The post says an error sent back n steps is multiplied n times, so a plain RNN forgets " +
    "what lies far back (梯度消失), and that the LSTM's gates keep it. The post's own task " +
    "cannot show it: cos x follows from the last two values of sin x. The remember task can: " +
    "every input is noise, and the answer is the input lag steps back. Try the three runs " +
    "(each about 2 seconds), and watch both plots.",
  b_far_lstm_1: "LSTM, forget bias 1 (the post's)",
  b_far_lstm_5: "LSTM, forget bias 5",
  b_far_rnn: "vanilla RNN",
  far_words:
    "Left: how much of the last step's prediction reaches h n steps back, measured on the " +
    "model as it trains (row 0), beside 0.9ⁿ. Right: each remember run on this page, its " +
    "final cost over what remembering nothing costs (1: it remembers nothing; 0: it recalls " +
    "exactly). What keeps a memory is a forget gate held near 1 (forget bias 5), not the " +
    "name LSTM: with the post's forget bias 1 the LSTM forgets too.",
  axis_reach: "reaching back (n = 0: 1)",
  axis_lag: "lag, steps back",
  axis_relative: "final cost / remembering nothing",
  legend_reach: "the model's, at step {step}",
  legend_lag: "the answer lies {lag} steps back",
  legend_nothing: "remembering nothing",
  legend_run_bias: "{cell}, forget bias {bias}",
  far_none: "Train a run: this plot follows it as it trains.",
  far_readout: "At n = {n}: {size} of the last prediction reaches back (0.9ⁿ: {power}).",
  far_no_runs: "No remember run yet: press one of the buttons above.",
  far_last: "Last: the {cell}, forget bias {bias}, lag {lag}: {relative} of remembering nothing.",
  legend_keep: "the model's {keep} along its state h, multiplied n steps back",
  time_readout_keep: "At n = 50: Wⁿ = {w50}; the product of the model's {keep} = {f50}.",
  time_readout_short:
    "At n = 50: Wⁿ = {w50}; the stretch after training is shorter than 50 steps, so the forget gates' product stops where it ends.",
  axis_n: "n, steps back",
  axis_factor: "factor (log scale)",

  // Refused values: beside a field, or in a link's notice
  refused_integer: "must be a whole number, got “{text}”",
  refused_between: "must be from {low} to {high}, got “{text}”",
  refused_number: "must be a number, got “{text}”",
  refused_positive: "must be a number above 0, got “{text}”",
  refused_finite: "must be a finite number, got “{text}”",
  refused_choice: "must be one of {choices}, got “{text}”",
  refused_no_forget_gate: "the vanilla RNN has no forget gate: leave it at {default} (got {value})",
  refused_too_big_step:
    "too large for a browser tab: one step would be {times} times the page's limit " +
    "(Stop must answer at once)",
  refused_too_big_time:
    "too large for a browser tab: the run would be {times} times the page's limit of about a minute",
  refused_too_big_memory:
    "too large for a browser tab: the run would need {times} times the page's limit of {mb} MB",
  refused_too_big_task:
    "too large for a browser tab: redrawing the parts after the run would hold the tab " +
    "{times} times the page's limit of a tenth of a second",
  refused_remember_only: "is for the remember task: choose it, or leave lag at {default} (got {text})",
  refused_lag_window:
    "a window of {time_steps} time steps holds lags up to {most}: give time steps {need} or more (got {text})",
  refused_switch: "must be 0 or 1, got “{text}”",
  refused_fraction: "must be a number from 0 to 1, got “{text}”",
  refused_units: "must list unit numbers from 0 to {high}, got “{text}”",
  refused_lang: "must be en or zh, got “{text}”",
  refused_pace: "must be a whole number from 0 to {high}, got “{text}”",
  refused_w: "must be a number from {low} to {high}, got “{text}”",
  refused_other: "cannot be used: {message}",
  link_bad: "In the link, “{param}” {reason}: the default ({default}) is used instead.",
  link_unknown: "In the link, “{param}” is not a setting of this page: it is ignored.",
  link_misspelt: "In the link, “{param}” is not a setting of this page: did you mean “{near}”? It is ignored.",
  link_twice: "In the link, “{param}” is given more than once: the first value ({value}) is used.",
  link_version:
    "This link comes from version {v} of the page, and this is version {version}: " +
    "its settings may not mean here what they meant there.",
  refused_version: "must be a version number, got “{text}”",
  notice_close: "Close this notice",
  pending: "Changed, not yet trained: the link and the plots show the last run until you press Train.",
};
