"""Accessibility in headless Chromium (issue 15), on the real corpus served under a sub-path.

* axe-core finds no violation, at any impact level, on every page type, in the light
  and the dark scheme, at 1280 and 390 px; also with the mobile menu open and with a
  preview shown.  axe-core is the npm package pinned in package-lock.json, injected
  from node_modules: nothing comes from elsewhere.  Its rules run as shipped, plus
  `target-size` (WCAG 2.2's 24 px targets), which axe leaves off by default.
* A keyboard walk (Tab from the top of the page until the focus comes round) at
  390 px, and at 1280 px, lands only on elements that are visible (a box inside the
  window, no hidden ancestor, not covered by something else) and ringed by a focus
  indicator of at least 3:1 against what is behind it.  The walks run with reduced
  motion, which the site honours, so that nothing is still sliding when measured.
* Lighthouse (npm, pinned) scores accessibility 100 on the landing, letter, category
  and term pages; it drives the same Chromium, offline.
* The skip link comes first and leads into the content; the mobile menu opens and
  closes from the keyboard; previews open on focus, close with Escape, stay open
  while the pointer moves onto them, and open above a link with no room below.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from chromium import FLAGS as CHROMIUM_FLAGS

from glossweave.site.emit import CATEGORIES, LETTERS, TERMS

pytestmark = [pytest.mark.slow, pytest.mark.needs("browser")]
pytest.importorskip("playwright.sync_api")

REPO = Path(__file__).parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
DESKTOP, MOBILE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
VIEWPORTS = {"1280": DESKTOP, "390": MOBILE}
PAGE_TYPES = [
    "landing", "letter", "category", "term with math", "term with previews", "term with a table", "term citing a work", "search", "404", "bibliography",
]  # fmt: skip
#: The most stops any page may have before the walk gives up (the landing page has about 60 at 390 px).
MAX_STOPS = 400

#: Everything that is wrong with the focused element, as a list of strings (empty when all is well);
#: null when nothing has the focus.  It first waits until the page stops moving.
FOCUS_PROBLEMS = """
async () => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  for (let i = 0, still = 0, last = ""; i < 120 && still < 2; i++) {
    await frame();
    const now = JSON.stringify([scrollX, scrollY, el.getBoundingClientRect()]);
    still = now === last ? still + 1 : 0;
    last = now;
  }
  const problems = [];
  const box = el.getBoundingClientRect();
  const width = document.documentElement.clientWidth, height = innerHeight;
  if (!(box.width > 0 && box.height > 0)) problems.push("an empty box");
  else if (box.right <= 0 || box.bottom <= 0 || box.left >= width || box.top >= height) problems.push("outside the window");
  else {
    const points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]].map(([x, y]) =>
      [Math.min(Math.max(box.left + x * box.width, 0), width - 1), Math.min(Math.max(box.top + y * box.height, 0), height - 1)]);
    const seen = points.some(([x, y]) => { const hit = document.elementFromPoint(x, y); return hit && (el.contains(hit) || hit.contains(el)); });
    if (!seen) problems.push("covered by another element");
  }
  if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) problems.push("hidden by itself or an ancestor");
  const rgb = (colour) => colour.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [hi, lo] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (hi + 0.05) / (lo + 0.05); };
  const style = getComputedStyle(el);
  // The ring is drawn over the element's own background when inset, else over its surroundings.
  let background = [255, 255, 255];
  for (let n = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement; n; n = n.parentElement) {
    const colour = rgb(getComputedStyle(n).backgroundColor);
    if (colour.length < 4 || colour[3] > 0) { background = colour.slice(0, 3); break; }
  }
  if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2) problems.push(`no focus ring (outline ${style.outlineStyle} ${style.outlineWidth})`);
  else if (ratio(rgb(style.outlineColor).slice(0, 3), background) < 3)
    problems.push(`a focus ring of ${ratio(rgb(style.outlineColor).slice(0, 3), background).toFixed(2)}:1 (${style.outlineColor} on rgb(${background}))`);
  return problems;
}
"""
#: Which element has the focus, for messages and for noticing that the walk came round.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const path = [];
  for (let n = el; n && n !== document.body; n = n.parentElement) path.unshift(n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") + ":" + Array.prototype.indexOf.call(n.parentElement.children, n));
  return { path: path.join(">"), text: (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().slice(0, 40), tag: el.tagName.toLowerCase() };
}"""


