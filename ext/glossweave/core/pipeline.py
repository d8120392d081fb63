"""The whole core pipeline in one call: read → normalize → identify → merge → link.

Reading and normalizing depend only on one dump, so their result (the raw
entries, the normalized ones, and what each stage reported) is cached per
dump, keyed by the dump's path and bytes and the core's own code and data
(`glossweave.core.cachefiles`): an incremental build reads and re-parses only
dumps that changed, and reports what the others reported, in the same order.
An unreadable cache entry is parsed again, with an info diagnostic.
Identifying and merging always run over the whole corpus, since one new entry
can change what any header part is (the category vocabulary is corpus-wide)
and any term's senses or aliases.  Linking one definition depends only on its
text, its term and the names that link, so its spans are cached too, keyed by
all three (`LINKS_CACHE`): an edit that keeps the names re-links only the
definitions whose text changed, and one that changes a name re-links all.
The maintainer's overrides file is applied within them, after the heuristics.

Normalizing dumps and linking terms are independent units of work, so on a
large corpus they are spread over forked processes (`glossweave.core.workers`);
merging, which needs every entry at once, stays in this process.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import pickle
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from glossweave.core.cachefiles import tree_digest, write_atomically
from glossweave.core.categories import CategoryFiling, CategoryScheme, normalize_category
from glossweave.core.headers import learned_categories
from glossweave.core.identify import identify_entries, spell_symbols, split_halves, words_of
from glossweave.core.inventory import report_unreachable_names
from glossweave.core.linker import Linker, LinkRules
from glossweave.core.merge import merge_entries
from glossweave.core.model import Definition, Diagnostic, Entry, Glossary, LinkSpan, RawEntry, Rejection, Report, Role, Severity, Source, Term
from glossweave.core.nesting import report_deep_nesting
from glossweave.core.normalize import normalize_entry
from glossweave.core.overrides import Overrides, load_overrides
from glossweave.core.reader import read_dump
from glossweave.core.slug import report_alias_collisions, report_category_collisions
from glossweave.core.workers import available_cpus, collector_paused, fork_map

#: The code and data that reading and normalizing run: part of every cache key.
CORE_DIR = Path(__file__).parent
#: Diagnostic code of a cache entry that could not be read (the dump is parsed again).
CACHE_UNREADABLE = "cache-unreadable"
#: In the cache folder: the last run's links of each definition (see `link_terms`).
LINKS_CACHE = "links.pickle"


#: Below this many entries the pipeline runs in one process: forking costs more than it saves.
PARALLEL_MIN_ENTRIES = 2000


@dataclass
class _Normalized:
    """What normalizing one dump produced, with what reading it produced; the unit of caching."""

    entries: list[Entry]
    rejected: list[Rejection]
    diagnostics: list[Diagnostic]
    raws: list[RawEntry] = field(default_factory=list)
    entries_read: int = 0  # raw entries found, rejected look-alike names included
    read_rejected: list[Rejection] = field(default_factory=list)
    read_diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class _Dump:
    """One dump as read: its raw entries and what reading them reported, and its cache entry.

    The bytes themselves are not kept: at 64,000 entries they would hold on to
    180 MB for the whole run.  `cached` is the cache entry's result, when it
    could be loaded: then the dump was not read again.
    """

    path: Path
    raws: list[RawEntry]
    entries_read: int
    rejected: list[Rejection]
    diagnostics: list[Diagnostic]
    cache: Path | None = None
    cached: _Normalized | None = None


def dump_files(corpus_dir: Path) -> list[Path]:
    """Every `*.txt` dump of the corpus, in sorted order."""
    return sorted(path for path in corpus_dir.glob("*.txt") if path.is_file())


def build_glossary(
    corpus_dir: Path,
    rules: LinkRules | None = None,
    cache_dir: Path | None = None,
    workers: int | None = None,
    overrides: Path | None = None,
) -> Glossary:
    """Run the pipeline over every dump in `corpus_dir`.

    `workers` processes normalize dumps and link terms (see `glossweave.core.workers`);
    by default every available CPU once the corpus is large enough to repay the forks.
    The result does not depend on it.  `overrides` is the maintainer's overrides
    file (`glossweave.core.overrides`); its problems are reported with `file:line`.
    """
    with collector_paused():
        return _build(corpus_dir, rules, cache_dir, workers, overrides)


def _build(
    corpus_dir: Path, rules: LinkRules | None, cache_dir: Path | None, workers: int | None, overrides_path: Path | None
) -> Glossary:
    report = Report()
    overrides = load_overrides(overrides_path, report) if overrides_path else None
    dumps = read_dumps(corpus_dir, report, cache_dir)
    if workers is None:
        large = sum(len(dump.raws) for dump in dumps) >= PARALLEL_MIN_ENTRIES
        workers = available_cpus() if large else 1
    entries: list[Entry] = []
    for result in normalize_dumps(dumps, workers):
        entries += result.entries
        report.rejected += result.rejected
        report.diagnostics += result.diagnostics
    filing = category_filing(dumps, overrides)
    identify_entries(entries, filing)
    terms = merge_entries(entries, report, filing, overrides)
    domains = {category: filing.domain(category)[0] for term in terms for category in term.categories}
    report.category_filings = _filings(entries, filing)
    report_category_collisions(terms, report)
    report_alias_collisions(terms, report)
    report_unreachable_names(terms, report)
    pairs, kept_back = link_names(terms, overrides)
    linker = link_terms(terms, rules, workers, pairs, cache_dir)
    report.held_names = [str(held) for held in linker.held] + kept_back
    if overrides:
        overrides.note_categories(set(report.category_filings) | set(domains))
        overrides.report(report)
    return Glossary(terms=terms, report=report, domains=domains, link_names=pairs)


def category_filing(dumps: list[_Dump], overrides: Overrides | None) -> CategoryFiling:
    """The corpus's category vocabulary (its spaced headers), filed by the scheme and the overrides."""
    scheme = CategoryScheme.load()
    if overrides:
        overrides.adjust_scheme(scheme)
    return CategoryFiling(scheme, learned_categories(raw.header for dump in dumps for raw in dump.raws))


