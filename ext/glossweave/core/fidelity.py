"""Make an entry's Markdown render as the corpus wrote it.

Two things in scraped definitions are not what CommonMark makes of them:

* Formulas lost their backslashes and share ``$`` with money
  (`glossweave.core.texmath` repairs the one and escapes the other).
* ``*`` used for multiplication and ``_`` for subscripts outside ``$…$``
  (invented: ``z = U*v + (P*Q)*v``, ``∇_x log p(x) … x_{t+1}``) pair into
  emphasis, silently: the page shows "Uv + (PQ)*v" with a stray italic run.

An emphasis the author meant opens at the start of a word and closes at the
end of one: ``*this*``, ``**Term**:``, ``(_see_)``, ``**K-Means**-like``.  One
whose delimiter sits against a letter, digit or bracket on its outer side
(``U*v``, ``)*v``, ``∇_x``, ``x_{``) is a formula's, and its delimiters get
a backslash, which CommonMark renders as the character itself.

Everything here reads the Markdown as markdown-it does (`glossweave.core.markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from glossweave.core import markdown, texmath
from glossweave.core.model import Block, BlockKind, Report, Source

__all__ = ["finish_markdown", "unmeant_emphasis"]

#: What may stand just before an emphasis that opens a word, and just after one that closes it.
_OPENS_AFTER = frozenset("([{\"'“‘«‹—–-/")
_CLOSES_BEFORE = frozenset(".,;:!?)]}\"'”’»›…—–-/")
_DELIMITER = re.compile(r"\*+|_+")
#: ``**`` opening a word (a blank or opening mark or nothing before, a letter or digit
#: after) and ``**`` closing one (the reverse); each can do only that.
_BOLD_OPENS_WORD = re.compile(r"\*\*(?<![^\s(\[{\"'“‘«‹—–/-]\*\*)(?=[^\W_])")
_BOLD_CLOSES_WORD = re.compile(r"\*\*(?<=[^\W_]\*\*)(?![^\s.,;:!?)\]}\"'”’»›…—–/-])")
#: Delimiter characters skipped when looking past nested emphasis (``***x***``, ``**_x_**``),
#: at most this many (a longer cluster of them is no word's edge).
_MARKS = "*_~"
_NESTED_MARKS = 4
#: Rounds of escaping: escaping one pair can let others pair (only crafted text needs a second).
_ROUNDS = 3


def finish_markdown(
    blocks: list[Block], file: str, report: Report, one_line_per_line: bool = True
) -> tuple[list[Block], markdown.Document | None]:
    """Repair math and keep unmeant emphasis literal in an entry's blocks, read as the site renders them.

    When every block parses alone as it does among the others (nothing runs
    across the blank lines between them: `markdown.blocks_stand_alone`), only
    the blocks that need it are parsed, and None is returned for the document.
    Otherwise the blocks are joined as the site renders them and read whole,
    and that final reading is returned.  The blocks change only where needed.
    Diagnostics name the dump line of each block line when the dump gave the
    block one line per line (`one_line_per_line`; a flattened body is one line).
    """
    blocks = [_without_carriage_returns(block) for block in blocks]
    if all(markdown.blocks_stand_alone(block.markdown()) for block in blocks if block.kind is not BlockKind.CODE):
        return [_finished(block, file, report, one_line_per_line) for block in blocks], None
    text = "\n\n".join(block.markdown() for block in blocks)
    if any("$" in line for block in blocks if block.kind is not BlockKind.CODE for line in block.lines):
        where = _line_sources(blocks, file, one_line_per_line)
        document = texmath.repair_markdown(text, Source(file, blocks[0].line), report, where)
    elif _may_hold_unmeant_emphasis(text):
        document = markdown.Document(text)
    else:
        return blocks, None
    if _may_hold_unmeant_emphasis(document.text):
        document = _literal_emphasis(document)
    return _regrouped(blocks, document.text), document


def _without_carriage_returns(block: Block) -> Block:
    """A lone CR left inside a dump line is a line break to markdown-it but not to the reader: shown as U+FFFD."""
    if not any("\r" in line for line in block.lines):
        return block
    return Block(block.kind, [line.replace("\r", "\ufffd") for line in block.lines], block.line)


def _finished(block: Block, file: str, report: Report, one_line_per_line: bool) -> Block:
    """One block, repaired and with unmeant emphasis literal (its parse stays in `markdown.parsed`)."""
    if block.kind is BlockKind.CODE:
        return block
    source = block.markdown()
    document = None
    if "$" in source:
        where = _line_sources([block], file, one_line_per_line)
        document = texmath.repair_markdown(source, Source(file, block.line), report, where)
    if _may_hold_unmeant_emphasis(document.text if document else source):
        document = _literal_emphasis(document or markdown.parsed(source))
    if document is None or document.text == source:
        return block
    return Block(block.kind, document.text.split("\n"), block.line)


def _literal_emphasis(document: markdown.Document) -> markdown.Document:
    """The document with a backslash before each delimiter of an unmeant emphasis, parsed again."""
    for _ in range(_ROUNDS):
        positions = unmeant_emphasis(document)
        if not positions:
            break
        document = markdown.parsed(_escaped(document.text, positions))
    return document


def _line_sources(blocks: list[Block], file: str, one_line_per_line: bool) -> Callable[[int], Source]:
    """Line of the joined text → the dump line it came from (for diagnostics)."""
    sources = []
    for block in blocks:
        lines = range(len(block.lines) + 1)
        sources += [Source(file, block.line + (offset if one_line_per_line else 0)) for offset in lines]
    return lambda line: sources[min(line, len(sources) - 1)]


def _regrouped(blocks: list[Block], text: str) -> list[Block]:
    """`blocks` with their lines taken from `text`, which has the same lines (repairs never add or remove one)."""
    lines = text.split("\n")
    assert len(lines) == sum(len(block.lines) + 1 for block in blocks) - 1, "a repair changed the line structure"
    out, position = [], 0
    for block in blocks:
        mine = lines[position : position + len(block.lines)]
        out.append(block if mine == block.lines else Block(block.kind, mine, block.line))
        position += len(block.lines) + 1
    return out


def _escaped(text: str, positions: list[int]) -> str:
    pieces, last = [], 0
    for position in positions:
        pieces += [text[last:position], "\\"]
        last = position
    return "".join(pieces) + text[last:]


def unmeant_emphasis(document: markdown.Document) -> list[int]:
    """Positions (sorted) of the delimiter characters of every emphasis the author did not mean."""
    positions: list[int] = []
    for inline in document.inlines:
        if not _may_hold_unmeant_emphasis(inline.content):
            continue
        content = inline.content
        openers: list[markdown.Piece] = []
        for piece in inline.pieces:
            token = piece.token
            if piece.kind != markdown.EMPHASIS or token is None or token.markup[:1] not in "*_":
                continue
            if token.nesting == 1:
                openers.append(piece)
                continue
            opener = openers.pop()
            if not (_opens_a_word(content, opener.rel_start) and _closes_a_word(content, piece.rel_end)):
                positions += range(opener.start, opener.end)
                positions += range(piece.start, piece.end)
    return sorted(positions)


def _opens_a_word(content: str, start: int) -> bool:
    """Does the character before this opener (past other delimiters) leave it at the start of a word?"""
    stop = max(0, start - _NESTED_MARKS)
    while start > stop and content[start - 1] in _MARKS:
        start -= 1
    return start == 0 or content[start - 1].isspace() or content[start - 1] in _OPENS_AFTER


def _closes_a_word(content: str, end: int) -> bool:
    """Does the character after this closer (past other delimiters) leave it at the end of a word?"""
    stop = min(len(content), end + _NESTED_MARKS)
    while end < stop and content[end] in _MARKS:
        end += 1
    return end == len(content) or content[end].isspace() or content[end] in _CLOSES_BEFORE


def _may_hold_unmeant_emphasis(text: str) -> bool:
    """Could markdown-it pair a delimiter here into an emphasis `unmeant_emphasis` would refuse?

    Only a run that can open (by CommonMark's flanking rules) without
    opening a word, or can close without closing one, can be part of such a
    pair; text without one needs no parse.  tests/test_fidelity.py checks
    this against `unmeant_emphasis` on markdown-it's own pairing.
    """
    if "*" not in text and "_" not in text:
        return False
    if "_" not in text and text.count("*") == 2 * (len(_BOLD_OPENS_WORD.findall(text)) + len(_BOLD_CLOSES_WORD.findall(text))):
        return False  # only ``**`` runs, each opening or closing a word: most text (``**Term**: …``)
    for run in _DELIMITER.finditer(text):
        start, end = run.span()
        backslashes = start
        while backslashes > 0 and text[backslashes - 1] == "\\":
            backslashes -= 1
        start += (start - backslashes) % 2  # an escaped first character is no delimiter
        if start == end:
            continue
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if (after.isalnum() and (before.isspace() or before in _OPENS_AFTER)) or (
            before.isalnum() and (after.isspace() or after in _CLOSES_BEFORE)
        ):
            continue  # opens a word and cannot close, or the reverse: the common case, decided at once
        can_open, can_close = markdown.flanking(text, start, end, text[start])
        if (can_open and not _opens_a_word(text, start)) or (can_close and not _closes_a_word(text, end)):
            return True
    return False
