"""Merge stage: one concept, one term, every entry accounted for.

**Which entries are one concept.**  Entries merge when their names are the
same up to case, hyphens, spacing and plurals (`name_key`); when one is named
`X` and the other `X (Y)` (unless two different `X (…)` claim the same `X`);
or when one's alias of several words is the other's name.  An acronym alias
is no evidence (`LDA` names two methods): an entry named by an acronym joins
the entry named by its expansion only when it gives that expansion itself
(`**LDA** (Latent Dirichlet Allocation)`, or in its header), which makes the
expansion its alias.  The overrides file then merges and splits by hand.

**Copies, rewrites and senses.**  Copies of one text (the scraper re-flowed
some: compared with white space collapsed) collapse into one `Definition`
that keeps the best-structured copy (a line dump beats a flattened page) and
records every source.  Different texts are rewrites of one meaning unless
there is evidence of a different meaning: their categories lie in different
domains *and* they share few content words (`SENSE_OVERLAP`).  Rewrites are
one sense's "other definitions"; only different meanings are numbered senses.

**Names across the corpus.**  An alias that is another term's name stays with
that term, and one claimed by two terms is given to neither; both become
keywords.  A keyword that names another term is a "related" link.  Terms whose
names differ by a word, or only in stop words and endings, stay apart but are
near-duplicates: "See also" on both pages, a review line in `make check`.

Every step is a dictionary lookup per entry, name or word: linear in the corpus.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from glossweave.core.categories import UNCATEGORIZED, CategoryFiling
from glossweave.core.identify import (
    QUALIFIERS,
    abbreviates,
    name_key,
    qualifies,
    singular,
    spell_symbols,
    spelling,
    split_halves,
    words_of,
)
from glossweave.core.model import (
    Decision,
    Definition,
    Entry,
    Layout,
    NameSource,
    Reason,
    Report,
    Role,
    Sense,
    Severity,
    Term,
    TermIdentity,
)
from glossweave.core.slug import assign_slugs, base_slug

if TYPE_CHECKING:
    from glossweave.core.overrides import Overrides

#: Below this share of content words in common (Jaccard), two definitions in different
#: domains are different meanings; above it, or in one domain, they are rewrites.
SENSE_OVERLAP = 0.12
#: At most this many "See also" links per page: a name one word short of hundreds of others
#: (`Attention`) would otherwise list them all.
MAX_SEE_ALSO = 8
_STOPWORDS = frozenset("a an and as at by for from in into is of on or the to via vs with".split())
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def fingerprint(entry: Entry) -> str:
    """The entry's text with all white space collapsed: equal for re-flowed copies."""
    return " ".join(" ".join(entry.raw.body).split())


# --- which entries are one concept -----------------------------------------------------------


class _Groups:
    """Union-find over entry indexes, remembering why each union was made."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.why: dict[int, list[str]] = defaultdict(list)  # index of the joining entry → reasons

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def union(self, a: int, b: int, why: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)
            self.why[b].append(why)


def group_concepts(entries: list[Entry]) -> tuple[list[list[Entry]], dict[int, list[str]]]:
    """Entries grouped into concepts (see the module docstring), and why each joined its group.

    Groups keep the order of their first entry; the reasons are keyed by `id()` of the entry.
    """
    groups = _Groups(len(entries))
    by_name: dict[str, int] = {}
    claims_main: dict[str, set[str]] = defaultdict(set)  # X → keys of the `X (…)` names that have it
    for index, entry in enumerate(entries):
        key = name_key(entry.identified.name)
        if key in by_name:
            groups.union(by_name[key], index, f"same name as {entries[by_name[key]].identified.name!r}")
        else:
            by_name[key] = index
        main, halves = split_halves(entry.identified.name)
        if halves:
            claims_main[name_key(main)].add(key)
    by_main = {main: by_name[next(iter(keys))] for main, keys in claims_main.items() if len(keys) == 1}
    for main, index in by_main.items():
        if main in by_name:
            groups.union(by_name[main], index, f"{entries[index].identified.name!r} is {entries[by_name[main]].identified.name!r} (…)")
    for index, entry in enumerate(entries):
        for alias in entry.identified.names(Role.ALIAS):
            key = name_key(alias)
            other = by_name.get(key, by_main.get(key))
            if other is not None and " " in alias.strip() and groups.find(other) != groups.find(index):
                groups.union(other, index, f"its alias {alias!r} is the name of {entries[other].identified.name!r}")
    _join_acronyms(entries, groups)
    members: dict[int, list[Entry]] = defaultdict(list)
    for index, entry in enumerate(entries):
        members[groups.find(index)].append(entry)
    reasons = {id(entries[index]): why for index, why in groups.why.items()}
    return list(members.values()), reasons


#: The most words an acronym inside a longer name stands for (`EUV` → `extreme ultraviolet`).
_WIDEST_ACRONYM = 5


def is_acronym(token: str) -> bool:
    """`HBM`, `MoE`, `KV`, `LLMs`: one token with two capitals or more."""
    return " " not in token and sum(c.isupper() for c in token) >= 2 and token[:1].isalnum()


def _tokens(name: str) -> list[str]:
    """The words of a name's main part, hyphenated words apart: `Key-Value Cache (KV)` → Key, Value, Cache."""
    return re.findall(r"[^\W_]+", spell_symbols(split_halves(name)[0]))


