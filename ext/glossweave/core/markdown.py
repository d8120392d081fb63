"""The one Markdown model: the parser the site renders with, and where each thing is in the source.

The site renders a sense's Markdown with markdown-it (`glossweave.site.safety`).
The pipeline has to know what that rendering treats as code, math, a link or
text: to put every formula through the whitelist, to keep links out of code
and math, to write plain text and summaries.  A hand-written scanner would
disagree with the renderer somewhere, and on untrusted text a disagreement is
a hole (a backtick inside an autolink once made the pipeline skip a formula
that markdown-it then rendered).  So both sides build their parser here, with
`new_parser`, and the pipeline reads positions from `Document`.

markdown-it gives block tokens their source lines (`map`) but inline tokens no
positions.  A `Document` adds them without changing what is parsed: each
inline rule of its parser is wrapped to note where the tokens it pushes start
and end in the inline content; text is whatever lies between; and each inline
token's content is mapped back to the document through its lines, or through
its cells in a table.  tests/test_markdown_model.py proves the positions
against markdown-it's own tokens.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common import utils as markdown_it_utils
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

#: What markdown-it trims around a paragraph or heading: its own set since 4.0
#: (Markdown whitespace), Python's `str.strip()` default before (None).
MD_TRIM_CHARS: str | None = getattr(markdown_it_utils, "MD_TRIM_CHARS", None)

__all__ = [
    "Document",
    "Fence",
    "Inline",
    "Piece",
    "as_read",
    "blocks_stand_alone",
    "holds_only_prose",
    "new_parser",
    "parsed",
]

#: Token.meta key: (start, end) of a token in its inline content.
_SPAN = "glossweave.span"
#: Token.meta key of a table_open token: {line: where markdown-it read that row from}.
_ROW_STARTS = "glossweave.row_starts"

# Piece kinds.  TEXT is literal source text (what lies between the others).
TEXT = "text"
ESCAPE = "escape"  # \* : a backslash escape, renders the character
ENTITY = "entity"  # &amp; &#36;
BREAK = "break"  # soft or hard line break (with the spaces around it)
CODE = "code"  # `code`
MATH = "math"  # $tex$
DISPLAY_MATH = "display_math"  # $$tex$$ inside a paragraph
LINK_OPEN = "link_open"  # the "[" of [text](url)
LINK_CLOSE = "link_close"  # the "](url)" of [text](url), or "]" / "][ref]"
AUTOLINK = "autolink"  # <https://…>
IMAGE = "image"  # ![alt](src), alt and all
EMPHASIS = "emphasis"  # a delimiter run that opens or closes em, strong or strikethrough
OTHER = "other"  # a token of a rule this module does not know: kept whole

#: Pieces inside which nothing is prose: no link, no `$` is read, no markup is seen.
OPAQUE = frozenset({CODE, MATH, DISPLAY_MATH, LINK_CLOSE, AUTOLINK, IMAGE, OTHER})

_KIND_OF_TYPE = {
    "code_inline": CODE,
    "math_inline": MATH,
    "math_inline_double": DISPLAY_MATH,
    "softbreak": BREAK,
    "hardbreak": BREAK,
    "image": IMAGE,
    "link_open": LINK_OPEN,
    "link_close": LINK_CLOSE,
}
_DELIMITER_RULES = frozenset({"emphasis", "strikethrough"})


def new_parser(*, inline_math: bool = True, positions: bool = False) -> MarkdownIt:
    """THE Markdown configuration: plain CommonMark, tables, strikethrough, ``$`` math; no raw HTML.

    The site renders with ``new_parser()``.  `positions` makes a parser for
    `Document`: the same grammar, whose tokens also note where they came from,
    and which leaves each paragraph's inline content to be parsed when a
    caller asks for it (most callers need few of them).  ``inline_math=False`` is the same grammar with inline ``$`` math switched
    off: what is code, link or text before any ``$`` is read as math, which is
    where `glossweave.core.texmath` decides which dollars are math and which
    are money.
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_labels=False, allow_space=True, allow_digits=True, double_inline=True)
    if not inline_math:
        md.inline.ruler.disable("math_inline")
    if positions:
        for name, rule in _inline_rules(md):
            if name != "text":  # the text rule only adds to the pending text, which pushes no token
                md.inline.ruler.at(name, _positioned(name, rule))
        md.block.ruler.at("table", _table_rows_noted(_block_rule(md, "table")))
        md.core.ruler.disable("inline")  # see Inline.pieces
    return md


