"""The picture callbacks (`pictures.py`): the GIF decoded with Pillow, checked to observe
without disturbing; the live window, and what it says where none can open."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence

from sine_lstm import data, plots
from sine_lstm.config import Config
from sine_lstm.pictures import LivePlot, live_window_problem
from sine_lstm.train import train


def frames_of(path):
    with Image.open(path) as gif:
        info = dict(gif.info)
        frames = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(gif)]
    return info, frames


def durations_of(path) -> list[int]:
    """Each frame's duration in ms, from its graphic control extension."""
    with Image.open(path) as gif:
        return [frame.info["duration"] for frame in ImageSequence.Iterator(gif)]


def test_frame_steps_sample_evenly_and_keep_the_last():
    np.testing.assert_array_equal(plots.frame_steps(5, 200), np.arange(5))
    steps = plots.frame_steps(2000, 200)
    assert len(steps) == 200 and steps[0] == 0 and steps[-1] == 1999
    assert np.all(np.diff(steps) >= 10) and np.all(np.diff(steps) <= 11)


@pytest.fixture(scope="module")
def gif_run(tmp_path_factory):
    """One small run with the GIF, shared by the tests that decode it."""
    out = tmp_path_factory.mktemp("gif") / "out"
    config = Config(steps=12, batch_size=4, time_steps=5, cell_size=3, fps=4, out=str(out))
    result = train(config, out, verbose=False)
    return config, result, out


def test_gif_frames_size_loop_and_duration(gif_run):
    config, _, out = gif_run
    info, frames = frames_of(out / "sine_lstm.gif")
    assert len(frames) == 12
    assert frames[0].shape == (360, 640, 3)
    assert info["loop"] == 0  # forever
    assert info["duration"] == 250  # 4 frames per second
    assert (out / "final.png").stat().st_size > 10_000 and (out / "cost.png").stat().st_size > 5_000


def test_gif_holds_its_last_frame_and_plays_the_others_at_fps(gif_run):
    config, _, out = gif_run
    durations = durations_of(out / "sine_lstm.gif")
    assert len(durations) == 12
    assert durations[:-1] == [1000 // config.fps] * 11  # 250 ms
    assert durations[-1] == plots.HOLD_MS >= 2000  # the converged fit stays up


def test_max_frames_samples_the_steps(tiny):
    config = tiny.replace(steps=30, max_frames=7)
    train(config, config.out, verbose=False)
    _, frames = frames_of(Path(config.out) / "sine_lstm.gif")
    assert len(frames) == 7


def colour_pixels(frame, rgb, tol=40):
    return (np.abs(frame.astype(int) - rgb).sum(-1) < tol).sum()


def test_every_frame_has_red_and_blue_in_the_plot_and_they_pile_up(gif_run):
    _, _, out = gif_run
    _, frames = frames_of(out / "sine_lstm.gif")
    plot_area = (slice(56, 308), slice(70, 620))  # inside the axes of the 640 × 360 frame
    red, blue = np.array([0xD6, 0x27, 0x28]), np.array([0x1F, 0x57, 0xC8])
    reds = [colour_pixels(f[plot_area], red) for f in frames]
    blues = [colour_pixels(f[plot_area], blue) for f in frames]
    assert min(reds) > 20 and min(blues) > 5
    assert reds[-1] > 5 * reds[0]  # frame k shows steps 0 … k: the curves pile up
    assert all(b >= a for a, b in zip(reds, reds[1:], strict=False))


def test_gif_does_not_change_training(tiny, tmp_path):
    with_gif = train(tiny, tiny.out, verbose=False).costs
    first = (Path(tiny.out) / "metrics.csv").read_bytes()
    assert (Path(tiny.out) / "sine_lstm.gif").exists()
    no_gif = tiny.replace(gif=False)
    train(no_gif, tmp_path / "no_gif", verbose=False)
    assert (tmp_path / "no_gif" / "metrics.csv").read_bytes() == first
    assert not (tmp_path / "no_gif" / "sine_lstm.gif").exists()
    assert len(with_gif) == tiny.steps


def test_both_pictures_name_the_blue_line_for_the_cell(tiny, monkeypatch):
    from matplotlib.axes import Axes

    labels, legend = [], Axes.legend

    def spy(ax, handles, texts, **kwargs):
        labels.append(list(texts))
        return legend(ax, handles, texts, **kwargs)

    monkeypatch.setattr(Axes, "legend", spy)
    train(tiny.replace(cell="rnn"), tiny.out, verbose=False)  # the GIF, then final.png
    assert labels == [["target cos x", "RNN prediction"]] * 2


def test_live_plot_without_a_display_says_so_in_one_line_and_training_goes_on(
    tiny, monkeypatch, capsys
):
    import matplotlib.pyplot as plt

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    result = train(tiny.replace(show=True), tiny.out, verbose=False)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("the live window cannot open (no display")
    assert "training goes on without it" in lines[0]
    assert len(result.costs) == tiny.steps and (Path(tiny.out) / "sine_lstm.gif").exists()
    assert plt.get_fignums() == []


@pytest.mark.parametrize(
    "backend, environ, platform, opens",
    [
        ("TkAgg", {"DISPLAY": ":0"}, "linux", True),
        ("QtAgg", {"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ("macosx", {}, "darwin", True),
        ("TkAgg", {}, "linux", False),  # no X11 or Wayland display
        ("agg", {"DISPLAY": ":0"}, "linux", False),  # matplotlib's fallback draws no window
        ("agg", {}, "win32", False),
    ],
)
def test_live_window_problem_names_a_missing_display_or_a_windowless_backend(
    backend, environ, platform, opens
):
    assert (live_window_problem(backend, environ, platform) is None) == opens


def test_live_plot_scrolls_drops_what_scrolled_off_and_closes_its_figure(tiny, monkeypatch):
    import matplotlib.pyplot as plt

    from sine_lstm import pictures

    result = train(tiny, verbose=False)  # 6 steps
    monkeypatch.setattr(pictures, "live_window_problem", lambda *args: None)  # as on a desktop
    stream = data.Stream(tiny.steps, tiny.batch_size, tiny.time_steps)
    live = LivePlot(result.record, tiny, stream, view=4)  # views: steps 0–3, then 2–5
    live.on_train_begin()
    live.on_train_batch_end(0)
    x, _ = stream.rows(np.arange(tiny.steps))
    assert [step for step, _ in live.lines] == [2, 3, 4, 5]
    assert len(live.ax.lines) == 2 + 2 * 4  # the legend's two, then red and blue per step
    np.testing.assert_allclose(live.ax.get_xlim(), (x[2:].min(), x[2:].max()))
    live.on_train_end()
    assert plt.get_fignums() == []
