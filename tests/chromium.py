"""Debian's Chromium, driven by Playwright, for the tests that open the page in a browser.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium (`make
test-browser` installs it by apt), started headless with the network it would reach for
on its own turned off.
"""

from contextlib import contextmanager
from pathlib import Path

from bench.web_setup import CHROMIUM, FLAGS  # make bench-web launches it alike


@contextmanager
def launched():
    """A running Chromium (Playwright's Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "no /usr/bin/chromium: `make test-browser` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