def _filings(entries: list[Entry], filing: CategoryFiling) -> dict[str, tuple[str, str]]:
    """Each category part as written (normalised) → (the category it is filed under, why), where they differ."""
    filings = {}
    for entry in entries:
        for decision in entry.identified.decisions:
            if decision.role is Role.CATEGORY:
                written = normalize_category(decision.text)
                filed, why = filing.file(decision.text)
                if filed != written:
                    filings[written] = (filed, why)
    return filings


def read_dumps(corpus_dir: Path, report: Report, cache_dir: Path | None = None) -> list[_Dump]:
    """Split every dump into raw entries (the read stage), or take them from its cache entry."""
    salt = tree_digest(CORE_DIR)
    dumps = []
    for path in dump_files(corpus_dir):
        data = path.read_bytes()
        cache = _cache_file(path, hashlib.sha256(data).hexdigest(), salt, cache_dir)
        cached = _load_cached(cache, report) if cache and cache.exists() else None
        if cached is None:
            own = Report()
            raws = read_dump(path, own, data)
            dump = _Dump(path, raws, own.entries_read[path.name], own.rejected, own.diagnostics, cache)
        else:
            dump = _Dump(path, cached.raws, cached.entries_read, cached.read_rejected, cached.read_diagnostics, cache, cached)
        report.entries_read[path.name] = dump.entries_read
        report.rejected += dump.rejected
        report.diagnostics += dump.diagnostics
        dumps.append(dump)
    return dumps


def normalize_dumps(dumps: list[_Dump], workers: int) -> list[_Normalized]:
    """Normalize every dump, in order: cached results were loaded when reading, the rest run in `workers` processes."""
    results = {index: dump.cached for index, dump in enumerate(dumps) if dump.cached is not None}
    todo = [index for index in range(len(dumps)) if index not in results]
    for index, packed in zip(todo, fork_map(_normalize_dump, dumps, todo, workers), strict=True):
        results[index] = _unpack(packed, dumps[index].raws)
    return [results[index] for index in range(len(dumps))]


def _load_cached(path: Path, report: Report) -> _Normalized | None:
    """The cached result in `path`, or None (noted in `report`) when it cannot be read: a miss, never a failed run."""
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, _Normalized):
            return loaded
        problem = f"holds a {type(loaded).__name__}"
    except Exception as error:  # truncated, garbage or from other code: unpickling can raise anything
        problem = f"{type(error).__name__}: {error}"
    report.add(Severity.INFO, CACHE_UNREADABLE, f"cache entry {path} unreadable ({problem}); the dump is parsed again")
    return None


def _cache_file(path: Path, digest: str, salt: str, cache_dir: Path | None) -> Path | None:
    """Where the result for these exact bytes under this file name is cached (the raw entries name the file)."""
    if cache_dir is None:
        return None
    key = hashlib.sha256(f"{path.name}\n{digest}\n{salt}".encode()).hexdigest()[:20]
    return cache_dir / f"{path.stem}-{key}.pickle"


