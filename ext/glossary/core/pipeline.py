"""The whole core pipeline in one call: read → normalize → merge → link.

Reading and normalizing are the expensive stages and depend only on one dump
(plus the corpus-wide category vocabulary), so their result is cached per dump,
keyed by the dump's bytes: an incremental build re-parses only dumps that
changed.  Merging and linking always run over the whole corpus, since one new
entry can change any term's senses, aliases or links.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from glossary.core.headers import category_vocabulary
from glossary.core.inventory import report_unreachable_names
from glossary.core.linker import Linker, LinkRules
from glossary.core.merge import merge_entries
from glossary.core.model import Diagnostic, Entry, Glossary, RawEntry, Rejection, Report, Term
from glossary.core.normalize import normalize_entry
from glossary.core.reader import read_dump

_LINK_STOPWORDS = {"a", "an", "and", "for", "in", "of", "on", "the", "to", "with", "model", "models"}

#: Bump when a change to reading or normalizing must invalidate cached dumps.
CACHE_VERSION = 3


@dataclass
class _Normalized:
    """What normalizing one dump produced; the unit of caching."""

    entries: list[Entry]
    rejected: list[Rejection]
    diagnostics: list[Diagnostic]


def dump_files(corpus_dir: Path) -> list[Path]:
    """Every `*.txt` dump of the corpus, in sorted order."""
    return sorted(path for path in corpus_dir.glob("*.txt") if path.is_file())


def build_glossary(corpus_dir: Path, rules: LinkRules | None = None, cache_dir: Path | None = None) -> Glossary:
    """Run the pipeline over every dump in `corpus_dir`."""
    report = Report()
    dumps = [(path, path.read_bytes()) for path in dump_files(corpus_dir)]
    raws = {path: read_dump(path, report, data) for path, data in dumps}
    vocabulary = category_vocabulary(raw.header for entries in raws.values() for raw in entries)
    salt = f"{CACHE_VERSION}\n" + "\n".join(sorted(vocabulary))
    entries: list[Entry] = []
    for path, data in dumps:
        result = _normalized(path, data, raws[path], vocabulary, salt, cache_dir)
        entries += result.entries
        report.rejected += result.rejected
        report.diagnostics += result.diagnostics
    terms = merge_entries(entries, report)
    report_unreachable_names(terms, report)
    linker = link_terms(terms, rules)
    report.held_names = [str(held) for held in linker.held] + link_names(terms)[1]
    return Glossary(terms=terms, report=report)


def _normalized(
    path: Path, data: bytes, raws: list[RawEntry], vocabulary: set[str], salt: str, cache_dir: Path | None
) -> _Normalized:
    """Normalize one dump, or load the result cached for these exact bytes."""
    key = hashlib.sha256(data + salt.encode()).hexdigest()[:20]
    cached = cache_dir / f"{path.stem}-{key}.pickle" if cache_dir else None
    if cached and cached.exists():
        with cached.open("rb") as handle:
            return pickle.load(handle)
    result = normalize_entries(raws, vocabulary)
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for stale in cached.parent.glob(f"{path.stem}-*.pickle"):
            stale.unlink()
        with cached.open("wb") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return result


def normalize_entries(raws: list[RawEntry], vocabulary: set[str]) -> _Normalized:
    """Normalize the raw entries of one dump, keeping their diagnostics apart."""
    report = Report()
    entries: list[Entry] = []
    rejected: list[Rejection] = []
    for raw in raws:
        result = normalize_entry(raw, vocabulary, report)
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            entries.append(result)
    return _Normalized(entries, rejected, report.diagnostics)


def link_names(terms: list[Term]) -> tuple[list[tuple[str, str]], list[str]]:
    """Names that may link → slug, and the aliases kept from linking, with why.

    Compact headers are often keyword lists (`lambda labs,cloud,deep learning,…`),
    so an alias links only when it is a form of the term's own name: it shares a
    word with it, or is its initialism (`lga`, `kan`).  The rest still resolve
    with `:term:` but never turn prose into links.
    """
    pairs: list[tuple[str, str]] = []
    kept_back: list[str] = []
    for term in terms:
        names = {term.key, term.name}
        for alias in term.aliases:
            if is_form_of(alias, term.key):
                names.add(alias)
            else:
                kept_back.append(f"{alias!r} → {term.slug}: alias unrelated to the term's name; not auto-linked")
        pairs += [(name, term.slug) for name in sorted(names)]
    return pairs, kept_back


def _name_words(name: str) -> list[str]:
    return [word for word in re.findall(r"[^\W_]+", name.casefold()) if word not in _LINK_STOPWORDS]


def _same_stem(a: str, b: str) -> bool:
    """`label`/`labels`, `smoothed`/`smoothing`: equal up to a short ending."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    common = len(os.path.commonprefix([a, b]))
    return shortest >= 4 and common >= max(4, shortest - 3)


def is_form_of(alias: str, term_key: str) -> bool:
    """Does `alias` share a content word (up to its ending) with the term's name, or spell its initials?"""
    alias_words, term_words = _name_words(alias), _name_words(term_key)
    if any(_same_stem(a, t) for a in alias_words for t in term_words):
        return True
    compact = "".join(re.findall(r"[^\W_]+", alias.casefold()))
    spellings = {
        "".join(word[0] for word in re.findall(pattern, term_key.casefold())) for pattern in (r"[^\W_]+", r"[^\W_][\w-]*")
    }
    return len(compact) >= 2 and compact in spellings


def link_terms(terms: list[Term], rules: LinkRules | None = None) -> Linker:
    """Fill every sense's `links` with mentions of other terms."""
    pairs, _ = link_names(terms)
    linker = Linker(pairs, rules)
    for term in terms:
        for sense in term.senses:
            sense.links = linker.link(sense.entry.blocks, term.slug)
    return linker
