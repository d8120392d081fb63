"""Lean sidebars: no navigation tree where the sidebar does not show one.

Furo computes the full navigation tree of the site (`toctree(maxdepth=-1,
includehidden=True)`) for every page at `html-page-context`, whether or not
the page's sidebar holds `sidebar/navigation.html`, its only user.  Term pages
have a brand-and-search sidebar (`html_sidebars` in conf.py), so for them the
tree was rendered and thrown away: a quarter of a clean build at 1,000 terms.
Taking `toctree` out of the context first makes Furo skip the work (it then
renders an empty tree) and changes no byte of the page.  That relies on a check
inside Furo's private code, so it is done only with Furo as the theme, and
only while `glossweave.site.compat` finds Furo still making that check.
Other themes' sidebars call `toctree()` themselves, so they keep it.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from glossweave.site.compat import furo_skips_navigation_without_toctree

#: The Furo template that shows the navigation tree.
NAVIGATION = "sidebar/navigation.html"


def _skip_unshown_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if NAVIGATION not in context.get("sidebars", [NAVIGATION]):
        context.pop("toctree", None)


def _connect_for_furo(app: Sphinx) -> None:
    if app.config.html_theme == "furo" and furo_skips_navigation_without_toctree():
        # Before Furo's own handler (default priority 500), which renders the tree.
        app.connect("html-page-context", _skip_unshown_navigation, priority=400)


def setup_sidebar(app: Sphinx) -> None:
    app.connect("builder-inited", _connect_for_furo)
