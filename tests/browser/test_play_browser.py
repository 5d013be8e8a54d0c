"""The playground in a real browser: Debian's Chromium, driven by Playwright (`make test-browser`).

Each test starts `python -m sine_lstm.play` in its own process, as a learner would, and
compares what the page shows with what `sine-lstm train` prints. Screenshots go to
out/browser/: look at them.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("panel", reason="make test-browser installs requirements-play.txt")
pytest.importorskip("playwright", reason="make test-browser installs requirements-play.txt")

from sine_lstm.play import bench  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "out" / "browser"
CAPTION = re.compile(r"^step \d+")  # the fit's caption, "step N   …"
POST = "f = 0, i = 1, o = 1 (the post's RNN)"
LR = "learning rate (--lr)"


@pytest.fixture(scope="module", autouse=True)
def chromium_is_there():
    assert Path(bench.CHROMIUM).exists(), "no /usr/bin/chromium: apt-get install -y chromium"
    SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def browser():
    with bench.chromium() as context:
        yield context


def cli_run(tmp_path: Path, *flags: str) -> subprocess.Popen:
    """`sine-lstm train --no-gif --xla FLAGS` (as the page trains) into a folder of its own."""
    out = tmp_path / "_".join(["cli", *flags])
    argv = [sys.executable, "-m", "sine_lstm", "train", "--no-gif", "--xla", "--out", str(out)]
    argv += flags
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=bench.ENV, cwd=ROOT)
    proc.out = out
    return proc


def cli_result(proc: subprocess.Popen) -> tuple[np.ndarray, list[str]]:
    """Its costs (metrics.csv) and the lines it printed."""
    stdout, _ = proc.communicate(timeout=300)
    rows = (proc.out / "metrics.csv").read_text().splitlines()[1:]
    return np.array([float(row.split(",")[1]) for row in rows]), stdout.splitlines()


def caption(page) -> str:
    return page.get_by_text(CAPTION).first.inner_text()


def shown_cost(text: str) -> str:
    return re.search(r"cost (\d+\.\d{4})", text).group(1)


def log_lines(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if line.startswith("sine-lstm play:")]


def test_train_scrub_and_what_if_show_the_cli_s_numbers(browser, tmp_path):
    cli = cli_run(tmp_path)
    with bench.server() as (_, url, _):
        page = bench.open_page(browser, url)
        page.screenshot(path=SHOTS / "1_opened.png", full_page=True)
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(re.compile(r"^step 199\b")).wait_for(timeout=60_000)
        bench.wait_done(page)
        costs, printed = cli_result(cli)
        assert shown_cost(caption(page)) == f"{costs[199]:.4f}"  # the page's step 199, the CLI's
        shown_lines = page.locator("pre").first.inner_text().splitlines()
        assert shown_lines[0] == "$ sine-lstm train --xla"
        assert shown_lines[1:] == [line for line in printed if line.startswith(("cost:", "final"))]
        page.screenshot(path=SHOTS / "2_trained.png", full_page=True)

        page.locator(".noUi-handle").first.focus()  # the step slider: the page's first slider
        page.keyboard.press("Home")
        for _ in range(50):
            page.keyboard.press("ArrowRight")
        page.get_by_text(re.compile(r"^step 50\b")).wait_for()
        assert shown_cost(caption(page)) == f"{costs[50]:.4f}"
        assert bench.windows(page, "fit") == 51  # the fit as it stood at step 50
        page.screenshot(path=SHOTS / "3_scrubbed_to_step_50.png", full_page=True)

        text = page.get_by_text("Cost on the stretch").first
        trained = text.inner_text()
        assert bench.what_if_ms(page, POST) < 5000
        page.wait_for_function(
            "(old) => !document.body.innerText.includes(old)", arg=trained, polling=50
        )  # the text redrawn too
        what_if = [float(c) for c in re.findall(r"\d+\.\d{4}", text.inner_text())]
        assert what_if[1] == float(re.findall(r"\d+\.\d{4}", trained)[0])  # as trained
        assert what_if[0] > 10 * what_if[1]  # the post's RNN fits far worse on this stretch
        page.screenshot(path=SHOTS / "4_what_if_post_rnn.png", full_page=True)


def test_four_tabs_training_at_once_each_show_the_cli_s_costs(browser, tmp_path):
    seeds = [1, 2, 3, 4]
    clis = [cli_run(tmp_path, "--seed", str(seed)) for seed in seeds]
    with bench.server() as (_, url, _):
        pages = [bench.open_page(browser, url) for _ in seeds]
        for page, seed in zip(pages, seeds, strict=True):
            bench.set_field(page, "seed (--seed)", str(seed))
        buttons = [bench.button(page, "Train") for page in pages]
        for page, button in zip(pages, buttons, strict=True):
            page.evaluate("(el) => el.click()", button)  # all four at once
        pages[-1].get_by_text("Queued (").first.wait_for(timeout=10_000)  # shown as queued
        pages[-1].screenshot(path=SHOTS / "5_tab_4_queued.png")
        for i, (page, cli) in enumerate(zip(pages, clis, strict=True)):
            page.get_by_text(re.compile(r"^step 199\b")).wait_for(timeout=120_000)
            bench.wait_done(page)
            costs, _ = cli_result(cli)
            assert shown_cost(caption(page)) == f"{costs[199]:.4f}", f"tab {i + 1}"
            page.screenshot(path=SHOTS / f"6_tab_{i + 1}_done.png")
        assert len({shown_cost(caption(page)) for page in pages}) == 4  # four runs of their own
        for page in pages:
            page.close()


def test_bad_input_is_one_message_and_one_log_line_and_the_server_goes_on(browser):
    with bench.server() as (_, url, log):
        page = bench.open_page(browser, url)
        for label, text, message in [
            ("learning rate (--lr)", "nan", f"{LR}: must be a finite positive number, got 'nan'"),
            ("learning rate (--lr)", "0", f"{LR}: must be a finite positive number, got '0'"),
            ("learning rate (--lr)", "-1", f"{LR}: must be a finite positive number, got '-1'"),
            ("steps (--steps)", "1e9", "steps (--steps): must be a positive integer, got '1e9'"),
            ("learning rate (--lr)", "1e9", "diverged: cost blew up"),  # taken, as by the CLI
        ]:
            for name, value in (("learning rate (--lr)", "0.005"), ("steps (--steps)", "200")):
                bench.set_field(page, name, value)
            bench.set_field(page, label, text)
            before = log_lines(log)
            page.get_by_role("button", name="Train", exact=True).click()
            page.get_by_text(message).first.wait_for(timeout=30_000)
            time.sleep(0.3)  # a second line, if there were one, would be out by now
            new = log_lines(log)[len(before) :]
            assert len(new) == 1 and message in new[0], new
            page.screenshot(path=SHOTS / f"7_refused_{text}.png")
        bench.set_field(page, "learning rate (--lr)", "0.005")
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(re.compile(r"^step 199\b")).wait_for(timeout=60_000)  # still serving


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_within_2_s_mid_run_and_frees_the_port(browser, signum):
    port = free_port()
    with bench.server("--port", str(port)) as (proc, url, log):
        assert url == f"http://127.0.0.1:{port}/"
        page = bench.open_page(browser, url)
        bench.set_field(page, "steps (--steps)", "20000")  # a run that would take a minute
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text(re.compile(r"^step \d+")).wait_for(timeout=60_000)
        start = time.monotonic()
        proc.send_signal(signum)
        proc.wait(timeout=10)
        assert time.monotonic() - start < 2.0
        assert proc.returncode == 0, log.read_text()
    with socket.create_server(("127.0.0.1", port)):  # the port is free again
        pass


def test_host_serves_beyond_this_machine_with_a_warning():
    with bench.server("--host", "0.0.0.0") as (proc, url, log):
        end = time.monotonic() + 10
        while "anyone who can" not in log.read_text() and time.monotonic() < end:
            time.sleep(0.1)
        assert "warning: --host 0.0.0.0: anyone who can reach this machine" in log.read_text()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


def test_100_runs_grow_the_server_s_memory_by_at_most_100_mb(browser):
    with bench.server() as (proc, url, _):
        page = bench.open_page(browser, url)
        rss = {}
        for run in range(1, 101):
            bench.set_field(page, "seed (--seed)", str(run))
            page.get_by_role("button", name="Train", exact=True).click()
            page.get_by_text(re.compile(r"^step 199\b")).wait_for(timeout=60_000)
            bench.wait_done(page)
            rss[run] = resident_mb(proc.pid)
        print(f"\nserver RSS: run 5 {rss[5]:.0f} MB, run 100 {rss[100]:.0f} MB")
        assert rss[100] - rss[5] <= 100


def resident_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


if os.environ.get("CI") and not Path(bench.CHROMIUM).exists():  # in CI, never a silent skip
    raise RuntimeError("make test-browser needs /usr/bin/chromium (apt-get install -y chromium)")