def _rest_key(words: list[str]) -> str:
    return "".join(singular(word.casefold()) for word in words)


def _expansions(entries: list[Entry]) -> dict[str, dict[str, set[int]]]:
    """Acronym → the names it stands for in the corpus → the entries that say so.

    Evidence is the entry's own: an acronym alias of its name (`X (XY)`, `**X** (XY)`,
    a header's initials) or an acronym name with its expansion as an alias.
    """
    found: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for index, entry in enumerate(entries):
        name = entry.identified.name
        forms = [split_halves(name)[0], *entry.identified.names(Role.ALIAS)]
        for short in (form for form in forms if is_acronym(form)):
            for long in (form for form in forms if " " in form.strip() or "-" in form):
                if abbreviates(short, long):
                    found[name_key(short)][name_key(long)].add(index)
    return found


def _same_subject(entry: Entry, other: Entry) -> bool:
    """Do two definitions share their content words as rewrites of one meaning do (`SENSE_OVERLAP`)?

    An acronym's entry about the expansion's subject does (`HBM stacks DRAM dies
    … on an interposer`); one about another meaning of the acronym does not,
    even when it names the expansion as a contrast (`LDA separates classes`).
    """
    own = set(words_of(other.identified.name)) | set(words_of(entry.identified.name))
    return overlap(content_words(entry.markdown, own), content_words(other.markdown, own)) >= SENSE_OVERLAP


def _join_acronyms(entries: list[Entry], groups: _Groups) -> None:
    """Names that differ by an acronym and what it stands for are one concept.

    `HBM` joins `High Bandwidth Memory (HBM)` when the corpus gives the acronym
    that one expansion and no other, and the two definitions share their
    subject (`LDA` about classes stays apart from `Latent Dirichlet Allocation (LDA)`);
    `LLM Pretraining` joins `Large Language Model Pretraining`.  Long
    names are indexed under every run of up to `_WIDEST_ACRONYM` words left
    out, so each short name is one lookup.
    """
    expansions = _expansions(entries)
    runs: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for index, entry in enumerate(entries):
        words = _tokens(entry.identified.name)
        for start in range(len(words)):
            for end in range(start + 2, min(start + _WIDEST_ACRONYM, len(words)) + 1):
                if start or end < len(words):
                    runs[(_rest_key(words[:start]), _rest_key(words[end:]))].append((index, " ".join(words[start:end])))
    for index, entry in enumerate(entries):
        name = split_halves(entry.identified.name)[0]
        known = expansions.get(name_key(name), {}) if is_acronym(name) else {}
        if len(known) == 1:  # an acronym named by itself, standing for one name in the corpus
            (owners,) = known.values()
            claimed = {groups.find(owner) for owner in owners}
            if len(claimed) == 1 and groups.find(index) not in claimed and _same_subject(entry, entries[min(owners)]):
                other = min(owners)
                groups.union(other, index, f"{name!r} stands for {entries[other].identified.name!r}, and for nothing else here")
            continue
        words = _tokens(name)
        acronyms = [at for at, word in enumerate(words) if is_acronym(word)]
        if len(words) < 2 or len(acronyms) != 1:
            continue
        at = acronyms[0]
        meant = expansions.get(name_key(words[at]), {})
        candidates = {
            groups.find(other): other
            for other, run in runs.get((_rest_key(words[:at]), _rest_key(words[at + 1 :])), [])
            if abbreviates(words[at], run) and (not meant or name_key(run) in meant)
        }
        if len(candidates) == 1 and groups.find(index) not in candidates:
            (other,) = candidates.values()
            groups.union(other, index, f"{name!r} is {entries[other].identified.name!r} with {words[at]!r} for its words")


