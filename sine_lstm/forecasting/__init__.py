"""Forecasting, beyond the post: the same model on the same layout, asked for a series ahead.

- `series.py`: the series (the sine, a seasonal one, a CSV column), scaled by its training
  part, and its stream (`series.stream`), which `train()` takes as it is;
- `forecast.py`: a trained forecaster's four forecasts against two baselines.
"""
