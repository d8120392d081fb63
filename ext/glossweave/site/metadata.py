"""What a page's `<head>` says about it: honest descriptions, one viewport tag.

* A term page is described by its summary, the sentence a reader would quote:
  `<meta name="description">`, and OpenGraph's `og:description` with `og:type`
  "article" through sphinxext-opengraph's per-page fields, which it writes into
  the attribute as given, escaping only quotes.  (Left to itself it describes
  the page by its first words, which were the aliases.)
* docutils' HTML writer adds a viewport `<meta>` of its own, and Sphinx passes it
  on beside the theme's, so every page had two; the theme's is kept.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from sphinx.application import Sphinx

_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\n?')


def _describe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    context["metatags"] = _VIEWPORT.sub("", context.get("metatags", ""))
    meta = context.get("meta") or {}
    summary = meta.get("glossary_summary")
    if not summary:
        return
    context["metatags"] += f'<meta name="description" content="{escape(summary)}" />\n'
    # a copy: the page's metadata belongs to the environment
    context["meta"] = {**meta, "og:description": escape(summary, quote=False), "og:type": "article"}


def setup_metadata(app: Sphinx) -> None:
    # before sphinxext-opengraph (default priority 500), which reads both
    app.connect("html-page-context", _describe, priority=400)
