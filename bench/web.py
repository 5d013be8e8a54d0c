"""`make bench-web`: the page's speed in Chromium, beside Keras and TensorFlow.js, in one run.

`python -m bench.web [--runs N]` drives Debian's Chromium with Playwright. Each of
the N rounds measures every row once, in turn, so that the machine's drift hits them alike;
the table gives the median, min and max of the N, and out/bench-web.json keeps every value.

The page: web/index.html from file://, in a fresh browser context each round (1280 × 800).
- first paint, first contentful paint: the page's own `performance` paint entries; and when
  the page, idle after opening, has run a few throwaway steps so that the browser compiles its
  training code before the first press (`data-warm` on <html>, ms after opening); the first
  press comes a second after that.
- Train → 200th step drawn: from a click on Train (the defaults) to just after the frame that
  painted the fit's 200th step (`page_clock.js`). The first press on the fresh page, then a
  second press.
- what if: the same clock, from a click on "f = 0, i = 1, o = 1", or on one unit's zero box,
  to just after the frame that painted the new fit.
- page kB: the sizes of every file the page asked for (a request outside web/ is named).
The model's step, in the same Chromium, from two small pages served on 127.0.0.1 (a browser
loads WebAssembly only over http):
- model.js (`web_step.html`): a fresh `SineLearn.Run` (learn.js) of the defaults, ms a step over
  all 200 steps (as the page trains them, the JIT's warm-up in them) and after the first `WARM`
  (as TensorFlow.js is timed: the ratio compares these two).
- the tab's budget (`web_budget.py`, after the rounds, `--sweep` times): for 19 shapes,
  budget.js's estimates of a step, the longest task and the memory beside what was measured,
  in web_step.html and in the page opened with the shape's link; Stop mid-run; the refusals.
- TensorFlow.js (`tfjs_peer.html`): the same model in `tf.layers` (Dense 1 → 10, a stateful
  LSTM of 10 units over 20 steps, Dense 10 → 1, Adam 0.005, the sum-of-squares cost), from
  the same initial weights, on each of its backends: `WARM` steps untimed, then `STEPS`
  timed. Its costs are checked against model.js's. WebAssembly runs on one thread, as it would
  for the page (threads need a cross-origin-isolated site). npm installs TensorFlow.js into
  out/bench-web/ on first use; the page never ships it.
And Keras: `train(Config())` with the command line's speed settings, in this process;
steady ms a step from the end of its first call into the backend (20 steps) to its last.
Not a test: the machine is shared and noisy; compare rows of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

from bench.web_budget import sweep
from bench.web_budget import table as sweep_table
from bench.web_setup import (
    HERE,
    ROOT,
    TFJS,
    WEB,
    chromium,
    in_page,
    install_tfjs,
    served,
)

BACKENDS = ["wasm", "cpu", "webgl"]  # TensorFlow.js's; webgl runs on the CPU here (no GPU)
WARM, STEPS = 5, 20  # TensorFlow.js's steps a round, untimed then timed: webgl is slow
CLOCK = (HERE / "page_clock.js").read_text()  # a click on the page, until painted
PAINTS = """() => Object.fromEntries(
  performance.getEntriesByType("paint").map((entry) => [entry.name, entry.startTime]))"""

TRAIN = "Train → 200th step drawn, first press"
WHAT_IF = "what if: f = 0, i = 1, o = 1"
BYTES = "page kB (every file it loads)"
OURS_ALL = "model.js, ms a step, all 200 steps"
OURS = f"model.js, ms a step after {WARM}"
PLAIN = f"the same with kernel.js's plain loops, ms a step after {WARM}"
KERAS = "Keras (TensorFlow), steady ms a step"
TARGETS = {TRAIN: ("≤ 300", 300), WHAT_IF: ("≤ 30", 30), BYTES: ("≤ 300", 300)}


def peer_row(backend: str) -> str:
    return f"TensorFlow.js {backend}, ms a step after {WARM}"


# ---- the rows ----


def the_page(browser, last: int) -> tuple[dict[str, float], dict]:
    """web/index.html from disk in a fresh context: its rows, and what lies behind them."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    asked = []  # every URL the page asks for
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: print(f"the page: {error}", file=sys.stderr))
    page.goto(WEB.joinpath("index.html").as_uri())
    page.wait_for_function("() => performance.getEntriesByType('paint').length >= 2")
    paints = page.evaluate(PAINTS)
    # the page compiles its training code once it is idle after opening, and the browser
    # finishes compiling on a thread of its own: the first press is timed a second after
    # (a learner reads the page before a first click)
    page.wait_for_function("() => document.documentElement.dataset.warm !== undefined")
    warm = float(page.evaluate("() => document.documentElement.dataset.warm"))
    page.wait_for_timeout(1000)

    def clock(selector: str, what: str) -> dict[str, float]:
        return page.evaluate(CLOCK, [selector, what, last])

    first = clock("#train", "train")
    second = clock("#train", "train")  # the next press
    post = clock("#post", "whatif")
    clock("#as-trained", "whatif")
    unit = clock("#units input[value='3']", "whatif")
    clock("#units input[value='3']", "whatif")  # as trained again
    context.close()
    files = sizes(asked)
    rows = {
        "first paint": paints.get("first-paint", float("nan")),
        "first contentful paint": paints.get("first-contentful-paint", float("nan")),
        "training code compiled (warm-up done), ms after opening": warm,
        TRAIN: first["painted"],
        "Train → 200th step drawn, second press": second["painted"],
        WHAT_IF: post["painted"],
        "what if: zero a unit": unit["painted"],
        BYTES: sum(files.values()) / 1000,
    }
    drawn = {"train": first["drawn"], "second train": second["drawn"], "what if": post["drawn"]}
    return rows, {"drawn, before the paint": drawn, "files": files}


