"""The one place where corpus text crosses into the site.

Corpus text is scraped web content, so it is untrusted (issue 6).  It never goes
through MyST: the emitter carries it inside JSON payloads of our own directives,
and the directives turn it into docutils nodes here, through a whitelist:

* `render_markdown` parses a sense's Markdown with a *plain* CommonMark parser
  (tables, strikethrough, `$…$` math; raw HTML off; the one configuration of
  `glossweave.core.markdown`, which the pipeline reads positions with) and builds nodes only for
  the token types it knows.  MyST syntax (```` ```{include} ```` fences,
  `{raw}` roles, `:::` directives, `{{ substitutions }}`, `(target)=`) is not
  part of that grammar, so it stays text; fence info strings only pick a
  highlighting language; links survive only as http(s) or relative URLs.
* `escape_inline` is for the few places where corpus text must sit in MyST
  source (page headings, card titles): every ASCII punctuation character is
  backslash-escaped, which CommonMark defines as a literal character.

Hardening later means changing this module only; its tests are in
tests/site/test_safety.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from docutils import nodes
from markdown_it.token import Token
from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

from glossweave.core.markdown import new_parser
from glossweave.core.model import LinkSpan
from glossweave.core.nesting import dropped_blocks, flattened_blocks, flattened_inline

# Private-use characters mark term links inside the text before parsing; corpus
# text may not contain them (they are replaced by U+FFFD first).
_LINK_START, _LINK_MID, _LINK_END = "\ue000", "\ue001", "\ue002"
_SENTINELS = re.compile(f"[{_LINK_START}{_LINK_MID}{_LINK_END}]")
_LINK_MARKS = re.compile(f"{_LINK_START}(\\d+){_LINK_MID}|{_LINK_END}")
_ASCII_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_LANGUAGE = re.compile(r"[A-Za-z0-9_+#.-]{1,40}")

MakeTermRef = Callable[[str, list[nodes.Node]], nodes.Element]


def escape_inline(text: str) -> str:
    """Return `text` as one line of MyST inline source that renders literally."""
    return _ASCII_PUNCT.sub(r"\\\1", " ".join(text.split()))


def safe_url(url: str) -> bool:
    """True for http(s) URLs and relative references (no scheme, no host)."""
    if any(ch.isspace() or ch == "\\" or ord(ch) < 32 for ch in url):
        return False
    parts = urlsplit(url)
    if parts.scheme:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return not parts.netloc and not url.startswith("//")


#: The pipeline reads positions with this same grammar (glossweave.core.markdown), so
#: what it checked as math, code or text is exactly what renders here.
_MD = new_parser()


def mark_links(markdown: str, links: Sequence[LinkSpan]) -> str:
    """Wrap each link span in sentinel characters that survive Markdown parsing."""
    text = _SENTINELS.sub("\ufffd", markdown)
    out: list[str] = []
    pos = 0
    for index, span in sorted(enumerate(links), key=lambda item: item[1].start):
        if span.start < pos or span.end > len(text) or span.start >= span.end:
            continue  # overlapping or out-of-range spans are not links
        out += [text[pos : span.start], f"{_LINK_START}{index}{_LINK_MID}", text[span.start : span.end], _LINK_END]
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def render_markdown(
    markdown: str, links: Sequence[LinkSpan], make_term_ref: MakeTermRef, docname: str = ""
) -> list[nodes.Node]:
    """Render a sense's Markdown into docutils nodes through a whitelist.

    `links[i]` becomes `make_term_ref(links[i].target, children)`; everything
    else the corpus says is rendered as the plain structure CommonMark gives it.
    """
    marked = mark_links(markdown, links)
    return _Builder(links, make_term_ref, docname, marked).blocks(_MD.parse(marked))


class _Builder:
    """Turns markdown-it tokens into docutils nodes; unknown tokens become text.

    Lists and quotes nested deeper than LaTeX can typeset, and inline wrappers
    nested absurdly deep, are flattened by `glossweave.core.nesting`'s rule (the one
    `make check` reports): their content joins the enclosing node, and a
    flattened list item keeps its marker as text.
    """

    _CONTAINERS = {
        "bullet_list_open": lambda tok: nodes.bullet_list(bullet="-"),
        "ordered_list_open": lambda tok: nodes.enumerated_list(
            enumtype="arabic", prefix="", suffix=".", **({"start": int(tok.attrGet("start"))} if tok.attrGet("start") not in (None, 1, "1") else {})
        ),
        "list_item_open": lambda tok: nodes.list_item(),
        "blockquote_open": lambda tok: nodes.block_quote(),
    }
    _INLINE_WRAPPERS = {
        "strong_open": lambda: nodes.strong(),
        "em_open": lambda: nodes.emphasis(),
        "s_open": lambda: nodes.inline(classes=["strikethrough"]),
    }

    def __init__(self, links: Sequence[LinkSpan], make_term_ref: MakeTermRef, docname: str, source: str) -> None:
        self.links = links
        self.make_term_ref = make_term_ref
        self.docname = docname
        self.source_lines = source.split("\n")
        self.marker = ""  # the marker of a flattened list item, until its first block shows it

    def blocks(self, tokens: list[Token]) -> list[nodes.Node]:
        root = nodes.container()
        stack: list[nodes.Element] = [root]
        flat = flattened_blocks(tokens)
        dropped = set(dropped_blocks(tokens, _MD.options["maxNesting"]))
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if i in dropped:
                self.add_block(stack, nodes.paragraph("", self.strip_marks(self.source_text(tok))))
            if i in flat:
                if tok.type == "list_item_open" and i not in dropped:
                    self.marker += f"{tok.info}{tok.markup} "
                elif tok.type == "list_item_close" and self.marker:
                    self.add_block(stack, nodes.paragraph())
            elif tok.type in self._CONTAINERS:
                node = self._CONTAINERS[tok.type](tok)
                self.add_block(stack, node)
                stack.append(node)
            elif tok.type.endswith("_close") and tok.type.replace("_close", "_open") in self._CONTAINERS:
                stack.pop()
            elif tok.type in ("paragraph_open", "heading_open"):
                node = nodes.paragraph() if tok.type == "paragraph_open" else nodes.rubric()
                node += self.inline(tokens[i + 1])
                self.add_block(stack, node)
                i += 2  # skip the inline and the closing token
            elif tok.type == "table_open":
                end = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
                self.add_block(stack, self.table(tokens[i:end]))
                i = end
            elif tok.type in ("fence", "code_block"):
                self.add_block(stack, self.code(tok))
            elif tok.type == "math_block":
                math = self.strip_marks(tok.content)
                self.add_block(stack, nodes.math_block(math, math, nowrap=False, number=None, label=None, docname=self.docname))
            elif tok.type == "hr":
                pass  # a rule inside a definition carries no content
            elif tok.content:
                self.add_block(stack, nodes.paragraph("", self.strip_marks(tok.content)))
            i += 1
        return list(root.children)

    def add_block(self, stack: list[nodes.Element], node: nodes.Element) -> None:
        """Append a block to the innermost open node; the first after a flattened list item shows its marker."""
        if self.marker:
            if isinstance(node, nodes.paragraph):
                node.insert(0, nodes.Text(self.marker))
            else:
                stack[-1] += nodes.paragraph("", self.marker.rstrip())
            self.marker = ""
        stack[-1] += node

    def source_text(self, tok: Token) -> str:
        """The source lines of a token, as written (for content the parser did not read)."""
        start, end = tok.map or (0, 0)
        return "\n".join(line.strip() for line in self.source_lines[start:end])

    def code(self, tok: Token) -> nodes.literal_block:
        """A code block; an info string that is not a known language is shown, not obeyed."""
        content = self.strip_marks(tok.content)
        info = tok.info.strip()
        language = "text"
        if _LANGUAGE.fullmatch(info):
            try:
                find_lexer_class_by_name(info)
                language = info
            except ClassNotFound:
                pass
        if info and language != info:
            content = f"{tok.markup}{info}\n{content}{tok.markup}"
        node = nodes.literal_block(content, content, language=language)
        node["force"] = True  # corpus code need not lex cleanly; never warn about it
        return node

    def table(self, tokens: list[Token]) -> nodes.table:
        rows: list[tuple[bool, list[Token]]] = []
        for j, tok in enumerate(tokens):
            if tok.type == "tr_open":
                rows.append((tokens[j - 1].type == "thead_open", []))
            elif tok.type == "inline":
                rows[-1][1].append(tok)
        cols = max(len(cells) for _, cells in rows)
        table = nodes.table(classes=["glossary-table"])
        group = nodes.tgroup(cols=cols)
        table += group
        group += [nodes.colspec(colwidth=1) for _ in range(cols)]
        head, body = nodes.thead(), nodes.tbody()
        for is_head, cells in rows:
            row = nodes.row()
            for cell in cells + [None] * (cols - len(cells)):
                entry = nodes.entry()
                if cell is not None and cell.content.strip():
                    entry += nodes.paragraph("", "", *self.inline(cell))
                row += entry
            (head if is_head else body).append(row)
        if len(head):
            group += head
        group += body
        return table

    def inline(self, tok: Token) -> list[nodes.Node]:
        root = nodes.inline()
        stack: list[nodes.Element] = [root]
        children = tok.children or []
        flat = flattened_inline(children)
        for index, child in enumerate(children):
            kind = child.type
            if index in flat:
                continue  # a wrapper nested too deep: its text joins the enclosing one
            if kind == "text":
                self.text(child.content, stack)
            elif kind in ("softbreak", "hardbreak"):
                stack[-1] += nodes.Text("\n")
            elif kind == "code_inline":
                stack[-1] += nodes.literal(child.content, self.strip_marks(child.content))
            elif kind == "math_inline" or kind == "math_inline_double":
                math = self.strip_marks(child.content)
                stack[-1] += nodes.math(math, math)
            elif kind in self._INLINE_WRAPPERS or kind == "link_open":
                node = self.link(child) if kind == "link_open" else self._INLINE_WRAPPERS[kind]()
                stack[-1] += node
                stack.append(node)
            elif kind.endswith("_close"):
                self.close(stack, lambda n: not n.get("glossary_term_link"))
            else:
                self.text(child.content, stack)
        self.close(stack, lambda n: True)
        return list(root.children)

    @staticmethod
    def link(tok: Token) -> nodes.Element:
        href = str(tok.attrGet("href") or "")
        if safe_url(href):
            return nodes.reference("", "", refuri=href)
        return nodes.inline(classes=["glossary-unsafe-link"])

    def text(self, content: str, stack: list[nodes.Element]) -> None:
        pos = 0
        for mark in _LINK_MARKS.finditer(content):
            if mark.start() > pos:
                stack[-1] += nodes.Text(content[pos : mark.start()])
            pos = mark.end()
            if mark.group(1) is not None:
                holder = nodes.inline(glossary_term_link=int(mark.group(1)))
                stack[-1] += holder
                stack.append(holder)
            else:
                self.close(stack, lambda n: bool(n.get("glossary_term_link") is not None))
        if pos < len(content):
            stack[-1] += nodes.Text(content[pos:])

    def close(self, stack: list[nodes.Element], wanted: Callable[[nodes.Element], bool]) -> None:
        """Pop the innermost open node that `wanted` accepts, closing what is inside it."""
        for depth in range(len(stack) - 1, 0, -1):
            if wanted(stack[depth]):
                for node in reversed(stack[depth:]):
                    self.finish(node)
                del stack[depth:]
                return

    def finish(self, node: nodes.Element) -> None:
        """Replace a finished link holder by the caller's term reference."""
        index = node.get("glossary_term_link")
        if index is None or node.parent is None:
            return
        children = list(node.children)
        for child in children:
            node.remove(child)
        node.replace_self(self.make_term_ref(self.links[index].target, children))

    @staticmethod
    def strip_marks(text: str) -> str:
        return _SENTINELS.sub("", text)
