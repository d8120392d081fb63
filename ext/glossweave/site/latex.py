"""The PDF: term cross-references with page numbers, and a font for what the text fonts lack.

* Sphinx's LaTeX writer gives every cross-reference its target's page when
  `latex_show_pagerefs` is on, except glossary terms.  A glossary in print is
  read by following terms, so `TermPageRefs` adds the page after each term
  reference, in the form the writer uses for the others: `(page 12)`.  The
  page is that of the label the writer itself gave the reference, read back
  from its output (`glossweave.site.compat.last_reference_label`).
* xelatex typesets with FreeSerif, which has Greek, arrows and maths symbols
  but no emoji (🔬 📊 🚀) and no subscript letters (ₙ); those would be
  dropped with only a "Missing character" line in the log.  `FallbackFont`
  sets such characters in Symbola.  (XeTeX's inter-character hooks, through
  ucharclasses, were tried first: they left groups open across `\\end{itemize}`.)
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.latex import LaTeXTranslator

from glossweave.site.compat import last_reference_label

#: Characters the text fonts lack: subscript letters, pictographs and emoji.
FALLBACK_CHARS = re.compile("[\u2090-\u209c\U0001f300-\U0001faff]+")
FALLBACK_PREAMBLE = r"\newfontfamily\glossaryfallback{Symbola}"


class term_page_ref(nodes.Inline, nodes.Element):
    """`(page N)` for the term reference just before it (LaTeX only)."""


def visit_term_page_ref(translator: LaTeXTranslator, node: term_page_ref) -> None:
    label = last_reference_label(translator.body)
    if label is not None:
        translator.body.append(rf" (\autopageref*{{{label}}})")
    raise nodes.SkipNode


class TermPageRefs(SphinxPostTransform):
    """`(page N)` after every resolved term reference (after ReferencesResolver, priority 10)."""

    default_priority = 20
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        if not self.config.latex_show_pagerefs:
            return
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            is_term = any("std-term" in child.get("classes", []) for child in ref.children if isinstance(child, nodes.Element))
            if is_term and uri.startswith("%"):
                ref.parent.insert(ref.parent.index(ref) + 1, term_page_ref())


class FallbackFont(SphinxPostTransform):
    """Set the characters of `FALLBACK_CHARS` in Symbola (code blocks keep their font)."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if isinstance(text.parent, (nodes.literal_block, nodes.raw, nodes.math, nodes.math_block)):
                continue
            source = str(text)
            if not FALLBACK_CHARS.search(source):
                continue
            parts: list[nodes.Node] = []
            pos = 0
            for found in FALLBACK_CHARS.finditer(source):
                if found.start() > pos:
                    parts.append(nodes.Text(source[pos : found.start()]))
                parts.append(nodes.raw("", rf"{{\glossaryfallback {found.group()}}}", format="latex"))
                pos = found.end()
            if pos < len(source):
                parts.append(nodes.Text(source[pos:]))
            text.parent.replace(text, parts)


def _add_preamble(app: Sphinx, config: Config) -> None:
    preamble = config.latex_elements.get("preamble", "")
    if FALLBACK_PREAMBLE not in preamble:
        config.latex_elements = {**config.latex_elements, "preamble": preamble + "\n" + FALLBACK_PREAMBLE}


def setup_latex(app: Sphinx) -> None:
    app.add_node(term_page_ref, latex=(visit_term_page_ref, None))
    app.add_post_transform(TermPageRefs)
    app.add_post_transform(FallbackFont)
    app.connect("config-inited", _add_preamble)
