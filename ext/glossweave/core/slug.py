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
from collections.abc import Iterable

from glossweave.core.model import Report, Severity, Source, Term

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


def _digest(name: str, length: int = 6) -> str:
    """Of the exact name: `X` and `x` slug alike, so only their hashes can tell them apart."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:length]


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


def disambiguated(name: str, digits: int = 6) -> str:
    """The slug used when `base_slug(name)` is shared with another name."""
    return f"{base_slug(name)}-{_digest(name, digits)}"


def assign_slugs(names: Iterable[str]) -> dict[str, str]:
    """Slug for each name, all distinct; names that collide are disambiguated (see module docstring).

    A name that is exactly its slug keeps it.  Six hex digits of a hash tell
    the others apart; should two of those still meet (a name spelled like
    another's disambiguated slug, or a crafted hash collision), the names
    involved get more digits until every slug is unique.  Each step depends
    only on the set of names, never on their order.
    """
    by_slug: dict[str, list[str]] = {}
    for name in names:
        by_slug.setdefault(base_slug(name), []).append(name)
    slugs: dict[str, str] = {}
    for slug, group in by_slug.items():
        for name in group:
            slugs[name] = slug if len(group) == 1 or name == slug else disambiguated(name)
    digits = 6
    while clashes := _clashing(slugs):
        digits += 4
        if digits > 40:  # equal SHA-1 hashes: only a number can tell them apart
            for number, name in enumerate(sorted(clashes), start=1):
                slugs[name] = f"{disambiguated(name, 40)}-{number}"
            break
        for name in clashes:
            slugs[name] = disambiguated(name, digits)
    return slugs


def _clashing(slugs: dict[str, str]) -> list[str]:
    """The names whose slug another name also has, but the one that is its own slug."""
    holders: dict[str, list[str]] = {}
    for name, slug in slugs.items():
        holders.setdefault(slug, []).append(name)
    return [name for slug, group in holders.items() if len(group) > 1 for name in group if name != slug]


def alias_keys(term_slug: str, aliases: Iterable[str]) -> dict[str, str]:
    """Each alias's key: its anchor is `term-<key>`, hung off its term's slug.

    The `--` keeps alias anchors apart from every term's (slugs never hold two
    hyphens in a row), and the aliases of one term are slugged together, so
    `a/b` and `a-b` get two ids on their page, where they used to share one.
    """
    aliases = list(aliases)
    slugs = assign_slugs(aliases)
    return {alias: f"{term_slug}--{slugs[alias]}" for alias in aliases}


def report_category_collisions(terms: list[Term], report: Report) -> None:
    """Categories that slug alike get pages of their own (see `assign_slugs`); each clash is an error.

    Their pages used to be one file, written twice, and the terms of the first
    category vanished from it.  Both pages now survive, but under hashed names
    a reader cannot guess, so a maintainer should rename one category.
    """
    first_source: dict[str, Source] = {}
    for term in terms:
        for definition in term.definitions:
            source = min(definition.sources)
            if definition.category not in first_source or source < first_source[definition.category]:
                first_source[definition.category] = source
    slugs = assign_slugs(first_source)
    by_base: dict[str, list[str]] = {}
    for category in sorted(first_source):
        by_base.setdefault(base_slug(category), []).append(category)
    for base, group in by_base.items():
        if len(group) > 1:
            pages = ", ".join(f"{category!r} → categories/{slugs[category]}" for category in group)
            report.add(
                Severity.ERROR,
                "category-slug-collision",
                f"{len(group)} categories slug alike as {base!r}; each keeps its own page: {pages}",
                min(first_source[category] for category in group),
            )


def _hyphen_spacing(alias: str) -> str:
    return " ".join(alias.casefold().replace("-", " ").split())


def report_alias_collisions(terms: list[Term], report: Report) -> None:
    """Aliases of one term that slug alike (`a/b`, `a-b`) get distinct anchors (see `alias_keys`); say which.

    Spellings that differ only in case and in hyphens for spaces (`Through-Silicon Via`,
    `through silicon via`) slug alike by design and are both kept for linking; they
    are not news.  Other characters that slug away (`a/b`, `a-b`) are.
    """
    for term in terms:
        by_base: dict[str, list[str]] = {}
        for alias in term.aliases:
            by_base.setdefault(base_slug(alias), []).append(alias)
        clashes = [group for group in by_base.values() if len({_hyphen_spacing(alias) for alias in group}) > 1]
        if clashes:
            keys = alias_keys(term.slug, term.aliases)
            anchors = "; ".join(", ".join(f"{alias!r} → term-{keys[alias]}" for alias in group) for group in clashes)
            report.add(Severity.WARNING, "alias-slug-collision", f"aliases slug alike; anchors disambiguated: {anchors}",
                       term.sources[0])
