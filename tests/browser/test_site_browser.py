"""End to end in headless Chromium: the real corpus, built, served under a sub-path
(the fixtures are in conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from glossweave.site.emit import LETTERS, TERMS

pytestmark = [pytest.mark.slow, pytest.mark.needs("browser")]
playwright = pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
SITE_NAME = "AI & Semiconductor Glossary"
DESKTOP, MOBILE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.fixture
def page(browser_page, request):
    with browser_page(DESKTOP, request.node.name) as pg:
        yield pg


@pytest.fixture
def phone(browser_page, request):
    with browser_page(MOBILE, request.node.name) as pg:
        yield pg


def term_payloads() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((REPO / "docs" / TERMS).glob("*.term.json"))]


@pytest.fixture(scope="module")
def middle_term(site) -> dict:
    """A term with neighbours on both sides, in another letter's middle than the first."""
    return next(d for d in term_payloads() if d["nav"]["previous"] and d["nav"]["next"] and d["aliases"])


def heading(pg) -> str:
    return pg.locator("article h1").first.inner_text().rstrip("¶").strip()


def test_landing_to_letter_to_term(page, base_url):
    page.goto(base_url)
    letter = page.locator("a:has-text('K')").filter(has_text=re.compile(r"^K$")).first
    letter.click()
    assert page.url.endswith(f"{LETTERS}/k.html")
    first = page.locator("ul.glossary-index a").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert f"/{TERMS}/" in page.url and "_generated" not in page.url
    assert heading(page) == name
    assert page.title() == f"{name} — {SITE_NAME}"
    assert page.outside == [] and page.failed == []


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_from_a_term_page_one_click_reaches_its_letter_its_neighbours_and_home(browser_page, base_url, middle_term, viewport):
    nav, url = middle_term["nav"], base_url + f"{TERMS}/{middle_term['slug']}.html"
    with browser_page(DESKTOP if viewport == "desktop" else MOBILE, f"term-page-{viewport}") as pg:
        pg.goto(url)
        crumbs = pg.locator('nav[aria-label="Breadcrumb"]')
        assert crumbs.is_visible()
        crumbs.get_by_role("link", name=f"Letter {nav['letter'].upper()}").click()
        assert pg.url == base_url + f"{LETTERS}/{nav['letter']}.html"
        pg.goto(url)
        crumbs.get_by_role("link", name="Home").click()
        assert pg.url == base_url + "index.html"
        pg.goto(url)
        pg.locator("footer a.next-page").click()  # the theme's own "Next", scrolled to as a reader would
        assert pg.url == base_url + f"{TERMS}/{nav['next']['slug']}.html" and heading(pg) == nav["next"]["name"]
        pg.goto(url)
        pg.locator("footer a.prev-page").click()
        assert pg.url == base_url + f"{TERMS}/{nav['previous']['slug']}.html" and heading(pg) == nav["previous"]["name"]
        pg.goto(url)  # for the screenshot
        assert pg.outside == [] and pg.failed == []


def test_the_mobile_menu_offers_the_same_navigation(phone, base_url, middle_term):
    nav = middle_term["nav"]
    phone.goto(base_url + f"{TERMS}/{middle_term['slug']}.html")
    menu = phone.locator('aside.sidebar-drawer nav[aria-label="Glossary"]')
    closed = menu.bounding_box()
    assert closed["x"] + closed["width"] <= 0  # the drawer is closed, off the screen
    phone.get_by_role("button", name="Menu").click()  # furo's label, a button (glossary-a11y.js)
    phone.wait_for_function("document.querySelector('aside.sidebar-drawer nav[aria-label=\"Glossary\"]').getBoundingClientRect().left >= 0")
    phone.screenshot(path=str(ARTIFACTS / "term-page-mobile-menu.png"))
    assert menu.get_by_role("link", name=f"All terms in {nav['letter'].upper()}").is_visible()
    letters = menu.locator("ul.glossary-nav-az a")
    assert letters.count() == len(nav["letters"]) and letters.first.is_visible()
    menu.get_by_role("link", name=re.compile("^Previous:")).click()
    assert phone.url == base_url + f"{TERMS}/{nav['previous']['slug']}.html"


