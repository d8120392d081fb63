"""What `make check` shows a maintainer: grouped diagnostics and the identity decisions to review.

Two audiences, one set of facts.  `review_data` is the whole of it as plain
data (`check --json`, for tools).  The text form is for people, and must fit
the real corpus on two screens: errors and warnings each keep their line, but
repeated notes (the repairs made) are grouped into one line per distinct
message with a count, and of the identity decisions only those a
maintainer may want to overrule are listed (names not taken from a bold
phrase or differing from every header term, aliases with their reasons,
merges of different headers, senses, filed categories, near-duplicates,
what the overrides file changed).  Nothing is printed for what is fine, so a
clean corpus gives a few lines of accounting.  `--terms` lists every term's
decisions in full; `--links` every link made.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from glossweave.core.categories import category_label
from glossweave.core.identify import name_key
from glossweave.core.model import Decision, Diagnostic, Entry, Glossary, NameSource, Reason, Role, Severity, Source, Term

#: Locations shown on a grouped line before "…".
SHOWN_LOCATIONS = 3


def _sort_key(diagnostic: Diagnostic) -> tuple:
    source = diagnostic.source
    return (-diagnostic.severity, (source.file, source.line) if source else ("", 0))


def grouped(diagnostics: Iterable[Diagnostic]) -> list[tuple[Diagnostic, list[Source | None]]]:
    """One (first diagnostic, every location) per distinct severity, code and message."""
    groups: dict[tuple, tuple[Diagnostic, list[Source | None]]] = {}
    for diagnostic in sorted(diagnostics, key=_sort_key):
        key = (diagnostic.severity, diagnostic.code, diagnostic.message)
        groups.setdefault(key, (diagnostic, []))[1].append(diagnostic.source)
    return list(groups.values())


def _group_line(diagnostic: Diagnostic, sources: list[Source | None]) -> str:
    """`file:line: severity: message ×N (also …) [code]`: the first place, the count, the code last."""
    if len(sources) == 1:
        return f"  {diagnostic}"
    others = ", ".join(str(s) for s in sources[1 : 1 + SHOWN_LOCATIONS] if s)
    more = "…" if len(sources) > 1 + SHOWN_LOCATIONS else ""
    where = f"{diagnostic.source}: " if diagnostic.source else ""
    return f"  {where}{diagnostic.severity}: {diagnostic.message} ×{len(sources)} (also {others}{more}) [{diagnostic.code}]"


def diagnostic_lines(glossary: Glossary, full: bool = False) -> list[str]:
    """Errors and warnings each at its `file:line` (each wants action); repeated notes (info: repairs
    made, chrome dropped) one line per distinct message with a count, unless `full`."""
    diagnostics = sorted(glossary.report.diagnostics, key=_sort_key)
    counts = Counter(d.severity for d in diagnostics)
    lines = [f"Diagnostics: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info"]
    if full:
        return lines + [f"  {d}" for d in diagnostics]
    lines += [f"  {d}" for d in diagnostics if d.severity > Severity.INFO]
    return lines + [_group_line(d, sources) for d, sources in grouped(d for d in diagnostics if d.severity is Severity.INFO)]


# --- identity ---------------------------------------------------------------------------------


def _decision(decision: Decision) -> dict:
    return {"text": decision.text, "role": decision.role.value, "reason": decision.reason.value, "detail": decision.detail}


def term_data(term: Term, glossary: Glossary) -> dict:
    """Every identity decision about one term, as plain data."""
    identity = term.identity
    decisions = identity.decisions
    return {
        "slug": term.slug,
        "name": term.name,
        "name_source": identity.name_source.value if identity.name_source else None,
        "name_from": str(identity.name_from) if identity.name_from else None,
        "aliases": [_decision(d) for d in decisions if d.role is Role.ALIAS and d.text in term.aliases],
        "keywords": [_decision(d) for d in decisions if d.role is Role.KEYWORD and d.text in term.keywords],
        "categories": [
            {"category": category, "domain": glossary.domains.get(category, "")} for category in term.categories
        ],
        "category_parts": [_decision(d) for d in decisions if d.role is Role.CATEGORY],
        "name_parts": [_decision(d) for d in decisions if d.role is Role.NAME],
        "entries": [str(source) for source in term.sources],
        "merges": list(identity.merges),
        "senses": [
            {"category": sense.category, "sources": [str(s) for s in sense.sources], "other_definitions": [
                {"category": other.category, "sources": [str(s) for s in other.sources]} for other in sense.others
            ]}
            for sense in term.senses
        ],
        "related": term.related,
        "see_also": term.see_also,
        "overrides": list(identity.overrides),
    }


def link_data(glossary: Glossary) -> list[dict]:
    """Every link made: the page, the phrase as written, the target, and where the definition came from."""
    links = []
    names = {term.slug: term.name for term in glossary.terms}
    for term in glossary.terms:
        for definition in term.definitions:
            markdown = definition.markdown
            for link in definition.links:
                links.append(
                    {
                        "page": term.slug,
                        "phrase": markdown[link.start : link.end],
                        "target": link.target,
                        "target_name": names.get(link.target, ""),
                        "source": str(definition.sources[0]),
                    }
                )
    return links


def review_data(glossary: Glossary) -> dict:
    """Everything `check` knows, for tools (`check --json`)."""
    report = glossary.report
    return {
        "accounting": {
            "entries_read": report.entries_read,
            "total_read": report.total_read,
            "terms": len(glossary.terms),
            "senses": glossary.published_senses,
            "other_definitions": glossary.published_definitions - glossary.published_senses,
            "merged_copies": len(report.merged_copies),
            "rejected": [{"source": str(r.source), "reason": r.reason, "text": r.text} for r in report.rejected],
            "balances": glossary.balances(),
        },
        "diagnostics": [
            {"severity": str(d.severity), "code": d.code, "message": d.message, "source": str(d.source) if d.source else None}
            for d in sorted(report.diagnostics, key=_sort_key)
        ],
        "terms": [term_data(term, glossary) for term in glossary.terms],
        "category_filings": {written: {"filed": filed, "why": why} for written, (filed, why) in report.category_filings.items()},
        "domains": glossary.domains,
        "near_duplicates": [{"terms": [a, b], "why": why} for a, b, why in report.near_duplicates],
        "held_names": report.held_names,
        "overrides": report.overrides,
        "links": link_data(glossary),
    }


def _named(term: Term) -> str:
    return f"{term.name!r}"


def _name_source(term: Term) -> str:
    source = term.identity.name_source
    return source.description if source else "given by hand"


def identity_lines(glossary: Glossary) -> list[str]:
    """The identity decisions a maintainer may want to overrule, grouped by kind; none when there are none."""
    terms, report = glossary.terms, glossary.report
    by_slug = {term.slug: term for term in terms}
    sections: list[tuple[str, list[str]]] = []

    not_bold = [t for t in terms if t.identity.name_source in (NameSource.BODY, NameSource.HEADER)]
    sections.append(("Names not from an opening bold phrase", [f"{_named(t)}: {_name_source(t)}, {t.identity.name_from}" for t in not_bold]))
    headed = []
    for term in terms:
        names = {name_key(term.name), *(name_key(alias) for alias in term.aliases)}
        others = sorted(
            {d.entry.header.term for d in term.definitions if name_key(d.entry.header.term) not in names and not _spells_name(d.entry)}
        )
        if others:
            headed.append(f"{_named(term)} ← " + ", ".join(repr(header) for header in others))
    sections.append(("Header terms that are neither the name nor an alias (keywords now)", headed))
    aliases = []
    for term in terms:
        reasons = {d.text: d.reason.value for d in term.identity.decisions if d.role is Role.ALIAS}
        if term.aliases:
            aliases.append(f"{_named(term)}: " + ", ".join(f"{a!r} ({reasons.get(a, '?')})" for a in term.aliases))
    sections.append(("Aliases", aliases))
    merged = []
    for term in terms:
        joined = [why for why in term.identity.merges if ": same name as " not in why]
        merged += [f"{_named(term)} ← {why}" for why in joined]
    sections.append(("Entries merged by something other than the same name", merged))
    senses = [f"{_named(t)}: " + "; ".join(f"{s.category} ({s.sources[0]})" for s in t.senses) for t in terms if len(t.senses) > 1]
    sections.append(("Terms with several meanings (numbered senses)", senses))
    rewrites = [t for t in terms if len(t.definitions) > len(t.senses)]
    if rewrites:
        listed = ", ".join(f"{t.name} ({len(t.definitions) - len(t.senses)})" for t in rewrites)
        sections.append((f"Terms with rewrites kept as other definitions: {len(rewrites)}", [listed]))
    filings = [f"{written!r} → {filed!r} ({why})" for written, (filed, why) in sorted(report.category_filings.items())]
    sections.append(("Categories filed under another", filings))
    domains: dict[str, list[str]] = defaultdict(list)
    for category, domain in sorted(glossary.domains.items()):
        domains[domain].append(category_label(category))
    sections.append(("Domains", [f"{domain}: {', '.join(categories)}" for domain, categories in domains.items()]))
    near: dict[str, list[str]] = defaultdict(list)
    for a, b, why in report.near_duplicates:
        near[a].append(f"{by_slug[b].name!r} ({why})")
    sections.append(
        (
            "Near-duplicates kept apart, with See also on both (merge them in the overrides file if one concept)",
            [f"{by_slug[a].name!r} ~ {', '.join(others)}" for a, others in near.items()],
        )
    )
    sections.append(("Overrides applied", report.overrides))
    lines = []
    for title, items in sections:
        if items:
            lines.append(f"{title}:" if title.endswith(tuple("0123456789")) else f"{title} ({len(items)}):")
            lines += [f"  {item}" for item in items]
    return lines


def term_lines(glossary: Glossary) -> list[str]:
    """Every term's decisions in full (`check --terms`)."""
    lines = []
    for term in glossary.terms:
        data = term_data(term, glossary)
        lines.append(f"{term.name} [term-{term.slug}] — name: {_name_source(term)}, {data['name_from']}")
        for label, key in (("alias", "aliases"), ("keyword", "keywords"), ("category part", "category_parts"), ("name part", "name_parts")):
            for item in data[key]:
                detail = f"; {item['detail']}" if item["detail"] else ""
                lines.append(f"  {label} {item['text']!r}: {item['reason']}{detail}")
        categories = ", ".join(f"{c['category']} ({c['domain']})" for c in data["categories"])
        lines.append(f"  categories: {categories}")
        for number, sense in enumerate(term.senses, start=1):
            lines.append(f"  sense {number}: {sense.category}, {', '.join(str(s) for s in sense.sources)}")
            lines += [f"    other definition: {o.category}, {', '.join(str(s) for s in o.sources)}" for o in sense.others]
        lines += [f"  merged: {why}" for why in data["merges"]]
        lines += [f"  override: {what}" for what in data["overrides"]]
        for label, slugs in (("related", term.related), ("see also", term.see_also)):
            if slugs:
                lines.append(f"  {label}: {', '.join(slugs)}")
    return lines


def link_lines(glossary: Glossary) -> list[str]:
    """Every link made (`check --links`): page, phrase, target."""
    return [f"{link['source']}: {link['page']}: {link['phrase']!r} → {link['target']} ({link['target_name']})" for link in link_data(glossary)]


def _spells_name(entry: Entry) -> bool:
    """Is the header term the first word of the name split at every space (`atomic,layer,deposition,…`)?"""
    return any(d.role is Role.NAME and d.reason is Reason.SPLIT_TITLE and d.text == entry.header.term for d in entry.identified.decisions)
