"""Stable slugs: the `term-<slug>` anchors that permalinks and intersphinx rely on.

A slug depends only on the name it is made from, never on build order or on
the other names in the corpus, so adding a dump never moves an existing anchor.
Greek letters and symbols are spelled out (`ε-net` → `epsilon-net`,
`C++` → `c-plus-plus`); any other non-ASCII character becomes its code point.
When two different names still slug alike, every name that is not exactly
its own slug gets a short hash of itself appended: deterministic, and
independent of which other names exist.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SYMBOLS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at ", "%": " percent ", "*": " star ", "=": " eq "}
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_GREEK = re.compile(r"GREEK (?:SMALL|CAPITAL) LETTER (\w+)")


def _spell(char: str) -> str:
    if char in _SYMBOLS:
        return _SYMBOLS[char]
    if char.isascii():
        return char
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    if decomposed:
        return decomposed
    name = unicodedata.name(char, "")
    greek = _GREEK.match(name)
    if greek:
        return f" {greek.group(1).lower()} "
    if unicodedata.category(char).startswith(("Z", "P", "S")):
        return " "
    return f" u{ord(char):04x} "


#: Slugs name files (`terms/<slug>.md`; 255 bytes at most on common file systems),
#: and a 120-character CJK name spells out to 720: longer slugs are cut, and the
#: hash of the whole name keeps them distinct.
MAX_SLUG_CHARS = 100


def _digest(name: str) -> str:
    """Of the exact name: `X` and `x` slug alike, so only their hashes can tell them apart."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


class _Spellings(dict):
    """`str.translate` table that spells each character once, on first sight (a slug per term adds up)."""

    def __missing__(self, code: int) -> str:
        self[code] = spelled = _spell(chr(code))
        return spelled


_SPELLINGS = _Spellings()


def base_slug(name: str) -> str:
    """The readable slug of `name`, before collision handling."""
    spelled = name.casefold().translate(_SPELLINGS)
    slug = _NON_SLUG.sub("-", spelled.lower()).strip("-") or "term"
    if len(slug) > MAX_SLUG_CHARS:
        slug = f"{slug[: MAX_SLUG_CHARS - 7].rstrip('-')}-{_digest(name)}"
    return slug


def alias_key(term_slug: str, alias: str) -> str:
    """An alias's key: its anchor is `term-<key>`, hung off its term's slug so it stays unique."""
    return f"{term_slug}--{base_slug(alias)}"


def disambiguated(name: str) -> str:
    """The slug used when `base_slug(name)` is shared with another name."""
    return f"{base_slug(name)}-{_digest(name)}"


def assign_slugs(names: list[str]) -> dict[str, str]:
    """Slug for each name; names that collide are disambiguated (see module docstring)."""
    by_slug: dict[str, list[str]] = {}
    for name in names:
        by_slug.setdefault(base_slug(name), []).append(name)
    slugs: dict[str, str] = {}
    for slug, group in by_slug.items():
        for name in group:
            slugs[name] = slug if len(group) == 1 or name == slug else disambiguated(name)
    return slugs
