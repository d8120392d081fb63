"""Which names a term is exported under, shared by the TBX and SKOS exports.

Both formats forbid the same name twice on one concept (SKOS: altLabel must be
disjoint from prefLabel; TBX: two termSecs with one term are a duplicate
entry).  Names are compared case-folded (`LAMB` and `lamb` are one name), and
the first spelling wins.  Only true aliases are alternative names; keywords
never are.
"""

from __future__ import annotations

from glossweave.core.model import Term


def alternative_names(term: Term) -> list[str]:
    """The term's aliases minus its display name and repeats, case-folded, in order."""
    seen = {term.name.casefold()}
    names: list[str] = []
    for alias in term.aliases:
        folded = alias.casefold()
        if folded not in seen:
            seen.add(folded)
            names.append(alias)
    return names
