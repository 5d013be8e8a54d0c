"""Forecasting, beyond the post: can the trained LSTM continue the curve, and beat the obvious?

A forecaster (`train --task forecast`) reads the series up to point t and was
trained to output point t + h (h = the horizon). After warming its state up on
the last W points of the training part, it forecasts the next N points in four ways:

(a) one step ahead: each point from the true past, the state carried;
(b) free-running: its own predictions fed back as its input, N steps;
and two baselines from the same true past as (a), which it must beat to have
learnt anything:
(c) persistence: repeat the last known value, ŝ_t = s_{t−h};
(d) a linear autoregression on the last p known points,
    ŝ_t = a_1·s_{t−h} + … + a_p·s_{t−h−p+1} + c, fitted by least squares on the
    training part. On a pure sine AR(2) is exact: s_{t+1} = 2 cos(ω) s_t − s_{t−1}.
All errors are in the series' own units (`series.Series.unscaled`).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from sine_lstm.forecasting.series import Series
from sine_lstm.model import recurrent

DRIFT_WINDOW = 20  # the free run's error is judged as an RMSE over this many points


class FeedBack(layers.Layer):
    """One step of the trained network that reads the truth while it is known, then itself.

    Its input at each step is `[value, known]`: where known is 1 it reads the
    value (the true series); where known is 0 it reads its own prediction made
    `horizon` steps earlier, which it keeps in its state. The time loop stays
    Keras's (`keras.layers.RNN`), so N free-running steps are one compiled call.

    Args:
        in_hidden, cell, out_hidden: the trained model's own layers (shared, not copied).
        horizon: h, how far ahead each prediction is.
    """

    def __init__(self, in_hidden, cell, out_hidden, horizon: int, **kwargs):
        super().__init__(**kwargs)
        self.in_hidden = in_hidden
        self.cell = cell
        self.out_hidden = out_hidden
        self.horizon = horizon
        sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
        self.state_size = [*sizes, horizon]  # the cell's [h, c], then the last h predictions
        self.output_size = 1

    def build(self, input_shape):
        pass  # every weight is the trained model's

    def call(self, inputs, states):
        *cell_states, queue = states  # queue (batch, h): predictions for points t … t+h−1
        value, known = inputs[:, :1], inputs[:, 1:]  # (batch, 1) each
        x = known * value + (1.0 - known) * queue[:, :1]  # (batch, 1): truth, or own prediction
        h, cell_states = self.cell.call(self.in_hidden.call(x), cell_states)  # (batch, units)
        y = self.out_hidden.call(h)  # (batch, 1): the prediction for point t + h
        queue = ops.concatenate([queue[:, 1:], y], axis=1)  # (batch, h)
        return y, [*cell_states, queue]


def forecaster(model: keras.Model, horizon: int) -> keras.Model:
    """The trained `model`'s layers in a `FeedBack` loop: (batch, time, [value, known]) → ŷ."""
    cell = FeedBack(
        model.get_layer("in_hidden"), recurrent(model).cell, model.get_layer("out_hidden"), horizon
    )
    inputs = keras.Input(shape=(None, 2), name="value_known")
    outputs = layers.RNN(cell, return_sequences=True, name="feedback")(inputs)  # (batch, time, 1)
    return keras.Model(inputs, outputs, name="forecaster")


def lstm_forecasts(model: keras.Model, series: Series, horizon: int, steps: int, warmup: int):
    """(a) one step ahead and (b) free-running, in the series' units: (steps,) each.

    Both rows start from a zero state W points before the end of the training
    part and go through one `predict`: row 0 reads the truth all along, row 1
    only while it is known, then its own predictions.
    """
    first = series.train_points  # the first point forecast
    z = series.scaled()  # (points,)
    n_in = warmup + steps - horizon  # network steps: the last predicts point first + steps − 1
    given = np.zeros((2, n_in, 2), dtype="float32")  # (rows, time, [value, known])
    given[0, :, 0] = z[first - warmup : first - warmup + n_in]
    given[1, :warmup, 0] = z[first - warmup : first]
    given[0, :, 1], given[1, :warmup, 1] = 1.0, 1.0
    out = forecaster(model, horizon).predict(given, batch_size=2, verbose=0)  # (2, n_in, 1)
    return series.unscaled(out[:, warmup - horizon :, 0])  # step j predicted point j + h