# --- one concept → one term ----------------------------------------------------------------------


def merge_entries(
    entries: list[Entry], report: Report, filing: CategoryFiling, overrides: Overrides | None = None
) -> list[Term]:
    """Group entries into terms (see the module docstring); terms come sorted by name."""
    groups, reasons = group_concepts(entries)
    if overrides:
        groups = overrides.regroup(groups, report)
    terms = [_build_term(group, reasons, filing, report) for group in groups]
    if overrides:
        overrides.apply_to_terms(terms, filing, report)
    _settle_aliases(terms, report)
    slugs = assign_slugs(sorted({spell_symbols(term.name) for term in terms}))
    for term in terms:
        term.slug = slugs[spell_symbols(term.name)]
    _report_slug_collisions(terms, report)
    _relate_keywords(terms)
    _link_near_duplicates(terms, report)
    return sorted(terms, key=lambda term: (term.name.casefold(), term.slug))


def _structure_rank(entry: Entry) -> tuple[int, int, str, int]:
    """Lower is better: line dumps first, then more blocks, then earliest source."""
    return (entry.raw.layout is Layout.FLAT, -len(entry.blocks), entry.source.file, entry.source.line)


def _definition_rank(definition: Definition, name: str) -> tuple:
    """Lower is better: opens with the term's name in bold, says more, has more structure, comes first."""
    entry = definition.entry
    names_it = entry.name_source is NameSource.BOLD and name_key(entry.display_name) == name_key(name)
    return (not names_it, -len(entry.markdown), -len(entry.blocks), definition.sources[0])


def _build_term(group: list[Entry], reasons: dict[int, list[str]], filing: CategoryFiling, report: Report) -> Term:
    copies: dict[str, list[Entry]] = {}
    for entry in group:
        # A lone entry has no copies to find: its fingerprint (all its text again) would go unused.
        copies.setdefault(fingerprint(entry) if len(group) > 1 else "", []).append(entry)
    namer = _choose_name(group)
    name = namer.identified.name
    fallback = next((e.identified.category for e in group if e.identified.category), UNCATEGORIZED)
    definitions = []
    for same in copies.values():
        best = min(same, key=_structure_rank)
        for entry in same:
            if entry is not best:
                report.merged_copies.append((entry.source, best.source))
        category = next((e.identified.category for e in sorted(same, key=_structure_rank) if e.identified.category), fallback)
        definitions.append(Definition(category, best, sorted(e.source for e in same)))
    definitions.sort(key=lambda d: _definition_rank(d, name))
    identity = TermIdentity(namer.identified.name_source, namer.source)
    for entry in group:
        for why in reasons.get(id(entry), []):
            identity.merges.append(f"{entry.source} ({entry.raw.header!r}): {why}")
    aliases, keywords = _names_of(group, namer, identity)
    return Term(slug="", name=name, aliases=aliases, senses=_senses(definitions, name, filing), keywords=keywords, identity=identity)


def qualified(name: str) -> bool:
    """Is `name` of the form `X (Advanced)`?"""
    halves = split_halves(name)[1]
    return bool(halves) and qualifies(halves)


def _choose_name(group: list[Entry]) -> Entry:
    """The entry whose name the term takes: a bold name over a header term, unqualified, the most used,
    more capitals, earliest."""
    if len(group) == 1:
        return group[0]
    counts = Counter(name_key(entry.identified.name) for entry in group)
    return min(
        group,
        key=lambda e: (
            e.identified.name_source is not NameSource.BOLD,
            qualified(e.identified.name),
            -counts[name_key(e.identified.name)],
            -sum(c.isupper() for c in e.identified.name),
            e.source,
        ),
    )


