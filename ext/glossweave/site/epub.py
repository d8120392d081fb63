"""The ePub: math as MathML, and markup EPUBCheck accepts without a warning.

The math is converted at build time by latex2mathml.

E-readers do not run MathJax (Sphinx #1570), and raw TeX is not math to a
reader, so the ePub builder gets its own HTML math renderer (`epub_math_renderer
= "mathml"`) while the site keeps MathJax.  The formulas reaching here were
repaired and whitelisted by the core (`glossweave.core.texmath`); one latex2mathml
still cannot convert is a build warning, never silent TeX.

EPUB 3 also wants every page that holds MathML flagged `properties="mathml"`
in the package document, which Sphinx's template does not do: `Epub3Builder`
adds the flag after Sphinx writes content.opf and before it zips the book,
reading and writing the package document as the XML the EPUB standard defines
(not as the text Sphinx's template happens to produce).

Bibliography entries: docutils marks each with DPUB-ARIA's `doc-biblioentry`
role, which EPUBCheck reports as deprecated; `EpubTranslator` makes them plain
`listitem`s of their `list`.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from latex2mathml.converter import convert
from lxml import etree
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder as SphinxEpub3Builder
from sphinx.config import Config
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from glossweave.site.ebook import BookBuilderMixin

logger = logging.getLogger(__name__)
RENDERER = "mathml"
OPF = "{http://www.idpf.org/2007/opf}"


def to_mathml(latex: str, display: str, node: nodes.Element) -> str:
    try:
        return convert(latex, display=display)
    except Exception as error:  # latex2mathml raises many unrelated types for bad input
        logger.warning("glossary: cannot convert math to MathML (%s): %s", error, latex, location=node)
        return f'<code class="math">{nodes.Text(latex).astext()}</code>'


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(to_mathml(node.astext(), "inline", node))
    raise nodes.SkipNode


def visit_math_block(self: HTML5Translator, node: nodes.math_block) -> None:
    self.body.append(f'<div class="math">{to_mathml(node.astext(), "block", node)}</div>\n')
    raise nodes.SkipNode


class EpubTranslator(HTML5Translator):
    def visit_citation(self, node: nodes.citation) -> None:
        if not isinstance(node.previous_sibling(), nodes.citation):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


class Epub3Builder(BookBuilderMixin, SphinxEpub3Builder):
    """Sphinx's ePub 3 builder, plus the `mathml` property on pages that hold MathML (and see `BookBuilderMixin`)."""

    def build_content(self) -> None:
        super().build_content()
        flag_mathml_pages(self.outdir / "content.opf")


def flag_mathml_pages(opf: Path) -> None:
    """Add `mathml` to the `properties` of each XHTML manifest item of `opf` whose page holds MathML."""
    tree = etree.parse(str(opf))
    for item in tree.iterfind(f"{OPF}manifest/{OPF}item[@media-type='application/xhtml+xml']"):
        properties = item.get("properties", "").split()
        page = opf.parent / item.get("href", "")
        if "mathml" not in properties and page.is_file() and "<math" in page.read_text(encoding="utf-8"):
            item.set("properties", " ".join([*properties, "mathml"]))
    tree.write(str(opf), xml_declaration=True, encoding="UTF-8")


def _choose_renderers(app: Sphinx, config: Config) -> None:
    """Two HTML math renderers are registered, so Sphinx needs telling which the site uses."""
    if config.html_math_renderer is None:
        config.html_math_renderer = "mathjax"


def setup_epub(app: Sphinx) -> None:
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_math_block, None))
    app.add_config_value("epub_math_renderer", RENDERER, "env", types=frozenset({str}))
    app.add_builder(Epub3Builder, override=True)
    app.set_translator("epub", EpubTranslator)
    app.connect("config-inited", _choose_renderers)
