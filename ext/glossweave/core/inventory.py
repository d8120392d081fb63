"""Names that other Sphinx projects cannot reach by intersphinx, and how they still can.

Sphinx writes each object as one line of `objects.inv`, `name domain:type prio
uri dispname`, and its loader (`sphinx.util.inventory.InventoryFile._loads_v2`)
splits the line back with a lazy pattern.  When a bare number stands as a word
after two or more words (`top k 5 sampling`, `adaptive kernel 915`), the
pattern stops early, takes `k` as the object type and drops the line without a
word (sphinx-doc/sphinx #9292, #8844).  The line is written correctly; only
readers lose it, so this is checked here, where names are settled, and not in
the site.

Such a name is also registered under its *key*, the part of its anchor after
`term-` (the term's slug, or `<slug>--<alias slug>` for an alias): a key has no
spaces, so it always survives the loader, and other projects write
``:term:`Top k 5 sampling <top-k-5-sampling>```.
"""

from __future__ import annotations

import re

from glossweave.core.model import Report, Severity, Term
from glossweave.core.slug import alias_keys

#: The loader's own pattern (Sphinx 9.0, sphinx/util/inventory.py); a test checks it
#: against the real loader, so a Sphinx upgrade that changes it is noticed.
_LOADER_LINE = re.compile(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")


def lost_by_loader(name: str) -> bool:
    """Would Sphinx's inventory loader read `name` back as something else (or not at all)?"""
    written = " ".join(name.split())  # the writer collapses white space too
    parsed = _LOADER_LINE.match(f"{written} std:term -1 page.html#term-x -")
    return parsed is None or parsed.group(1) != written


def unreachable_names(term: Term) -> list[tuple[str, str]]:
    """(name, key to use instead) for the term's name and aliases that the loader drops."""
    names = [(term.name, term.slug), *alias_keys(term.slug, term.aliases).items()]
    return [(name, key) for name, key in names if lost_by_loader(name)]


def report_unreachable_names(terms: list[Term], report: Report) -> None:
    """One warning per name other projects cannot reach by itself, naming the key that works."""
    for term in terms:
        for name, key in unreachable_names(term):
            report.add(
                Severity.WARNING,
                "intersphinx-name",
                f"{name!r} is dropped by Sphinx's intersphinx loader (a number after two words); "
                f"other projects link it as {key!r}",
                term.sources[0],
            )
