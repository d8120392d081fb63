"""Normalize stage: `RawEntry` → `Entry` (header parsed, blocks restored, math repaired).

An entry that cannot be published (no body, nothing left after cleaning) is
returned as a `Rejection` with its reason, never dropped.
"""

from __future__ import annotations

import functools
import re

from pylatexenc.latex2text import LatexNodes2Text

from glossweave.core import texmath
from glossweave.core.blocks import Line, restore_blocks, unflatten
from glossweave.core.headers import parse_header
from glossweave.core.identify import name_from_body
from glossweave.core.model import Block, BlockKind, Entry, Layout, RawEntry, Rejection, Report, Source
from glossweave.core.reader import MAX_ENTRY_CHARS

_MARKUP = re.compile(r"\*\*|__|`")
_TEX_TO_TEXT = LatexNodes2Text(math_mode="text")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
SUMMARY_CHARS = 240


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
    blocks = [_repair_block(block, raw.source.file, report) for block in blocks]
    if not blocks:
        return Rejection(raw.source, "body has no content", raw.header)
    name, source = name_from_body(header, blocks[0].lines[0])
    return Entry(raw, header, name, source, blocks, summarize(blocks))


def _body_lines(raw: RawEntry, names: list[str]) -> list[Line]:
    # The reader reports a flattened body over the size limit; unflattening it
    # could take time quadratic in its length, so it stays one line.
    if raw.layout is Layout.FLAT and len(raw.body[0]) <= MAX_ENTRY_CHARS:
        return [Line(raw.body_line, text) for text in unflatten(raw.body[0], names)]
    numbered = [(raw.body_line + offset, text) for offset, text in enumerate(raw.body)]
    return [Line(number, text) for number, text in texmath.join_split_escapes(numbered)]


def _repair_block(block: Block, file: str, report: Report) -> Block:
    """Repair math and escape money in every line of a non-code block (most have no `$`: nothing to do)."""
    if block.kind is BlockKind.CODE or not any("$" in line for line in block.lines):
        return block
    source = Source(file, block.line)
    return Block(block.kind, [texmath.repair_text(line, source, report) for line in block.lines], block.line)


def _plain_math(text: str) -> str:
    """Math as readable Unicode (`$L_\\infty$` → `L_∞`): previews are plain text, not TeX."""
    out, position = [], 0
    for span in texmath.iter_math(text):
        out += [text[position : span.start], _tex_as_text(span.tex)]
        position = span.end
    return "".join(out) + text[position:]


@functools.lru_cache(maxsize=4096)
def _tex_as_text(tex: str) -> str:
    """pylatexenc's reading of one formula, remembered: corpora repeat formulas, and a parse costs ~0.5 ms."""
    return _TEX_TO_TEXT.latex_to_text(tex).strip()


def summarize(blocks: list[Block]) -> str:
    """One plain-text line for previews and letter pages: the first sentence or two."""
    first = next((b for b in blocks if b.kind is BlockKind.PARAGRAPH), blocks[0])
    text = _plain_math(" ".join(line.strip() for line in first.lines))
    text = _MARKUP.sub("", text).replace("\\$", "$")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= SUMMARY_CHARS:
        return text
    sentences = _SENTENCE.split(text)
    summary = sentences[0]
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return summary
