"""The pictures' words and layout: captions, labels, y limits, and the scrolling x axis."""

import numpy as np
import pytest
from PIL import Image, ImageSequence

from sine_lstm import plots


def test_views_hold_at_most_view_steps_jump_half_a_view_and_end_at_the_last_step():
    for steps in (1, 199, 200, 201, 350, 2000, 2345):
        starts = plots.view_starts(steps)
        assert starts[0] == 0 and starts == sorted(set(starts))
        assert np.all(np.diff(starts) <= plots.VIEW // 2)  # half of each view stays in sight
        assert steps - starts[-1] == min(steps, plots.VIEW)  # the last: the latest 200 windows
        for step in range(steps):  # every step has a view, which holds at most 200 steps
            assert 0 <= step - plots.view_of(step, starts) < plots.VIEW


def test_the_default_run_never_scrolls():
    assert plots.view_starts(200) == [0]
    assert plots.x_label(0, 200) == "x"


def test_a_long_run_scrolls_and_says_which_steps_are_in_view():
    assert plots.view_starts(2000) == list(range(0, 1801, 100))
    assert plots.x_label(1800, 2000).startswith("x      (this view: steps 1800–1999;")


def test_caption_names_this_steps_cost_and_on_the_last_step_the_mean_of_the_last_20():
    costs = np.linspace(2.0, 0.1, 200)  # (steps,)
    assert plots.caption(57, costs) == f"step 57   this step's cost {costs[57]:.4f}"
    last = plots.caption(199, costs, final=True).splitlines()
    assert last[0] == "step 199   this step's cost 0.1000"
    assert last[1] == f"mean of the last 20 steps: {costs[-20:].mean():.4f}"  # as the run prints
    assert plots.caption(4, costs, final=True).splitlines()[1].startswith("mean of the last 5")


@pytest.mark.parametrize(
    "cell, label",
    [
        ("lstm", "LSTM"),
        ("keras", "LSTM"),
        ("rnn", "RNN"),
        ("gru", "GRU"),
        ("mingru", "minGRU"),
        ("minlstm", "minLSTM"),
    ],
)
def test_prediction_is_named_for_the_cell(cell, label):
    assert plots.prediction_label(cell) == f"{label} prediction"


def test_y_limits_hold_every_prediction():
    assert plots.y_limit(np.array([[-1.23, 1.14]])) == 1.5  # the default run's overshoot
    wild = np.array([[0.3, -2.0]])  # an untrained network can go further
    assert plots.y_limit(wild) > 2.0


def last_frame(path):
    with Image.open(path) as gif:
        *_, frame = ImageSequence.Iterator(gif)
        return np.asarray(frame.convert("RGB"))


def test_the_last_frame_of_a_long_run_is_the_picture_of_its_latest_windows(tmp_path):
    steps, time, view = 60, 6, 20
    x = np.arange(steps * time + 1)[: steps * time].reshape(steps, time) / 5.0  # (steps, time)
    x = np.concatenate([x, x[:, -1:] + 0.2], axis=1)  # (steps, time + 1), as `recorded` joins them
    target, pred = np.cos(x), 0.8 * np.cos(x[:, :-1] + 0.3)  # (steps, time + 1), (steps, time)
    costs = np.linspace(3.0, 0.1, steps)  # (steps,)
    plots.render_gif(x, target, pred, costs, tmp_path / "long.gif", view=view)
    latest = slice(steps - view, steps)
    plots.render_gif(x[latest], target[latest], pred[latest], costs[latest], tmp_path / "v.gif")
    plots.render_gif(x, target, pred, costs, tmp_path / "all.gif", view=steps)  # no scrolling
    plot_area = (slice(56, 308), slice(66, 620))  # inside the axes of the 640 × 360 frame
    long, alone, whole = (
        last_frame(tmp_path / f"{name}.gif")[plot_area] for name in ("long", "v", "all")
    )
    assert (long != alone).any(-1).mean() < 0.005  # where red and blue overlap, drawn in turn
    assert (long != whole).any(-1).mean() > 0.02  # and not the whole run squeezed in