def _names_of(group: list[Entry], namer: Entry, identity: TermIdentity) -> tuple[list[str], list[str]]:
    """The term's aliases and keywords: every entry's, each once, none equal to the name; decisions kept.

    The naming entry's decisions come first, so an alias written by several
    entries is shown as the one that names the term writes it (`Key-Value
    Cache`, not a header's `key-value cache`).  Names compare by `name_key`,
    variants by `spelling`: two sets, since one name's key can be another's
    spelling (`pretraining`).
    """
    name = namer.identified.name
    keys, spellings = {name_key(name)}, {spelling(name)}
    aliases: list[str] = []
    keywords: list[str] = []
    seen_decisions: set[tuple[Role, str]] = set()
    for entry in sorted(group, key=lambda e: (e is not namer, e.source)):
        decisions = list(entry.identified.decisions)
        main, halves = split_halves(entry.identified.name)
        if spelling(entry.identified.name) not in spellings and (not halves or qualified(entry.identified.name)):
            # The halves of a merged `X (Y)` name are its entry's aliases already.
            reason = Reason.VARIANT if name_key(main) in keys else Reason.MERGED_NAME
            decisions.insert(0, Decision(main, Role.ALIAS, reason, str(entry.source)))
        for decision in decisions:
            key = _dedupe_key(decision)
            if (decision.role, key) in seen_decisions:
                continue
            seen_decisions.add((decision.role, key))
            identity.decisions.append(decision)
            taken = spellings if decision.reason is Reason.VARIANT else keys
            if decision.role is Role.ALIAS and key not in taken and spelling(decision.text) not in spellings:
                keys.add(name_key(decision.text))
                spellings.add(spelling(decision.text))
                aliases.append(decision.text)
    for decision in identity.decisions:
        if decision.role is Role.KEYWORD and name_key(decision.text) not in keys:
            keys.add(name_key(decision.text))
            keywords.append(decision.text)
    return aliases, keywords


def _dedupe_key(decision: Decision) -> str:
    """Decisions repeat when their text does: variants of a name by spelling, other names by `name_key`."""
    if decision.role is Role.CATEGORY or decision.reason is Reason.VARIANT:
        return spelling(decision.text)
    return name_key(decision.text)


def content_words(markdown: str, exclude: Iterable[str] = ()) -> set[str]:
    """The words a definition is about: four letters or more, stop words and the term's own name aside."""
    skip = set(exclude) | _STOPWORDS
    return {word[:-1] if word.endswith("s") else word for word in _CONTENT_WORD.findall(markdown.casefold())} - skip


def overlap(a: set[str], b: set[str]) -> float:
    """Jaccard: the share of their words two definitions have in common."""
    return len(a & b) / len(a | b) if a and b else 0.0


def _senses(definitions: list[Definition], name: str, filing: CategoryFiling) -> list[Sense]:
    """Definitions, best first, as senses: a new sense only on evidence of a different meaning.

    A new sense needs a domain no earlier sense has, so a term has at most one
    sense per domain and each definition is compared with a handful of senses.
    """
    own = {word.rstrip("s") for word in name.casefold().split()}
    senses: list[Sense] = []
    domains: list[str] = []
    words: dict[int, set[str]] = {}  # content words, read only when domains differ

    def words_of(definition: Definition) -> set[str]:
        found = words.get(id(definition))
        if found is None:
            found = words[id(definition)] = content_words(definition.markdown, own)
        return found

    for definition in definitions:
        domain = filing.domain(definition.category)[0] if definition.category != UNCATEGORIZED else ""
        if senses and (not domain or "" in domains or domain in domains):
            senses[domains.index(domain) if domain in domains else 0].others.append(definition)
            continue
        if senses:
            scores = [(overlap(words_of(definition), words_of(sense)), index) for index, sense in enumerate(senses)]
            best, index = max(scores)
            if best >= SENSE_OVERLAP:
                senses[index].others.append(definition)
                continue
        senses.append(Sense(definition.category, definition.entry, definition.sources))
        domains.append(domain)
    return senses


# --- names across the corpus -------------------------------------------------------------------------


