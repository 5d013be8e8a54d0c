"""The post's cells, one time step each, one line per equation; and three cells beyond it.

The LSTM (section 三) and the vanilla RNN (section 二) are the post's. Beyond the post: the
GRU, and the minGRU and minLSTM of Feng et al. 2024 ("Were RNNs All We Needed?"). Each
follows the Keras RNN-cell contract and is looped over time by `keras.layers.RNN`. The
LSTM's and the GRU's weights use Keras's layouts, so `get_weights()` / `set_weights()` move
them to and from `keras.layers.LSTM` and `keras.layers.GRU`:

    LSTM  kernel            (input_dim, 4·units)   W = [W_i | W_f | W_c | W_o]
          recurrent_kernel  (units, 4·units)       U = [U_i | U_f | U_c | U_o]
          bias              (4·units,)             b = [b_i | b_f | b_c | b_o]
    GRU   kernel            (input_dim, 3·units)   W = [W_z | W_r | W_h]
          recurrent_kernel  (units, 3·units)       U = [U_z | U_r | U_h]
          bias              (2, 3·units)           rows b (beside W·x) and b' (beside U·h)

The minGRU and the minLSTM have no recurrent kernel: their gates and candidate see x_t
only, so every step's can be computed at once, and what is left, h_t = a_t ⊙ h_{t−1} + b_t,
is a linear recurrence that `parallel` solves for a whole window by a scan (`linear_scan`):

    minGRU   kernel (input_dim, 2·units)  W = [W_z | W_h]          bias (2·units,)
    minLSTM  kernel (input_dim, 3·units)  W = [W_i | W_f | W_h]    bias (3·units,)

Reading beside the post: its text swaps two gates. Its 输入门 paragraph (keep or drop
each part of c_{t−1}) describes the forget gate f; its 遗忘门 paragraph (what to add
from the tanh candidate) describes the input gate i with c̃. Its equations are right.
"""

from __future__ import annotations

import keras
from keras import layers, ops


def stacked_glorot(input_dim: int, units: int, gates: int) -> tuple:
    """Initial (kernel, recurrent_kernel): one Glorot-uniform draw over [x; h].

    TF1's `BasicLSTMCell` multiplies one kernel of shape (input_dim + units,
    gates·units) with `concat([x, h])`, so fan_in counts both. We draw that
    matrix once and cut it into Keras's two kernels.
    """
    stacked = keras.initializers.GlorotUniform()((input_dim + units, gates * units))
    return stacked[:input_dim], stacked[input_dim:]  # (input_dim, g·u), (units, g·u)


def given(value):
    """An initializer that returns `value` (in the weight's dtype)."""
    return lambda shape, dtype=None: ops.cast(value, dtype or "float32")


@keras.saving.register_keras_serializable(package="sine_lstm")
class LSTMCell(layers.Layer):
    """Long short-term memory, one step: gates i, f, o, candidate c̃, cell c, hidden h.

    Args:
        units: size of the hidden state h and the cell state c.
        forget_bias: initial value of b_f; 1.0 as the original's
            `BasicLSTMCell(forget_bias=1.0)`, so the cell starts by remembering.
        pin: gates held at constants instead of computed, e.g.
            `{"f": 0.0, "i": 1.0, "o": 1.0}`, the post's way of turning an LSTM
            into a plain RNN (section 三). None for a normal LSTM.
    """

    def __init__(
        self, units: int, forget_bias: float = 1.0, pin: dict[str, float] | None = None, **kwargs
    ):
        super().__init__(**kwargs)
        self.units = units
        self.forget_bias = forget_bias
        self.pin = dict(pin or {})
        self.state_size = [units, units]  # [h, c], Keras's order
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        kernel, recurrent = stacked_glorot(input_dim, self.units, 4)
        bias = ops.concatenate(
            [
                ops.zeros((self.units,)),  # b_i
                ops.full((self.units,), self.forget_bias),  # b_f
                ops.zeros((2 * self.units,)),  # b_c, b_o
            ]
        )
        self.kernel = self.add_weight(
            shape=(input_dim, 4 * self.units), initializer=given(kernel), name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, 4 * self.units),
            initializer=given(recurrent),
            name="recurrent_kernel",
        )
        self.bias = self.add_weight(shape=(4 * self.units,), initializer=given(bias), name="bias")

    def call(self, inputs, states):
        step = self.step(inputs, states)
        return step["h"], [step["h"], step["c"]]

    def step(self, inputs, states) -> dict:
        """One time step; every intermediate by name: i, f, c_hat, o, c, h."""
        h_tm1, c_tm1 = states  # (batch, units) each: h_{t-1}, c_{t-1}
        # All four pre-activations W·x_t + U·h_{t-1} + b in one product, then cut.
        z = ops.matmul(inputs, self.kernel) + ops.matmul(h_tm1, self.recurrent_kernel) + self.bias
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)  # (batch, units) each
        # input gate: i_t = σ(W_i·x_t + U_i·h_{t-1} + b_i)
        i = ops.sigmoid(z_i)
        # forget gate: f_t = σ(W_f·x_t + U_f·h_{t-1} + b_f)
        f = ops.sigmoid(z_f)
        # candidate: c̃_t = tanh(W_c·x_t + U_c·h_{t-1} + b_c)
        c_hat = ops.tanh(z_c)
        # output gate: o_t = σ(W_o·x_t + U_o·h_{t-1} + b_o)
        o = ops.sigmoid(z_o)
        if self.pin:  # gates held at constants (section 三's thought experiment)
            i, f, o = (
                ops.full_like(g, self.pin[k]) if k in self.pin else g
                for k, g in (("i", i), ("f", f), ("o", o))
            )
        # new cell: c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
        c = f * c_tm1 + i * c_hat  # (batch, units)
        # new hidden: h_t = o_t ⊙ tanh(c_t)
        h = o * ops.tanh(c)  # (batch, units)
        return {"i": i, "f": f, "c_hat": c_hat, "o": o, "c": c, "h": h}

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "forget_bias": self.forget_bias,
            "pin": self.pin or None,
        }


