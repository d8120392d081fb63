r"""MathJax 4 served from the site's own `_static`, never from a CDN.

Sphinx's mathjax extension already loads the script only on pages that contain
math; this module points it at `_static/mathjax/tex-chtml.js` and tells MathJax
where its fonts and extensions are, because MathJax 4 otherwise fetches them
from a CDN at run time.

MathJax is also the site's second line of defence, behind the core's
whitelist (`glossweave.core.texmath`): a formula that reached it anyway must
not act on the page.  So the TeX input has exactly the packages of
`MATHJAX_TEX_PACKAGES` (none of MathJax's defaults that define ``\href``,
``\style``, ``\class``, ``\cssId``, ``\html``, ``\require``, ``\unicode`` or
``\def``, and no `autoload` that would fetch them on first use); the `ui/safe`
component filters what any package could still put into the math (no URL,
class, id or style survives); and macro expansion is capped, so a formula
cannot loop or balloon.  Each of the three holds with the others off
(tests/browser/test_math_safety.py).  The files are copied from the npm packages into the
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
#: MathJax's safe mode: what TeX may set on the page.  "none": no URL (so no link), class, id or style at all.
SAFE_OPTIONS = {"allow": {"URLs": "none", "classes": "none", "cssIDs": "none", "styles": "none"}}
#: Macro substitutions per formula, and the size a formula may grow to while expanding
#: (MathJax's own defaults are 10,000 and 5 KB; the corpus's formulas need a few dozen).
MAX_MACROS = 1000
MAX_BUFFER = 5 * 1024
#: Shown in place of an undefined command, in red, instead of an error box (a package of tex-chtml.js).
DISPLAY_PACKAGES = ("noundefined",)


def mathjax_config(node_modules: Path | None) -> dict:
    """MathJax's page config: local paths, only the TeX packages the corpus needs, safe mode, no speech.

    Packages built into tex-chtml.js (`base`, `ams`, `noundefined`) have no
    extension file and need no loading; the others are loaded from the local
    copy.  MathJax merges a page's package list into its default one, so every
    other package it ships (`autoload`, `require`, `newcommand`, `html` …) is
    named for removal.
    """
    extensions = node_modules / "mathjax" / "input" / "tex" / "extensions" if node_modules else None
    shipped = sorted(path.stem for path in extensions.glob("*.js")) if extensions else []
    extra = [name for name in MATHJAX_TEX_PACKAGES if name in shipped and name != "ams"]
    keep = {*MATHJAX_TEX_PACKAGES, *DISPLAY_PACKAGES}
    return {
        "loader": {"paths": {"fonts": "[mathjax]/fonts"}, "load": ["ui/safe", *(f"[tex]/{name}" for name in extra)]},
        "tex": {
            "packages": {"[-]": [name for name in shipped if name not in keep], "[+]": extra},
            "maxMacros": MAX_MACROS,
            "maxBuffer": MAX_BUFFER,
        },
        "output": {"font": FONT},
        "options": {
            "enableSpeech": False,
            "enableBraille": False,
            "enableExplorer": False,
            "safeOptions": SAFE_OPTIONS,
            # a formula is read where it stands, never a tab stop of its own (a term page has dozens)
            "a11y": {"inTabOrder": False},
        },
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
