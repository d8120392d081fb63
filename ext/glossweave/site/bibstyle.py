"""A bibliography style that prints each identifier once: `glossweave-alpha`.

pybtex's alpha style prints an entry's arXiv id or DOI as a link at its end;
entries often restate it in a text field too (`howpublished = {arXiv preprint
arXiv:1503.02531}`), and readers saw the id twice.  This style drops a text
field that only repeats an identifier the entry prints as a link anyway.  Labels
and order are alpha's.  Select it with `bibtex_default_style = "glossweave-alpha"`.
"""

from __future__ import annotations

import re

import pybtex.plugin
from pybtex.database import Entry
from pybtex.style.formatting.alpha import Style as AlphaStyle

NAME = "glossweave-alpha"
#: Text fields a style prints that entries use to restate an identifier.
RESTATING_FIELDS = ("howpublished", "note", "journal")


def restated_identifier(text: str, identifiers: list[str]) -> bool:
    """True when `text` is nothing but a way of writing one of `identifiers` ("arXiv preprint arXiv:…")."""
    for identifier in identifiers:
        rest = text.replace(identifier, " ")
        if rest != text and not re.sub(r"(?i)\b(?:arxiv|preprint|e-?print|doi|https?://\S*)\b|[\s:.,;/()]", "", rest):
            return True
    return False


class Style(AlphaStyle):
    def format_entry(self, label, entry, bib_data=None):
        identifiers = [entry.fields[name] for name in ("eprint", "doi") if entry.fields.get(name)]
        redundant = [name for name in RESTATING_FIELDS if restated_identifier(entry.fields.get(name, ""), identifiers)]
        if redundant:
            fields = {name: value for name, value in entry.fields.items() if name.lower() not in redundant}
            trimmed = Entry(entry.type, fields=fields, persons=entry.persons)
            trimmed.key = entry.key
            entry = trimmed
        return super().format_entry(label, entry, bib_data)


def register_style() -> None:
    pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, Style)
