"""The notebook runs top to bottom in a real Jupyter kernel; JupyterLab serves it.

`make test-notebook` (it installs the notebook extra into .venv first). nbformat and nbclient
are imported where they are used, so that `make test` collects this file without the extra
(and leaves it out by its marker).
"""

import html
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from chromium import launched

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "sine_lstm.ipynb"
SHOTS = ROOT / "out" / "browser"  # screenshots: look at them

pytestmark = pytest.mark.notebook


def test_the_committed_notebook_carries_no_outputs():
    """What runs is what is committed: no stale outputs of older code can hide in it."""
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert len(code) >= 10
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook, run top to bottom by nbclient in a fresh python3 kernel (this .venv)."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    nb = nbformat.read(NOTEBOOK, as_version=4)
    out = tmp_path_factory.mktemp("notebook")
    os.environ["SINE_LSTM_NOTEBOOK_OUT"] = str(out)  # the kernel inherits it
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        # CurveZMQ keys from the kernel manager (the kernelspec declares support): the kernel's
        # TCP sockets are encrypted, and ipykernel does not warn that they are not
        config=Config({"KernelManager": {"transport_encryption": "auto"}}),
    ).execute()
    print(f"\nthe notebook ran in {time.perf_counter() - start:.1f} s")
    return nb, out


def outputs(nb, kind):
    return [
        o
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.outputs
        if o.output_type == kind
    ]


def text(nb) -> str:
    return "".join(o.text for o in outputs(nb, "stream") if o.name == "stdout")


def test_every_cell_runs_and_every_figure_is_shown_inline(executed):
    nb, out = executed
    assert outputs(nb, "error") == []
    shown = [o for o in outputs(nb, "display_data")]
    assert sum("image/png" in o.data for o in shown) == 9  # the post's seven, forecasting's two
    assert sum("image/gif" in o.data for o in shown) == 1  # the demo's animation
    for name in ("1_memory", "2_rnn_vs_lstm", "3_gradients", "4_pinned_gates", "5_gates"):
        assert (out / f"{name}.png").stat().st_size > 10_000
    assert (out / "demo" / "sine_lstm.gif").stat().st_size > 100_000


def test_the_printed_numbers_are_the_post_s_claims(executed):
    nb, _ = executed
    printed = text(nb)
    lstm, no_memory = map(float, re.search(r"LSTM ([\d.]+), no memory ([\d.]+)", printed).groups())
    assert no_memory > 5 and lstm < 1
    assert float(re.search(r"W = 0.9·I\s+n = 50: ([\d.e-]+)", printed).group(1)) == pytest.approx(
        0.9**50, rel=1e-3
    )
    assert float(re.search(r"tanh\(tanh\(z\)\): ([\d.e-]+)", printed).group(1)) < 1e-6
    costs = [float(c) for c in re.findall(r"^cost: ([\d.]+)$", printed, re.MULTILINE)]
    assert len(costs) == 10 and costs[-1] < costs[0] / 10  # the demo, every 20 steps
    for name in ("i", "f", "c_hat", "o", "c", "h"):  # the cell's step, every intermediate
        assert re.search(rf"^{name}\s+\(1, 3\)", printed, re.MULTILINE), name


def test_the_notebook_ends_with_the_page_inline(executed):
    nb, _ = executed
    last = [cell for cell in nb.cells if cell.cell_type == "code"][-1]
    assert "show()" in last.source
    shown = [o for o in last.outputs if o.output_type in ("display_data", "execute_result")]
    [frame] = [o.data["text/html"] for o in shown if "text/html" in o.data]
    assert frame.startswith("<div><iframe srcdoc=") and "const SineModel" in html.unescape(frame)
    assert [o for o in last.outputs if o.output_type == "stream"] == []  # no warning above it
    assert "src=&quot;model.js" not in frame  # every file inside it: nothing to fetch


def test_the_forecasting_section_is_honest_about_what_wins(executed):
    nb, out = executed
    printed = text(nb)
    rmse = dict(re.findall(r"^(\w+, \w+)\s+RMSE ([\d.e+-]+)", printed, re.MULTILINE))
    rmse = {k: float(v) for k, v in rmse.items()}
    assert rmse["sine, linear_ar"] < 1e-10  # AR(2) is exact on a pure sine
    assert rmse["sine, persistence"] == pytest.approx(0.0224, abs=2e-4)
    assert rmse["sine, one_step"] < 0.04 < rmse["sine, free_run"]
    assert rmse["co2, linear_ar"] < rmse["co2, persistence"] < rmse["co2, one_step"] < 20  # ppm
    assert (out / "8_forecast.png").stat().st_size > 20_000
    assert (out / "8_forecast_co2.png").stat().st_size > 20_000


