"""Citations: found in each style the corpus uses, matched to .bib entries, misses reported."""

from __future__ import annotations

import re

import pytest
from pybtex.database import parse_file

from corpus_paths import CORPUS, REFERENCES_BIB
from glossweave.core.citations import Bibliography, citation_diagnostics, find_citations
from glossweave.core.model import Severity, Source
from glossweave.core.pipeline import build_glossary


SMALL_BIB = """
@article{smith2019a, author = {Smith, Ann and Jones, Bo}, title = {First Things}, journal = {J}, year = {2019}}
@article{smith2019b, author = {Smith, Ann}, title = {Second {Things}: More}, journal = {J}, year = {2019}}
@article{doe2020, author = {Doe, Jane and Roe, Rick}, title = {Only One}, journal = {J}, year = {2020}}
@article{vandenberg2021, author = {van den Berg, Piet}, title = {Particles}, journal = {J}, year = {2021}}
"""


@pytest.fixture(scope="module")
def bib(tmp_path_factory) -> Bibliography:
    path = tmp_path_factory.mktemp("bib") / "small.bib"
    path.write_text(SMALL_BIB, encoding="utf-8")
    return Bibliography.load(path)


STYLES = {
    "narrative with year and title": ('Doe et al. (2020), "Only One."', "doe2020"),
    "parenthetical": ("as shown (Doe et al., 2020).", "doe2020"),
    "bare year": ("scaling (Doe et al. 2020); more", "doe2020"),
    "title then year": ('Smith et al., "Second Things: More" (2019).', "smith2019b"),
    "year before the author": ("Introduced in 2020 by Doe et al., it", "doe2020"),
    "no year, one entry": ("training (Chinchilla, Doe et al.):", "doe2020"),
    "two authors": ("Smith and Jones (2019), \"First Things\"", "smith2019a"),
    "single author in brackets": ("known (Doe, 2020).", "doe2020"),
    "surname with particles": ("van den Berg et al. 2021 found", "vandenberg2021"),
}


@pytest.mark.parametrize(("markdown", "key"), STYLES.values(), ids=STYLES.keys())
def test_each_citation_style_is_found_and_matched(bib, markdown, key):
    (citation,) = find_citations(markdown, bib)
    assert citation.key == key and citation.problem is None
    assert markdown[citation.start : citation.end] == citation.text
    assert citation.text.startswith(citation.surname)


UNMATCHED = {
    "surname + year ambiguous without title": ("Smith et al. (2019)", "ambiguous: smith2019a, smith2019b"),
    "title contradicts the bib": ('Doe et al. (2020), "Another Title"', "no entry in the bibliography"),
    "year contradicts the bib": ("Doe et al. (2011)", "no entry in the bibliography"),
    "unknown author": ("Nobody et al. (2020)", "no entry in the bibliography"),
    "no year, two entries": ("Smith et al. showed", "ambiguous: smith2019a, smith2019b"),
}


@pytest.mark.parametrize(("markdown", "problem"), UNMATCHED.values(), ids=UNMATCHED.keys())
def test_citations_without_a_single_entry_stay_unmatched(bib, markdown, problem):
    (citation,) = find_citations(markdown, bib)
    assert citation.key is None and citation.problem == problem


@pytest.mark.parametrize(
    "markdown",
    ["Operational Efficiency and Risk Management", "Smith and Jones agree", "LaMDA (2022) was", "founded 2020 by Orr"],
)
def test_prose_is_not_a_citation(bib, markdown):
    assert find_citations(markdown, bib) == []


def test_diagnostics_point_at_the_dump_line(make_corpus, bib):
    corpus = make_corpus(
        {
            "cites.txt": "alpha method, testing\n"
            "**Alpha Method** is a method.\n"
            "- **Paper**: Doe et al. (2020).\n"
            "- **Later**: Nobody et al. (2023) extended it.\n"
        }
    )
    (diagnostic,) = citation_diagnostics(build_glossary(corpus), bib)
    assert diagnostic.source == Source("cites.txt", 4)
    assert diagnostic.severity is Severity.WARNING and diagnostic.code == "citation-unmatched"
    assert "Nobody et al. (2023)" in diagnostic.message and "alpha-method" in diagnostic.message


def test_every_corpus_citation_matches_references_bib():
    glossary = build_glossary(CORPUS)
    bibliography = Bibliography.load(REFERENCES_BIB)
    assert citation_diagnostics(glossary, bibliography) == []
    cited = {c.key for t in glossary.terms for s in t.senses for c in find_citations(s.markdown, bibliography)}
    assert cited == {entry.key for entry in bibliography.entries}, "every .bib entry is cited, and only those"


@pytest.mark.parametrize("key", sorted(parse_file(str(REFERENCES_BIB)).entries))
def test_references_bib_entries_are_complete(key):
    entry = parse_file(str(REFERENCES_BIB)).entries[key]
    assert entry.persons["author"], "authors"
    assert entry.fields["title"] and re.fullmatch(r"(19|20)\d\d", entry.fields["year"])
    assert {"journal", "booktitle", "howpublished"} & set(entry.fields), "a venue"
    if "doi" in entry.fields:
        assert re.fullmatch(r"10\.\d{4,9}/\S+", entry.fields["doi"])
