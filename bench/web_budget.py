"""make bench-web's sweep of the tab's budget (web/budget.js): estimate against measured.

For each shape (changes to the page's defaults), in Chromium:
- a step, ms: `SineLearn.Run` alone (`web_step.html`), the median of 5 steps after 2, beside
  `SineBudget.stepMs`;
- if the page accepts the shape, the page itself, opened with the shape's link (it trains
  on opening):
  - the longest task (a PerformanceObserver's long tasks, 50 ms and more; none is counted
    as 0) from the end of the page's opening to the end of the run, at a what-if (unit 0
    zeroed), at a move of the scrub slider and at each change of language, beside
    `SineBudget.taskMs`;
  - the memory the run added (CDP's `Runtime.getHeapUsage`: the JavaScript heap and the
    typed arrays' storage, sampled every 50 ms, over the same page opened without a link),
    beside `SineBudget.runBytes`;
  - Stop: the same link with as many steps as the page accepts (up to 100 times as many),
    Stop pressed mid-run, ms from the click to the end of the page's handler;
- if it refuses the shape, why.
"""

from __future__ import annotations

import sys
import time
import urllib.parse
from statistics import median

SHAPES = {  # name: changes to the defaults, as the page's fields name them
    "the defaults": {},
    "LSTM, 30 units": {"cell_size": 30},
    "LSTM, 50 units, batch 20": {"cell_size": 50, "batch_size": 20},
    "LSTM, 100 units, batch 1, 1 time step": {"cell_size": 100, "batch_size": 1, "time_steps": 1},
    "LSTM, 300 units, batch 1, 1 time step": {"cell_size": 300, "batch_size": 1, "time_steps": 1},
    "RNN, 500 units, batch 1, 1 time step, lr 0.0001": {
        "lr": 0.0001,  # 0.005 diverges
        "cell": "rnn",
        "cell_size": 500,
        "batch_size": 1,
        "time_steps": 1,
    },
    "LSTM, 1 unit, batch 1000": {"cell_size": 1, "batch_size": 1000},
    "RNN, 1 unit, batch 1000": {"cell": "rnn", "cell_size": 1, "batch_size": 1000},
    "LSTM, batch 2000, 1 time step": {"batch_size": 2000, "time_steps": 1},
    "LSTM, batch 1, 5000 time steps, 15 steps": {"batch_size": 1, "time_steps": 5000, "steps": 15},
    "LSTM, batch 1, 1000 time steps, 80 steps": {"batch_size": 1, "time_steps": 1000, "steps": 80},
    "RNN, 2 units, batch 50, 500 time steps, 100 steps": {
        "cell": "rnn",
        "cell_size": 2,
        "batch_size": 50,
        "time_steps": 500,
        "steps": 100,
    },
    "tiny: 1 unit, batch 1, 1 time step, 2000 steps": {
        "cell_size": 1,
        "batch_size": 1,
        "time_steps": 1,
        "steps": 2000,
    },
    "LSTM, 880 units, batch 1, 1 time step, 9000 steps": {
        "cell_size": 880,
        "batch_size": 1,
        "time_steps": 1,
        "steps": 9000,
    },
    "GRU, 100 units, batch 1, 1 time step": {
        "cell": "gru",
        "cell_size": 100,
        "batch_size": 1,
        "time_steps": 1,
    },
    "GRU, batch 1000": {"cell": "gru", "batch_size": 1000},
    "minGRU, 300 units, batch 1, 1 time step": {
        "cell": "mingru",
        "cell_size": 300,
        "batch_size": 1,
        "time_steps": 1,
    },
    "minLSTM, batch 1, 1000 time steps, 80 steps": {
        "cell": "minlstm",
        "batch_size": 1,
        "time_steps": 1000,
        "steps": 80,
    },
    "LSTM, batch 100000": {"batch_size": 100000},
    "LSTM, 100000 time steps": {"time_steps": 100000},
}
FLAG = {"cell_size": "cell-size", "batch_size": "batch-size", "time_steps": "time-steps"}
LONG_TASKS = """() => { window.benchLong = [];
  new PerformanceObserver((list) => {
    const [opening] = performance.getEntriesByType("navigation"); // its scripts, the first chunk
    for (const entry of list.getEntries())
      if (!opening || entry.startTime >= opening.domContentLoadedEventEnd)
        window.benchLong.push(entry.duration);
  }).observe({ type: "longtask" }); }"""
ESTIMATE = """(changes) => {
  const s = { ...SINE_LSTM_CLI.defaults, ...changes };
  return { step: SineBudget.stepMs(s), task: SineBudget.taskMs(s),
           bytes: SineBudget.runBytes(s), over: SineBudget.over(s).map((o) => o.what) };
}"""
STEP = """(changes) => {
  const settings = { ...SINE_LSTM_CLI.defaults, ...changes, steps: 7, lr: 1e-6 };
  const run = new SineLearn.Run(settings);
  const times = [];
  while (!run.finished) {
    const start = performance.now();
    run.step();
    times.push(performance.now() - start);
  }
  return times.slice(2).sort((a, b) => a - b)[2];
}"""
LONGEST_RUN = """(changes) => {  // the most steps the page accepts for this shape, up to 100×
  const s = { ...SINE_LSTM_CLI.defaults, ...changes };
  let steps = 100 * s.steps;
  const over = (steps) => SineBudget.over({ ...s, steps }).length > 0;
  while (steps > s.steps && over(steps)) steps = Math.floor(steps * 0.8);
  return steps;
}"""
STOP = """() => new Promise((resolve) => {
  const stop = document.getElementById("stop");
  stop.addEventListener("click", (event) => resolve(performance.now() - event.timeStamp),
                        { once: true });  // after the page's own handler
  stop.click();
})"""