def baselines(values: np.ndarray, first: int, steps: int, horizon: int, order: int) -> dict:
    """(c) persistence and (d) the linear AR(p), one step ahead and free-running: (steps,) each."""
    coef = fit_linear_ar(values[:first], order, horizon)  # fitted on the training part only
    t = np.arange(first, first + steps)  # the points forecast
    return {
        "persistence": values[t - horizon],  # the last value known h points before
        "linear_ar": lags(values, t, order, horizon) @ coef,
        "linear_ar_free_run": linear_ar_free_run(values, first, steps, coef, horizon),
    }


def fit_linear_ar(train: np.ndarray, order: int, horizon: int) -> np.ndarray:
    """Least-squares coefficients [a_1 … a_p, c] of ŝ_t from s_{t−h} … s_{t−h−p+1}, on `train`."""
    rows = lags(train, np.arange(order + horizon - 1, len(train)), order, horizon)  # (n, p + 1)
    coef, *_ = np.linalg.lstsq(rows, train[order + horizon - 1 :], rcond=None)
    return coef  # (p + 1,)


def lags(values: np.ndarray, t: np.ndarray, order: int, horizon: int) -> np.ndarray:
    """The regression rows for points t: [s_{t−h}, …, s_{t−h−p+1}, 1], shape (len(t), p + 1)."""
    back = horizon + np.arange(order)  # (p,)
    return np.concatenate([values[t[:, None] - back], np.ones((len(t), 1))], axis=1)


def linear_ar_free_run(values: np.ndarray, first: int, steps: int, coef, horizon: int):
    """The AR model fed its own predictions from point `first` on; shape (steps,)."""
    run = values[:first].copy()
    order = len(coef) - 1
    with np.errstate(over="ignore", invalid="ignore"):  # fed back, a direct h > 1 AR can blow up
        for t in range(first, first + steps):  # each point from the ones h and more before it
            run = np.append(run, lags(run, np.array([t]), order, horizon)[0] @ coef)
    return run[first:]


def rmse(pred: np.ndarray, truth: np.ndarray) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.mean((np.asarray(pred) - truth) ** 2)))


def running_rmse(error: np.ndarray, window: int = DRIFT_WINDOW) -> np.ndarray:
    """At each step, the RMSE over the `window` steps up to it (fewer at the start); (steps,)."""
    square = np.concatenate([[0.0], np.cumsum(np.square(error))])  # (steps + 1,)
    n = np.arange(1, len(error) + 1)
    start = np.maximum(n - window, 0)
    return np.sqrt(np.maximum(square[n] - square[start], 0.0) / (n - start))


def drift_step(error: np.ndarray, threshold: float, window: int = DRIFT_WINDOW) -> int | None:
    """The first step n (1 = the first point forecast) whose `running_rmse` exceeds
    `threshold`, or None. Over a window, noise alone does not cross it; a drift does."""
    over = running_rmse(error, window) > threshold  # (steps,)
    return int(np.argmax(over)) + 1 if over.any() else None


def forecast(
    model: keras.Model,
    series: Series,
    horizon: int,
    steps: int,
    warmup: int,
    ar_order: int = 2,
) -> dict:
    """The four forecasts of the `steps` points after the training part, and their RMSEs.

    Args:
        model: a forecaster `train` wrote (any batch size: its layers are reused).
        series: the series it was trained on, with held-out points after the
            training part (a built-in one: drawn long enough, `series.load(config, steps)`).
        horizon: the h it was trained for.
        steps: N, how many points to forecast; warmup: W, how many known points
            warm the state up first.
        ar_order: p, the baseline's number of lags (2: exact on a pure sine).

    Returns:
        A dict: "truth" and "pred" (each forecast, in the series' own units), the
        four RMSEs, the free run's "drift_step" and "threshold", and the settings.
    """
    first = series.train_points  # the first point forecast
    values = series.values  # (points,)
    truth = values[first : first + steps]  # (steps,)
    one_step, free_run = lstm_forecasts(model, series, horizon, steps, warmup)
    pred = {"one_step": one_step, "free_run": free_run}
    pred |= baselines(values, first, steps, horizon, ar_order)
    threshold = 2 * rmse(one_step, truth)  # the free run is off once it is twice as far
    return {
        **{f"{name}_rmse": rmse(p, truth) for name, p in pred.items()},
        "drift_step": drift_step(free_run - truth, threshold),
        "threshold": threshold,
        "truth": truth.tolist(),
        "known": values[first - warmup : first].tolist(),  # the warm-up points, before the truth
        "pred": {name: np.asarray(p).tolist() for name, p in pred.items()},
        "units": series.units,
        "first_point": first,
        "horizon": horizon,
        "steps": steps,
        "warmup": warmup,
        "ar_order": ar_order,
        "ar_coefficients": fit_linear_ar(values[:first], ar_order, horizon).tolist(),
    }
