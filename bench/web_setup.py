"""make bench-web's set-up: TensorFlow.js from npm, a local server, Debian's Chromium.

`web.py` times the rows; this gets what they run in. TensorFlow.js, the page's peer, is
installed by npm into out/bench-web/ (never into web/: the page does not ship it); a small
HTTP server on 127.0.0.1 serves web/, the two timing pages beside this file and
TensorFlow.js's files (a browser loads WebAssembly only over http); Chromium runs under
Playwright, which never downloads a browser of its own.
"""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import sys
import threading
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path.cwd()  # the project's folder: `make bench-web` runs from it
HERE = Path(__file__).parent
WEB = ROOT / "web"
PEER = ROOT / "out" / "bench-web"  # TensorFlow.js's npm folder: the bench's, never the page's
TFJS = {"@tensorflow/tfjs": "4.22.0", "@tensorflow/tfjs-backend-wasm": "4.22.0"}
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


def installed(name: str) -> str | None:
    """The version of the npm package `name` in out/bench-web/, if it is there."""
    found = PEER / "node_modules" / name / "package.json"
    return json.loads(found.read_text())["version"] if found.exists() else None


def install_tfjs() -> None:
    """TensorFlow.js from npm into out/bench-web/, unless the pinned versions are there."""
    if all(installed(name) == version for name, version in TFJS.items()):
        return
    if shutil.which("npm") is None:
        sys.exit("make bench-web installs TensorFlow.js, its peer, with npm: install Node.js's npm")
    packages = [f"{name}@{version}" for name, version in TFJS.items()]
    print(f"installing {', '.join(packages)} into {PEER.relative_to(ROOT)}/")
    PEER.mkdir(parents=True, exist_ok=True)
    npm = ["npm", "install", "--prefix", str(PEER), "--save-exact", "--ignore-scripts"]
    subprocess.run([*npm, "--no-audit", "--no-fund", "--loglevel=error", *packages], check=True)


class Files(http.server.SimpleHTTPRequestHandler):
    """web/, the two timing pages (bench/) and TensorFlow.js (node_modules/), nothing else."""

    FOLDERS = {"web": WEB, "bench": HERE, "node_modules": PEER / "node_modules"}

    def translate_path(self, path: str) -> str:
        path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        first, _, rest = path.lstrip("/").partition("/")
        if first not in self.FOLDERS or ".." in rest.split("/"):
            return str(PEER / "not served")  # a 404
        return str(self.FOLDERS[first] / rest)

    def log_message(self, *args) -> None:
        pass  # the table is the output


@contextmanager
def served():
    """A local HTTP server on a free port, in a thread: yields its address."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Files)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """Debian's Chromium under Playwright: yields the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def in_page(browser, url: str, call: str, arg=None):
    """Open `url` in a fresh context: what the page function `call` returns for `arg`."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        return page.evaluate(call, arg)
    finally:
        context.close()
