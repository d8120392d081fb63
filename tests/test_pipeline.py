"""End to end on the real corpus, the export contract, and dumps the code has never seen."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from corpus_paths import CORPUS

from glossweave.core import texcheck
from glossweave.core.blocks import unflatten
from glossweave.core.model import BlockKind, Layout, Report
from glossweave.core.pipeline import _pack, _unpack, build_glossary, normalize_entries, read_dumps
from glossweave.core.texmath import bare_command_words, iter_math
from glossweave.export.jsonexport import SCHEMA_PATH, glossary_document


@pytest.fixture(scope="module")
def corpus_glossary():
    return build_glossary(CORPUS)


def test_every_entry_of_the_corpus_is_accounted_for(corpus_glossary):
    report = corpus_glossary.report
    raw_headers = 0
    for path in sorted(CORPUS.glob("*.txt")):
        raw_headers += report.entries_read[path.name]
        assert report.entries_read[path.name] > 0, path.name
    assert raw_headers == report.total_read
    assert corpus_glossary.balances()
    published = corpus_glossary.published_definitions
    assert report.total_read == published + len(report.merged_copies) + len(report.rejected)
    assert not report.errors, [str(d) for d in report.errors]


def test_corpus_holds_the_200_delivered_entries(corpus_glossary):
    # The four delivered dumps hold 50 entries each (counted by hand from the files).
    assert corpus_glossary.report.total_read == 200


def _all_math(glossary):
    for term in glossary.terms:
        for definition in term.definitions:
            for block in definition.entry.blocks:
                if block.kind is not BlockKind.CODE:
                    for line in block.lines:
                        for span in iter_math(line):
                            yield definition.sources[0], span.tex


def test_every_formula_parses_and_has_no_bare_command_word(corpus_glossary):
    formulas = list(_all_math(corpus_glossary))
    assert len(formulas) > 50
    bare = [(str(source), tex, bare_command_words(tex)) for source, tex in formulas if bare_command_words(tex)]
    assert bare == []
    try:
        errors = texcheck.validate([tex for _, tex in formulas])
    except texcheck.TexCheckUnavailable as missing:  # pragma: no cover - CI installs node
        pytest.fail(str(missing))
    failures = [(str(source), tex, error) for (source, tex), error in zip(formulas, errors) if error]
    assert failures == []


def test_export_matches_its_schema_and_keeps_no_sphinx_markup(corpus_glossary):
    document = glossary_document(corpus_glossary)
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    ids = [term["id"] for term in document["terms"]]
    assert len(ids) == len(set(ids))
    for term in document["terms"]:
        for sense in term["senses"]:
            assert not re.search(r"\{(term|ref|doc|category)\}`", sense["markdown"])


def test_schema_rejects_a_broken_export(corpus_glossary):
    document = glossary_document(corpus_glossary)
    del document["terms"][0]["senses"][0]["sources"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))


def test_flattened_page_restores_to_the_blocks_of_its_line_dump_twins(corpus_glossary):
    """Fidelity: every scraped entry with a line-dump twin restores block for block."""
    from glossweave.core.merge import fingerprint

    twins = 0
    mismatches = []
    for term in corpus_glossary.terms:
        for sense in term.definitions:
            if len({s.file for s in sense.sources}) < 2:
                continue
            kept = sense.entry
            for source in sense.sources:
                flat = _entry_at(source)
                if flat is None or flat.raw.layout is not Layout.FLAT or kept.raw.layout is Layout.FLAT:
                    continue
                assert fingerprint(flat) == fingerprint(kept)
                twins += 1
                if _structure(flat) != _structure(kept):
                    mismatches.append(str(source))
    assert twins >= 20
    assert mismatches == [], f"{len(mismatches)}/{twins} flattened entries differ from their twins"


def _structure(entry):
    """Block kinds, item counts and text (white space aside: the scraper turned line
    breaks into spaces); code keeps only its kind, its line breaks are gone for good."""
    return [
        (block.kind, 0, "") if block.kind is BlockKind.CODE else (block.kind, len(block.lines), "".join(block.markdown().split()))
        for block in entry.blocks
    ]


_ENTRIES = {}


def _entry_at(source):
    """The normalized entry read at `source` (normalized again, outside the merge)."""
    if not _ENTRIES:
        from glossweave.core.model import Report
        from glossweave.core.normalize import normalize_entry
        from glossweave.core.reader import read_dump

        raws = [raw for path in sorted(CORPUS.glob("*.txt")) for raw in read_dump(path, Report())]
        for raw in raws:
            _ENTRIES[raw.source] = normalize_entry(raw, Report())
    return _ENTRIES.get(source)


def _as_page(entries: list[tuple[str, list[str]]]) -> str:
    """A scraped page in the layout of 002_…: chrome, then header / blank / one body line."""
    parts = ["← Back to Chat", "", "Glossary", "", "Showing page 1 of 1 (2 entries)", ""]
    for header, body in entries:
        parts += [header, "", " ".join(body), ""]
    return "\n".join(parts)


UNSEEN = [
    (
        "matrix factorization, mf, recommendation systems",
        [
            "**Matrix Factorization** is **a method that writes a ratings matrix as $R approx U V^T$** - It underlies collaborative filtering.",
            "**How It Works**",
            "- **Objective**: minimize $sum_{(i,j)} (r_{ij} - u_i^T v_j)^2 + lambda |U|^2$.",
            "- **Cost**: a cloud run costs about $5/hour.",
            "| Variant | Loss |",
            "|---|---|",
            "| SVD | $ ext{MSE}$ |",
            "Matrix Factorization is **a classic recommender baseline** - It is fast.",
        ],
    ),
    (
        "mean teacher,semi-supervised learning",
        [
            "**Mean Teacher** is a **semi-supervised method whose teacher is an average of student weights** — with $ heta' = alpha heta' + (1 - alpha) heta$.",
            "**Why It Matters**",
            "- **Stability**: the averaged teacher gives smoother targets.",
        ],
    ),
]


@pytest.mark.parametrize("layout", ["lines", "flat"])
def test_an_unseen_dump_is_read_repaired_merged_and_accounted_for(make_corpus, layout):
    if layout == "lines":
        text = "\n".join(line for header, body in UNSEEN for line in [header, *body]) + "\n"
    else:
        text = _as_page(UNSEEN)
    glossary = build_glossary(make_corpus({"900_unseen.txt": text}))
    assert glossary.report.total_read == 2 and glossary.balances()
    by_key = {term.key: term for term in glossary.terms}
    mf = by_key["matrix factorization"]
    assert mf.name == "Matrix Factorization" and mf.aliases == ["MF"] and mf.categories == ["recommendation systems"]
    markdown = mf.senses[0].markdown
    assert r"R \approx U V^T" in markdown and r"\sum_{(i,j)}" in markdown and r"\lambda" in markdown
    assert r"\$5/hour" in markdown and r"\text{MSE}" in markdown
    assert [b.kind for b in mf.senses[0].entry.blocks] == [
        BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.BULLET_LIST, BlockKind.TABLE, BlockKind.PARAGRAPH,
    ]
    teacher = by_key["mean teacher"].senses[0].markdown
    assert r"\theta' = \alpha \theta' + (1 - \alpha) \theta" in teacher
    formulas = [span.tex for term in glossary.terms for s in term.senses for span in iter_math(s.markdown)]
    assert all(not bare_command_words(tex) for tex in formulas)
    assert texcheck.validate(formulas) == [None] * len(formulas)


def test_unflatten_keeps_every_character_of_prose():
    text = " ".join(UNSEEN[0][1])
    lines = unflatten(text, ["Matrix Factorization"])
    assert " ".join(lines).split() == text.split()


def test_forked_workers_give_the_serial_result(corpus_glossary):
    """Dumps normalized and terms linked in two forked processes come back whole and in order."""
    forked = build_glossary(CORPUS, workers=2)
    assert repr(forked.terms) == repr(corpus_glossary.terms)
    assert repr(forked.report) == repr(corpus_glossary.report)
    # Entries point at the raw entries this process read (`_pack`), with their text.
    assert all(d.entry.raw.body for term in forked.terms for d in term.definitions)


def test_a_packed_dump_comes_back_pointing_at_this_process_raw_entries():
    (dump, *_) = read_dumps(CORPUS, Report())
    result = normalize_entries(dump.raws)
    back = _unpack(_pack(result, dump.raws), dump.raws)
    assert len(back.entries) == len(result.entries) > 1
    assert all(copy.raw is original.raw for copy, original in zip(back.entries, result.entries))
    assert repr(back) == repr(result)
    # Block lines equal to a body line come back as that very string, not as a second copy.
    body_lines = {id(line) for raw in dump.raws for line in raw.body}
    block_lines = [line for entry in back.entries for block in entry.blocks for line in block.lines]
    assert any(id(line) in body_lines for line in block_lines)
