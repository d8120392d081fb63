"""Furo's navigation tree is computed only for pages whose sidebar shows it."""

from __future__ import annotations

from glossweave.site.sidebar import NAVIGATION, _skip_unshown_navigation


def _context(sidebars: list[str]) -> dict:
    return {"sidebars": sidebars, "toctree": lambda **kwargs: "<ul>…</ul>"}


def test_a_lean_sidebar_page_gets_no_toctree_to_render():
    context = _context(["sidebar/brand.html", "sidebar/search.html"])
    _skip_unshown_navigation(None, "terms/x", "page.html", context, None)
    assert "toctree" not in context


def test_a_page_that_shows_the_navigation_keeps_it():
    context = _context(["sidebar/brand.html", NAVIGATION])
    _skip_unshown_navigation(None, "index", "page.html", context, None)
    assert "toctree" in context
