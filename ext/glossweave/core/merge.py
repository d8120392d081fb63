"""Merge stage: entries → Terms with numbered Senses, every input accounted for.

Entries filed under the same term are either *copies* (the same text, maybe
re-flowed by the scraper: compared with all white space collapsed) or genuinely
different definitions.  Copies collapse into one Sense that keeps the
best-structured copy (a line dump beats the flattened page) and records every
source; different definitions become numbered senses, each with its category.

Names are checked across the whole corpus: an alias that is also another
term's name stays with that term, and an alias claimed by two terms is given to
neither.  Both are reported, as are likely near-synonym terms and
near-duplicate categories, for a maintainer to decide.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict

from glossweave.core.headers import normalize_name
from glossweave.core.model import Entry, Layout, Report, Sense, Severity, Source, Term
from glossweave.core.slug import assign_slugs, base_slug

_STOPWORDS = {"a", "an", "and", "for", "in", "of", "on", "the", "to", "with", "via", "by"}
_WORD = re.compile(r"[^\W_]+")
#: Words that make a category variant of another rather than a new subject.
_QUALIFIERS = {"advanced", "basics", "general", "misc", "other"}


def fingerprint(entry: Entry) -> str:
    """The entry's text with all white space collapsed: equal for re-flowed copies."""
    return " ".join(" ".join(entry.raw.body).split())


def _structure_rank(entry: Entry) -> tuple[int, int, str, int]:
    """Lower is better: line dumps first, then more blocks, then earliest source."""
    return (entry.raw.layout is Layout.FLAT, -len(entry.blocks), entry.source.file, entry.source.line)


def merge_entries(entries: list[Entry], report: Report) -> list[Term]:
    """Group entries into terms (see module docstring); terms come sorted by name."""
    by_term: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_term[entry.header.term].append(entry)
    slugs = assign_slugs(sorted(by_term))
    terms = [_build_term(key, group, slugs[key], report) for key, group in by_term.items()]
    _report_slug_collisions(terms, report)
    _settle_aliases(terms, by_term, report)
    _report_near_synonyms(terms, report)
    _report_near_duplicate_categories(entries, report)
    return sorted(terms, key=lambda term: (term.name.casefold(), term.slug))


def _build_term(key: str, group: list[Entry], slug: str, report: Report) -> Term:
    copies: dict[str, list[Entry]] = {}
    for entry in group:
        # A lone entry has no copies to find: its fingerprint (all its text again) would go unused.
        copies.setdefault(fingerprint(entry) if len(group) > 1 else "", []).append(entry)
    senses: list[Sense] = []
    for same in copies.values():
        best = min(same, key=_structure_rank)
        for entry in same:
            if entry is not best:
                report.merged_copies.append((entry.source, best.source))
        senses.append(Sense(category=best.header.category, entry=best, sources=sorted(e.source for e in same)))
    senses.sort(key=lambda sense: sense.sources[0])
    aliases: list[str] = []
    for entry in sorted(group, key=lambda e: e.source):
        aliases += [alias for alias in entry.header.aliases if alias not in aliases]
    return Term(slug=slug, name=_display_name(group), key=key, aliases=aliases, senses=senses)


def _display_name(group: list[Entry]) -> str:
    """The most used spelling; ties go to the one with more capitals (it carries more)."""
    counts = Counter(entry.display_name for entry in group)
    if len(counts) == 1:
        return group[0].display_name
    return max(counts, key=lambda name: (counts[name], sum(c.isupper() for c in name), name))


def _report_slug_collisions(terms: list[Term], report: Report) -> None:
    """Names that slug alike (`a/b testing`, `a-b testing`) keep distinct anchors; say which."""
    by_base: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        by_base[base_slug(term.key)].append(term)
    for base, group in by_base.items():
        if len(group) > 1:
            anchors = ", ".join(f"{term.name!r} → term-{term.slug}" for term in sorted(group, key=lambda t: t.slug))
            report.add(
                Severity.WARNING,
                "slug-collision",
                f"{len(group)} names slug alike as {base!r}; anchors disambiguated: {anchors}",
                min(term.sources[0] for term in group),
            )


def _settle_aliases(terms: list[Term], by_term: dict[str, list[Entry]], report: Report) -> None:
    claimants: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        for alias in term.aliases:
            claimants[alias].append(term)
    for alias, owners in claimants.items():
        if alias in by_term:
            for term in owners:
                source = by_term[term.key][0].source
                report.add(
                    Severity.WARNING,
                    "alias-is-term",
                    f"alias {alias!r} of {term.name!r} is itself a term; it stays with that term",
                    source,
                )
                term.aliases.remove(alias)
        elif len(owners) > 1:
            names = ", ".join(repr(term.name) for term in owners)
            for term in owners:
                term.aliases.remove(alias)
            report.add(
                Severity.WARNING,
                "alias-conflict",
                f"alias {alias!r} is claimed by {len(owners)} terms ({names}); given to none",
                by_term[owners[0].key][0].source,
            )


def _content_words(name: str) -> list[str]:
    return [word for word in _WORD.findall(re.sub(r"\([^)]*\)", " ", name)) if word not in _STOPWORDS]


def _alike(a: str, b: str) -> bool:
    """Same word, or one a prefix of the other (`log` / `logarithmic`, `model` / `models`)."""
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 3 and long.startswith(short))


def near_synonyms(keys: list[str]) -> list[tuple[str, str]]:
    """Pairs of term keys that differ only in stop words or word endings.

    `lora diffusion` / `lora for diffusion`, `log quantization` / `logarithmic
    quantization`.  Keys are blocked by word count and first letters, so the
    work stays near-linear for tens of thousands of terms.
    """
    blocks: dict[tuple[int, str], list[tuple[str, list[str]]]] = defaultdict(list)
    for key in keys:
        words = _content_words(key)
        if len(words) >= 2:
            blocks[(len(words), "".join(word[0] for word in words))].append((key, words))
    pairs = []
    for members in blocks.values():
        for (key_a, words_a), (key_b, words_b) in itertools.combinations(members, 2):
            if all(_alike(a, b) for a, b in zip(words_a, words_b)):
                pairs.append((key_a, key_b))
    return pairs


def _report_near_synonyms(terms: list[Term], report: Report) -> None:
    by_key = {term.key: term for term in terms}
    for key_a, key_b in near_synonyms(sorted(by_key)):
        report.add(
            Severity.WARNING,
            "near-synonym",
            f"terms {by_key[key_a].name!r} and {by_key[key_b].name!r} may be the same; merge them by hand if so",
            by_key[key_b].sources[0],
        )


def _report_near_duplicate_categories(entries: list[Entry], report: Report) -> None:
    """`failure analysis` / `failure analysis advanced`: one category's words inside another's."""
    first_use: dict[str, Source] = {}
    for entry in sorted(entries, key=lambda e: e.source):
        first_use.setdefault(entry.header.category, entry.source)
    categories = sorted(first_use)
    for a, b in itertools.permutations(categories, 2):
        words_a, words_b = normalize_name(a).split(), normalize_name(b).split()
        extends = len(words_a) >= 2 and len(words_a) < len(words_b) and words_b[: len(words_a)] == words_a
        if extends or [word for word in words_b if word not in _QUALIFIERS] == words_a != words_b:
            report.add(
                Severity.WARNING,
                "near-duplicate-category",
                f"category {b!r} looks like a variant of {a!r}",
                first_use[b],
            )
