"""Accessibility of the HTML site where the theme's CSS and our templates cannot reach.

* **Works cited** are a list whose entries are list items.  docutils marks
  each citation `role="doc-biblioentry"`, a role DPUB-ARIA 1.1 deprecated and
  ARIA does not allow on a `div`, so assistive technology (and axe-core) sees
  a `role="list"` whose children are no items.  Our visitor writes the same
  markup with `role="listitem"`; the theme's styling of `.citation-list` and
  `.citation` is unchanged.
* **Toctree captions** ("A–Z", "Categories", "Works cited", in the sidebar
  and on the home page) are written by Sphinx as `<p role="heading">` without
  the `aria-level` ARIA requires of a heading; ours carry level 2, under the
  page's h1.  Every other title is left to the translator.
* **`glossary-a11y.js`** makes the theme's drawers (Furo's mobile navigation
  and its table of contents, opened by a `<label>` for a hidden checkbox)
  operable and announced from the keyboard, and puts regions that scroll
  sideways (wide tables, code, display math) in the tab order.  The rest is
  CSS (`glossary.css`): focus rings, closed drawers out of the tab order,
  contrast, target sizes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=["citation"], role="listitem"))


def depart_citation(self: HTML5Translator, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


def is_toctree_caption(node: nodes.title) -> bool:
    return isinstance(node.parent, addnodes.compact_paragraph) and bool(node.parent.get("toctree"))


def visit_title(self: HTML5Translator, node: nodes.title) -> None:
    if not is_toctree_caption(node):
        type(self).visit_title(self, node)
        return
    self.body.append(self.starttag(node, "p", "", CLASS="caption", ROLE="heading", **{"aria-level": "2"}))
    self.body.append('<span class="caption-text">')
    self.context.append("</span></p>\n")  # closed by the translator's own depart_title


def depart_title(self: HTML5Translator, node: nodes.title) -> None:
    type(self).depart_title(self, node)


def setup_a11y(app: Sphinx) -> None:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
    app.add_js_file("glossary-a11y.js", loading_method="defer")
