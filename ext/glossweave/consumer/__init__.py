"""For other Sphinx projects: our glossary's previews, names and auto-links, through intersphinx.

A project adds ``extensions = ["sphinx.ext.intersphinx", "glossweave.consumer"]``
and maps our site in ``intersphinx_mapping`` as usual; no other setting is
needed.  Every intersphinx project whose site publishes ``glossary-previews.json``
beside its objects.inv is then a glossary (`loading`), and:

* links into it carry the term's one-line summary as the same accessible
  preview our site shows (`resolve`, with the package's shared
  ``static/glossary-previews.js`` and ``.css``), written at build time;
* names Sphinx's inventory loader drops still resolve, a mistyped ``:term:``
  is told the closest glossary names, and, opted in, case and plural variants
  resolve (`resolve`, `names`);
* ``glossary:category`` references resolve (`categories`);
* opted in, the first mention of each glossary term links to it (`autolink`).

It is safe for parallel reads and writes, and pages that refer to a glossary
are read again when its file changes (`state`).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

import glossweave
from glossweave.assets import setup_preview_assets
from glossweave.consumer.autolink import setup_autolink
from glossweave.consumer.categories import setup_categories
from glossweave.consumer.config import setup_consumer_config
from glossweave.consumer.resolve import setup_resolve
from glossweave.consumer.state import setup_state

#: Bump when what the consumer keeps in the environment changes shape.
ENV_VERSION = 1


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx.ext.intersphinx")
    setup_consumer_config(app)
    setup_state(app)
    setup_resolve(app)
    setup_autolink(app)
    setup_categories(app)
    setup_preview_assets(app)
    return {
        "version": glossweave.__version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
