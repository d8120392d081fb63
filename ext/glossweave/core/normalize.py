"""Normalize stage: `RawEntry` → `Entry` (header parsed, blocks restored, math repaired).

The body's Markdown is finished (math repaired, money and unmeant emphasis
kept as text; `glossweave.core.fidelity`) and read once by the site's
grammar; its summary and the places no link may go come from that reading.
An entry that cannot be published (no body, nothing left after cleaning) is
returned as a `Rejection` with its reason, never dropped.
"""

from __future__ import annotations

import re

from glossweave.core import texmath
from glossweave.core.blocks import Line, restore_blocks, unflatten
from glossweave.core.fidelity import finish_markdown
from glossweave.core.headers import parse_header
from glossweave.core.linker import unlinkable_regions
from glossweave.core.model import Entry, Header, Layout, RawEntry, Rejection, Report
from glossweave.core.reader import MAX_ENTRY_CHARS
from glossweave.core.summary import summarize

_OPENING_BOLD = re.compile(r"^\*\*(.+?)\*\*")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
_MARKUP = re.compile(r"\*\*|__|`")


def normalize_entry(raw: RawEntry, vocabulary: set[str], report: Report) -> Entry | Rejection:
    """Interpret one raw entry; see the module docstring."""
    header = parse_header(raw.header, vocabulary)
    if not any(line.strip() for line in raw.body):
        return Rejection(raw.source, "header with no body", raw.header)
    display_name = display_name_for(header, raw.body[0])
    lines = _body_lines(raw, [display_name, header.term])
    blocks = restore_blocks(lines, raw.source.file, report)
    if not blocks:
        return Rejection(raw.source, "body has no content", raw.header)
    blocks, document = finish_markdown(blocks, raw.source.file, report)
    return Entry(
        raw=raw,
        header=header,
        display_name=display_name,
        blocks=blocks,
        summary=summarize(blocks, document),
        unlinkable=unlinkable_regions(blocks, document),
    )


def _body_lines(raw: RawEntry, names: list[str]) -> list[Line]:
    # The reader reports a flattened body over the size limit; unflattening it
    # could take time quadratic in its length, so it stays one line.
    if raw.layout is Layout.FLAT and len(raw.body[0]) <= MAX_ENTRY_CHARS:
        return [Line(raw.body_line, text) for text in unflatten(raw.body[0], names)]
    numbered = [(raw.body_line + offset, text) for offset, text in enumerate(raw.body)]
    return [Line(number, text) for number, text in texmath.join_split_escapes(numbered)]


def display_name_for(header: Header, first_body_line: str) -> str:
    """The corpus's own capitalisation of the term, from the body's opening bold phrase.

    `**L-Diversity** is …` names `l-diversity`; `**A Langmuir probe**` names
    `langmuir probe` once the article is dropped.  A bold phrase that names
    something else, or holds math, leaves the header's term, capitalised.
    """
    match = _OPENING_BOLD.match(first_body_line.strip())
    if match and "$" not in match.group(1):
        candidate = _ARTICLE.sub("", match.group(1).strip())
        if candidate.casefold() == header.term:
            return candidate
    found = _find_cased(header.term, first_body_line)
    return found or header.term[:1].upper() + header.term[1:]


def _find_cased(term: str, text: str) -> str | None:
    """The term as written in `text` (any case), e.g. `LangChain` for `langchain`."""
    found = _find_word(term, _MARKUP.sub("", text))
    if found and found != found.lower():
        return found
    return None


#: İ ı ſ K: the only non-ASCII characters that `re.I` matches to ASCII letters.
_FOLDS_ONTO_ASCII = frozenset("\u0130\u0131\u017f\u212a")


def _find_word(term: str, text: str) -> str | None:
    """The first occurrence of `term` in `text`, any case, not touching a `[\\w-]` character.

    An ASCII term is looked for with `str.find` in the lowered text: a pattern
    compiled per entry overflows `re`'s cache and took a tenth of normalizing.
    Without the characters of `_FOLDS_ONTO_ASCII`, `lower()` keeps every
    position and finds what `re.I` would.
    """
    if not (term.isascii() and _FOLDS_ONTO_ASCII.isdisjoint(text)):
        match = re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.I)
        return match.group(0) if match else None
    lowered, wanted = text.lower(), term.lower()
    start = lowered.find(wanted)
    while start != -1:
        end = start + len(wanted)
        if not (_in_word(text, start - 1) or _in_word(text, end)):
            return text[start:end]
        start = lowered.find(wanted, start + 1)
    return None


def _in_word(text: str, index: int) -> bool:
    """Is text[index] a `[\\w-]` character (False off either end)?"""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in "_-")
