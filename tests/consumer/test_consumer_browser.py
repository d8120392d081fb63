"""In headless Chromium: another project's page shows our previews, hoverable and placed where they fit."""

from __future__ import annotations

import pytest
from chromium import chromium

from glossary_site import ACCEPTANCE_CONF, BASE, SUMMARIES, local_copy, sphinx_build, write_project

pytestmark = pytest.mark.slow
playwright = pytest.importorskip("playwright.sync_api")

FILLER = "\n\n".join(f"Paragraph {n} of filler text, so that the page scrolls." for n in range(60))
PAGE = f"""\
Consumer
========

The first link: :term:`GPU`. Then some text.

{FILLER}

The last link: :term:`KV Cache`.

{FILLER}
"""


@pytest.fixture(scope="module")
def consumer_url(site, tmp_path_factory, serve):
    root = tmp_path_factory.mktemp("consumer")
    inventory = local_copy(site, root / "offline")
    project = write_project(root / "project", ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)), {"index.rst": PAGE})
    run = sphinx_build(project, root / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    return serve(root / "html").url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, consumer_url):
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    tab = context.new_page()
    tab.outside = []  # requests that left the local server
    tab.on("request", lambda r: None if r.url.startswith("http://127.0.0.1") else tab.outside.append(r.url))
    tab.goto(consumer_url + "index.html")
    yield tab
    context.close()


def centre(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_hover_shows_the_summary_and_the_pointer_can_move_onto_it(page):
    expect = playwright.expect
    link = page.locator("a.glossary-preview").first
    link.hover()
    tip = page.locator("#glossary-preview")
    expect(tip).to_be_visible()
    assert tip.inner_text() == SUMMARIES["gpu"]
    assert tip.get_attribute("role") == "tooltip" and link.get_attribute("aria-describedby") == "glossary-preview"
    link_box, tip_box = link.bounding_box(), tip.bounding_box()
    assert tip_box["y"] >= link_box["y"] + link_box["height"]  # room below: it opens below
    # across the gap and onto the preview, then stay there past the grace period
    page.mouse.move(*centre(tip_box), steps=8)
    page.wait_for_timeout(800)
    expect(tip).to_be_visible()
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()
    assert page.outside == []  # nothing fetched to show it


def test_escape_closes_and_focus_opens(page):
    expect = playwright.expect
    link = page.locator("a.glossary-preview").first
    tip = page.locator("#glossary-preview")
    link.hover()
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    assert link.get_attribute("aria-describedby") is None
    page.mouse.move(5, 5)
    link.focus()
    expect(tip).to_be_visible()
    assert tip.inner_text() == SUMMARIES["gpu"]


def test_a_preview_with_no_room_below_opens_above(page):
    expect = playwright.expect
    link = page.locator("a.glossary-preview").nth(1)
    link.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().bottom - window.innerHeight + 4)")
    link.hover()
    tip = page.locator("#glossary-preview")
    expect(tip).to_be_visible()
    assert tip.inner_text() == SUMMARIES["kv-cache"]
    link_box, tip_box = link.bounding_box(), tip.bounding_box()
    assert tip_box["y"] + tip_box["height"] <= link_box["y"]
    assert tip_box["y"] >= 0  # inside the window
    page.mouse.move(*centre(tip_box), steps=8)
    page.wait_for_timeout(800)
    expect(tip).to_be_visible()
