"""CSV export: one row per definition, RFC 4180 quoting that keeps Markdown intact."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from glossweave.core.pipeline import build_glossary
from glossweave.export.csvexport import COLUMNS, LIST_SEPARATOR, write_csv

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
