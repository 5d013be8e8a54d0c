import numpy as np
import pytest

from sine_lstm import data


@pytest.mark.parametrize("batch_size,time_steps", [(50, 20), (3, 7), (1, 1), (8, 33)])
def test_row_b_of_next_batch_continues_row_b(batch_size, time_steps):
    step = 1 / data.X_SCALE
    for k in (0, 1, 17):
        x_k, _, _ = data.batch(k, batch_size, time_steps)
        x_next, _, _ = data.batch(k + 1, batch_size, time_steps)
        # the first point of each row of batch k+1 is one step after the last of batch k
        np.testing.assert_allclose(x_next[:, 0, 0] - x_k[:, -1, 0], step, rtol=1e-4)
        # and each row's points are evenly spaced
        np.testing.assert_allclose(np.diff(x_k[..., 0], axis=1), step, rtol=1e-3)


def test_batch_zero_matches_the_original_formula():
    x, s, c = data.batch(0)
    expected = np.arange(0, 1000).reshape(50, 20) / (10 * np.pi)
    np.testing.assert_allclose(x[..., 0], expected, rtol=1e-6)
    np.testing.assert_allclose(s[..., 0], np.sin(expected), atol=1e-6)
    np.testing.assert_allclose(c[..., 0], np.cos(expected), atol=1e-6)
    assert x.shape == s.shape == c.shape == (50, 20, 1)
    assert x.dtype == np.float32


def test_batch_is_a_pure_function_of_k():
    a = data.batch(5, 4, 6)
    data.batch(9, 4, 6)
    b = data.batch(5, 4, 6)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


def test_stream_stacks_batches_in_order():
    x, s, c = data.stream(4, batch_size=3, time_steps=5)
    assert x.shape == (12, 5, 1)
    for k in range(4):
        np.testing.assert_array_equal(x[3 * k : 3 * (k + 1)], data.batch(k, 3, 5)[0])
        np.testing.assert_array_equal(c[3 * k : 3 * (k + 1)], data.batch(k, 3, 5)[2])


def test_the_forecast_stream_reads_s_i_and_is_asked_for_s_i_plus_h():
    s = np.arange(1000, dtype=np.float64) * 0.5  # point i holds i / 2
    for horizon in (1, 4):
        i, inputs, targets = data.windows(s, steps=5, batch_size=3, time_steps=7, horizon=horizon)
        np.testing.assert_array_equal(inputs, i / 2)
        np.testing.assert_array_equal(targets, (i + horizon) / 2)  # the future, h points on
        # the same layout as the post's stream: row b of batch k+1 continues row b of batch k
        np.testing.assert_allclose(i, data.stream(5, 3, 7)[0] * data.X_SCALE, atol=1e-3)


def test_windows_have_the_stateful_layout():
    s = np.arange(500, dtype=np.float64)
    i, _, _ = data.windows(s, steps=4, batch_size=3, time_steps=5, horizon=2)  # (12, 5, 1)
    rows = i[..., 0].reshape(4, 3, 5)  # (batch k, row b, step t)
    np.testing.assert_array_equal(rows[1:, :, 0], rows[:-1, :, -1] + 1)  # row b goes on


def test_points_needed_is_exactly_what_the_windows_read():
    need = data.points_needed(steps=6, batch_size=4, time_steps=5, horizon=3)
    assert need == 5 * (6 + 4 - 1) + 3
    assert data.points_needed(1, 50, 20, 1) == 50 * 20 + 1  # one batch: batch × time + h
    data.windows(np.zeros(need), 6, 4, 5, horizon=3)
    with pytest.raises(ValueError, match=f"these batches need {need}$"):
        data.windows(np.zeros(need - 1), 6, 4, 5, horizon=3)


def test_row0_runs_each_window_on_to_the_next_batch_s_first_point():
    x, _, cos_x = data.stream(7, 3, 5)  # (21, 5, 1) each
    joined = data.row0(x, 3)  # (7, 6)
    ahead, _, _ = data.stream(8, 1, 5)  # row 0 of batches 0 … 7: the next one's first point too
    np.testing.assert_array_equal(joined[:, :5], ahead[:7, :, 0])
    np.testing.assert_array_equal(joined[:, 5], ahead[1:, 0, 0])
    np.testing.assert_allclose(data.row0(cos_x, 3)[:, :5], np.cos(ahead[:7, :, 0]), atol=1e-6)
    alone = data.row0(data.stream(4, 1, 5)[0], 1)  # one row: the last window has no next point
    np.testing.assert_array_equal(alone[:3], joined[:3])
    assert np.isnan(alone[3, 5]) and np.all(np.isfinite(alone[3, :5]))
