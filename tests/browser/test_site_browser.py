"""End to end in headless Chromium: the real corpus, built, served under a sub-path."""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.needs("browser")]
playwright = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
PREFIX = "/en/latest/"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-c", ".", "docs", str(out), "-d", str(out / ".doctrees"),
         "-W", "--keep-going", "-n", "-q"],
        cwd=REPO, check=True, env={"PATH": "/usr/bin:/bin"},
    )
    return out


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        return super().translate_path("/" + path[len(PREFIX):] if path.startswith(PREFIX) else "/__missing__")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubPathHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context()
    pg = context.new_page()
    pg.outside = []  # requests that left the local server
    local = ("http://127.0.0.1", "blob:http://127.0.0.1", "data:")
    pg.on("request", lambda r: None if r.url.startswith(local) else pg.outside.append(r.url))
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=False)
    context.close()


def test_landing_to_letter_to_term(page, base_url):
    page.goto(base_url)
    letter = page.locator("a:has-text('K')").filter(has_text=re.compile(r"^K$")).first
    letter.click()
    assert page.url.endswith("_generated/letters/k.html")
    first = page.locator("ul.glossary-index a.glossary-preview").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert "/_generated/terms/" in page.url
    assert page.locator("dl.glossary-entry dt").first.inner_text().strip() == name
    assert page.title() == f"{name} — AI & Semiconductor Glossary"
    assert page.outside == []


def test_math_is_typeset_without_errors(page, base_url, site):
    with_math = sorted(p for p in (site / "_generated/terms").glob("*.html") if 'class="math' in p.read_text())
    assert with_math, "the corpus has math"
    page.goto(base_url + with_math[0].relative_to(site).as_posix())
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    assert page.locator("mjx-container").count() > 0
    assert page.locator("mjx-merror").count() == 0
    assert page.outside == []


def test_preview_appears_on_hover_and_focus(page, base_url):
    page.goto(base_url + "_generated/letters/k.html")
    link = page.locator("a.glossary-preview").first
    summary = link.get_attribute("title")
    link.hover()
    tip = page.locator("#glossary-preview")
    assert tip.is_visible() and tip.inner_text() == summary
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    link.focus()
    assert tip.is_visible()


def test_search_by_alias_finds_its_term(page, base_url, site):
    for source in sorted((REPO / "docs/_generated/terms").glob("*.term.json")):
        data = json.loads(source.read_text())
        if data["aliases"]:
            break
    alias = data["aliases"][0]["name"]
    page.goto(base_url + "search.html?q=" + alias)
    first = page.locator("#search-results ul.search li a").first
    first.wait_for()
    assert f"_generated/terms/{data['slug']}.html" in first.get_attribute("href")


def test_auto_link_leads_to_its_term(page, base_url, site):
    for html in sorted((site / "_generated/terms").glob("*.html")):
        if re.search(r'<dd>(?:(?!</dd>).)*class="glossary-preview reference internal"', html.read_text(), re.S):
            break
    page.goto(base_url + html.relative_to(site).as_posix())
    link = page.locator("dl.glossary-entry dd a.glossary-preview").first
    text, href = link.inner_text(), link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    anchor = href.partition("#")[2]
    assert page.url.endswith("#" + anchor)
    target = page.locator(f"dt[id='{anchor}']")
    assert target.count() == 1 and target.is_visible()
    assert text  # the link showed the mention itself