def sizes(urls: list[str]) -> dict[str, int]:
    """The bytes of each file asked for, by its path in web/; any other request is named."""
    files = {}
    for url in dict.fromkeys(urls):
        path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path))
        if url.startswith("file:") and WEB in path.parents and path.is_file():
            files[path.relative_to(WEB).as_posix()] = path.stat().st_size
        else:
            print(f"the page asked for {url}: not a file of web/")
    return files


def model_js(browser, base: str) -> dict[str, float]:
    """model.js's ms a step, over the whole run and after `WARM` steps."""
    page = f"{base}/bench/web_step.html"
    ours = in_page(browser, page, "(warm) => timeSteps(warm)", WARM)
    plain = in_page(browser, page, "(warm) => timeSteps(warm, 'plain')", WARM)
    return {
        OURS_ALL: ours["ms_per_step"],
        OURS: ours["steady_ms_per_step"],
        PLAIN: plain["steady_ms_per_step"],
    }


def tfjs(browser, base: str, backend: str) -> dict:
    """TensorFlow.js on `backend`: {ms_per_step (None if it has no such backend), costs}."""
    call = "([backend, warm, steps]) => timeSteps(backend, warm, steps)"
    return in_page(browser, f"{base}/bench/tfjs_peer.html", call, [backend, WARM, STEPS])


def keras_steady_ms() -> float:
    """Keras's ms a step at the defaults, once its first call (tracing) is over."""
    import keras

    from sine_lstm.config import Config
    from sine_lstm.train import train

    class Clock(keras.callbacks.Callback):
        """The time at the end of each call into the backend."""

        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []

        def on_train_batch_end(self, batch, logs=None) -> None:
            self.times.append(time.perf_counter())

    config = Config()
    clock = Clock()
    train(config, verbose=False, watch=[clock])
    per_call = config.steps // len(clock.times)  # 20: a callback hears of calls, not steps
    steps = per_call * (len(clock.times) - 1)
    return (clock.times[-1] - clock.times[0]) / steps * 1000


def one_round(browser, base: str, last: int) -> tuple[dict[str, float], dict]:
    """Every row once, in turn: the page, model.js, TensorFlow.js's backends, Keras."""
    rows, details = the_page(browser, last)
    rows |= model_js(browser, base)
    for backend in BACKENDS:
        peer = tfjs(browser, base, backend)
        if peer["ms_per_step"] is not None:
            rows[peer_row(backend)] = peer["ms_per_step"]
            details[f"TensorFlow.js {backend} costs"] = peer["costs"]
    rows[KERAS] = keras_steady_ms()
    return rows, details