def _settle_aliases(terms: list[Term], report: Report) -> None:
    """An alias that is another term's name, or is claimed by two terms, is a keyword of its terms."""
    names = {name_key(term.name): term for term in terms}
    claimants: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        for key in dict.fromkeys(name_key(alias) for alias in term.aliases):
            claimants[key].append(term)
    for key, owners in claimants.items():
        named = names.get(key)
        owners = [term for term in owners if term is not named]  # a variant of a term's own name is its own
        if named is not None:
            for term in owners:
                alias = _demote(term, key, f"the name of {named.name!r}")
                report.add(
                    Severity.WARNING,
                    "alias-is-term",
                    f"alias {alias!r} of {term.name!r} is the name of another term, {named.name!r}, and the two were not"
                    " merged (no evidence they are one concept); it is a keyword of the first",
                    term.identity.name_from,
                )
        elif len(owners) > 1:
            listed = ", ".join(repr(term.name) for term in owners)
            for term in owners:
                alias = _demote(term, key, f"claimed by {listed}")
            report.add(
                Severity.WARNING,
                "alias-conflict",
                f"alias {alias!r} is claimed by {len(owners)} terms ({listed}); given to none",
                owners[0].identity.name_from,
            )


def _demote(term: Term, key: str, why: str) -> str:
    alias = next(a for a in term.aliases if name_key(a) == key)
    term.aliases.remove(alias)
    term.keywords.append(alias)
    term.identity.decisions.append(Decision(alias, Role.KEYWORD, Reason.CONFLICT, why))
    return alias


def _report_slug_collisions(terms: list[Term], report: Report) -> None:
    """Names that slug alike (`a/b testing`, `a-b testing`) keep distinct anchors; say which."""
    by_base: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        by_base[base_slug(spell_symbols(term.name))].append(term)
    for base, group in by_base.items():
        if len(group) > 1:
            anchors = ", ".join(f"{term.name!r} → term-{term.slug}" for term in sorted(group, key=lambda t: t.slug))
            report.add(
                Severity.WARNING,
                "slug-collision",
                f"{len(group)} names slug alike as {base!r}; anchors disambiguated: {anchors}",
                min(term.sources[0] for term in group),
            )


def _relate_keywords(terms: list[Term]) -> None:
    """A keyword that is another term's name or alias links to that term as "related"."""
    named: dict[str, str | None] = {}
    for term in terms:
        for name in [term.name, *term.aliases]:
            key = name_key(name)
            named[key] = term.slug if named.get(key, term.slug) == term.slug else None  # None: ambiguous
    for term in terms:
        related = [named.get(name_key(keyword)) for keyword in term.keywords]
        term.related = list(dict.fromkeys(slug for slug in related if slug and slug != term.slug))


def stem_words(name: str) -> tuple[str, ...]:
    """A name's words for near-duplicate detection: the part before any parenthesis, hyphenated
    words joined, stop words and qualifiers left out, plurals made singular."""
    main = split_halves(name)[0]
    words = ("".join(ch for ch in token if ch.isalnum()) for token in spell_symbols(main).casefold().split())
    return tuple(singular(w) for w in words if w and w not in _STOPWORDS | QUALIFIERS)


def near_duplicates(names: list[str]) -> list[tuple[int, int, str]]:
    """Pairs (index, index, why) of names that differ only in stop words and endings, or by one word.

    `Knowledge Distillation` / `Knowledge Distillation for Edge`, `Latent
    Diffusion` / `Latent Diffusion Models`.  Each name is looked up under its
    own words and under its words less one: a dictionary lookup per word, and
    at most `MAX_SEE_ALSO` partners per lookup, so linear however many names
    share their initials or their words.
    """
    alike: dict[tuple[str, ...], list[int]] = defaultdict(list)
    pairs: list[tuple[int, int, str]] = []
    stems = [stem_words(name) for name in names]
    for index, stem in enumerate(stems):
        if stem:
            pairs += [(other, index, "the same words") for other in alike[stem][:MAX_SEE_ALSO]]
            alike[stem].append(index)
    for index, stem in enumerate(stems):
        if len(stem) < 3:
            continue
        for dropped in dict.fromkeys(stem[:at] + stem[at + 1 :] for at in range(len(stem))):
            pairs += [(other, index, "one word more") for other in alike.get(dropped, [])[:MAX_SEE_ALSO]]
    return pairs


def _link_near_duplicates(terms: list[Term], report: Report) -> None:
    for a, b, why in near_duplicates([term.name for term in terms]):
        first, second = terms[a], terms[b]
        for term, other in ((first, second), (second, first)):
            if other.slug not in term.see_also and len(term.see_also) < MAX_SEE_ALSO:
                term.see_also.append(other.slug)
        report.near_duplicates.append((first.slug, second.slug, why))
