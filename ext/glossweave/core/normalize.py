"""Normalize stage: `RawEntry` → `Entry` (header parsed, blocks restored, math repaired).

The body's Markdown is finished (math repaired, money and unmeant emphasis
kept as text; `glossweave.core.fidelity`) and read by the site's grammar; its
summary and the places no link may go come from that reading.  An entry that
cannot be published (no body, nothing left after cleaning) is returned as a
`Rejection` with its reason, never dropped.
"""

from __future__ import annotations

from glossweave.core import texmath
from glossweave.core.blocks import Line, restore_blocks, unflatten
from glossweave.core.fidelity import finish_markdown
from glossweave.core.headers import parse_header
from glossweave.core.identify import name_from_body
from glossweave.core.linker import unlinkable_regions
from glossweave.core.model import Entry, Layout, RawEntry, Rejection, Report
from glossweave.core.reader import MAX_ENTRY_CHARS
from glossweave.core.summary import summarize


def normalize_entry(raw: RawEntry, report: Report) -> Entry | Rejection:
    """Interpret one raw entry; see the module docstring.

    The entry's name is read twice: from the raw first line, to find where a
    flattened body's closing summary starts, and from the repaired first block,
    which is what the name is taken from (its math repaired).
    """
    header = parse_header(raw.header)
    if not any(line.strip() for line in raw.body):
        return Rejection(raw.source, "header with no body", raw.header)
    guess, _ = name_from_body(header, raw.body[0])
    lines = _body_lines(raw, [guess, header.term])
    blocks = restore_blocks(lines, raw.source.file, report)
    if not blocks:
        return Rejection(raw.source, "body has no content", raw.header)
    blocks, document = finish_markdown(blocks, raw.source.file, report, one_line_per_line=raw.layout is Layout.LINES)
    name, source = name_from_body(header, blocks[0].lines[0])
    entry = Entry(raw, header, name, source, blocks, summarize(blocks, document))
    entry.unlinkable = unlinkable_regions(blocks, document)
    return entry


def _body_lines(raw: RawEntry, names: list[str]) -> list[Line]:
    # The reader reports a flattened body over the size limit; unflattening it
    # could take time quadratic in its length, so it stays one line.
    if raw.layout is Layout.FLAT and len(raw.body[0]) <= MAX_ENTRY_CHARS:
        return [Line(raw.body_line, text) for text in unflatten(raw.body[0], names)]
    numbered = [(raw.body_line + offset, text) for offset, text in enumerate(raw.body)]
    return [Line(number, text) for number, text in texmath.join_split_escapes(numbered)]
