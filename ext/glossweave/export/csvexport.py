"""`glossary.csv`: one row per SENSE, for spreadsheets and quick scripts.

One row per sense rather than per term because a term's senses differ in
category and text; a row per term would have to glue definitions together and
lose which category each belongs to.  The term's own columns (id, name,
aliases) repeat on each of its rows; `sense` numbers them from 1.

Quoting is RFC 4180 (the `csv` module's default dialect): fields holding
commas, quotes or newlines are quoted, so the Markdown definitions keep their
line breaks.  List-valued columns (aliases, sources, links) are joined with
"; " — no name or source in the corpus contains that separator, and the
export test checks it stays so.

A cell a spreadsheet would run as a formula is neutralised by OWASP's rule:
it gets a leading apostrophe, which Excel, LibreOffice and Google Sheets take
as "this is text" and do not show.  The rule is ours (`neutralised`) rather
than `defusedcsv`'s, which checks only = + - @ | % and so lets a leading tab
or carriage return through, both on OWASP's list.
"""

from __future__ import annotations

import csv
from pathlib import Path

from glossweave.core.model import Glossary

#: What makes a spreadsheet read a cell as a formula: OWASP's = + - @ tab CR, with LF and NUL
#: (OWASP ASVS) and the full-width = + - @ that East Asian versions of Excel accept too.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")
COLUMNS = ["id", "name", "aliases", "sense", "category", "summary", "definition_markdown", "sources", "links"]
LIST_SEPARATOR = "; "


def glossary_rows(glossary: Glossary) -> list[list[str]]:
    """The header row, then one row per published sense, in term order."""
    rows = [COLUMNS]
    for term in glossary.terms:
        for number, sense in enumerate(term.senses, start=1):
            targets = dict.fromkeys(link.target for link in sense.links)
            rows.append(
                [
                    term.slug,
                    term.name,
                    LIST_SEPARATOR.join(term.aliases),
                    str(number),
                    sense.category,
                    sense.summary,
                    sense.markdown,
                    LIST_SEPARATOR.join(str(source) for source in sense.sources),
                    LIST_SEPARATOR.join(targets),
                ]
            )
    return rows


def neutralised(cell: str) -> str:
    """`cell`, with a leading apostrophe if a spreadsheet would run it (spaces before the sign count as nothing)."""
    return f"'{cell}" if cell.lstrip(" ")[:1] in FORMULA_TRIGGERS else cell


def write_csv(glossary: Glossary, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([neutralised(cell) for cell in row] for row in glossary_rows(glossary))
    return path