def term_payloads() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((REPO / "docs" / TERMS).glob("*.term.json"))]


def richest_term_page(site: Path, pattern: str) -> str:
    """The term page (path under the site) with the most matches of `pattern` in its article."""
    def count(page: Path) -> int:
        article = page.read_text().partition("<article")[2].partition("</article>")[0]
        return len(re.findall(pattern, article))
    best = max(sorted((site / TERMS).glob("*.html")), key=count)
    assert count(best) > 0, f"no term page matches {pattern}"
    return best.relative_to(site).as_posix()


@pytest.fixture(scope="module")
def page_paths(site) -> dict[str, str]:
    """A page of each type, as a path under the site."""
    searched = next(d for d in term_payloads() if d["aliases"] and d["mentioned_in"])  # several results
    return {
        "landing": "index.html",
        "letter": sorted((site / LETTERS).glob("*.html"))[0].relative_to(site).as_posix(),
        "category": sorted((site / CATEGORIES).glob("*.html"))[0].relative_to(site).as_posix(),
        "term with math": richest_term_page(site, r'<math\b|class="math'),
        "term with previews": richest_term_page(site, r'class="glossary-preview'),
        "term with a table": richest_term_page(site, r"<table\b"),
        "term citing a work": richest_term_page(site, r'class="citation-list"'),
        "search": "search.html?q=" + searched["name"],
        "404": f"{TERMS}/no-such-term/really.html",
        "bibliography": "bibliography.html",
    }


def visit(pg, base_url: str, path: str) -> None:
    """Open a page and wait until it is complete (search results shown, fonts loaded)."""
    pg.goto(base_url + path)
    pg.wait_for_load_state("load")
    if path.startswith("search.html"):
        pg.locator("#search-results p.search-summary:not(:empty)").wait_for()
    pg.evaluate("document.fonts.ready.then(() => true)")


def axe_violations(pg) -> list[str]:
    """axe-core's violations in the page as it is now, one readable line per element."""
    if not pg.evaluate("typeof window.axe === 'object'"):
        pg.add_script_tag(path=str(AXE))
    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
    violations = pg.evaluate("options => axe.run(document, options).then(result => result.violations)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: {' '.join(node['failureSummary'].split())[:300]}"
        for v in violations for node in v["nodes"]
    ]


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_finds_no_violation(browser_page, base_url, page_paths, page_type, scheme, width):
    with browser_page(VIEWPORTS[width], f"axe-{page_type}-{scheme}-{width}".replace(" ", "-"), color_scheme=scheme) as pg:
        visit(pg, base_url, page_paths[page_type])
        assert pg.outside == []
        assert axe_violations(pg) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_type", ["landing", "term with math"])
def test_axe_finds_no_violation_with_the_mobile_menu_open(browser_page, base_url, page_paths, page_type, scheme):
    with browser_page(MOBILE, f"axe-menu-open-{page_type}-{scheme}".replace(" ", "-"), color_scheme=scheme, reduced_motion="reduce") as pg:
        visit(pg, base_url, page_paths[page_type])
        pg.get_by_role("button", name="Menu").click()
        pg.locator("aside.sidebar-drawer a").first.wait_for(state="visible")
        assert axe_violations(pg) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_a_preview_shown(browser_page, base_url, page_paths, scheme):
    with browser_page(DESKTOP, f"axe-preview-{scheme}", color_scheme=scheme) as pg:
        visit(pg, base_url, page_paths["term with previews"])
        pg.locator("article a.glossary-preview").first.focus()
        pg.locator("#glossary-preview").wait_for(state="visible")
        assert axe_violations(pg) == []


def keyboard_walk(pg, limit: int = MAX_STOPS) -> list[dict]:
    """Tab from the top of the page until the focus comes round (or leaves the page): each stop,
    with what is wrong with it."""
    stops: list[dict] = []
    for _ in range(limit):
        pg.keyboard.press("Tab")
        focused = pg.evaluate(FOCUSED)
        if focused is None or (stops and focused["path"] == stops[0]["path"]):
            return stops
        stops.append({**focused, "problems": pg.evaluate(FOCUS_PROBLEMS)})
    raise AssertionError(f"the focus did not come round in {limit} stops")


