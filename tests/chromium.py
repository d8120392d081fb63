"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium, kept off the network.

A plain module (see corpus_paths.py for why not conftest.py).  Never `playwright
install`: it downloads a browser of its own, which this machine cannot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium() -> Iterator:
    """A launched browser (Playwright's), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