@keras.saving.register_keras_serializable(package="sine_lstm")
class SimpleRNNCell(layers.Layer):
    """The vanilla RNN of the post (section 二), one step: h_t = tanh(W·x_t + U·h_{t-1} + b).

    Weights in `keras.layers.SimpleRNNCell`'s layout: kernel (input_dim, units),
    recurrent_kernel (units, units), bias (units,); initialised like our LSTM,
    one Glorot draw over [x; h] and a zero bias.
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        kernel, recurrent = stacked_glorot(input_dim, self.units, 1)
        self.kernel = self.add_weight(
            shape=(input_dim, self.units), initializer=given(kernel), name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units),
            initializer=given(recurrent),
            name="recurrent_kernel",
        )
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states  # (batch, units)
        # the RNN step: h_t = tanh(W·x_t + U·h_{t-1} + b)
        h = ops.tanh(
            ops.matmul(inputs, self.kernel) + ops.matmul(h_tm1, self.recurrent_kernel) + self.bias
        )
        return h, [h]

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="sine_lstm")
class GRUCell(layers.Layer):
    """Gated recurrent unit, one step: update gate z, reset gate r, candidate h̃, hidden h.

    Keras's GRU in its default form (`reset_after=True`: r multiplies U_h·h_{t-1} + b'_h,
    after the product), in its layout (module docstring), so `set_weights` moves the
    weights to and from `keras.layers.GRU` and `keras.layers.GRUCell`. Here z keeps:
    h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃_t, and 1 − z writes. The minGRU of Feng et al.
    2024 (`MinGRUCell`) names it the other way round: its z writes.

    Initialised like our LSTM: one Glorot draw over [x; h], cut into W and U, and a zero
    bias. Keras draws U orthogonal instead (for its LSTM too); we keep the lesson's one
    draw, so the cells compared start alike.

    Args:
        units: size of the hidden state h.
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        kernel, recurrent = stacked_glorot(input_dim, self.units, 3)
        self.kernel = self.add_weight(
            shape=(input_dim, 3 * self.units), initializer=given(kernel), name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, 3 * self.units),
            initializer=given(recurrent),
            name="recurrent_kernel",
        )
        self.bias = self.add_weight(shape=(2, 3 * self.units), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h = self.step(inputs, states)["h"]
        return h, [h]

    def step(self, inputs, states) -> dict:
        """One time step; every intermediate by name: z, r, h_hat, h."""
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states  # (batch, units)
        # W·x_t + b and U·h_{t-1} + b' for all three in one product each, then cut
        x_z, x_r, x_h = ops.split(ops.matmul(inputs, self.kernel) + self.bias[0], 3, axis=-1)
        u_z, u_r, u_h = ops.split(
            ops.matmul(h_tm1, self.recurrent_kernel) + self.bias[1], 3, axis=-1
        )  # (batch, units) each
        # update gate: z_t = σ(W_z·x_t + b_z + U_z·h_{t-1} + b'_z)
        z = ops.sigmoid(x_z + u_z)
        # reset gate: r_t = σ(W_r·x_t + b_r + U_r·h_{t-1} + b'_r)
        r = ops.sigmoid(x_r + u_r)
        # candidate: h̃_t = tanh(W_h·x_t + b_h + r_t ⊙ (U_h·h_{t-1} + b'_h))
        h_hat = ops.tanh(x_h + r * u_h)
        # new hidden: h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
        h = z * h_tm1 + (1 - z) * h_hat  # (batch, units)
        return {"z": z, "r": r, "h_hat": h_hat, "h": h}

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units}