WALKS = [(page_type, "light", "390") for page_type in PAGE_TYPES] + [
    (page_type, scheme, width) for page_type in ("landing", "term with math", "search") for scheme, width in (("dark", "390"), ("light", "1280"), ("dark", "1280"))
]


@pytest.mark.parametrize(("page_type", "scheme", "width"), WALKS)
def test_every_tab_stop_is_visible_and_ringed(browser_page, base_url, page_paths, page_type, scheme, width):
    name = f"keyboard-{page_type}-{scheme}-{width}".replace(" ", "-")
    with browser_page(VIEWPORTS[width], name, color_scheme=scheme, reduced_motion="reduce") as pg:
        visit(pg, base_url, page_paths[page_type])
        stops = keyboard_walk(pg)
        assert len(stops) > 3  # the skip link, the header or sidebar, the content
        problems = [f"{s['tag']} '{s['text']}' ({s['path']}): {', '.join(s['problems'])}" for s in stops if s["problems"]]
        assert problems == []


@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_skip_link_comes_first_and_leads_to_the_pages_own_search(browser_page, base_url, width):
    with browser_page(VIEWPORTS[width], f"skip-link-{width}", reduced_motion="reduce") as pg:
        visit(pg, base_url, "index.html")
        pg.keyboard.press("Tab")
        skip = pg.locator(":focus")
        assert skip.inner_text() == "Skip to content" and pg.evaluate(FOCUS_PROBLEMS) == []
        pg.keyboard.press("Enter")
        pg.keyboard.press("Tab")
        focused = pg.locator(":focus")
        assert focused.get_attribute("aria-label") == "Search the glossary"  # the landing page's own box, not the sidebar's
        assert pg.evaluate("document.activeElement.closest('article') !== null")


def test_the_mobile_menu_opens_and_closes_from_the_keyboard(browser_page, base_url, page_paths):
    in_drawer = "document.querySelector('aside.sidebar-drawer').contains(document.activeElement)"
    with browser_page(MOBILE, "keyboard-mobile-menu", reduced_motion="reduce") as pg:
        visit(pg, base_url, page_paths["term with math"])
        menu = pg.get_by_role("button", name="Menu")
        drawer = pg.locator("aside.sidebar-drawer")
        assert menu.get_attribute("aria-expanded") == "false" and drawer.get_attribute("id") == menu.get_attribute("aria-controls")
        assert not drawer.locator("a").first.is_visible()
        pg.keyboard.press("Tab")  # the skip link
        pg.keyboard.press("Tab")
        assert pg.evaluate("document.activeElement.getAttribute('aria-label')") == "Menu"
        pg.keyboard.press("Enter")
        assert menu.get_attribute("aria-expanded") == "true" and pg.evaluate(in_drawer)
        assert pg.evaluate(FOCUS_PROBLEMS) == []
        pg.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
        assert pg.evaluate("document.activeElement.getAttribute('aria-label')") == "Menu"
        assert not drawer.locator("a").first.is_visible()
        pg.keyboard.press(" ")  # Space opens it too; tabbing out of it closes it
        assert menu.get_attribute("aria-expanded") == "true" and pg.evaluate(in_drawer)
        inside = keyboard_walk_in(pg, "aside.sidebar-drawer")
        assert len(inside) > 5 and [s for s in inside if s["problems"]] == []
        assert menu.get_attribute("aria-expanded") == "false" and not drawer.locator("a").first.is_visible()
        assert pg.evaluate(FOCUS_PROBLEMS) == []  # the stop after the menu, in the page


def keyboard_walk_in(pg, container: str) -> list[dict]:
    """Tab on while the focus stays inside `container`; the stops there."""
    stops = []
    while pg.evaluate("c => document.querySelector(c).contains(document.activeElement)", container):
        stops.append({**pg.evaluate(FOCUSED), "problems": pg.evaluate(FOCUS_PROBLEMS)})
        assert len(stops) < MAX_STOPS
        pg.keyboard.press("Tab")
    return stops


