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


def test_points_needed_is_what_the_last_batch_reads():
    need = data.points_needed(steps=6, batch_size=4, time_steps=5, horizon=3)
    assert need == 5 * (6 + 4 - 1) + 3
    assert data.points_needed(1, 50, 20, 1) == 50 * 20 + 1  # one batch: batch × time + h
    last = data.points(1, 4, 5, start=5)  # batch 5, the sixth
    assert last.max() + 3 == need - 1


def test_the_stream_fit_reads_is_the_pure_batches_in_order():
    stream = data.Stream(steps=7, batch_size=3, time_steps=5)
    assert len(stream) == 7
    for k in (0, 1, 6, 1000):  # any k, in any order: nothing is kept between batches
        _, sin_x, cos_x = data.batch(k, 3, 5)
        inputs, targets = stream[k]
        np.testing.assert_array_equal(inputs, sin_x)
        np.testing.assert_array_equal(targets, cos_x)
        assert inputs.dtype == np.float32 and inputs.shape == (3, 5, 1)


def test_rows_run_each_window_on_to_the_next_batch_s_first_point():
    stream = data.Stream(steps=7, batch_size=3, time_steps=5)
    x, cos_x = stream.rows(np.arange(7))  # (7, 6) each
    ahead, _, _ = data.stream(8, 1, 5)  # row 0 of batches 0 … 7: the next one's first point too
    np.testing.assert_array_equal(x[:, :5], ahead[:7, :, 0])
    np.testing.assert_array_equal(x[:, 5], ahead[1:, 0, 0])
    np.testing.assert_allclose(cos_x, np.cos(x), atol=1e-6)
    alone, _ = data.Stream(4, 1, 5).rows(np.arange(4))  # one row a batch: the same curve
    np.testing.assert_array_equal(alone, x[:4])


def test_the_memoryless_cost_of_the_post_s_task_is_20_times_the_variance_of_cos_x():
    stream = data.Stream(steps=200)
    _, _, cos_x = data.stream(20, start=180)  # the batches of the last 20 steps, independently
    expected = 20 * np.var(cos_x, dtype=np.float64)  # the best constant: their mean
    np.testing.assert_allclose(data.memoryless_cost(stream, 200), expected, rtol=1e-6)
    assert 9.9 < expected < 10.1  # about 20 × E[cos² x] = 10: predicting 0
    _, _, replayed = data.stream(10, start=0)  # a second epoch's steps 190–199 train batches 0–9
    second = 20 * np.var(np.concatenate([cos_x[-10 * 50 :], replayed]), dtype=np.float64)
    np.testing.assert_allclose(data.memoryless_cost(stream, 210), second, rtol=1e-6)
