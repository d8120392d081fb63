"""What "inert" means for a rendered definition: the check both fuzzers share.

The site renders corpus Markdown to docutils nodes through a whitelist
(glossweave.site.safety).  `unsafe_nodes` lists every way such output could do
more than show text: a node type outside the whitelist (raw, include, pending
directives…), a link to anything but http(s) or a relative address, math that
hands TeX able to read, write or redefine to MathJax or LaTeX, or a link
sentinel left behind.  Its patterns are written here, independently of the
code under test, so a bug in the code's own lists cannot hide itself.
"""

from __future__ import annotations

import re

from docutils import nodes

#: The TeX that reads, writes or redefines; independent of the code's own list on purpose.
TEX_ATTACK = re.compile(r"\\(?:input|include|openin|read|write|immediate|catcode|def|csname|expandafter|usepackage)(?![A-Za-z])|\^\^")
SAFE_URI = re.compile(r"https?://[^/\s]\S*|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)\S*")
ALLOWED_NODES = {
    nodes.paragraph, nodes.Text, nodes.strong, nodes.emphasis, nodes.literal, nodes.literal_block,
    nodes.bullet_list, nodes.enumerated_list, nodes.list_item, nodes.block_quote, nodes.rubric, nodes.table,
    nodes.tgroup, nodes.colspec, nodes.thead, nodes.tbody, nodes.row, nodes.entry, nodes.math, nodes.math_block,
    nodes.reference, nodes.inline,
}


def unsafe_nodes(rendered: list[nodes.Node]) -> list[str]:
    """Every way a rendered definition could do more than show text."""
    problems = []
    for top in rendered:
        for node in top.findall():
            if type(node) not in ALLOWED_NODES:
                problems.append(f"node {type(node).__name__}")
            if isinstance(node, nodes.reference) and not SAFE_URI.fullmatch(node.get("refuri", "")):
                problems.append(f"link {node.get('refuri')!r}")
            if isinstance(node, (nodes.math, nodes.math_block)) and TEX_ATTACK.search(node.astext()):
                problems.append(f"math {node.astext()!r}")
            if isinstance(node, nodes.Text) and re.search("[\ue000-\ue002]", node.astext()):
                problems.append("link sentinel left in text")
    return problems


def term_ref_stub(slugs: list[str]):
    """Stands in for the site's term reference: checks the linker only links to real terms."""

    def make(target: str, children: list[nodes.Node]) -> nodes.Element:
        assert target in slugs, f"link to unknown term {target!r}"
        return nodes.inline("", "", *children)

    return make
