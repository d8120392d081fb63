"""The Sphinx layer: one module per component, each with its `setup_<component>(app)`.

Parallel safety: the only environment data of our own is the category map of
the `glossary` domain, which implements `clear_doc` and `merge_domaindata`;
terms live in Sphinx's std domain; the pipeline result is recomputed (from its
cache) at every `builder-inited`, before any worker forks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

import glossweave
from glossweave.site.a11y import setup_a11y
from glossweave.site.bibliography import setup_bibliography
from glossweave.site.categories import setup_categories
from glossweave.site.config import setup_config
from glossweave.site.ebook import setup_ebook
from glossweave.site.epub import setup_epub
from glossweave.site.generate import setup_generate
from glossweave.site.book_stream import setup_book_stream
from glossweave.site.latex import setup_latex
from glossweave.site.latex_speed import setup_latex_speed
from glossweave.site.math import setup_math
from glossweave.site.mathcheck import setup_mathcheck
from glossweave.site.memory import setup_memory
from glossweave.site.metadata import setup_metadata
from glossweave.site.navigation import setup_navigation
from glossweave.site.notfound import setup_notfound
from glossweave.site.previews import setup_previews
from glossweave.site.previews_file import setup_previews_file
from glossweave.site.search import setup_search
from glossweave.site.sidebar import setup_sidebar
from glossweave.site.sitemap import setup_sitemap
from glossweave.site.std_domain import setup_std_domain
from glossweave.site.terms import setup_terms

#: Bump when the shape of what we store in the environment changes.
ENV_VERSION = 3
#: The extension's own CSS and script, shipped in the package: any project that installs it gets them.
STATIC_DIR = Path(__file__).with_name("static")


def _add_static_dir(app: Sphinx, config: Config) -> None:
    """First in `html_static_path`: a project's own `_static` file of the same name wins."""
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path = [str(STATIC_DIR), *config.html_static_path]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")
    setup_config(app)
    setup_generate(app)
    setup_std_domain(app)
    setup_terms(app)
    setup_categories(app)
    setup_previews(app)
    setup_previews_file(app)
    setup_sidebar(app)
    setup_navigation(app)
    setup_metadata(app)
    setup_search(app)
    setup_notfound(app)
    setup_sitemap(app)
    setup_math(app)
    setup_latex(app)
    setup_latex_speed(app)
    setup_book_stream(app)
    setup_mathcheck(app)
    setup_epub(app)
    setup_ebook(app)
    setup_bibliography(app)
    setup_memory(app)
    setup_a11y(app)
    app.connect("config-inited", _add_static_dir)
    app.add_css_file("glossary.css")
    return {"version": glossweave.__version__, "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