def linear_scan(a, b, h0):
    """Every h_t of h_t = a_t ⊙ h_{t-1} + b_t, from h_0, at once: an associative scan.

    Two steps in a row are one step of the same form: (a1, b1) then (a2, b2) is
    (a1·a2, a2·b1 + b2). That combination is associative, so `keras.ops.associative_scan`
    can pair the steps up in log₂(time) rounds instead of one after another. It gives
    A_t = a_1⋯a_t and B_t, the h_t reached from h_0 = 0; then h_t = A_t ⊙ h_0 + B_t.

    Args:
        a, b: (batch, time, units) each, the coefficients of every step.
        h0: (batch, units), the state before the first step.

    Returns:
        (batch, time, units): h_1 … h_T.
    """

    def combine(first, then):
        (a1, b1), (a2, b2) = first, then
        return a1 * a2, a2 * b1 + b2

    a_prod, b_sum = ops.associative_scan(combine, (a, b), axis=1)  # (batch, time, units) each
    return a_prod * ops.expand_dims(h0, 1) + b_sum  # (batch, time, units)


@keras.saving.register_keras_serializable(package="sine_lstm")
class MinGRUCell(layers.Layer):
    """The minGRU of Feng et al. 2024, one step: a GRU whose gate and candidate see x_t only.

    The paper's plain form (not its log-space one, whose candidate is g(x) = x + 0.5 for
    x ≥ 0 and σ(x) below, to keep h positive): the candidate is linear, and z writes:
    h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃_t (in Keras's GRU, z keeps). No reset gate: there is
    no U·h_{t-1} left for it to reset. `parallel` runs a whole window at once.

    Weights: kernel (input_dim, 2·units) = [W_z | W_h], bias (2·units,); a Glorot draw
    over the kernel (no h in it: its fan_in is input_dim) and a zero bias.

    Args:
        units: size of the hidden state h.
    """

    def __init__(self, units: int, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            shape=(input_dim, 2 * self.units), initializer="glorot_uniform", name="kernel"
        )
        self.bias = self.add_weight(shape=(2 * self.units,), initializer="zeros", name="bias")

    def call(self, inputs, states):
        h = self.step(inputs, states)["h"]
        return h, [h]

    def gates(self, inputs) -> dict:
        """z and h_hat from x_t alone; inputs (batch, dim) or a window (batch, time, dim)."""
        x_z, x_h = ops.split(ops.matmul(inputs, self.kernel) + self.bias, 2, axis=-1)
        # update gate: z_t = σ(W_z·x_t + b_z)
        z = ops.sigmoid(x_z)
        # candidate: h̃_t = W_h·x_t + b_h
        h_hat = x_h
        return {"z": z, "h_hat": h_hat}  # (..., units) each

    def step(self, inputs, states) -> dict:
        """One time step; every intermediate by name: z, h_hat, h."""
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states  # (batch, units)
        g = self.gates(inputs)
        # new hidden: h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
        h = (1 - g["z"]) * h_tm1 + g["z"] * g["h_hat"]  # (batch, units)
        return {**g, "h": h}

    def parallel(self, inputs, h0):
        """Every h_t of a window at once: inputs (batch, time, dim), h0 (batch, units)."""
        g = self.gates(inputs)  # (batch, time, units) each: every step's, at once
        # h_t = a_t ⊙ h_{t-1} + b_t with a_t = 1 − z_t, b_t = z_t ⊙ h̃_t
        return linear_scan(1 - g["z"], g["z"] * g["h_hat"], h0)  # (batch, time, units)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="sine_lstm")