def test_the_memory_section_shows_a_forget_gate_near_1_keeps_what_the_others_forget(executed):
    nb, _ = executed
    found = re.findall(
        r"^(.+?)\s+final cost [\d.]+, ([\d.]+) of remembering nothing$", text(nb), re.M
    )
    relative = {name.strip(): float(value) for name, value in found}
    assert len(relative) == 3
    assert relative["LSTM, forget bias 5"] < 0.2
    assert relative["LSTM, forget bias 1 (the post's)"] > 0.8 and relative["vanilla RNN"] > 0.8


def test_the_demo_prints_what_sine_lstm_train_prints(executed, tmp_path):
    """The demo's cost lines in the notebook are `make gif`'s, digit for digit."""
    cli = subprocess.run(
        [sys.executable, "-m", "sine_lstm", "train", "--backend", "tensorflow", "--no-gif"]
        + ["--out", str(tmp_path / "cli")],  # no GIF: it is drawn after training
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    lines = re.compile(r"^(?:cost: [\d.]+|final cost \(mean of the last 20 steps\): [\d.]+)$", re.M)
    printed = lines.findall(cli.stdout)
    assert len(printed) == 11  # every 20 steps, then the mean of the last 20
    assert lines.findall(text(executed[0]))[-11:] == printed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyterlab(root: Path, tmp_path: Path):
    """JupyterLab serving `root` on a free port: yields (base URL, token); then Ctrl-C stops it."""
    port, token = free_port(), "sine-lstm-test"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--allow-root",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.port_retries=0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={
            **os.environ,
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),  # no workspace of an earlier run
        },
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to a minute for the server to come up
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, "the server exited"
                time.sleep(0.25)
        yield base, token
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C, then JupyterLab asks; a second one stops it
        time.sleep(0.5)
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()  # leave no server (and kernel) behind, then say so
            raise AssertionError("JupyterLab did not stop on Ctrl-C within 30 s") from None
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)


def test_jupyterlab_serves_the_notebook_and_stops(tmp_path):
    with jupyterlab(ROOT, tmp_path) as (base, token):
        url = f"{base}/api/contents/notebooks/sine_lstm.ipynb?token={token}"
        with urllib.request.urlopen(url, timeout=10) as reply:
            served = reply.read().decode()
        assert '"type": "notebook"' in served or '"type":"notebook"' in served
        assert "LSTMCell.step" in served
        with urllib.request.urlopen(
            f"{base}/lab/tree/notebooks/sine_lstm.ipynb?token={token}"
        ) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()


def test_the_page_in_the_last_cell_trains_in_jupyterlab_as_the_cli_does(tmp_path):
    """The notebook's last cell in JupyterLab, in Chromium: Train in its frame, then its lines."""
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    short = nbformat.v4.new_notebook(cells=[code[-1]], metadata=nb.metadata)
    (tmp_path / "lab").mkdir()
    nbformat.write(short, tmp_path / "lab" / "play.ipynb")
    argv = [sys.executable, "-m", "sine_lstm", "train", "--no-gif", "--out", str(tmp_path / "cli")]
    printed = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    SHOTS.mkdir(parents=True, exist_ok=True)
    with jupyterlab(tmp_path / "lab", tmp_path) as (base, token), launched() as browser:
        page, errors = browser.new_page(), []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda err: errors.append(str(err)))
        try:
            page.goto(f"{base}/lab/tree/play.ipynb?token={token}")
            # a cell run before its kernel is up is not run at all
            page.get_by_text(re.compile(r"\(ipykernel\) \| Idle")).wait_for(timeout=120_000)
            page.locator(".jp-Cell .jp-InputArea-editor").first.click(timeout=60_000)
            page.keyboard.press("Shift+Enter")
            frame = page.frame_locator("iframe[title='sine_lstm: the page']")
            frame.locator("#train").click(timeout=60_000)
            frame.locator('#status[data-said="status_done"]').wait_for(timeout=60_000)
            shown = frame.locator("#cli").inner_text().splitlines()
        finally:
            page.screenshot(path=SHOTS / "8_inline_in_jupyterlab.png")
    assert errors == []
    assert shown[0] == "$ sine-lstm train"
    starts = ("cost:", "final", "memoryless")
    expected = [line for line in printed.splitlines() if line.startswith(starts)]
    assert len(expected) == 12 and len(shown) == 14  # the command, 12 lines, "wrote out/"
    for mine, theirs in zip(shown[1:13], expected, strict=True):  # float64 against float32:
        a, b = (float(line.rsplit(" ", 1)[1]) for line in (mine, theirs))
        assert mine.rsplit(" ", 1)[0] == theirs.rsplit(" ", 1)[0] and abs(a - b) <= 1e-4