def _inline_rules(md: MarkdownIt) -> list[tuple[str, Callable[[StateInline, bool], bool]]]:
    """(name, function) of every inline rule.

    markdown-it-py has no public getter for a rule's function by name (only
    `Ruler.at` to replace one), so this and `_block_rule` read
    `Ruler.__rules__`, its private list.
    """
    return [(rule.name, rule.fn) for rule in md.inline.ruler.__rules__]


def _block_rule(md: MarkdownIt, name: str) -> Callable[[StateBlock, int, int, bool], bool]:
    """The function of one block rule (see `_inline_rules`)."""
    return next(rule.fn for rule in md.block.ruler.__rules__ if rule.name == name)


def _table_rows_noted(rule: Callable[[StateBlock, int, int, bool], bool]) -> Callable[[StateBlock, int, int, bool], bool]:
    """The table rule, noting on table_open where each row's text starts (after any container's prefix)."""

    def run(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        count = len(state.tokens)
        if not rule(state, start_line, end_line, silent):
            return False
        if not silent:
            state.tokens[count].meta[_ROW_STARTS] = {
                line: state.bMarks[line] + state.tShift[line] for line in range(start_line, state.line)
            }
        return True

    return run


#: The characters at which each rule can match (each tests this first): elsewhere it is not run at all.
_RULE_STARTS = {
    "newline": "\n",
    "escape": "\\",
    "backticks": "`",
    "strikethrough": "~",
    "emphasis": "*_",
    "link": "[",
    "image": "!",
    "autolink": "<",
    "html_inline": "<",
    "entity": "&",
    "math_inline": "$",
}


def _positioned(name: str, rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """`rule`, noting on each token it pushes the (start, end) it covers in the inline content."""
    starts = _RULE_STARTS.get(name)

    def run(state: StateInline, silent: bool) -> bool:
        if starts is not None and state.src[state.pos] not in starts:
            return False
        if silent:
            return rule(state, silent)
        start, count = state.pos, len(state.tokens)
        had_pending = bool(state.pending)
        if not rule(state, silent):
            return False
        new = state.tokens[count:]
        # The first push flushes the text gathered so far into a text token of
        # its own; no rule pushes a text token first otherwise, except the
        # delimiter rules, before which pending text is always flushed.
        if had_pending and new and new[0].type == "text":
            new = new[1:]
        if not new:
            return True
        end = state.pos
        if name in _DELIMITER_RULES:  # one text token per marker (`*`) or pair (`~~`)
            at = start
            for token in new:
                token.meta[_SPAN] = (at, at + len(token.content))
                at += len(token.content)
        elif name == "link":  # link_open … inner tokens (positioned by their own rules) … link_close
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
            new[0].meta[_SPAN] = (start, start + 1)
            new[-1].meta[_SPAN] = (label_end, end)
        else:
            for token in new:
                token.meta[_SPAN] = (start, end)
        return True

    return run


def _pieces(children: list[Token], length: int) -> list[tuple[str, int, int, Token | None, str]]:
    pieces: list[tuple[str, int, int, Token | None, str]] = []
    cursor = 0

    def add(kind: str, start: int, end: int, token: Token) -> None:
        nonlocal cursor
        if start > cursor:
            pieces.append((TEXT, cursor, start, None, ""))
        # An escape's or entity's character, kept now: text_join folds those tokens into their neighbours.
        pieces.append((kind, start, end, token, token.content if kind in (ESCAPE, ENTITY) else ""))
        cursor = max(cursor, end)

    for child in children:
        if child.type == "text" or _SPAN not in child.meta or (child.type == "link_close" and child.info == "auto"):
            continue  # text is what lies between the positioned tokens; an autolink is one piece
        start, end = child.meta[_SPAN]
        kind = _KIND_OF_TYPE.get(child.type, OTHER)
        if child.type == "text_special":
            kind = ENTITY if child.info == "entity" else ESCAPE
        elif child.type in ("em_open", "strong_open", "s_open"):
            kind, start = EMPHASIS, end - len(child.markup)
        elif child.type in ("em_close", "strong_close", "s_close"):
            kind, end = EMPHASIS, start + len(child.markup)
        elif child.type == "link_open" and child.info == "auto":
            kind = AUTOLINK
        add(kind, start, end, child)
    if length > cursor:
        pieces.append((TEXT, cursor, length, None, ""))
    return pieces


#: Text in which no inline rule can act but emphasis (and only ``**`` runs between other text).
_BOLD_AND_TEXT = re.compile(r"[^\\`~_\[\]<>&$\n*]*(?:\*\*[^\\`~_\[\]<>&$\n*]+)*(?:\*\*)?")


def _bold_and_text(content: str) -> tuple[list[tuple[str, int, int, Token | None, str]], list[Token]] | None:
    """The pieces markdown-it makes of text whose only markup is ``**bold**``, or None for any other text.

    Most of the corpus's prose is such text (``**Term**: …``), and markdown-it's
    inline parser is the pipeline's largest cost.  Each ``**`` must be able to
    open but not close, or close but not open, by CommonMark's flanking rules,
    and openers and closers must alternate: then markdown-it pairs each opener
    with the next closer, and nothing else.  tests/test_markdown_model.py
    checks the result against markdown-it's own tokens.
    """
    if "**" not in content or _BOLD_AND_TEXT.fullmatch(content) is None:
        return None
    pieces: list[tuple[str, int, int, Token | None, str]] = []
    children: list[Token] = []

    def text_up_to(end: int) -> None:
        # markdown-it leaves a text token beside every pair of ``**``, empty at either end.
        children.append(Token("text", "", 0, content=content[position:end]))
        if end > position:
            pieces.append((TEXT, position, end, None, ""))

    position, opening = 0, True
    start = content.find("**")
    while start != -1:
        end = start + 2
        if flanking(content, start, end, "*") != (opening, not opening):
            return None
        text_up_to(start)
        token = Token("strong_open" if opening else "strong_close", "strong", 1 if opening else -1, markup="**")
        pieces.append((EMPHASIS, start, end, token, ""))
        children.append(token)
        position, opening = end, not opening
        start = content.find("**", end)
    if not opening:
        return None  # an opener without a closer stays text: left to markdown-it's own parser
    text_up_to(len(content))
    return pieces, children


def flanking(text: str, start: int, end: int, marker: str) -> tuple[bool, bool]:
    """Can the delimiter run text[start:end] open, and close, an emphasis (CommonMark's rules, as markdown-it applies them)?"""
    last = text[start - 1] if start > 0 else " "
    following = text[end] if end < len(text) else " "
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    if marker == "*":
        return left, right
    return left and (not right or last_punct), right and (not left or next_punct)


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of an inline token: `kind`, and where it is in `Document.text`.

    `token` is markdown-it's token for it (None for TEXT).  ``rel_start`` and
    ``rel_end`` are the same piece in the inline token's content, which is
    what markdown-it parsed (a table cell's ``\\|`` is ``|`` there).
    `character` is what an ESCAPE or ENTITY renders as.
    """

    kind: str
    start: int
    end: int
    rel_start: int
    rel_end: int
    token: Token | None
    character: str = ""


class Inline:
    """An inline token (a paragraph, heading or table cell's text) and its pieces.

    `block` is the block token that opens it (``paragraph_open``,
    ``heading_open``, ``th_open``/``td_open``).  Its content is parsed the
    first time `pieces` is read; `Document` parses only the block structure.
    """

    __slots__ = ("token", "block", "content", "_document", "_cell", "_pieces", "_content_starts", "_doc_starts")

    def __init__(self, document: Document, token: Token, block: Token, cell: tuple[int, int] | None):
        self.token = token
        self.block = block
        self.content: str = token.content
        self._document = document
        self._cell = cell  # (row line, cell index) in a table
        self._pieces: list[Piece] | None = None
        self._content_starts: list[int] = []
        self._doc_starts: list[int] = []

    @property
    def pieces(self) -> list[Piece]:
        """The pieces of the content, in order: they tile it, text filling what no token covers."""
        if self._pieces is None:
            fast = _bold_and_text(self.content)
            if fast is None:
                parser, env = self._document.parser, self._document.env
                children: list[Token] = []
                parser.inline.parse(self.content, parser, env, children)
                # As markdown-it's core chain leaves them before its text_join rule,
                # which only merges text tokens: the pieces say where the text is.
                self.token.children = children
                recorded = _pieces(children, len(self.content))
            else:
                recorded, self.token.children = fast
            self.to_doc(0)  # finds the segments
            if len(self._content_starts) == 1:  # one line: a fixed offset
                shift = self._doc_starts[0]
                self._pieces = [
                    Piece(kind, start + shift, end + shift, start, end, token, character)
                    for kind, start, end, token, character in recorded
                ]
            else:
                self._pieces = [
                    Piece(kind, self.to_doc(start), self.to_doc_end(end), start, end, token, character)
                    for kind, start, end, token, character in recorded
                ]
        return self._pieces

    def to_doc(self, position: int) -> int:
        """The document position of content[position]."""
        if not self._content_starts:
            # Segments (content start, document start): the content maps to the
            # document piecewise, breaking at lines and at removed table escapes.
            segments = self._document._segments(self.token, self._cell)
            self._content_starts = [content for content, _ in segments]
            self._doc_starts = [doc for _, doc in segments]
        index = bisect.bisect_right(self._content_starts, position) - 1
        return self._doc_starts[index] + position - self._content_starts[index]

    def to_doc_end(self, position: int) -> int:
        """The document position just after content[position - 1] (an end of a range)."""
        return self.to_doc(position - 1) + 1 if position > 0 else self.to_doc(0)

    def plain(self, math: Callable[[str], str], line_break: str = " ") -> str:
        """The text as a reader sees it, without markup: `math` writes out a formula's TeX.

        Emphasis marks go, a link keeps its text, code keeps its text, an
        escape or entity is its character, an image is its alt text.
        """
        out: list[str] = []
        content = self.content
        for piece in self.pieces:
            kind, token = piece.kind, piece.token
            if kind in (TEXT, OTHER):
                out.append(content[piece.rel_start : piece.rel_end])
            elif kind in (ESCAPE, ENTITY):
                out.append(piece.character)
            elif kind == BREAK:
                out.append(line_break)
            elif kind == CODE and token is not None:
                out.append(token.content)
            elif kind in (MATH, DISPLAY_MATH) and token is not None:
                out.append(math(token.content))
            elif kind == AUTOLINK:
                out.append(content[piece.rel_start + 1 : piece.rel_end - 1])
            elif kind == IMAGE and token is not None:
                out.append("".join(child.content for child in token.children or [] if child.type == "text"))
        return "".join(out)

    @property
    def start(self) -> int:
        return self.to_doc(0)


_NEWLINES = re.compile(r"\r\n?")

#: What can start code, math, a link, an autolink or an image, anywhere.
_INLINE_CONSTRUCTS = frozenset("`$[<")
#: What can start, at the start of a line after any container's markers, a heading, an
#: indented code block or a setext underline.
_LINE_CONSTRUCT = re.compile(r"[ \t>*+\-0-9.)]*#|[ >*+\-0-9.)]*(?: {4}|\t)|[ \t>*+\-=_0-9.)]+$")
#: What, at the start of a line, may run from one block into the next (blank lines
#: between): a fence, a ``$$`` block not closed on its own line, indented code, or a
#: link reference definition, which any block may use.
_SPANS_BLOCKS = re.compile(
    r"[ \t>*+\-0-9.)]*(?:```|~~~|\[|\$\$(?:\$?[ \t]*$|(?!.*\$\$)))|[ >*+\-0-9.)]*(?: {4}|\t)"
)


def _any_line_starts(pattern: re.Pattern[str], text: str) -> bool:
    """Does `pattern` match at the start of any line of `text`?  (Tried at line starts only.)"""
    return any(pattern.match(line) for line in text.split("\n"))


def blocks_stand_alone(text: str) -> bool:
    """True when each blank-line-separated block of `text` parses alone as it does in the whole.

    Then a caller may parse only the blocks it needs.  Conservative;
    tests/test_linker.py checks it through the regions the linker finds.
    """
    return not _any_line_starts(_SPANS_BLOCKS, text)


def holds_only_prose(text: str) -> bool:
    """True when markdown-it can find nothing in `text` but paragraphs, lists, tables, quotes and inline text.

    No code, math, link, autolink, image, heading or code block: a caller that
    only needs those can skip parsing.  Conservative (a ``#`` after a list
    number is enough to say no); tests/test_markdown_model.py proves it never
    says yes wrongly.
    """
    return _INLINE_CONSTRUCTS.isdisjoint(text) and "~~~" not in text and not _any_line_starts(_LINE_CONSTRUCT, text)


def as_read(text: str) -> str:
    """`text` as markdown-it reads it: ``\\r\\n`` and ``\\r`` are ``\\n``, NUL is U+FFFD."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text.replace("\0", "\ufffd") if "\0" in text else text


class Document:
    """Markdown parsed by the site's grammar, with every token placed in the source.

    `text` is the source as markdown-it reads it (``\\r\\n`` and ``\\r`` as
    ``\\n``, NUL as U+FFFD); every position refers to it.
    """

    def __init__(self, text: str, parser: MarkdownIt | None = None):
        self.text = as_read(text)
        self.parser = parser or POSITIONED
        self.env: dict = {}  # link reference definitions, found by the block parse
        self.tokens: list[Token] = _paragraph(self.text) or _simple_list(self.text) or self.parser.parse(self.text, self.env)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.inlines: list[Inline] = []
        self._row_starts: dict[int, int] = {}  # line → where markdown-it read that table row from
        self._rows: dict[int, list[list[tuple[int, int]]]] = {}
        opener: Token | None = None
        cell = 0
        for token in self.tokens:
            if token.type == "inline":
                assert opener is not None and token.map is not None
                in_table = opener.type in ("th_open", "td_open")
                self.inlines.append(Inline(self, token, opener, (token.map[0], cell) if in_table else None))
                cell += 1
            elif token.nesting == 1:
                opener = token
                if token.type == "table_open":
                    self._row_starts.update(token.meta[_ROW_STARTS])
                elif token.type == "tr_open":
                    cell = 0

    # -- lines ----------------------------------------------------------------

    def line_of(self, position: int) -> int:
        """0-based line number of a position."""
        return bisect.bisect_right(self.line_starts, position) - 1

    def line_text(self, line: int) -> str:
        return self.text[self.line_starts[line] : self._line_end(line)]

    def _line_end(self, line: int) -> int:
        return self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)

    def lines_span(self, token: Token) -> tuple[int, int]:
        """(start, end) of the source lines of a block token (its `map`)."""
        assert token.map is not None
        first, after = token.map
        return self.line_starts[first], self._line_end(max(first, after - 1))

    # -- mapping inline content back to the source ------------------------------

    def _segments(self, token: Token, cell: tuple[int, int] | None) -> list[tuple[int, int]]:
        """(content start, document start) of each run of an inline token's content.

        A paragraph or heading line is its source line without the container's
        prefix (and, first and last, without surrounding blanks): the last
        occurrence of it in the source line is where it is.  A table cell is
        where `row_cells` finds it.
        """
        assert token.map is not None
        if cell is not None:
            row, index = cell
            if row not in self._rows:
                start = self._row_starts[row]
                self._rows[row] = [
                    [(content, start + at) for content, at in found] for found in row_cells(self.text[start : self._line_end(row)])
                ]
            cells = self._rows[row]
            return cells[index] if index < len(cells) else [(0, self._line_end(row))]  # a missing cell: empty, at the row's end
        segments: list[tuple[int, int]] = []
        offset = 0
        for index, content_line in enumerate(token.content.split("\n")):
            line = min(token.map[0] + index, len(self.line_starts) - 1)
            source = self.line_text(line)
            found = source.rfind(content_line)
            if found >= 0:
                segments.append((offset, self.line_starts[line] + found))
            else:  # leading spaces that stand for the part of a tab left after the container's indent
                stripped = content_line.lstrip(" ")
                found, written = source.rfind(stripped), len(content_line) - len(stripped)
                segments += [(offset + space, self.line_starts[line] + max(0, found - 1)) for space in range(written)]
                segments.append((offset + written, self.line_starts[line] + found))
            offset += len(content_line) + 1
        return segments

    # -- what the rendering holds --------------------------------------------------

    def pieces(self) -> Iterator[tuple[Inline, Piece]]:
        """Every piece of every inline token, in document order."""
        for inline in self.inlines:
            for piece in inline.pieces:
                yield inline, piece

    def math_blocks(self) -> Iterator[tuple[int, int, Token]]:
        """(start, end, token) of each ``$$…$$`` block, from its opening to its closing dollars."""
        for token in self.tokens:
            if token.type in ("math_block", "math_block_label"):
                first, after = token.map  # type: ignore[misc]
                start = self.line_starts[first] + self.line_text(first).find("$$")
                last = after - 1
                end = self.line_starts[last] + self.line_text(last).rstrip().rfind("$$") + 2
                yield start, end, token


#: A line that no block rule but the paragraph's can take: no heading, quote, list, rule,
#: fence, ``$$`` block, link reference, indentation; what follows is inline text.
_PLAIN_LINE = re.compile(r"(?![#>\[+\-_]|\d{1,9}[.)]|\$\$|```|~~~|\*(?:[ \t]|$)|\*\*(?:[ \t*]|$))\S[^\n]*")


def _paragraph(text: str) -> list[Token] | None:
    """The tokens markdown-it makes of one plain line (a paragraph), or None for anything else.

    Most blocks of the corpus are one such line, and the block parser's
    machinery costs more than the line; tests/test_markdown_model.py checks
    this against markdown-it's own tokens.
    """
    if _PLAIN_LINE.fullmatch(text) is None:
        return None
    opening = Token("paragraph_open", "p", 1, map=[0, 1], block=True)
    inline = Token("inline", "", 0, map=[0, 1], level=1, content=text.strip(MD_TRIM_CHARS), block=True, children=None)
    closing = Token("paragraph_close", "p", -1, block=True)
    return [opening, inline, closing]


#: A list item our blocks write: a ``-`` or a number and a dot, one blank, then text.
_SIMPLE_ITEM = re.compile(r"(-|(\d{1,9})\.) (?=\S)")


def _simple_list(text: str) -> list[Token] | None:
    """The tokens markdown-it makes of a tight list of one-line items of plain text, or None.

    Every line must be an item of the same kind (``- x`` or ``3. x``) whose text
    is a plain line (`_PLAIN_LINE`): no nesting, no continuation.  The restored
    blocks' lists mostly are; tests/test_markdown_model.py checks the tokens
    against markdown-it's.
    """
    lines = text.split("\n")
    first = _SIMPLE_ITEM.match(lines[0])
    if first is None:
        return None
    ordered = first.group(2) is not None
    kind, tag, markup = ("ordered_list", "ol", ".") if ordered else ("bullet_list", "ul", "-")
    opening = Token(f"{kind}_open", tag, 1, map=[0, len(lines)], markup=markup, block=True)
    if ordered and int(first.group(2)) != 1:
        opening.attrs = {"start": int(first.group(2))}
    tokens = [opening]
    for index, line in enumerate(lines):
        item = _SIMPLE_ITEM.match(line)
        if item is None or (item.group(2) is not None) != ordered or _PLAIN_LINE.fullmatch(line, item.end()) is None:
            return None
        where = [index, index + 1]
        tokens += [
            Token("list_item_open", "li", 1, map=where, level=1, markup=markup, info=item.group(2) or "", block=True),
            Token("paragraph_open", "p", 1, map=where, level=2, block=True, hidden=True),
            Token("inline", "", 0, map=where, level=3, content=line[item.end() :].strip(MD_TRIM_CHARS), block=True),
            Token("paragraph_close", "p", -1, level=2, block=True, hidden=True),
            Token("list_item_close", "li", -1, level=1, markup=markup, block=True),
        ]
    tokens.append(Token(f"{kind}_close", tag, -1, markup=markup, block=True))
    return tokens


@functools.lru_cache(maxsize=64)
def parsed(text: str) -> Document:
    """`Document(text)`, remembered for the texts in hand: normalizing reads a block
    to repair it, then again for its summary and the places links may not go."""
    return Document(text)


def row_cells(line: str) -> list[list[tuple[int, int]]]:
    """The cells of a table row as markdown-it cuts them, each as segments (content start, line position).

    markdown-it trims the row, splits it at every ``|`` not preceded by a
    backslash (dropping that backslash), drops an empty first and last cell,
    and trims each cell.  tests/test_markdown_model.py checks this against the
    cells markdown-it produces.
    """
    trimmed = line.strip(MD_TRIM_CHARS)
    base = len(line) - len(line.lstrip(MD_TRIM_CHARS))
    cells: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []  # (line start, line end) runs of the cell being read
    run_start = 0
    escaped = False
    for index, char in enumerate(trimmed):
        if char == "|":
            if not escaped:
                current.append((run_start, index))
                cells.append(current)
                current, run_start = [], index + 1
            else:
                current.append((run_start, index - 1))
                run_start = index
        escaped = char == "\\"
    current.append((run_start, len(trimmed)))
    cells.append(current)
    if cells and _runs_text(trimmed, cells[0]) == "":
        cells.pop(0)
    if cells and _runs_text(trimmed, cells[-1]) == "":
        cells.pop()
    return [_trimmed_segments(trimmed, runs, base) for runs in cells]


def _runs_text(text: str, runs: list[tuple[int, int]]) -> str:
    return "".join(text[a:b] for a, b in runs)


def _trimmed_segments(text: str, runs: list[tuple[int, int]], base: int) -> list[tuple[int, int]]:
    """Segments (content start, line position) of a cell's runs once the cell is trimmed."""
    full = _runs_text(text, runs)
    lead = len(full) - len(full.lstrip(MD_TRIM_CHARS))
    segments: list[tuple[int, int]] = []
    offset = 0  # position in the untrimmed cell
    for start, end in runs:
        length = end - start
        if offset + length > lead:
            skip = max(0, lead - offset)
            segments.append((offset + skip - lead, base + start + skip))
        offset += length
    return segments or [(0, base + (runs[0][0] if runs else 0))]


#: The parser of `Document` (inline math on), and its twin without inline math.
POSITIONED = new_parser(positions=True)
POSITIONED_WITHOUT_INLINE_MATH = new_parser(inline_math=False, positions=True)



@dataclass(frozen=True)
class Fence:
    """A code fence, as markdown-it reads one: its marker (```` ``` ````, ``~~~~`` …) and info string.

    Dump lines are not Markdown yet (their indentation means nothing), so a
    line is read without its leading blanks.
    """

    marker: str
    info: str

    @staticmethod
    def opened_by(line: str) -> Fence | None:
        """The fence this line opens, or None."""
        stripped = line.lstrip()
        if not stripped.startswith(("```", "~~~")):
            return None
        tokens = POSITIONED.parse(stripped)
        if tokens and tokens[0].type == "fence":
            return Fence(tokens[0].markup, tokens[0].info)
        return None  # e.g. a backtick in a backtick fence's info string: an inline code span

    def closed_by(self, line: str) -> bool:
        """Does this line close the fence (same character, at least as long, nothing after)?"""
        stripped = line.lstrip()
        if not stripped.startswith(self.marker[:3]):
            return False
        tokens = POSITIONED.parse(f"{self.marker}\n{stripped}")
        return tokens[0].type == "fence" and tokens[0].content == ""
