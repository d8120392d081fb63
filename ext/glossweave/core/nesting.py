"""How deep corpus Markdown may nest: one rule for the renderer and for `make check`.

LaTeX stops a book with "Too deeply nested" at the seventh list or quote
environment inside another, and at the fifth enumerate (or itemize) inside
another.  A definition already sits in two of them in the book: Sphinx's
description list of the glossary entry, and the numbered list of a term's
senses, an enumerate.  So corpus Markdown keeps at most four levels of lists
and block quotes together, of which at most three ordered lists; deeper ones
are flattened by the renderer (`glossweave.site.safety`), in every output, so
the site, the PDF and the ePub show the same thing.  Inline emphasis, links
and strikethrough nested a few hundred deep made Sphinx's doctree pickling
exceed Python's recursion limit, so those are flattened past a depth that no
real text reaches.

markdown-it itself drops block content nested as deep as its `maxNesting`:
the renderer shows that part as the source text it was written as.

Everything here works on markdown-it tokens of the configuration that renders
the page, and `report_deep_nesting` names each case at `file:line`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from glossweave.core.model import BlockKind, Entry, Report, Severity, Source

MAX_BLOCK_NESTING = 4
MAX_ORDERED_NESTING = 3
MAX_INLINE_NESTING = 32

_CONTAINERS = {"bullet_list_open", "ordered_list_open", "blockquote_open", "list_item_open"}
_LEVELS = {"bullet_list_open", "ordered_list_open", "blockquote_open"}  # a list item is no level of its own
_INLINE_WRAPPERS = {"em_open", "strong_open", "s_open", "link_open"}
#: The container markers and indentation a line starts with; see `might_nest_too_deep`.
_MARKER_PREFIX = re.compile(r"^(?:[ \t>]|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))+", re.M)
_INLINE_DELIMITERS = re.compile(r"[*_~\[\]]")


def flattened_blocks(tokens: Sequence[Token]) -> set[int]:
    """Indices of the list, list item and block quote tokens (open and close) beyond the limits."""
    flat: set[int] = set()
    open_stack: list[tuple[int, bool]] = []  # (index of the open token, kept?)
    kept_levels: list[str] = []
    for index, token in enumerate(tokens):
        if token.type in _CONTAINERS:
            if token.type == "list_item_open":
                kept = not open_stack or open_stack[-1][1]
            else:
                ordered = kept_levels.count("ordered_list_open") if token.type == "ordered_list_open" else 0
                kept = len(kept_levels) < MAX_BLOCK_NESTING and ordered < MAX_ORDERED_NESTING
                if kept:
                    kept_levels.append(token.type)
            open_stack.append((index, kept))
            if not kept:
                flat.add(index)
        elif token.type.removesuffix("_close") + "_open" in _CONTAINERS:
            opened, kept = open_stack.pop()
            if kept and tokens[opened].type in _LEVELS:
                kept_levels.pop()
            if not kept:
                flat.add(index)
    return flat


def dropped_blocks(tokens: Sequence[Token], max_nesting: int) -> list[int]:
    """Indices of the containers whose content markdown-it dropped: it parses nothing `max_nesting` deep."""
    return [
        index
        for index, token in enumerate(tokens)
        if token.type in ("blockquote_open", "list_item_open") and token.level + 1 >= max_nesting
    ]


def flattened_inline(children: Sequence[Token]) -> set[int]:
    """Indices of the inline wrapper tokens (open and close) nested deeper than `MAX_INLINE_NESTING`."""
    flat: set[int] = set()
    open_stack: list[bool] = []
    for index, child in enumerate(children):
        if child.type in _INLINE_WRAPPERS:
            kept = sum(open_stack) < MAX_INLINE_NESTING
            open_stack.append(kept)
        elif child.type.removesuffix("_close") + "_open" in _INLINE_WRAPPERS and open_stack:
            kept = open_stack.pop()
        else:
            continue
        if not kept:
            flat.add(index)
    return flat


def might_nest_too_deep(markdown: str) -> bool:
    """False only when `markdown` cannot nest beyond any limit, so most blocks are never parsed here.

    The line that opens a container d levels deep starts with the markers or
    indentation of all d: one column for a `>`, two for a list level (marker
    and space, or the indentation its content needs; an empty innermost item
    takes one).  Every inline wrapper takes a delimiter on each side.  The
    property test in tests/test_nesting.py holds this against markdown-it.
    """
    for match in _MARKER_PREFIX.finditer(markdown):
        prefix = match.group(0).expandtabs(4)
        quotes = prefix.count(">")
        lists = -(-(len(prefix) - quotes) // 2)  # a list level takes two columns, but an empty innermost item
        if quotes + lists > MAX_BLOCK_NESTING or lists > MAX_ORDERED_NESTING:
            return True
    return len(_INLINE_DELIMITERS.findall(markdown)) > 2 * MAX_INLINE_NESTING


def _parser() -> MarkdownIt:
    """The markdown-it configuration that renders the site.

    Temporary: the one configuration moves to `glossweave.core.markdown` (mdmodel
    branch).  Until then it is borrowed from `glossweave.site.safety`, imported
    here, late, because importing `glossweave.site` loads Sphinx; it happens
    only for an entry that `might_nest_too_deep`.
    """
    from glossweave.site.safety import _MD

    return _MD


def report_deep_nesting(entry: Entry, report: Report) -> None:
    """Name, at its block's `file:line`, each list, quote or inline run that renders flattened."""
    if not any(block.kind is not BlockKind.CODE and might_nest_too_deep(block.markdown()) for block in entry.blocks):
        return
    parser = _parser()
    tokens = parser.parse(entry.markdown)
    starts: list[tuple[int, int]] = []  # (first line of the block in the entry's Markdown, dump line)
    offset = 0
    for block in entry.blocks:
        starts.append((offset, block.line))
        offset += len(block.lines) + 1  # blocks are joined by one blank line

    def where(token: Token) -> Source:
        line, dump = (token.map[0] if token.map else 0), entry.source.line
        for first, block_line in starts:
            if first > line:
                break
            dump = block_line
        return Source(entry.source.file, dump)

    found: dict[tuple[Source, str], str] = {}
    flat = sorted(index for index in flattened_blocks(tokens) if tokens[index].type in _LEVELS)
    for index in flat:
        found.setdefault(
            (where(tokens[index]), "deep-nesting"),
            f"lists and block quotes nested deeper than {MAX_BLOCK_NESTING} levels (ordered lists: "
            f"{MAX_ORDERED_NESTING}) are flattened: LaTeX cannot typeset them",
        )
    for index in dropped_blocks(tokens, parser.options["maxNesting"]):
        found.setdefault(
            (where(tokens[index]), "nesting-limit"),
            f"text nested {parser.options['maxNesting']} levels deep is past what the Markdown parser reads;"
            " it is shown as written, as plain text",
        )
    for token in tokens:
        if token.type == "inline" and token.children and flattened_inline(token.children):
            found.setdefault(
                (where(token), "deep-inline-nesting"),
                f"emphasis, links or strikethrough nested deeper than {MAX_INLINE_NESTING} levels are flattened",
            )
    for (source, code), message in found.items():
        report.add(Severity.WARNING, code, message, source)
