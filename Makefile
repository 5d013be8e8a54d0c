# sine_lstm: every target sets itself up on first use, from requirements.txt (what runs and
# tests it, with its tested pins), pyproject.toml (the extras) and constraints.txt (their pins).
PY := .venv/bin/python
NODE ?= node
export TF_CPP_MIN_LOG_LEVEL := 2
export MPLBACKEND ?= Agg

# BACKEND: tensorflow (the default when empty), jax or torch, e.g. `make gif BACKEND=jax`;
# jax and torch need `install-backends`, which those targets then run first
BACKEND ?=
NEEDS := install $(if $(filter jax torch,$(BACKEND)),install-backends)
FLAG := $(if $(BACKEND),--backend $(BACKEND))

.PHONY: help need-node site install install-backends install-notebook install-browser train gif forecast remember notebook play serve test test-backends test-notebook test-browser test-signals bench-web check-learning check-forecast check-ladder check-memory figures bench lint format clean

# install: create .venv: requirements.txt, sine_lstm itself (editable) and its dev extra, ruff and import-linter (redone when those files change)
install: .venv/.installed

.venv/.installed: requirements.txt pyproject.toml constraints.txt
	python3 -m venv .venv && .venv/bin/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# install-backends: add JAX (CPU) and PyTorch (CPU build) to .venv, for --backend jax|torch
install-backends: .venv/.backends

.venv/.backends: .venv/.installed pyproject.toml constraints.txt
	.venv/bin/pip install -q -c constraints.txt -e '.[backends]'
	touch $@

# install-notebook: add JupyterLab, the kernel and nbclient to .venv
install-notebook: .venv/.notebook

.venv/.notebook: .venv/.installed pyproject.toml constraints.txt
	.venv/bin/pip install -q -c constraints.txt -e '.[notebook]'
	touch $@

# install-browser: add Playwright to .venv: it drives Debian's Chromium in the page's tests and bench
install-browser: .venv/.browser

.venv/.browser: .venv/.installed pyproject.toml constraints.txt
	.venv/bin/pip install -q -c constraints.txt -e '.[browser]'
	touch $@

# train: train the demo with the original's settings, no GIF (writes out/)
train: $(NEEDS)
	.venv/bin/sine-lstm train --no-gif $(FLAG)

# gif: train and render out/sine_lstm.gif, the post's animation
gif: $(NEEDS)
	.venv/bin/sine-lstm train $(FLAG)

# forecast: learn monthly CO₂ at Mauna Loa (examples/), forecast its last 20 % against the baselines (out/co2/)
forecast: $(NEEDS)
	.venv/bin/sine-lstm train --task forecast --csv examples/co2_mauna_loa_monthly.csv --column co2 --batch-size 10 --time-steps 12 --steps 20 --epochs 25 --quiet --out out/co2 $(FLAG) && .venv/bin/sine-lstm forecast --model out/co2/model.keras --ar-order 13 $(FLAG)

# remember: recall the input 29 steps back through noise, seeds 0–2: the LSTM with b_f = 5, with b_f = 1, the RNN, a table (slow, about 45 s)
remember: install
	KERAS_BACKEND=tensorflow $(PY) -m pytest -q -s -n 0 -m slow tests/test_remember.py

# notebook: open notebooks/sine_lstm.ipynb, the post section by section (the page last), in JupyterLab
notebook: install-notebook
	.venv/bin/jupyter lab notebooks/sine_lstm.ipynb --MappingKernelManager.transport_encryption=auto $(if $(filter 0,$(shell id -u)),--allow-root)

# play: open the page, web/index.html, in your browser (nothing to install; or double-click the file)
play:
	python3 -m webbrowser -t "file://$(CURDIR)/web/index.html" && echo "the page: file://$(CURDIR)/web/index.html"

# serve: the page on http://127.0.0.1:8000, for a browser that will not open files (Ctrl-C stops it)
serve:
	python3 -m http.server 8000 --bind 127.0.0.1 --directory web

# test: the fast suite, on both cores (pyproject.toml's addopts choose it: a bare `pytest` runs the same)
test: need-node install
	$(PY) -m pytest -q