class MinLSTMCell(layers.Layer):
    """The minLSTM of Feng et al. 2024, one step: gates and candidate see x_t only.

    No output gate and no cell state apart from h: the forget and input gates are
    normalised to sum to 1, so h_t is a weighted mean of h_{t-1} and the candidate h̃_t,
    which is linear (the paper's plain form, not its log-space one). `parallel` runs a
    whole window at once.

    Weights: kernel (input_dim, 3·units) = [W_i | W_f | W_h], gates in our LSTM's order,
    bias (3·units,); a Glorot draw over the kernel (its fan_in is input_dim) and a
    bias of zeros but b_f.

    Args:
        units: size of the hidden state h.
        forget_bias: initial value of b_f, as our LSTM's: 1.0 starts it remembering.
    """

    def __init__(self, units: int, forget_bias: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.forget_bias = forget_bias
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        bias = ops.concatenate(
            [
                ops.zeros((self.units,)),  # b_i
                ops.full((self.units,), self.forget_bias),  # b_f
                ops.zeros((self.units,)),  # b_h
            ]
        )
        self.kernel = self.add_weight(
            shape=(input_dim, 3 * self.units), initializer="glorot_uniform", name="kernel"
        )
        self.bias = self.add_weight(shape=(3 * self.units,), initializer=given(bias), name="bias")

    def call(self, inputs, states):
        h = self.step(inputs, states)["h"]
        return h, [h]

    def gates(self, inputs) -> dict:
        """i, f, their normalised twins and h_hat from x_t alone; (batch, [time,] dim) in."""
        x_i, x_f, x_h = ops.split(ops.matmul(inputs, self.kernel) + self.bias, 3, axis=-1)
        # input gate: i_t = σ(W_i·x_t + b_i)
        i = ops.sigmoid(x_i)
        # forget gate: f_t = σ(W_f·x_t + b_f)
        f = ops.sigmoid(x_f)
        # normalised forget gate: f'_t = f_t / (f_t + i_t)
        f_prime = f / (f + i)
        # normalised input gate: i'_t = i_t / (f_t + i_t)
        i_prime = i / (f + i)
        # candidate: h̃_t = W_h·x_t + b_h
        h_hat = x_h
        return {"i": i, "f": f, "i_prime": i_prime, "f_prime": f_prime, "h_hat": h_hat}

    def step(self, inputs, states) -> dict:
        """One time step; every intermediate by name: i, f, i_prime, f_prime, h_hat, h."""
        h_tm1 = states[0] if isinstance(states, (list, tuple)) else states  # (batch, units)
        g = self.gates(inputs)
        # new hidden: h_t = f'_t ⊙ h_{t-1} + i'_t ⊙ h̃_t
        h = g["f_prime"] * h_tm1 + g["i_prime"] * g["h_hat"]  # (batch, units)
        return {**g, "h": h}

    def parallel(self, inputs, h0):
        """Every h_t of a window at once: inputs (batch, time, dim), h0 (batch, units)."""
        g = self.gates(inputs)  # (batch, time, units) each: every step's, at once
        # h_t = a_t ⊙ h_{t-1} + b_t with a_t = f'_t, b_t = i'_t ⊙ h̃_t
        return linear_scan(g["f_prime"], g["i_prime"] * g["h_hat"], h0)  # (batch, time, units)

    def get_config(self) -> dict:
        return {**super().get_config(), "units": self.units, "forget_bias": self.forget_bias}


def trace(cell: layers.Layer, inputs, states: list, keep=None) -> tuple[dict, list]:
    """The cell over time, one step at a time, keeping every gate, cell state and output.

    What `keras.layers.RNN` does, in plain sight, so that the figures and the trained
    model's what-ifs (`probe.py`) can read each step's values.

    Args:
        cell: one of ours: `LSTMCell` (its `pin`, if any, holds gates), `GRUCell`,
            `MinGRUCell`, `MinLSTMCell` (their `step` names every value), or a cell
            without `step` (`SimpleRNNCell`, Keras's `LSTMCell`): its h is kept.
        inputs: (batch, time, dim), the cell's inputs x_t (in_hidden's output).
        states: the state each row starts from, [h, c] (the other cells: [h]),
            (batch, units) each.
        keep: (units,) 1, or 0 for a unit whose h is silenced at every step; None: all kept.

    Returns:
        ({name: (batch, time, units)} for every value the cell's `step` names (the LSTM:
        i, f, c_hat, o, c, h; the GRU: z, r, h_hat, h; the minGRU: z, h_hat, h; the
        minLSTM: i, f, i_prime, f_prime, h_hat, h; a cell without `step`: h), the final
        states, [h, c] or [h]).
    """
    if keep is not None:
        states = [states[0] * keep, *states[1:]]  # a zeroed unit is silent from the start
    steps = []
    for t in range(inputs.shape[1]):
        x_t = inputs[:, t]  # (batch, dim)
        if hasattr(cell, "step"):  # ours: every value by name
            step = cell.step(x_t, states)
            rest = [step["c"]] if "c" in step else []  # the LSTM's cell state
        else:  # h alone, and the states it gives: [h] or, Keras's LSTMCell, [h, c]
            h, (_, *rest) = cell(x_t, states)
            step = {"h": h}
        if keep is not None:
            step["h"] = step["h"] * keep  # a zeroed unit says nothing, now or next step
        states = [step["h"], *rest]
        steps.append(step)
    values = {name: ops.stack([s[name] for s in steps], axis=1) for name in steps[0]}
    return values, states  # (batch, time, units) each; [h, c] or [h]
