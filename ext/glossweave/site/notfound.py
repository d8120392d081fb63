"""The 404 page's own links work wherever the server shows it.

A server answers every missing URL with the same 404 page, at any depth: under
`/en/latest/terms/`, a relative `index.html` is another missing page.
sphinx-notfound-page makes the theme's links and assets absolute under
`notfound_urls_prefix`, but not the links written in the page itself ("the
home page"); this does the same for those.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.application import Sphinx


def absolute_uri(uri: str, pagename: str, prefix: str) -> str:
    """`uri`, relative to the page `pagename`, as an absolute path under `prefix`; others unchanged."""
    if not uri or uri.startswith(("/", "#")) or urlsplit(uri).scheme:
        return uri
    path = posixpath.normpath(posixpath.join(posixpath.dirname(pagename), uri))
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def _absolute_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if "notfound.extension" not in app.extensions or docname != app.config.notfound_pagename or app.builder.format != "html":
        return
    prefix = app.config.notfound_urls_prefix or "/"
    for ref in doctree.findall(nodes.reference):
        if "refuri" in ref:
            ref["refuri"] = absolute_uri(ref["refuri"], docname, prefix)


def setup_notfound(app: Sphinx) -> None:
    app.connect("doctree-resolved", _absolute_links)
