"""Categories: the corpus's own subject labels, filed into a small vocabulary and a few domains.

A category only ever comes from the corpus (see `glossweave.core.identify`).
What this module adds is how the many spellings of one subject are filed
under one category ("llm architecture" and "neural architecture" under
"architecture", "failure analysis advanced" under "failure analysis"), and
which domain each category belongs to, so the landing page shows a few domains
instead of one card per category.  Both come from `data/categories.toml`, a
documented file a maintainer overrules per project in the overrides file.

Filing is a dictionary lookup per category, remembered: linear in the number
of distinct categories, however many there are.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: The category of definitions whose header names none.
UNCATEGORIZED = "general"
#: The domain of categories no domain claims.
OTHER_DOMAIN = "Other"
SCHEME_PATH = Path(__file__).with_name("data") / "categories.toml"

_SPACES = re.compile(r"\s+")
_ACRONYMS = {"ai", "ml", "llm", "nlp", "rag", "rl", "gpu", "cpu", "tpu", "mlops", "llmops", "3d", "gnn", "cv", "cmp", "eda", "hpc", "xai"}
_SMALL_WORDS = {"and", "of", "for", "in", "on", "the", "to", "a", "an", "with"}


def normalize_category(text: str) -> str:
    """Categories compare case-insensitively with `&`/`and` and hyphens folded."""
    key = _SPACES.sub(" ", text.strip()).casefold().replace(" and ", " & ").replace("-", " ")
    return _SPACES.sub(" ", key).strip()


def category_label(category: str) -> str:
    """A display label: `ai safety` → `AI Safety`, `supply chain & logistics` → `Supply Chain & Logistics`."""
    words = []
    for index, word in enumerate(category.split(" ")):
        if word in _ACRONYMS:
            words.append(word.upper())
        elif index and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)


@dataclass(frozen=True)
class Domain:
    name: str
    categories: frozenset[str]
    words: frozenset[str]


@dataclass
class CategoryScheme:
    """The contents of `categories.toml`: qualifier words, variant groups, domains in order."""

    qualifiers: frozenset[str]
    groups: dict[str, str]  # variant → the category it is filed under
    domains: list[Domain]
    assigned: dict[str, str] = field(default_factory=dict)  # category → domain, set by overrides

    @classmethod
    def load(cls, path: Path = SCHEME_PATH) -> CategoryScheme:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        groups = {
            normalize_category(variant): normalize_category(canonical)
            for canonical, variants in data.get("groups", {}).items()
            for variant in variants
        }
        domains = [
            Domain(
                item["name"],
                frozenset(normalize_category(c) for c in item.get("categories", [])),
                frozenset(word.casefold() for word in item.get("words", [])),
            )
            for item in data.get("domain", [])
        ]
        return cls(frozenset(q.casefold() for q in data.get("qualifiers", [])), groups, domains)

    def listed(self) -> set[str]:
        """Every category the file names: corpora use them as categories (see module docstring)."""
        names = set(self.groups) | set(self.groups.values())
        for domain in self.domains:
            names |= domain.categories
        return names


class CategoryFiling:
    """How this corpus's categories are filed: the vocabulary learned from it plus the scheme.

    `learned` are the category parts of the corpus's spaced headers (normalised): what it
    `used`; a compact header's last part is a category only when it is `known` (used
    or listed in the scheme), and a keyword list's only when it is used.
    """

    def __init__(self, scheme: CategoryScheme, learned: Iterable[str]) -> None:
        self.scheme = scheme
        # Remembered per distinct category: the same few categories are asked about for every entry.
        self._filed = functools.cache(self._file)
        self.domain = functools.cache(self._domain)
        self.used = {self.file(category)[0] for category in learned}
        self.known = self.used | {self.file(c)[0] for c in scheme.listed()}

    def is_category(self, text: str) -> bool:
        return self.file(text)[0] in self.known

    def is_used(self, text: str) -> bool:
        """Does the corpus itself file under `text` (a spaced header's last part), not only the scheme?"""
        return self.file(text)[0] in self.used

    def file(self, text: str) -> tuple[str, str]:
        """(the category `text` is filed under, why; "" when it is filed as written)."""
        return self._filed(normalize_category(text))

    def _file(self, key: str) -> tuple[str, str]:
        if key in self.scheme.groups:
            return self.scheme.groups[key], "a variant of it"
        words = key.split(" ")
        kept = [word for word in words if word not in self.scheme.qualifiers]
        if kept and len(kept) < len(words):
            dropped = ", ".join(repr(word) for word in words if word not in kept)
            base = " ".join(kept)
            return self.scheme.groups.get(base, base), f"qualifier {dropped} dropped"
        return key, ""

    def _domain(self, category: str) -> tuple[str, str]:
        """(the domain of a filed category, why); `domain` is this, remembered."""
        if category in self.scheme.assigned:
            return self.scheme.assigned[category], "set by the overrides file"
        for domain in self.scheme.domains:
            if category in domain.categories:
                return domain.name, "listed in categories.toml"
        words = set(category.split(" "))
        for domain in self.scheme.domains:
            if words & domain.words:
                return domain.name, f"its word {sorted(words & domain.words)[0]!r}"
        return OTHER_DOMAIN, "no domain lists it or its words"
