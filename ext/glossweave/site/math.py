"""MathJax 4 served from the site's own `_static`, never from a CDN.

Sphinx's mathjax extension already loads the script only on pages that contain
math; this module points it at `_static/mathjax/tex-chtml.js` and tells MathJax
where its fonts and extensions are, because MathJax 4 otherwise fetches them
from a CDN at run time.  The files are copied from the npm packages into the
output at `build-finished`, only when the installed version changed.  Without
MathJax's npm packages (an installed extension in a project with no
`node_modules`) the site is built all the same, with one warning.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.ext.mathjax import MATHJAX_URL
from sphinx.util import logging

from glossweave.core.texcommands import MATHJAX_TEX_PACKAGES
from glossweave.site.config import site_config

logger = logging.getLogger(__name__)
FONT = "mathjax-newcm"


def mathjax_config(node_modules: Path | None) -> dict:
    """MathJax's page config: local paths, the TeX packages the corpus needs, no speech.

    Packages built into tex-chtml.js (`base`, `ams`) have no extension file and
    need no loading; the others are loaded from the local copy.
    """
    extensions = node_modules / "mathjax" / "input" / "tex" / "extensions" if node_modules else None
    extra = [name for name in MATHJAX_TEX_PACKAGES if extensions and (extensions / f"{name}.js").is_file() and name != "ams"]
    return {
        "loader": {"paths": {"fonts": "[mathjax]/fonts"}, "load": [f"[tex]/{name}" for name in extra]},
        "tex": {"packages": {"[+]": extra}},
        "output": {"font": FONT},
        "options": {"enableSpeech": False, "enableBraille": False, "enableExplorer": False},
    }


def _configure(app: Sphinx, config: Config) -> None:
    if config.mathjax_path == MATHJAX_URL:
        config.mathjax_path = "mathjax/tex-chtml.js"
    name = "mathjax4_config" if "mathjax4_config" in config else "mathjax3_config"  # Sphinx < 9 names MathJax 3's
    setattr(config, name, {**mathjax_config(site_config(app).node_modules), **(getattr(config, name) or {})})


def copy_mathjax(node_modules: Path, static_dir: Path) -> bool:
    """Copy MathJax and its font into `static_dir/mathjax`; False when already current."""
    target = static_dir / "mathjax"
    stamp = target / ".installed"
    versions = json.dumps(
        [json.loads((node_modules / pkg / "package.json").read_text())["version"] for pkg in ("mathjax", f"@mathjax/{FONT}-font")]
    )
    if stamp.is_file() and stamp.read_text() == versions:
        return False
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(node_modules / "mathjax", target, ignore=shutil.ignore_patterns("*.md", "node-main*", "*.cjs", "*.mjs"))
    shutil.copytree(node_modules / "@mathjax" / f"{FONT}-font" / "chtml", target / "fonts" / f"{FONT}-font" / "chtml")
    (target / "fonts" / f"{FONT}-font" / "chtml.js").write_bytes((node_modules / "@mathjax" / f"{FONT}-font" / "chtml.js").read_bytes())
    stamp.write_text(versions)
    return True


def _install(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html" and not app.builder.embedded:
        node_modules = site_config(app).node_modules
        if node_modules is None:
            logger.warning(
                "glossary: no node_modules with MathJax found in or above %s (`npm install mathjax@4 "
                "@mathjax/mathjax-newcm-font@4` there, or set glossary_node_modules); math is not typeset",
                app.confdir,
                type="glossary",
                subtype="mathjax",
            )
            return
        copy_mathjax(node_modules, Path(app.outdir) / "_static")


def setup_math(app: Sphinx) -> None:
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("config-inited", _configure)
    app.connect("build-finished", _install)
