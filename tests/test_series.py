"""The series a forecaster learns: built in or from a CSV, scaled by its training part, and
its stream on the post's layout."""

import math
from pathlib import Path

import numpy as np
import pytest

from sine_lstm import data
from sine_lstm.config import Config
from sine_lstm.forecasting import series


def test_the_forecast_stream_reads_s_i_and_is_asked_for_s_i_plus_h():
    values = np.arange(1000, dtype=np.float64) * 0.5  # point i holds i / 2
    for horizon in (1, 4):
        stream = data.Stream(5, 3, 7, series.Window(values, horizon))
        i = data.points(5, 3, 7)  # (15, 7, 1)
        inputs = np.concatenate([stream[k][0] for k in range(5)])
        targets = np.concatenate([stream[k][1] for k in range(5)])
        np.testing.assert_array_equal(inputs, i / 2)
        np.testing.assert_array_equal(targets, (i + horizon) / 2)  # the future, h points on


def test_the_forecast_stream_is_sized_and_scaled_from_the_config():
    config = Config(task="forecast", series="seasonal", steps=6, batch_size=4, time_steps=5)
    config = config.replace(horizon=3)
    stream = series.stream(config)
    s = series.load(config)
    assert len(stream) == 6 and s.train_points == data.points_needed(6, 4, 5, 3)
    inputs, targets = stream[5]  # the last batch: its last target is the part's last point
    z = s.scaled()
    assert targets[-1, -1, 0] == np.float32(z[s.train_points - 1])
    assert inputs[0, 0, 0] == np.float32(z[5 * 5])


def test_a_stream_past_the_series_end_is_refused():
    config = Config(task="forecast", steps=6, batch_size=4, time_steps=5, horizon=3)
    short = series.Series(np.arange(40.0), 30, "points")  # 5 × (6 + 4 − 1) + 3 = 48 needed
    with pytest.raises(ValueError, match="the series has 40 points; these batches need 48$"):
        series.stream(config.replace(csv="x.csv", column="c"), short)


def test_the_seasonal_series_is_the_same_however_long_it_is_drawn():
    np.testing.assert_array_equal(series.seasonal(300), series.seasonal(5000)[:300])
    noise = series.seasonal(20_000) - series.TREND * np.arange(20_000)
    noise -= np.sin(2 * math.pi * np.arange(20_000) / series.SEASON)
    assert np.std(noise) == pytest.approx(series.NOISE, rel=0.03)


def test_a_built_in_series_is_scaled_by_its_training_part():
    config = Config(task="forecast", series="seasonal")
    s = series.load(config, beyond=500)
    assert s.train_points == 20 * (200 + 50 - 1) + 1 and len(s.values) == s.train_points + 500
    z = s.scaled()[: s.train_points]
    assert abs(z.mean()) < 1e-12 and z.std() == pytest.approx(1.0)
    np.testing.assert_allclose(s.unscaled(s.scaled()), s.values)
    assert s.scaled()[s.train_points :].mean() > 0.8  # the trend rises past the training part


def test_the_shipped_co2_series_is_monthly_mauna_loa():
    from sine_lstm.forecasting.series import read_column

    csv = Path(__file__).parents[1] / "examples" / "co2_mauna_loa_monthly.csv"
    co2 = read_column(csv, "co2")
    assert len(co2) == 444 and csv.stat().st_size < 10_000  # 1965–2001, a few kB
    assert 315 < co2[:12].mean() < 322 and 368 < co2[-12:].mean() < 373  # ppm, rising
    years = co2.reshape(37, 12)  # (year, month)
    season = (years - years.mean(axis=1, keepdims=True)).mean(axis=0)  # (12,)
    assert np.argmax(season) == 4 and 2.5 < season.max() < 4  # May, about 3 ppm above the year


def test_a_csv_from_chinese_excel_is_read_as_gb18030_and_says_so(tmp_path, capsys):
    from sine_lstm.forecasting.series import read_column

    file = tmp_path / "二氧化碳.csv"
    file.write_bytes("月份,二氧化碳\n1,315.7\n2,316.5\n".encode("gbk"))  # no BOM, as Excel saves it
    np.testing.assert_array_equal(read_column(file, "二氧化碳"), [315.7, 316.5])
    [line] = capsys.readouterr().err.splitlines()
    assert "not UTF-8" in line and "GB18030" in line
    file.write_bytes("\ufeff月份,二氧化碳\n1,315.7\n".encode())  # UTF-8 with a BOM: nothing said
    np.testing.assert_array_equal(read_column(file, "二氧化碳"), [315.7])
    assert capsys.readouterr().err == ""


def test_semicolons_and_decimal_commas_are_read_as_a_european_excel_writes_them(tmp_path):
    from sine_lstm.forecasting.series import read_column

    file = tmp_path / "semicolon.csv"
    file.write_text("month;co2\n1;315,71\n2;316,25\n")
    np.testing.assert_array_equal(read_column(file, "co2"), [315.71, 316.25])
    file.write_text("month\tco2\n1\t315.71\n")
    np.testing.assert_array_equal(read_column(file, "co2"), [315.71])


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", ["is empty", "header line"]),
        (b"\n\n", ["is empty"]),
        (b"\xff\xfe\x00\xd8", ["neither UTF-8 nor GB18030", "CSV UTF-8"]),
        (b"month,co2\n1,abc\n", ["line 2", "'abc'", "fix that row"]),
        (b"month,co2\n1,315\n", ["'ppm'", "month, co2", "--column"]),
    ],
)
def test_a_csv_the_forecaster_cannot_use_is_refused_saying_how_to_fix_it(tmp_path, content, words):
    from sine_lstm.forecasting.series import SeriesError, read_column

    file = tmp_path / "bad.csv"
    file.write_bytes(content)
    with pytest.raises(SeriesError) as err:
        read_column(file, "ppm" if b"315\n" in content else "co2")
    for word in words:
        assert word in str(err.value), str(err.value)