def first_term_page(site: Path, pattern: str) -> str:
    """The path (under the site) of the first term page whose HTML matches `pattern`."""
    return next(p for p in sorted((site / TERMS).glob("*.html")) if re.search(pattern, p.read_text(), re.S)).relative_to(site).as_posix()


def test_preview_appears_on_hover_and_focus(page, base_url, site):
    page.goto(base_url + first_term_page(site, r'<article(?:(?!</article>).)*class="glossary-preview reference internal"'))
    link = page.locator("article a.glossary-preview").first
    summary = link.get_attribute("title")
    link.hover()
    tip = page.locator("#glossary-preview")
    assert tip.is_visible() and tip.inner_text() == summary
    page.mouse.move(0, 0)
    playwright.expect(tip).to_be_hidden()  # after the grace period that lets the pointer reach the preview
    link.focus()
    assert tip.is_visible()


def test_letter_pages_do_not_pop_up_the_summary_they_show(page, base_url):
    page.goto(base_url + f"{LETTERS}/k.html")
    link = page.locator("ul.glossary-index a").first
    link.hover()
    assert link.get_attribute("title") is None
    assert page.locator("#glossary-preview:visible").count() == 0


def search(pg, base_url: str, query: str):
    pg.goto(base_url + "search.html?q=" + query)
    results = pg.locator("#search-results ul.search > li")
    results.first.wait_for()
    pg.wait_for_function("!document.querySelector('#search-results h2 span') || !document.querySelector('#search-results h2 span').innerText")
    pg.locator("#search-results p.search-summary:not(:empty)").wait_for()
    return results


def test_search_by_alias_finds_its_term(page, base_url):
    data = next(d for d in term_payloads() if d["aliases"])
    results = search(page, base_url, data["aliases"][0]["name"])
    assert f"{TERMS}/{data['slug']}.html" in results.first.locator("a").get_attribute("href")


def test_search_shows_each_term_once_exact_name_first_with_readable_aliases(page, base_url):
    data = next(d for d in term_payloads() if len(d["aliases"]) >= 2 and d["mentioned_in"])  # a name other pages use too
    results = search(page, base_url, data["name"])
    hrefs = [href.split("#")[0] for href in results.locator(":scope > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")]
    assert len(hrefs) > 1 and len(hrefs) == len(set(hrefs))  # one result per page
    assert hrefs[0] == f"{TERMS}/{data['slug']}.html"
    assert all(href.startswith(f"{TERMS}/") for href in hrefs)  # every result is a term
    assert results.first.locator(":scope > a").inner_text() == data["name"]
    first = results.first.locator("p.context")
    first.wait_for()
    aliases = ", ".join(alias["name"] for alias in data["aliases"])
    assert f"Also called: {aliases}" in " ".join(first.inner_text().split())
    assert page.outside == []


def test_the_404_page_leads_home_under_the_sub_path(page, base_url):
    response = page.goto(base_url + f"{TERMS}/no-such-term/really.html")
    assert response.status == 404
    assert page.title() == f"Page not found — {SITE_NAME}"
    assert page.failed == []  # its style sheets, scripts and icon load from /en/latest/
    page.locator("article").get_by_role("link", name="home page").click()
    assert page.url == base_url + "index.html"
    assert page.title() == SITE_NAME


def test_math_is_typeset_without_errors(page, base_url, site):
    page.goto(base_url + first_term_page(site, 'class="math'))
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    assert page.locator("mjx-container").count() > 0
    assert page.locator("mjx-merror").count() == 0
    assert page.outside == []


def test_auto_link_leads_to_its_term(page, base_url, site):
    page.goto(base_url + first_term_page(site, r'<article(?:(?!</article>).)*<p>(?:(?!</p>).)*class="glossary-preview reference internal"'))
    link = page.locator("article p a.glossary-preview").first
    text, href = link.inner_text(), link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    anchor = href.partition("#")[2]
    assert page.url.endswith("#" + anchor)
    target = page.locator(f"[id='{anchor}']")
    assert target.count() == 1 and target.is_visible()
    assert text  # the link showed the mention itself
