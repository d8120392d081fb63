"""Publish `glossary-previews.json` beside `objects.inv` (see `glossweave.previewsfile`).

Written when an HTML builder that writes `objects.inv` finishes, from what the
build already has: the terms this build published (`generate.state`), the
pages Sphinx put each anchor and category on (the std and `glossary` domains,
the same source objects.inv is written from) and the site's link rules.  Its
text depends only on those, so a rebuild with no change writes the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging

import glossweave
from glossweave.previewsfile import FILENAME, Category, Entry, PreviewsFile
from glossweave.site.config import site_config
from glossweave.site.generate import state

logger = logging.getLogger(__name__)


def publishes_inventory(app: Sphinx) -> bool:
    """Is this a builder that writes objects.inv (html, dirhtml, singlehtml; not ePub or HTML Help)?"""
    return isinstance(app.builder, StandaloneHTMLBuilder) and not app.builder.embedded


def previews_file(app: Sphinx) -> PreviewsFile | None:
    """The file for this build, or None before the glossary was generated."""
    site = state(app.env)
    if site is None:
        return None
    builder, env = app.builder, app.env
    pages = {anchor: docname for _name, _disp, kind, docname, anchor, _prio in env.domains["std"].get_objects() if kind == "term"}
    entries: dict[str, Entry] = {}
    missing = []
    for term in site.terms:
        categories = tuple(term["categories"])
        for name, anchor, alias_of in [(term["name"], term["anchor"], None)] + [
            (n, a, term["anchor"]) for n, a in term["aliases"].items()
        ]:
            if anchor not in pages:
                missing.append(anchor)
                continue
            entries[anchor] = Entry(anchor, name, builder.get_target_uri(pages[anchor]), term["summary"], alias_of, categories)
    if missing:
        logger.warning("%s: %d anchors are on no page and were left out: %s", FILENAME, len(missing), ", ".join(missing[:5]))
    categories = {
        slug: Category(slug, label, builder.get_target_uri(docname))
        for slug, (docname, label) in sorted(env.domains["glossary"].categories.items())
    }
    return PreviewsFile(
        project=app.config.project,
        release=app.config.release,
        generator=f"glossweave {glossweave.__version__}",
        entries=dict(sorted(entries.items())),
        categories=categories,
        link_names=tuple(sorted((name, term["anchor"]) for term in site.terms for name in term["link_names"])),
        link_rules=site_config(app).link_rules,
    )


def _write(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or not publishes_inventory(app):
        return
    published = previews_file(app)
    if published is not None:
        path = Path(app.outdir) / FILENAME
        text = published.to_json()
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup_previews_file(app: Sphinx) -> None:
    app.connect("build-finished", _write)
