"""Search results: one per term, the term whose name is the query first.

Sphinx's search runs in the browser on the index it writes at build time;
`search_scorer.js` is its documented hook (`html_search_scorer`) and
folds the several hits of one page into one result (see the file).  Letter and
category pages repeat their terms' summaries, so they are left out of the
index (`glossweave.site.terms.JSONDirective`): a query finds each term once,
on its own page, and every result is a term.  Nothing is fetched from anywhere.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

#: Read at build time into `language_data.js`; not a static file of the site.
SCORER = Path(__file__).parent / "search_scorer.js"


def _use_scorer(app: Sphinx, config: Config) -> None:
    if not config.html_search_scorer:  # a site's own scorer wins
        config.html_search_scorer = str(SCORER)


def setup_search(app: Sphinx) -> None:
    app.connect("config-inited", _use_scorer)
