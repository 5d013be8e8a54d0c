"""The checks (`cli/checks.py`) that run before anything loads: a missing package, a backend,
the memory a run needs."""

import importlib.util
import re
from pathlib import Path

import pytest

from sine_lstm.cli import checks
from sine_lstm.cli.checks import UsageError


def test_every_runtime_package_of_requirements_txt_is_checked_before_a_run():
    text = (Path(__file__).parents[1] / "requirements.txt").read_text()
    names = {re.split(r"[<>=!~ ]", line)[0] for line in text.splitlines() if line[:1].isalpha()}
    tests = {"pytest", "pytest-xdist"}
    assert names - tests == set(checks.PACKAGES.values()) - {"keras"} | {"tensorflow"}


def test_a_missing_package_is_named_with_the_command_that_installs_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name in ("tqdm", "PIL") else real(name)
    )
    with pytest.raises(UsageError) as err:
        checks.packages()
    assert str(err.value) == (
        "pillow and tqdm are not installed; "
        "in the project's folder: pip install -r requirements.txt"
    )


def test_a_missing_backend_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    with pytest.raises(UsageError) as err:
        checks.choose_backend(None)  # nothing asked for: no flag named
    assert str(err.value) == (
        "training needs tensorflow, which is not installed: pip install -r requirements.txt"
    )
    with pytest.raises(UsageError, match=r"^--backend jax needs jax, .*: make install-backends$"):
        checks.choose_backend("jax")


def test_the_memory_estimate_grows_with_every_size_and_fits_the_default():
    from sine_lstm.cli.checks import SIZES
    from sine_lstm.cli.memory import available_bytes, train_bytes
    from sine_lstm.config import Config

    default = {name: getattr(Config(), name) for name in SIZES}
    assert train_bytes(**default) < 1e9 < available_bytes()  # the demo: the backend, mostly
    for name in SIZES:
        assert train_bytes(**{**default, name: default[name] * 10}) > train_bytes(**default)
