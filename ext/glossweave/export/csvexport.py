"""`glossary.csv`: one row per DEFINITION, for spreadsheets and quick scripts.

One row per definition rather than per term because a term's definitions
differ in category and text; a row per term would have to glue definitions
together and lose which category each belongs to.  The term's own columns
(id, name, aliases, keywords, related) repeat on each of its rows; `sense`
numbers its meanings from 1, and `definition` numbers the texts of one sense:
1 is the sense's primary definition, 2 and on its other definitions (rewrites
of the same meaning).  `keywords` are search keywords, never names.

Quoting is RFC 4180 (the `csv` module's default dialect): fields holding
commas, quotes or newlines are quoted, so the Markdown definitions keep their
line breaks.  List-valued columns (aliases, keywords, sources, links, related) are joined with
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
COLUMNS = [
    "id", "name", "aliases", "keywords", "sense", "definition", "category", "summary", "definition_markdown", "sources", "links", "related",
]
LIST_SEPARATOR = "; "


def glossary_rows(glossary: Glossary) -> list[list[str]]:
    """The header row, then one row per published definition, in term and sense order."""
    rows = [COLUMNS]
    for term in glossary.terms:
        for number, sense in enumerate(term.senses, start=1):
            for index, definition in enumerate(sense.definitions, start=1):
                targets = dict.fromkeys(link.target for link in definition.links)
                rows.append(
                    [
                        term.slug,
                        term.name,
                        LIST_SEPARATOR.join(term.aliases),
                        LIST_SEPARATOR.join(term.keywords),
                        str(number),
                        str(index),
                        definition.category,
                        definition.summary,
                        definition.markdown,
                        LIST_SEPARATOR.join(str(source) for source in definition.sources),
                        LIST_SEPARATOR.join(targets),
                        LIST_SEPARATOR.join(term.related),
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