def link(changes: dict, steps: int | None = None) -> str:
    """The page's link for a shape (with `steps` instead of its own, if given)."""
    pairs = {"lang": "en", "steps": steps or changes.get("steps", 200)}  # a link that trains
    for field, value in changes.items():
        if field != "steps":
            pairs[FLAG.get(field, field)] = value
    return urllib.parse.urlencode(pairs)


def heap(cdp) -> float:
    used = cdp.send("Runtime.getHeapUsage")
    return used["usedSize"] + used.get("backingStorageSize", 0)


def longest(page, action, wait_ms: int = 500) -> float:
    """The longest task while `action` runs and `wait_ms` after it: 0 if none took 50 ms."""
    page.evaluate("() => { window.benchLong = []; }")
    action()
    page.wait_for_timeout(wait_ms)
    page.wait_for_selector("html:not([data-busy])", state="attached")
    return max(page.evaluate("() => window.benchLong"), default=0.0)


def said(page) -> str:
    return page.get_attribute("#status", "data-said") or ""


def in_the_page(browser, index: str, changes: dict) -> dict:
    """One shape in web/index.html: its longest tasks, its memory and Stop."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(f"({LONG_TASKS})()")  # before the page's own scripts
    page = context.new_page()
    page.on("pageerror", lambda error: print(f"the page: {error} {error.stack}"))
    cdp = context.new_cdp_session(page)
    page.goto(index + "?lang=en")
    page.wait_for_function("() => document.documentElement.dataset.warm !== undefined")
    page.wait_for_selector("html:not([data-busy])", state="attached")
    cdp.send("HeapProfiler.collectGarbage")
    before = heap(cdp)
    out = {}
    page.evaluate("() => { window.benchLong = []; }")
    page.goto(index + "?" + link(changes))
    peak, start = 0.0, time.monotonic()
    while said(page) not in ("status_done", "status_diverged") and time.monotonic() - start < 120:
        peak = max(peak, heap(cdp))
        page.wait_for_timeout(50)
    page.wait_for_selector("html:not([data-busy])", state="attached")
    peak = max(peak, heap(cdp))
    out["end"] = max(page.evaluate("() => window.benchLong"), default=0.0)
    out["what if"] = longest(page, lambda: page.click("#units input[value='0']"))
    middle = """() => { const s = document.getElementById('step');
      s.value = String(Math.floor(Number(s.max) / 2)); s.dispatchEvent(new Event('input')); }"""
    out["scrub"] = longest(page, lambda: page.evaluate(middle))
    out["zh"] = longest(page, lambda: page.click("[data-lang=zh]"))
    out["en"] = longest(page, lambda: page.click("[data-lang=en]"))
    out["MB"] = (peak - before) / 1e6
    # Stop, mid-run, in the longest run of this shape the page accepts
    page.goto(index + "?" + link(changes, page.evaluate(LONGEST_RUN, changes)))
    mid_run = """() => /step ([2-9]|\\d\\d+)/.test(document.getElementById('caption').innerText)
      || document.getElementById('status').dataset.said !== 'status_training'"""
    page.wait_for_function(mid_run, timeout=120_000)
    if said(page) == "status_training":
        out["stop"] = page.evaluate(STOP)
    else:  # it ended (diverged) before Stop could be pressed
        print(f"bench-web: {page.url}: {said(page)} before Stop", file=sys.stderr)
        out["stop"] = float("nan")
    context.close()
    return out


def sweep(browser, base: str, index: str, rounds: int) -> list[dict]:
    """Every shape, `rounds` times in turn: its estimates and what was measured (medians)."""
    step_page = browser.new_page()
    step_page.goto(f"{base}/bench/web_step.html")
    step_page.evaluate("() => timeSteps(5)")  # the training code compiled, as the page's warm-up
    rows = []
    for name, changes in SHAPES.items():
        rows.append({"name": name, "estimate": step_page.evaluate(ESTIMATE, changes), "runs": []})
    for _ in range(rounds):
        for row in rows:
            changes = SHAPES[row["name"]]
            measured = {"step": step_page.evaluate(STEP, changes)}
            if not row["estimate"]["over"]:
                measured |= in_the_page(browser, index, changes)
            row["runs"].append(measured)
    step_page.close()
    for row in rows:
        keys = row["runs"][0].keys()
        row["measured"] = {key: median(run[key] for run in row["runs"]) for key in keys}
    return rows


def table(rows: list[dict]) -> list[str]:
    """The sweep as lines: estimate / measured, and each limit the page holds to."""
    lines = [
        "tab budget (web/budget.js), medians: estimate / measured; a task counts from 50 ms",
        f"{'shape':52} {'step ms':>15} {'longest task ms':>20} {'MB':>15} {'Stop ms':>8}",
    ]
    for row in rows:
        est, got = row["estimate"], row["measured"]
        step = f"{est['step']:.1f} / {got['step']:.1f}"
        if est["over"]:
            lines.append(f"{row['name']:52} {step:>15}   refused: {', '.join(est['over'])}")
            continue
        task = max(got[key] for key in ("end", "what if", "scrub", "zh", "en"))
        tasks = f"{est['task']:.0f} / " + (f"{task:.0f}" if task else "<50")
        memory = f"{est['bytes'] / 1e6:.1f} / {got['MB']:.1f}"
        lines.append(f"{row['name']:52} {step:>15} {tasks:>20} {memory:>15} {got['stop']:>8.1f}")
    return lines
