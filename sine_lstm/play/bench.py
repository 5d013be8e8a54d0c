"""Click-to-drawn latencies of the playground, through a real browser; not a test.

`python -m sine_lstm.play.bench [--runs N]` starts `python -m sine_lstm.play` in a fresh
process, opens it in Debian's Chromium (driven by Playwright) and prints medians of:
- Train, warm: a press with the defaults (a new seed) on a server that has trained them;
- Train, cold: the first press with a shape the server has not built (cell size 11, …);
- what if: the f = 0, i = 1, o = 1 button, and the "as trained" button after it.
Warm presses come first, one after another, as a learner makes them; a cold one
(a new shape) also clears TensorFlow's caches, which the next warm press pays for.
Each is clocked in the page, from the click to the first frame painted after the data
arrived (the 200th window of the fit, or the what-if's new fit). The machine is
shared: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg"}

# In the page: a Bokeh model found by its name (our data sources are named).
MODEL = """(name) => { for (const doc of Bokeh.documents) {
  const m = doc.get_model_by_name(name); if (m) return m; } return null; }"""
# Click `el`; at each painted frame test `condition` (JS over the model m and arg); once it
# holds, wait for the next frame, which shows it: ms since the click.
CLOCK = f"""async ([el, name, condition, arg]) => {{
  const model = {MODEL};
  const holds = new Function('m', 'arg', 'return ' + condition);
  const t0 = performance.now();
  el.click();
  while (!holds(model(name), arg)) {{
    if (performance.now() - t0 > 60000) return NaN;  // never came: NaN, not a hang
    await new Promise(r => requestAnimationFrame(r));
  }}
  await new Promise(r => requestAnimationFrame(r));
  return performance.now() - t0;
}}"""


WINDOWS = "m.data.y.filter(Number.isNaN).length"  # `views.windows`: a NaN ends each window


def windows(page, name: str) -> int:
    """How many windows the page's data source `name` holds; -1 before it exists."""
    return page.evaluate(
        f"(name) => {{ const m = ({MODEL})(name); return m ? {WINDOWS} : -1; }}", name
    )


@contextmanager
def server(*flags: str, timeout: float = 120):
    """`python -m sine_lstm.play --no-browser` in a fresh process: yields (process, URL, log).

    Its output, the server's log, goes to the file `log` (a pipe nobody reads would fill).
    """
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with open(log, "w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "sine_lstm.play", "--no-browser", *flags],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=ENV,
            )
        try:
            end = time.monotonic() + timeout
            while "serving on " not in log.read_text() and proc.poll() is None:
                if time.monotonic() > end:
                    raise RuntimeError(f"the server did not start: {log.read_text()}")
                time.sleep(0.1)
            text = log.read_text()
            if "serving on " not in text:
                raise RuntimeError(f"the server did not start: {text}")
            yield proc, text.split("serving on ")[1].split()[0], log
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)


@contextmanager
def chromium():
    """Debian's Chromium under Playwright, with a fresh user-data dir: yields its context."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1180, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def open_page(context, url: str):
    """A new tab on the playground, once its figures are on the page."""
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="Train", exact=True).wait_for()
    page.wait_for_function(f"() => ({MODEL})('fit') !== null")
    return page


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True).element_handle()


def train_ms(page, steps: int = 200) -> float:
    """Click Train; ms until the frame after the fit holds `steps` windows."""
    page.evaluate("() => { window.cleared = false; }")  # the last run's fit is still there
    done = f"(window.cleared ||= {WINDOWS} < arg) && {WINDOWS} >= arg"
    return page.evaluate(CLOCK, [button(page, "Train"), "fit", done, steps])


def what_if_ms(page, name: str) -> float:
    """Click the what-if button `name`; ms until the frame after its new fit arrived."""
    page.evaluate(f"() => {{ window.seen = String(({MODEL})('what_if_changed').data.y); }}")
    done = "m.data.y.length > 0 && String(m.data.y) !== window.seen"  # a new fit
    return page.evaluate(CLOCK, [button(page, name), "what_if_changed", done, None])


def wait_done(page, timeout: float = 60_000) -> None:
    page.get_by_text("Done").first.wait_for(timeout=timeout)


def set_field(page, label: str, value: str) -> None:
    field = page.get_by_label(label)
    field.fill(value)
    field.press("Enter")  # Panel's TextInput sends its value on Enter or blur


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sine_lstm.play.bench")
    parser.add_argument("--runs", type=int, default=7, help="presses of each kind (default 7)")
    args = parser.parse_args(argv)
    rows: dict[str, list[float]] = {
        "Train, warm (defaults, a new seed)": [],
        "Train, cold (a new cell size)": [],
        "what if: f = 0, i = 1, o = 1": [],
        "what if: as trained": [],
    }
    start = time.perf_counter()
    with server() as (_, url, _), chromium() as context:
        page = open_page(context, url)
        train_ms(page)  # the first press builds the model: not a warm one
        wait_done(page)
        for run in range(args.runs):  # as a learner does: change a value, press Train again
            set_field(page, "seed (--seed)", str(run + 1))
            rows["Train, warm (defaults, a new seed)"].append(train_ms(page))
            wait_done(page)
            page.get_by_text("Cost on the stretch").first.wait_for()
            post = what_if_ms(page, "f = 0, i = 1, o = 1 (the post's RNN)")
            rows["what if: f = 0, i = 1, o = 1"].append(post)
            rows["what if: as trained"].append(what_if_ms(page, "as trained"))
        for run in range(args.runs):
            set_field(page, "cell size (--cell-size)", str(11 + run))  # a shape never built
            rows["Train, cold (a new cell size)"].append(train_ms(page))
            wait_done(page)
        Path("out").mkdir(exist_ok=True)
        page.screenshot(path="out/bench.png", full_page=True)
    print(
        f"{args.runs} presses each, {time.perf_counter() - start:.0f} s in all; ms from the click"
    )
    print(f"{'':36} {'median':>8} {'min':>8} {'max':>8}")
    for name, times in rows.items():
        print(f"{name:36} {statistics.median(times):8.0f} {min(times):8.0f} {max(times):8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
