"""The preview script and its styles: package data shared by the site and the consumer extension.

Both serve the very same files (`glossweave/static/`), so a link to our glossary
looks and behaves the same in another project as on our site.  They are added
to `html_static_path` at `config-inited`, before Sphinx records the settings a
later build is compared with, so the setting stays the same from build to build.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STATIC = Path(__file__).with_name("static")


def _serve_static(app: Sphinx, config: Config) -> None:
    """First in `html_static_path`, so a project's own `_static` file of the same name wins.

    A new list: the default one may be shared with other Sphinx apps in this process.
    """
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [str(STATIC), *config.html_static_path]


def setup_preview_assets(app: Sphinx) -> None:
    """Serve and load `glossary-previews.js` and `.css` on every HTML page."""
    app.connect("config-inited", _serve_static)
    app.add_js_file("glossary-previews.js", loading_method="defer")
    app.add_css_file("glossary-previews.css")
