"""What the browser tests share: the real corpus built once, served under a sub-path, and Chromium.

The server answers a missing page with the site's 404 page, as Read the Docs does.
Chromium is Debian's, launched by tests/chromium.py.  Fixtures only: a test module
imports nothing from here.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from chromium import chromium

REPO = Path(__file__).parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
PREFIX = "/en/latest/"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-c", ".", "docs", str(out), "-d", str(out / ".doctrees"),
         "-W", "--keep-going", "-n", "-q"],
        cwd=REPO, check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    return out


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX; anything missing gets the site's 404 page."""

    def translate_path(self, path):
        return super().translate_path("/" + path[len(PREFIX):] if path.startswith(PREFIX) else "/__missing__")

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    server.shutdown()


@pytest.fixture(scope="module")  # closed with its module: another folder's tests may start Playwright
def browser():
    pytest.importorskip("playwright.sync_api")
    with chromium() as launched:
        yield launched


@contextmanager
def _fresh_page(browser, viewport: dict, screenshot: str, **context_options):
    """A page in a fresh context, its screenshot kept in tests/artifacts/ when done.

    `page.outside` lists requests that left the local server; `page.failed` local
    requests (not the page itself) answered with an error: a missing favicon, a broken asset.
    """
    context = browser.new_context(viewport=viewport, **context_options)
    pg = context.new_page()
    pg.outside, pg.failed = [], []
    local = ("http://127.0.0.1", "blob:http://127.0.0.1", "data:")
    pg.on("request", lambda r: None if r.url.startswith(local) else pg.outside.append(r.url))
    pg.on("response", lambda r: pg.failed.append((r.status, r.url)) if r.status >= 400 and r.request.resource_type != "document" else None)
    try:
        yield pg
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{screenshot}.png"), full_page=False)
    finally:
        context.close()


@pytest.fixture
def browser_page(browser):
    """`with browser_page(viewport, screenshot_name, **context_options) as page:` (see `_fresh_page`)."""
    return functools.partial(_fresh_page, browser)
