"""Header lines: `term, alias, category` and `term,alias,…` → their parts, as written.

Two header styles reach us.  The *spaced* style (`l1 cache, l1, hardware`)
comes from the scraped site's own listing, and its last part is always the
category.  The *compact* style is often a list of search keywords
(`lambda labs,cloud,deep learning,compute`), or a title split at every space.
What each part is (name, alias, category or keyword) is decided by
`glossweave.core.identify`, which reads the body too; here a header is only
split.  The corpus-wide category vocabulary is learned from the spaced
headers, so an unseen dump is read with what every dump teaches.
"""

from __future__ import annotations

from collections.abc import Iterable

from glossweave.core.model import Header
from glossweave.core.reader import header_segments


def is_spaced(header: str) -> bool:
    return ", " in header


def parse_header(header: str) -> Header:
    """Split a header line into its parts.

    The reader only makes entries of lines that `header_segments` accepts, so
    `header` always has at least two parts.
    """
    parts = header_segments(header) or [header.strip()]
    return Header(parts=parts, style="spaced" if is_spaced(header) else "compact")


def learned_categories(headers: Iterable[str]) -> set[str]:
    """The last part of every spaced header: what the corpus itself uses as categories."""
    learned: set[str] = set()
    for header in headers:
        if is_spaced(header):
            segments = header_segments(header)
            if segments and len(segments) >= 2:
                learned.add(segments[-1])
    return learned
