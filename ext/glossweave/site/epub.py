"""The ePub: math as MathML, and markup EPUBCheck accepts without a warning.

The math is converted at build time by latex2mathml, and what it writes is
then read as XML and kept only where it is presentation MathML: elements and
attributes outside `MATHML_ELEMENTS` and `MATHML_ATTRIBUTES` go (latex2mathml
turns ``\\href``, ``\\style`` and ``\\class`` into attributes, and copies
``\\text{…}`` unescaped), so no link, script, style or class reaches the
book even from a formula the core's whitelist did not see.  A formula it
cannot convert, or whose MathML is not well-formed, is shown as its TeX in
code, with an info line at its place (corpus text never fails the build; `make
check` names the formula).

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

from html import escape
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


#: Presentation MathML's elements (MathML Core and MathML 3), without `maction` and `semantics`' annotations.
MATHML_ELEMENTS = frozenset(
    """math mrow mi mn mo mtext mspace ms mglyph mfrac msqrt mroot mstyle merror mpadded mphantom mfenced
    menclose msub msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mlabeledtr
    mtd mstack mlongdiv msgroup msrow mscarries mscarry msline""".split()
)
#: Their presentation attributes; never `href`, `xlink:href`, `style`, `class`, `id`, `src` or an event handler.
MATHML_ATTRIBUTES = frozenset(
    """display displaystyle mathvariant mathsize mathcolor mathbackground dir scriptlevel fence separator
    stretchy symmetric maxsize minsize largeop movablelimits accent accentunder lspace rspace form linethickness
    numalign denomalign bevelled notation width height depth voffset align rowalign columnalign columnspacing
    rowspacing columnlines rowlines frame framespacing equalrows equalcolumns rowspan columnspan side minlabelspacing
    open close separators linebreak lquote rquote""".split()
)
MATHML_NS = "http://www.w3.org/1998/Math/MathML"


#: MathML's token elements: text inside them is text, so a foreign tag there only loses its tag.
TOKEN_ELEMENTS = frozenset({"mi", "mn", "mo", "mtext", "ms"})


def sanitize_mathml(markup: str) -> str:
    """`markup` with only presentation MathML left: a foreign element becomes its text, a foreign attribute goes.

    Raises `etree.XMLSyntaxError` when `markup` is not well-formed XML or not MathML.
    """
    root = etree.fromstring(markup.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    if root.tag != f"{{{MATHML_NS}}}math":
        raise etree.XMLSyntaxError("not a MathML document", None, 0, 0)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)
    for element in list(root.iter()):
        name = etree.QName(element)
        if name.namespace != MATHML_NS or name.localname not in MATHML_ELEMENTS:
            text = "".join(element.itertext())
            if any(etree.QName(up).localname in TOKEN_ELEMENTS for up in element.iterancestors()):
                element.tag = "glossweave-foreign"  # stripped below: its text joins the token
                continue
            tail = element.tail
            element.clear()
            element.tag, element.text, element.tail = f"{{{MATHML_NS}}}mtext", text, tail
        for attribute in list(element.attrib):
            if etree.QName(attribute).namespace is not None or attribute not in MATHML_ATTRIBUTES:
                del element.attrib[attribute]
    etree.strip_tags(root, "glossweave-foreign")
    etree.cleanup_namespaces(root)
    return etree.tostring(root, encoding="unicode")


def to_mathml(latex: str, display: str, node: nodes.Element) -> str:
    try:
        return sanitize_mathml(convert(latex, display=display))
    except Exception as error:  # latex2mathml raises many unrelated types for bad input; lxml its own
        logger.info("glossary: cannot convert math to MathML (%s); shown as its TeX: %s", type(error).__name__, latex[:80], location=node)
        return f'<code class="math">{escape(latex)}</code>'


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
