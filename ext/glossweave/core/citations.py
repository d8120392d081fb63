"""Citations in sense Markdown, matched to the entries of a .bib file.

The corpus cites works in free text, in several styles::

    Machanavajjhala et al. (2007), "L-Diversity: Privacy Beyond K-Anonymity."
    (Hinton et al., 2015)          Hoffmann et al. 2022
    You et al., "Large Batch Training of Convolutional Networks" (2017)
    Introduced in 2022 by Thoppilan et al.          Chinchilla, Hoffmann et al.

A citation is an author phrase (`Surname et al.`, `Surname and Surname`,
`Surname & Surname`, or `(Surname, 2015)`) plus whatever year and quoted title
stand next to it.  It is matched by the first author's surname and the year,
and by the title too when one is quoted, because surname + year alone is
ambiguous (You et al. wrote LARS in 2017 and LAMB in 2020).  A citation
without a year matches only when the surname names a single entry.

API (plain Python, no Sphinx; the Sphinx layer turns spans into citations):

* ``Bibliography.load(path)`` parses a .bib file with pybtex (the site
  passes its ``bibtex_bibfiles``, ``glossweave check`` its ``--bib``).
* ``find_citations(markdown, bibliography) -> list[Citation]``: spans
  ``[start, end)`` into the Markdown, like ``LinkSpan``; ``Citation.key`` is the
  bib key, or None when unmatched, with ``Citation.problem`` saying why.
  The span covers the author phrase and the year/title next to it, not the
  brackets of a parenthetical citation.
* ``citation_diagnostics(glossary, bibliography) -> list[Diagnostic]``: one
  warning per unmatched citation, with the dump's ``file:line``, for
  ``make check``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import parse_file

from glossweave.core.model import Diagnostic, Glossary, Sense, Severity, Source

_NAME = r"(?:(?:van|von|de|der|den|du|da|di|la|le)\s+)*[A-Z][^\W\d_]*(?:['’-][A-Za-z][^\W\d_]*)*"
_YEAR = r"(?:19|20)\d\d"
_AUTHORS = re.compile(
    rf"(?P<surname>{_NAME})(?:(?P<etal>\s+et\s+al\b\.?)|\s+(?:and|&)\s+{_NAME})"
    rf"|(?<=\()(?P<single>{_NAME})(?=,?\s+{_YEAR}\s*\))"  # (Surname, 2015): one author only in brackets
)
_TAIL = re.compile(
    rf"(?:\s*\(\s*(?P<y1>{_YEAR})[a-z]?\s*\)|,?\s+(?P<y2>{_YEAR})[a-z]?\b)?"
    rf"(?:,?\s*[\"“](?P<title>[^\"”]+)[\"”](?:\s*\(\s*(?P<y3>{_YEAR})[a-z]?\s*\))?)?"
)
_YEAR_BEFORE = re.compile(rf"\bin\s+(?P<year>{_YEAR})\s+by\s+$")
#: Every citation has "et al" or a year; text with neither skips `_AUTHORS`, which tries every position.
_MAY_CITE = re.compile(rf"\bet\s+al\b|{_YEAR}")


@dataclass(frozen=True)
class BibEntry:
    key: str
    surname: str  # first author's surname, folded (see `_fold`)
    year: str
    title: str  # folded


@dataclass(frozen=True)
class Citation:
    """A citation in a sense's Markdown: [start, end) → bib key (None if unmatched)."""

    start: int
    end: int
    text: str
    surname: str
    year: str | None
    title: str | None
    key: str | None
    problem: str | None = None


def _fold(text: str) -> str:
    """Compare names and titles on letters and digits only: braces, case and dashes vary."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


class Bibliography:
    """The entries of a .bib file, indexed by first author's surname."""

    def __init__(self, entries: list[BibEntry]):
        self.entries = entries

    @classmethod
    def load(cls, path: Path) -> Bibliography:
        data = parse_file(str(path), bib_format="bibtex")
        entries = []
        for key, entry in data.entries.items():
            first = entry.persons["author"][0]
            surname = " ".join(first.prelast_names + first.last_names)
            entries.append(BibEntry(key, _fold(surname), entry.fields["year"], _fold(entry.fields["title"])))
        return cls(entries)

    def match(self, surname: str, year: str | None, title: str | None) -> tuple[str | None, str | None]:
        """(key, None) for exactly one fitting entry, else (None, why not)."""
        folded = _fold(surname)
        fits = [e for e in self.entries if folded in (e.surname, _fold(e.surname.split()[-1]))]
        if year:
            fits = [e for e in fits if e.year == year]
        if title:
            fits = [e for e in fits if e.title == _fold(title)]
        if len(fits) == 1:
            return fits[0].key, None
        if not fits:
            return None, "no entry in the bibliography"
        return None, "ambiguous: " + ", ".join(e.key for e in fits)


def find_citations(markdown: str, bibliography: Bibliography) -> list[Citation]:
    """Every citation in `markdown`, matched or not, in text order."""
    citations: list[Citation] = []
    if not _MAY_CITE.search(markdown):
        return citations
    for found in _AUTHORS.finditer(markdown):
        tail = _TAIL.match(markdown, found.end())
        assert tail is not None, "every part of _TAIL is optional"
        year = tail.group("y1") or tail.group("y2") or tail.group("y3")
        if not year and found.group("etal"):
            before = _YEAR_BEFORE.search(markdown, 0, found.start())
            year = before.group("year") if before else None
        if not (year or found.group("etal")):
            continue  # two capitalised names joined by "and" are only a citation with a year
        name = "surname" if found.group("surname") else "single"
        start, end = found.start(name), max(tail.end(), found.end())
        surname, title = found.group(name), tail.group("title")
        key, problem = bibliography.match(surname, year, title)
        citations.append(Citation(start, end, markdown[start:end], surname, year, title, key, problem))
    return citations


def _source_of(sense: Sense, citation: Citation) -> Source:
    """The dump line holding the citation's author phrase, else the entry's header line."""
    raw = sense.entry.raw
    needle = f"{citation.surname} "
    for offset, line in enumerate(raw.body):
        if needle in line and (citation.year is None or citation.year in line):
            return Source(raw.source.file, raw.body_line + offset)
    return raw.source


def citation_diagnostics(glossary: Glossary, bibliography: Bibliography) -> list[Diagnostic]:
    """A warning with file:line for every citation that matches no single bib entry."""
    diagnostics = []
    for term in glossary.terms:
        for sense in term.senses:
            for citation in find_citations(sense.markdown, bibliography):
                if citation.key is None:
                    message = f"{term.slug}: citation {citation.text!r} not matched: {citation.problem}"
                    diagnostics.append(Diagnostic(Severity.WARNING, "citation-unmatched", message, _source_of(sense, citation)))
    return diagnostics