# ---- the run ----


def main(argv: list[str] | None = None) -> int:
    if not (WEB / "index.html").is_file():
        print("bench-web: run it from the project's folder (make bench-web)", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m bench.web")
    parser.add_argument("--runs", type=int, default=9, help="rounds of every row (default 9)")
    parser.add_argument("--sweep", type=int, default=3, help="rounds of the budget's sweep")
    args = parser.parse_args(argv)
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    os.environ["KERAS_BACKEND"] = "tensorflow"
    from sine_lstm.cli.speed import load_backend

    install_tfjs()
    load_backend("tensorflow", plain=False)  # the command line's speed settings
    start = time.perf_counter()
    with served() as base, chromium() as browser:
        steps = in_page(browser, f"{base}/bench/web_step.html", "SINE_LSTM_CLI.defaults.steps")
        rounds = [one_round(browser, base, last=steps - 1) for _ in range(args.runs)]
        ours = in_page(browser, f"{base}/bench/web_step.html", "firstCosts", WARM + STEPS)
        shapes = sweep(browser, base, (WEB / "index.html").as_uri(), args.sweep)
        version = browser.version
    rows: dict[str, list[float]] = {}
    for row, _ in rounds:
        for name, value in row.items():
            rows.setdefault(name, []).append(value)
    print(f"Chromium {version}, {args.runs} rounds, {time.perf_counter() - start:.0f} s in all")
    table(rows)
    print("\n".join(sweep_table(shapes)))

    ran = [b for b in BACKENDS if peer_row(b) in rows]  # webgl may be missing
    fastest = min(ran, key=lambda b: median(rows[peer_row(b)]))
    ratio = median(rows[peer_row(fastest)]) / median(rows[OURS])
    whole = median(rows[peer_row(fastest)]) / median(rows[OURS_ALL])
    print(f"model.js is {ratio:.1f}× faster a step than TensorFlow.js's fastest backend, {fastest}")
    print(f"  (both after {WARM} steps; over all 200 of model.js's, {whole:.1f}×)")
    print("  target ≥ 10×: " + ("met" if ratio >= 10 else "NOT met"))
    kernel = median(rows[PLAIN]) / median(rows[OURS])
    print(f"kernel.js's fused product: a step in 1/{kernel:.2f} of the time of its plain loops")
    theirs = {b: rounds[0][1][f"TensorFlow.js {b} costs"] for b in ran}
    gaps = {b: largest_gap(ours, costs) for b, costs in theirs.items()}
    said = ", ".join(f"{gap:.1e} ({b})" for b, gap in gaps.items())
    print(f"the same model: TensorFlow.js's first {WARM + STEPS} costs are model.js's to {said}")

    summary = {
        "runs": args.runs,
        "chromium": version,
        "tfjs": TFJS,
        "rows": {
            name: {"median": median(v), "min": min(v), "max": max(v), "values": v}
            for name, v in rows.items()
        },
        "ratio": {
            "fastest_tfjs": fastest,
            f"after {WARM} steps": ratio,
            "all 200 steps": whole,
            "plain loops / fused kernel": kernel,
        },
        "tfjs_costs_relative_to_model_js": gaps,
        "details": [details for _, details in rounds],
        "budget": shapes,
    }
    out = ROOT / "out" / "bench-web.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


def largest_gap(ours: list[float], theirs: list[float]) -> float:
    """The largest relative difference, step by step, of two runs' costs."""
    return max(abs(a - b) / a for a, b in zip(ours, theirs, strict=True))


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(rows: dict[str, list[float]]) -> None:
    """Median, min and max of the rounds, and the target where there is one."""
    print(f"{'':42} {'median':>8} {'min':>8} {'max':>8}  target")
    for name, values in rows.items():
        target = ""
        if name in TARGETS:
            said, limit = TARGETS[name]
            target = f"{said}: " + ("met" if median(values) <= limit else "NOT met")
        low = min(values)
        high = max(values)
        print(f"{name:42} {median(values):8.1f} {low:8.1f} {high:8.1f}  {target}")


if __name__ == "__main__":
    sys.exit(main())
