"""Header parsing: `term, alias, category` and `term,alias,…` → `Header`.

Two header styles reach us.  In the *spaced* style (`l1 cache, l1, hardware`)
the last part is always the category.  In the *compact* style the last part is
a category only when it is known as one — used as a category by some spaced
header, or as the second half of a two-part compact header — because compact
headers are also plain keyword lists (`label smoothing,soft labels,…`) whose
last part is just another name — unless the middle parts merely repeat the
term's own short and long forms (`term (expansion),short,long,category`).  The vocabulary is built from the whole corpus
first, so an unseen dump is read with what every dump teaches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from glossweave.core.model import Header
from glossweave.core.reader import header_segments

#: Category for keyword-list headers that name no category.
UNCATEGORIZED = "general"

_SPACES = re.compile(r"\s+")
_ACRONYMS = {"ai", "ml", "llm", "nlp", "rag", "rl", "gpu", "cpu", "tpu", "mlops", "llmops", "3d", "gnn", "cv"}
_SMALL_WORDS = {"and", "of", "for", "in", "on", "the", "to", "a", "an", "with"}


def normalize_name(text: str) -> str:
    """The comparison key of a name: case-folded, single-spaced."""
    return _SPACES.sub(" ", text.strip()).casefold()


def normalize_category(text: str) -> str:
    """Categories compare case-insensitively with `&`/`and` and hyphens folded."""
    key = normalize_name(text).replace(" and ", " & ").replace("-", " ")
    return _SPACES.sub(" ", key)


def category_label(category: str) -> str:
    """A display label: `ai safety` → `AI Safety`, `supply chain & logistics` → `Supply Chain & Logistics`."""
    words = []
    for index, word in enumerate(category.split(" ")):
        if word in _ACRONYMS:
            words.append(word.upper())
        elif index and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)


def is_spaced(header: str) -> bool:
    return ", " in header


def category_vocabulary(headers: Iterable[str]) -> set[str]:
    """Every part that some header uses unambiguously as a category."""
    vocabulary: set[str] = set()
    for header in headers:
        segments = header_segments(header)
        if segments and (is_spaced(header) or len(segments) == 2):
            vocabulary.add(normalize_category(segments[-1]))
    return vocabulary


def _expands(term: str, names: list[str]) -> bool:
    """`lamda (language model for dialogue applications),lamda,language model…,foundation model`:
    when the middle parts only repeat the term's short and long forms, the last is a category."""
    folded = normalize_name(term)
    return "(" in term and bool(names) and all(normalize_name(name) in folded for name in names)


def parse_header(header: str, vocabulary: set[str]) -> Header:
    """Split a header line into term, aliases and category.

    The reader only makes entries of lines that `header_segments` accepts, so
    `header` always has at least two parts.
    """
    segments = header_segments(header) or [header.strip()]
    term, rest = segments[0], segments[1:]
    spaced = is_spaced(header)
    if rest and (spaced or len(segments) == 2 or normalize_category(rest[-1]) in vocabulary or _expands(term, rest[:-1])):
        category, names = normalize_category(rest[-1]), rest[:-1]
    else:
        category, names = UNCATEGORIZED, rest
    term_key = normalize_name(term)
    aliases: list[str] = []
    for name in names:
        key = normalize_name(name)
        if key != term_key and key not in aliases:
            aliases.append(key)
    return Header(term=term_key, aliases=aliases, category=category, style="spaced" if spaced else "compact")
