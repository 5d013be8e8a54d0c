// cli.js: the page's fields as sine-lstm train has them. Written by `make site` (sine_lstm/page/site.py); do not edit.
globalThis.SINE_LSTM_CLI = {
 "defaults": {
  "lr": 0.005,
  "steps": 200,
  "cell": "lstm",
  "stateful": true,
  "seed": 0,
  "cell_size": 10,
  "forget_bias": 1.0,
  "time_steps": 20,
  "batch_size": 50,
  "task": "cos",
  "lag": 19
 },
 "flags": {
  "lr": "--lr",
  "steps": "--steps",
  "cell": "--cell",
  "stateful": "--stateless",
  "seed": "--seed",
  "cell_size": "--cell-size",
  "forget_bias": "--forget-bias",
  "time_steps": "--time-steps",
  "batch_size": "--batch-size",
  "task": "--task",
  "lag": "--lag"
 },
 "limits": {
  "steps": [
   1,
   10000000
  ],
  "seed": [
   0,
   4294967295
  ],
  "cell_size": [
   1,
   10000000
  ],
  "time_steps": [
   1,
   10000000
  ],
  "batch_size": [
   1,
   10000000
  ],
  "lag": [
   1,
   10000000
  ]
 },
 "kinds": {
  "lr": "number",
  "steps": "integer",
  "cell": "choice",
  "stateful": "switch",
  "seed": "integer",
  "cell_size": "integer",
  "forget_bias": "finite",
  "time_steps": "integer",
  "batch_size": "integer",
  "task": "choice",
  "lag": "integer"
 },
 "choices": {
  "cell": [
   "lstm",
   "rnn",
   "gru",
   "mingru",
   "minlstm"
  ],
  "task": [
   "cos",
   "remember"
  ]
 },
 "every": 20,
 "lines": {
  "final": "final cost (mean of the last 20 steps)",
  "memoryless": "memoryless cost (the best constant guess, on the same 20 batches)",
  "no_gif": "no GIF: the remember task's inputs are noise; final.png draws each answer it gave",
  "learned_nothing": "sine-lstm: it learned nothing: its final cost is {relative} of what remembering nothing costs; try {hint}",
  "hints": {
   "lr": "a smaller learning rate, such as 0.005",
   "steps": "more steps"
  },
  "nothing": 0.9
 }
};