@pytest.mark.parametrize("page_type", ["landing", "term with math"])
def test_the_a_to_z_letters_are_targets_of_24_px(browser_page, base_url, page_paths, page_type):
    with browser_page(DESKTOP, f"targets-{page_type}".replace(" ", "-")) as pg:
        visit(pg, base_url, page_paths[page_type])
        letters = pg.locator(".glossary-az a, ul.glossary-nav-az a")
        assert letters.count() > 0
        sizes = letters.evaluate_all("links => links.map(a => [a.textContent, a.getBoundingClientRect().width, a.getBoundingClientRect().height])")
        assert [(text, w, h) for text, w, h in sizes if w < 24 or h < 24] == []


def preview_link_near(pg, edge: str):
    """A preview link in the article that scrolls to the window's top or bottom edge (the first
    from the start, or from the end, that the page can scroll that far)."""
    links = pg.locator("article a.glossary-preview")
    order = range(links.count()) if edge == "top" else reversed(range(links.count()))
    for index in order:
        link = links.nth(index)
        top, bottom = link.evaluate(
            "(a, edge) => { a.scrollIntoView({block: edge, behavior: 'instant'}); const r = a.getClientRects()[0]; return [r.top, r.bottom]; }",
            "start" if edge == "top" else "end",
        )
        if (edge == "top" and top < 100) or (edge == "bottom" and bottom > pg.viewport_size["height"] - 100):
            return link
    raise AssertionError(f"no preview link scrolls to the {edge} of the window")


def test_a_preview_opens_on_focus_and_closes_with_escape(browser_page, base_url, page_paths):
    with browser_page(DESKTOP, "preview-focus") as pg:
        visit(pg, base_url, page_paths["term with previews"])
        link = pg.locator("article a.glossary-preview").first
        link.focus()
        tip = pg.locator("#glossary-preview")
        assert tip.is_visible() and tip.get_attribute("role") == "tooltip"
        assert link.get_attribute("aria-describedby") == "glossary-preview"
        pg.keyboard.press("Escape")
        assert not tip.is_visible()
        assert pg.evaluate("document.activeElement.classList.contains('glossary-preview')")  # Escape leaves the focus where it was


def test_a_preview_stays_open_while_the_pointer_moves_onto_it(browser_page, base_url, page_paths):
    with browser_page(DESKTOP, "preview-hoverable") as pg:
        visit(pg, base_url, page_paths["term with previews"])
        link = preview_link_near(pg, "top")
        link.hover()
        tip = pg.locator("#glossary-preview")
        tip.wait_for(state="visible")
        target = tip.bounding_box()
        pg.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=8)
        pg.wait_for_timeout(1000)  # longer than any grace period
        assert tip.is_visible()
        pg.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] + 200, steps=4)
        pg.locator("#glossary-preview").wait_for(state="hidden")


@pytest.mark.parametrize("edge", ["top", "bottom"])
def test_a_preview_opens_where_it_fits(browser_page, base_url, page_paths, edge):
    with browser_page(DESKTOP, f"preview-near-the-{edge}") as pg:
        visit(pg, base_url, page_paths["term with previews"])
        link = preview_link_near(pg, edge)
        link.hover()
        tip = pg.locator("#glossary-preview")
        tip.wait_for(state="visible")
        around = link.evaluate("a => { const r = a.getClientRects()[0]; return {top: r.top, bottom: r.bottom}; }")
        box = tip.evaluate("t => { const r = t.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }")
        assert 0 <= box["top"] and box["bottom"] <= DESKTOP["height"]  # inside the window
        if edge == "top":
            assert box["top"] >= around["bottom"]  # below the link
        else:
            assert box["bottom"] <= around["top"]  # above the link


@pytest.mark.parametrize("page_type", ["landing", "letter", "category", "term with math", "term with previews"])
def test_lighthouse_scores_accessibility_100(base_url, page_paths, page_type, tmp_path):
    report = tmp_path / "lighthouse.json"
    subprocess.run(
        [str(LIGHTHOUSE), base_url + page_paths[page_type], "--only-categories=accessibility", "--output=json",
         f"--output-path={report}", "--quiet", "--chrome-flags=" + " ".join(CHROMIUM_FLAGS)],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    result = json.loads(report.read_text())
    scores = {ref["id"]: result["audits"][ref["id"]]["score"] for ref in result["categories"]["accessibility"]["auditRefs"] if ref["weight"]}
    failed = [audit for audit, score in scores.items() if score is not None and score < 1]  # None: not applicable
    assert failed == []
    assert result["categories"]["accessibility"]["score"] == 1
