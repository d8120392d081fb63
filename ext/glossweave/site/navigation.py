"""Navigation on term pages: breadcrumb, A–Z bar, previous and next term, the term's categories.

Term pages are orphans (in no toctree: a toctree of every term, rendered into
every page, is what makes a large build quadratic), so Sphinx gives them no
previous/next and the theme no navigation.  Each page's payload says where it
leads (`glossweave.site.emit.navigation`; `TermPageParser` keeps it in the
page's metadata), and at `html-page-context` this module turns it into links:

* `prev` / `next`, Sphinx's own context entries, which the theme shows at the
  foot of the page and as `<link rel>`;
* `glossary_nav`, read by the templates `glossary/breadcrumb.html` (home ›
  letter › term, above the article) and `glossary/term-nav.html` (a sidebar
  block, which Furo also puts in its mobile menu).

The templates live in this package (`templates/glossary/`); a site places them
(see `_templates/page.html` and `html_sidebars` in conf.py).  Nothing here looks
at another page, so incremental and parallel builds stay correct.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from glossweave.site.emit import ALPHABET, DIGITS, OTHER, category_docname, letter_docname, letter_label, term_docname

TEMPLATES = Path(__file__).parent / "templates"


def term_navigation(nav: dict, pathto: Any, root_doc: str) -> dict:
    """The links of `glossary_nav` for the templates, relative to the page (`pathto`)."""
    existing = set(nav["letters"])
    keys = [letter.lower() for letter in ALPHABET] + [key for key in (DIGITS, OTHER) if key in existing]
    return {
        "name": nav["name"],
        "home": pathto(root_doc),
        "letter": {"link": pathto(letter_docname(nav["letter"])), "title": letter_label(nav["letter"])},
        "letters": [
            {"title": letter_label(key), "link": pathto(letter_docname(key)) if key in existing else None, "current": key == nav["letter"]}
            for key in keys
        ],
        "categories": [{"link": pathto(category_docname(slug)), "title": label} for slug, label in nav["categories"]],
        "previous": neighbour(nav["previous"], pathto),
        "next": neighbour(nav["next"], pathto),
    }


def neighbour(term: dict | None, pathto: Any) -> dict | None:
    """A neighbouring term in the shape of Sphinx's `prev`/`next` (whose title is HTML)."""
    return {"link": pathto(term_docname(term["slug"])), "title": escape(term["name"])} if term else None


def _add_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    nav = (context.get("meta") or {}).get("glossary_nav")
    if not nav or app.builder.embedded:  # the ePub has its own navigation
        return
    links = term_navigation(nav, context["pathto"], app.config.root_doc)
    context["glossary_nav"] = links
    context["prev"], context["next"] = links["previous"], links["next"]


def _add_templates(app: Sphinx, config: Config) -> None:
    """After the site's own template folders, so a site may override ours."""
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def setup_navigation(app: Sphinx) -> None:
    app.connect("config-inited", _add_templates)
    app.connect("html-page-context", _add_navigation)
