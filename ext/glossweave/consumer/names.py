"""Which glossary name a reference meant: the name itself, its case and plural variants, "did you mean".

No Sphinx here: an index over (name, target, term) triples, where `target` is
what a link goes to (a term's or an alias's anchor) and `term` says which
term that is, so that a name and its term's alias count as one meaning.

* `exact`: the name up to case and white space, as Sphinx compares terms.
* `variants`: also up to a plural on the last word ("GPUs" → "GPU",
  "caches" → "cache", "batches" → "batch", "GPU" → "GPUs").
* `suggest`: also up to hyphens and spacing ("multi-head" / "multi head" /
  "multihead"), then names within a small edit distance (a typo, a missing or
  swapped letter), found with rapidfuzz over every name at once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

_JOINERS = re.compile(r"[\s_\-\u2010-\u2015]+")


def fold(name: str) -> str:
    """Case and white space do not matter (Sphinx folds terms the same way)."""
    return " ".join(name.casefold().split())


def loose(name: str) -> str:
    """Neither do hyphens, underscores and spaces between words."""
    return _JOINERS.sub("", fold(name))


def number_forms(word: str) -> set[str]:
    """The word, and what it may be the plural or the singular of."""
    forms = {word, word + "s"}
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        forms.add(word[:-1] + "ies")
    return forms


def _number_variants(key: str) -> set[str]:
    """`key` with its last word in each number form."""
    head, _, last = key.rpartition(" ")
    return {f"{head} {form}" if head else form for form in number_forms(last)}


def max_typos(key: str) -> int:
    """How many edits still count as a typo of a name this long: none for very short names."""
    return 0 if len(key) < 3 else 1 if len(key) < 6 else 2 if len(key) < 12 else 3


@dataclass(frozen=True)
class Name:
    name: str
    target: Hashable
    term: Hashable


class NameIndex:
    def __init__(self, names: Iterable[Name]) -> None:
        self.names = list(names)
        self._by_fold: dict[str, list[Name]] = defaultdict(list)
        self._by_loose: dict[str, list[Name]] = defaultdict(list)
        for name in self.names:
            self._by_fold[fold(name.name)].append(name)
            self._by_loose[loose(name.name)].append(name)
        self._loose_keys = list(self._by_loose)

    def exact(self, query: str) -> list[Name]:
        return list(self._by_fold.get(fold(query), ()))

    def variants(self, query: str) -> list[Name]:
        """Names equal to `query` up to case, white space and a plural, the exact ones first."""
        found = self.exact(query)
        for key in sorted(_number_variants(fold(query)) - {fold(query)}):
            found += self._by_fold.get(key, ())
        return found

    def suggest(self, query: str, limit: int = 5) -> list[Name]:
        """The names `query` most likely meant, closest first (empty when nothing is close)."""
        key = loose(query)
        ranked: list[tuple[int, int, str, Name]] = []  # (kind of difference, edits, name, Name)
        exact = self.exact(query)
        ranked += [(0, 0, name.name, name) for name in exact]
        ranked += [(1, 0, name.name, name) for name in self.variants(query)[len(exact) :]]
        ranked += [(2, 0, name.name, name) for name in self._by_loose.get(key, ())]
        for variant in _number_variants(fold(query)):
            ranked += [(3, 0, name.name, name) for name in self._by_loose.get(loose(variant), ())]
        typos = max_typos(key)
        if typos:
            for choice, edits, _ in process.extract(key, self._loose_keys, scorer=OSA.distance, score_cutoff=typos, limit=None):
                ranked += [(4, int(edits), name.name, name) for name in self._by_loose[choice]]
        seen: set[Name] = set()
        best = []
        for *_, name in sorted(ranked, key=lambda r: r[:3]):
            if name not in seen:
                seen.add(name)
                best.append(name)
        return best[:limit]


def one_meaning(names: list[Name]) -> Name | None:
    """The first of `names` when they all mean the same term; None when none or several."""
    return names[0] if names and len({name.term for name in names}) == 1 else None