# test-notebook: run the notebook top to bottom in a kernel; JupyterLab serves it, the page in its last cell trains in Chromium
test-notebook: install-notebook install-browser /usr/bin/chromium
	$(PY) -m pytest -q -s -n 0 -m notebook tests/notebook

# test-backends: the backend suite once per backend, TensorFlow, JAX and PyTorch (75–141 s each in fresh-clone runs on 2 cores)
test-backends: install-backends
	for b in tensorflow jax torch; do KERAS_BACKEND=$$b $(PY) -m pytest -q -s -n 0 -m backends tests/backends || exit 1; done

# test-browser: the page in Debian's Chromium (installed by apt when missing), from file:// and http://127.0.0.1; screenshots in out/browser
test-browser: install-browser /usr/bin/chromium
	$(PY) -m pytest -q -s -n 0 -m browser tests/browser

# test-signals: Ctrl-C typed into a terminal (a pty) at several moments of a 100,000-step run, and SIGTERM from a script (about a minute)
test-signals: install
	$(PY) -m pytest -q -n 0 -m signals tests/signals

# /usr/bin/chromium: Debian's Chromium, and a Chinese font for the page's screenshots in Chinese
/usr/bin/chromium:
	apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei

# check-learning: seeds 0–4 (or SEEDS=20) with the defaults, against the original's 20, and each cell beyond the post (slow; BACKEND=jax|torch)
check-learning: $(NEEDS)
	KERAS_BACKEND=$(or $(BACKEND),tensorflow) $(PY) -m pytest -q -s -n 0 -m slow tests/test_learning.py

# check-forecast: the forecaster's four RMSEs and its free run over seeds 0–4, asserted (slow)
check-forecast: $(NEEDS)
	$(PY) -m pytest -q -s -n 0 -m slow tests/test_forecast.py

# check-ladder: figure 9, what keeps a memory: six cells, 20 seeds, cos x and remember at lags 5–100, a table asserted, out/ladder.json (slow, about 40 min on one core)
check-ladder: install
	KERAS_BACKEND=tensorflow TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 $(PY) -m pytest -q -s -n 0 -m slow tests/test_ladder.py

# check-memory: a run's peak memory against the memory check's estimate, at 1,000 and 100,000 steps (about 5 minutes)
check-memory: install
	$(PY) -m pytest -q -s -n 0 -m slow tests/test_memory.py

# figures: every claim of the post as a figure under out/figures (about 25 s; TensorFlow)
figures: install
	KERAS_BACKEND=tensorflow $(PY) -m sine_lstm.figures out/figures

# bench: time training, the GIF and the whole `make gif` (out/bench.json), then the page (bench-web)
bench: install
	$(PY) -m bench
	$(MAKE) bench-web

# bench-web: the page in Chromium (click to 200th step, a what-if, bytes, first paint), model.js beside Keras and TensorFlow.js (npm, into out/), medians of 9
bench-web: install-browser /usr/bin/chromium
	$(PY) -m bench.web --runs 9

# site: write web/keras/ (Keras's initial and trained weights, the CLI's fields) for the page, with the lesson's code
site: install
	$(PY) -m sine_lstm.page.site web/keras

# lint: ruff, and import-linter's contracts in pyproject.toml (no import circles; the command line imports down)
lint: install
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

# format: let ruff format the code
format: install
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# need-node: say how to get Node.js 18+ when it is missing (make test runs the page's maths in it)
need-node:
	@command -v $(NODE) >/dev/null 2>&1 || { echo "make test needs Node.js 18 or newer (it runs the page's maths): sudo apt-get install nodejs (Debian, Ubuntu), brew install node (macOS), winget install OpenJS.NodeJS (Windows), or https://nodejs.org" >&2; exit 1; }

# help: every target and what it does (these comments)
help:
	@sed -n 's/^# \([a-z-]*\): /\1\t/p' Makefile | expand -t 18

# clean: remove outputs and caches, the JAX compile cache in ~/.cache/sine_lstm too (keeps .venv)
clean:
	rm -rf out ~/.cache/sine_lstm .pytest_cache .ruff_cache .import_linter_cache sine_lstm/__pycache__ tests/__pycache__