def _normalize_dump(dumps: list[_Dump], index: int) -> bytes:
    """Normalize one dump and cache the result (runs in a worker when there are several); see `_pack`."""
    dump = dumps[index]
    result = normalize_entries(dump.raws)
    result.entries_read, result.read_rejected, result.read_diagnostics = dump.entries_read, dump.rejected, dump.diagnostics
    if dump.cache:
        write_atomically(dump.cache, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        own_entries = re.compile(rf"{re.escape(dump.path.stem)}-[0-9a-f]{{20}}\.pickle")  # not those of `<stem>-x.txt`
        for stale in dump.cache.parent.glob(f"{dump.path.stem}-*.pickle"):
            if stale != dump.cache and own_entries.fullmatch(stale.name):
                stale.unlink(missing_ok=True)
    return _pack(result, dump.raws)


def _pack(result: _Normalized, raws: list[RawEntry]) -> bytes:
    """Pickle `result`, with each raw entry and each copy of a raw body line as its place in `_shared`.

    The main process read the raw entries itself, so sending them back from a
    worker would copy half the corpus's text through a pipe and keep it twice.
    Most block lines of a line dump are its body lines, as they were or
    rebuilt equal (`- item`): sent as positions they cost nothing to pickle
    and are the raw entry's own strings once unpacked.
    """
    shared = _shared(raws)
    entries = {id(raw): position for position, raw in enumerate(raws)}
    lines = {line: position for position, line in enumerate(shared) if position >= len(raws)}

    def position_of(obj: object) -> int | None:
        kind = type(obj)
        if kind is str:
            return lines.get(obj)  # type: ignore[call-overload]
        return entries.get(id(obj)) if kind is RawEntry else None

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = position_of  # type: ignore[method-assign]
    pickler.dump(result)
    return buffer.getvalue()


def _unpack(packed: bytes, raws: list[RawEntry]) -> _Normalized:
    """`_pack`'s result, its entries and lines those of `raws`."""
    unpickler = pickle.Unpickler(io.BytesIO(packed))
    unpickler.persistent_load = _shared(raws).__getitem__  # type: ignore[method-assign]
    return unpickler.load()


def _shared(raws: list[RawEntry]) -> list[RawEntry | str]:
    """What both sides of `_pack` hold, by position: the raw entries, then every body line in order."""
    return [*raws, *itertools.chain.from_iterable(raw.body for raw in raws)]


def normalize_entries(raws: list[RawEntry]) -> _Normalized:
    """Normalize the raw entries of one dump, keeping their diagnostics apart."""
    report = Report()
    entries: list[Entry] = []
    rejected: list[Rejection] = []
    for raw in raws:
        result = _normalize_or_reject(raw, report)
        if isinstance(result, Rejection):
            rejected.append(result)
        else:
            report_deep_nesting(result, report)
            entries.append(result)
    return _Normalized(entries, rejected, report.diagnostics, raws)


def _normalize_or_reject(raw: RawEntry, report: Report) -> Entry | Rejection:
    """`normalize_entry`, or a rejection when the entry nests deeper than Python can recurse.

    A safety net, so that one hostile entry (a thousand nested `\\sqrt{`, read by a
    recursive parser) costs that entry, reported, and never the whole build.
    """
    try:
        return normalize_entry(raw, report)
    except RecursionError:
        reason = "nested too deeply to read (Python's recursion limit)"
        # named at the body's first line, where the nesting is; the rejection is the entry's
        report.add(Severity.ERROR, "too-deep", f"{reason}; entry not published", Source(raw.source.file, raw.body_line))
        return Rejection(raw.source, reason, raw.header)


def link_names(terms: list[Term], overrides: Overrides | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """Names that may link → slug, and the names kept from linking, with why.

    Only names link: a term's name and its true aliases (so an acronym's
    expansion links to the acronym's term), and the singular of a plural name,
    never its keywords.  Two kinds of
    name are still held back: one whose words are all among the term's own
    name (`Context Length` for `Long Context Length`) names a broader class
    than the term, and the overrides file can stop any phrase.
    """
    stopped = overrides.no_link_phrases() if overrides else {}
    pairs: list[tuple[str, str]] = []
    kept_back: list[str] = []
    for term in terms:
        names = dict.fromkeys([term.name, spell_symbols(term.name), *term.aliases])
        names.update(dict.fromkeys(singular for name in list(names) if (singular := _singular_form(name))))
        own = set(words_of(split_halves(term.name)[0]))
        for name in names:
            folded = " ".join(name.casefold().split())
            if folded in stopped:
                rule = stopped[folded]
                rule.did(f"{name!r} → {term.slug} not auto-linked")
                kept_back.append(f"{name!r} → {term.slug}: stopped by {rule.source}; not auto-linked")
            elif name != term.name and set(words_of(name)) < own:
                kept_back.append(f"{name!r} → {term.slug}: names a broader class than {term.name!r}; not auto-linked")
            else:
                pairs.append((name, term.slug))
    return pairs, kept_back


def _singular_form(name: str) -> str | None:
    """`Latent Diffusion Models` → `Latent Diffusion Model`: the linker adds plurals to a name, not singulars."""
    last = name.rsplit(" ", 1)[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")) and last[-2].isalpha():
        return name[:-1]
    return None


def link_terms(
    terms: list[Term],
    rules: LinkRules | None = None,
    workers: int = 1,
    pairs: list[tuple[str, str]] | None = None,
    cache_dir: Path | None = None,
) -> Linker:
    """Fill every definition's `links` with mentions of other terms (`pairs`: `link_names`'s, by default).

    The linker is built once, here; `workers` forked processes then link
    ranges of definitions and send back only the spans.  With a `cache_dir`,
    a definition whose text and term were linked by the same names and rules
    last time gets last time's spans (`LINKS_CACHE`), and only the rest are linked.
    """
    if pairs is None:
        pairs, _ = link_names(terms)
    linker = Linker(pairs, rules)
    definitions = [(term.slug, definition) for term in terms for definition in term.definitions]
    keys = [_link_key(slug, definition.entry) for slug, definition in definitions]
    linking = _linking_digest(pairs, linker.rules)
    cache = cache_dir / LINKS_CACHE if cache_dir else None
    known = _load_links(cache, linking)
    todo = [index for index, key in enumerate(keys) if key not in known]
    chunk = max(1, len(todo) // (workers * 8))
    ranges = [(start, min(start + chunk, len(todo))) for start in range(0, len(todo), chunk)]
    shared = (linker, [definitions[index] for index in todo])
    for (start, stop), links in zip(ranges, fork_map(_link_range, shared, ranges, workers), strict=True):
        known.update((keys[index], spans) for index, spans in zip(todo[start:stop], links, strict=True))
    for (_, definition), key in zip(definitions, keys, strict=True):
        definition.links = [LinkSpan(span.start, span.end, span.target) for span in known[key]]  # no span shared
    if cache and (todo or len(known) != len(set(keys))):
        write_atomically(cache, pickle.dumps((linking, {key: known[key] for key in keys}), protocol=pickle.HIGHEST_PROTOCOL))
    return linker


def _link_key(slug: str, entry: Entry) -> str:
    """What linking one definition reads: its term, each block's kind and Markdown, and where no link may go."""
    digest = hashlib.sha256(slug.encode())
    for block in entry.blocks:
        digest.update(f"\0{block.kind.value}\0{block.markdown()}".encode())
    digest.update(b"\1" + (entry.unlinkable.tobytes() if entry.unlinkable is not None else b"found when linking"))
    return digest.hexdigest()


def _linking_digest(pairs: list[tuple[str, str]], rules: LinkRules) -> str:
    """What every definition's links depend on besides its own text: the names, the rules and the code."""
    settings = json.dumps(asdict(rules), sort_keys=True, default=sorted)  # sorted: a frozenset's order varies by run
    return hashlib.sha256(json.dumps([pairs, settings, tree_digest(CORE_DIR)]).encode()).hexdigest()


def _load_links(cache: Path | None, linking: str) -> dict[str, list[LinkSpan]]:
    """Last run's spans by `_link_key`, when they were linked by the same names and rules; else none.

    An unreadable file is a miss like a stale one: every definition is linked
    again, which is what a run without the cache does.
    """
    if cache is None or not cache.exists():
        return {}
    try:
        with cache.open("rb") as handle:
            digest, known = pickle.load(handle)
    except Exception:  # truncated, garbage or from other code: unpickling can raise anything
        return {}
    return known if digest == linking and isinstance(known, dict) else {}


def _link_range(shared: tuple[Linker, list[tuple[str, Definition]]], bounds: tuple[int, int]) -> list[list[LinkSpan]]:
    """The links of definitions[start:stop]."""
    linker, definitions = shared
    return [linker.link(d.entry.blocks, slug, d.entry.unlinkable) for slug, d in definitions[slice(*bounds)]]
