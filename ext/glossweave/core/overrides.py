"""The maintainer's last word: a TOML file of identity decisions, applied after the heuristics.

Each decision is one table in an array of tables; README ("Overruling
identity") documents them with examples:

    [[rename]]       term, name            the term's display name (and so its slug)
    [[aliases]]      term, add, remove     promote keywords or new names to aliases; demote aliases to keywords
    [[merge]]        terms                 these terms are one concept
    [[split]]        entries, name?        these entries ("file:line") are a term of their own
    [[set_category]] term, category        the category of every definition of the term
    [[category]]     name, into?, domain?  file a category under another; put it in a domain
    [[no_link]]      phrase                never auto-link this phrase

A `term` is matched by any name the term goes by: its name or an alias, an
entry's header term, its slug, or an entry's `file:line`.  The file is
validated before anything is applied: errors name `file:line` (tomllib gives
no positions, so the line of each table and key is found in the text) and the
rule with an error is skipped.  Every rule records what it changed; a rule
that matches nothing is a warning, so a stale override is noticed when the
corpus moves on.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from glossweave.core.categories import CategoryFiling, CategoryScheme, normalize_category
from glossweave.core.identify import name_key, spell_symbols
from glossweave.core.model import Decision, Entry, NameSource, Reason, Report, Role, Severity, Source, Term
from glossweave.core.slug import base_slug

#: kind → (required keys, optional keys); values are strings, or lists of strings for the keys in `_LISTS`.
RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rename": (("term", "name"), ()),
    "aliases": (("term",), ("add", "remove")),
    "merge": (("terms",), ()),
    "split": (("entries",), ("name",)),
    "set_category": (("term", "category"), ()),
    "category": (("name",), ("into", "domain")),
    "no_link": (("phrase",), ()),
}
_LISTS = {"add", "remove", "terms", "entries"}
_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z_][\w-]*)\s*\]\]")
_KEY = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*=")
_SOURCE = re.compile(r"^(.+\.txt):(\d+)$")


@dataclass
class Rule:
    """One table of the file: its kind, its values, where it is, and what it did."""

    kind: str
    values: dict[str, object]
    source: Source
    effects: list[str] = field(default_factory=list)

    def text(self, key: str) -> str:
        return str(self.values[key]).strip()

    def texts(self, key: str) -> list[str]:
        items = self.values.get(key, [])
        return [str(item).strip() for item in items] if isinstance(items, list) else []

    def did(self, effect: str) -> None:
        self.effects.append(effect)


class Overrides:
    """The valid rules of one overrides file, and the hooks each stage calls."""

    def __init__(self, path: Path, rules: list[Rule]) -> None:
        self.path = path
        self.rules = rules

    def of(self, kind: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.kind == kind]

    # --- categories (before identify) ---

    def adjust_scheme(self, scheme: CategoryScheme) -> None:
        """`[[category]]` rules: groupings and domains, applied to the scheme before anything is filed."""
        for rule in self.of("category"):
            name = normalize_category(rule.text("name"))
            if "into" in rule.values:
                scheme.groups[name] = normalize_category(rule.text("into"))
            if "domain" in rule.values:
                scheme.assigned[normalize_category(rule.text("into")) if "into" in rule.values else name] = rule.text("domain")

    def note_categories(self, used: set[str]) -> None:
        """Record which `[[category]]` rules met a category the corpus uses (`used`: normalised, as
        written or as filed)."""
        for rule in self.of("category"):
            if normalize_category(rule.text("name")) in used:
                into = f" filed under {rule.text('into')!r}" if "into" in rule.values else ""
                domain = f" in domain {rule.text('domain')!r}" if "domain" in rule.values else ""
                rule.did(f"category {rule.text('name')!r}{into}{domain}")

    # --- grouping (merge stage) ---

    def regroup(self, groups: list[list[Entry]], report: Report) -> list[list[Entry]]:
        """`[[merge]]` and `[[split]]` rules, on the groups the heuristics made."""
        index: dict[str, set[int]] = defaultdict(set)
        for number, group in enumerate(groups):
            for key in group_keys(group):
                index[key].add(number)
        into = list(range(len(groups)))  # group → the group it is merged into

        def root(number: int) -> int:
            while into[number] != number:
                number = into[number]
            return number

        for rule in self.of("merge"):
            found = [self._one_group(index, groups, text, rule, report) for text in rule.texts("terms")]
            roots = sorted({root(number) for number in found if number is not None})
            if len(roots) == 1 and None not in found:
                rule.did(f"{_group_name(groups[roots[0]])!r} is already one term")
            if len(roots) >= 2:
                rule.did(f"merged {', '.join(repr(_group_name(groups[number])) for number in roots)}")
                for number in roots[1:]:
                    into[number] = roots[0]
        merged: dict[int, list[Entry]] = defaultdict(list)
        for number, group in enumerate(groups):
            merged[root(number)] += group
        groups = list(merged.values())
        for rule in self.of("split"):
            groups = self._split(groups, rule, report)
        return groups

    def _split(self, groups: list[list[Entry]], rule: Rule, report: Report) -> list[list[Entry]]:
        wanted = set(rule.texts("entries"))
        moved = [entry for group in groups for entry in group if str(entry.source) in wanted]
        for source in sorted(wanted - {str(entry.source) for entry in moved}):
            report.add(Severity.WARNING, "override-unmatched", f"[[split]] entry {source!r} is not in the corpus", rule.source)
        if not moved:
            return groups
        kept = [[entry for entry in group if str(entry.source) not in wanted] for group in groups]
        if "name" in rule.values:
            for entry in moved:
                entry.identified.name, entry.identified.name_source = rule.text("name"), NameSource.OVERRIDE
        rule.did(f"split {', '.join(sorted(str(e.source) for e in moved))} into a term of its own, {_group_name(moved)!r}")
        return [group for group in kept if group] + [moved]

    def _one_group(self, index: dict[str, set[int]], groups: list[list[Entry]], text: str, rule: Rule, report: Report) -> int | None:
        matches = sorted(index.get(text, set()) if _SOURCE.match(text) else index.get(name_key(text), set()) | index.get(text, set()))
        if len(matches) > 1:
            names = ", ".join(repr(_group_name(groups[number])) for number in matches)
            report.add(Severity.ERROR, "override-ambiguous", f"[[{rule.kind}]] {text!r} matches {len(matches)} terms: {names}", rule.source)
            return None
        if not matches:
            report.add(Severity.WARNING, "override-unmatched", f"[[{rule.kind}]] {text!r} matches no term", rule.source)
            return None
        return matches[0]

    # --- terms (merge stage, before names are settled across terms) ---

    def apply_to_terms(self, terms: list[Term], filing: CategoryFiling, report: Report) -> None:
        """`[[rename]]`, `[[aliases]]` and `[[set_category]]` rules, each on the one term it names."""
        for kind, apply in (("rename", _rename), ("aliases", _edit_aliases), ("set_category", _set_category(filing))):
            index: dict[str, list[Term]] = defaultdict(list)  # again for each kind: a rename changes the keys
            for term in terms:
                for key in term_keys(term):
                    index[key].append(term)
            for rule in self.of(kind):
                text = rule.text("term")
                keys = [text] if _SOURCE.match(text) else [name_key(text), text]
                found = list({id(term): term for key in keys for term in index.get(key, [])}.values())
                if len(found) > 1:
                    names = ", ".join(sorted(repr(term.name) for term in found))
                    report.add(Severity.ERROR, "override-ambiguous", f"[[{kind}]] {text!r} matches {len(found)} terms: {names}", rule.source)
                elif found:
                    apply(found[0], rule)

    # --- linking ---

    def no_link_phrases(self) -> dict[str, Rule]:
        return {" ".join(rule.text("phrase").casefold().split()): rule for rule in self.of("no_link")}

    # --- the end ---

    def report(self, report: Report) -> None:
        """What each rule changed, and a warning for each rule that matched nothing."""
        for rule in self.rules:
            if rule.kind in ("merge", "split") and not rule.effects:
                continue  # each name or entry it did not find was reported by itself
            if rule.effects:
                report.overrides += [f"{rule.source} [[{rule.kind}]]: {effect}" for effect in rule.effects]
            else:
                what = ", ".join(f"{key} = {value!r}" for key, value in rule.values.items())
                report.add(Severity.WARNING, "override-unmatched", f"[[{rule.kind}]] {what} matches nothing in the corpus", rule.source)


def _group_name(group: list[Entry]) -> str:
    return min(group, key=lambda entry: entry.source).identified.name


def group_keys(group: list[Entry]) -> set[str]:
    """Every text an override may name a group of entries by (see the module docstring)."""
    keys: set[str] = set()
    for entry in group:
        keys |= {name_key(entry.identified.name), name_key(entry.header.term), str(entry.source)}
        keys |= {name_key(alias) for alias in entry.identified.names(Role.ALIAS)}
    return keys


def term_keys(term: Term) -> set[str]:
    keys = {name_key(term.name), base_slug(spell_symbols(term.name)), *(name_key(alias) for alias in term.aliases)}
    for definition in term.definitions:
        keys |= {name_key(definition.entry.header.term), *(str(source) for source in definition.sources)}
    return keys


def _set_category(filing: CategoryFiling):
    def apply(term: Term, rule: Rule) -> None:
        category = filing.file(rule.text("category"))[0]
        for definition in term.definitions:
            definition.category = category
        term.identity.overrides.append(f"{rule.source}: category set to {category!r}")
        rule.did(f"{term.name!r}: category {category!r}")

    return apply


def _rename(term: Term, rule: Rule) -> None:
    old, new = term.name, rule.text("name")
    term.name = new
    term.identity.name_source = NameSource.OVERRIDE
    if name_key(old) != name_key(new) and all(name_key(alias) != name_key(old) for alias in term.aliases):
        term.aliases.insert(0, old)
        term.identity.decisions.append(Decision(old, Role.ALIAS, Reason.OVERRIDE, "the name before the override"))
    term.aliases = [alias for alias in term.aliases if name_key(alias) != name_key(new)]
    term.identity.overrides.append(f"{rule.source}: renamed from {old!r}")
    rule.did(f"{old!r} renamed {new!r}")


def _edit_aliases(term: Term, rule: Rule) -> None:
    for alias in rule.texts("add"):
        key = name_key(alias)
        if key == name_key(term.name) or any(name_key(a) == key for a in term.aliases):
            continue
        term.keywords = [keyword for keyword in term.keywords if name_key(keyword) != key]
        term.aliases.append(alias)
        term.identity.decisions.append(Decision(alias, Role.ALIAS, Reason.OVERRIDE))
        term.identity.overrides.append(f"{rule.source}: alias {alias!r} added")
        rule.did(f"{term.name!r}: alias {alias!r} added")
    for alias in rule.texts("remove"):
        key = name_key(alias)
        kept = [a for a in term.aliases if name_key(a) != key]
        if len(kept) == len(term.aliases):
            continue
        term.aliases = kept
        term.keywords.append(alias)
        term.identity.decisions.append(Decision(alias, Role.KEYWORD, Reason.OVERRIDE, "alias demoted"))
        term.identity.overrides.append(f"{rule.source}: alias {alias!r} demoted to a keyword")
        rule.did(f"{term.name!r}: alias {alias!r} demoted to a keyword")


# --- reading and validating --------------------------------------------------------------------


def load_overrides(path: Path, report: Report) -> Overrides:
    """Read and validate `path`; errors go to `report` with `file:line`, and their rules are left out."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        report.add(Severity.ERROR, "override-file", f"cannot read the overrides file: {error}", Source(shown, 1))
        return Overrides(path, [])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r"at line (\d+)", str(error))
        report.add(Severity.ERROR, "override-syntax", f"not valid TOML: {error}", Source(shown, int(at.group(1)) if at else 1))
        return Overrides(path, [])
    lines = _Lines(text)
    rules: list[Rule] = []
    for kind, tables in data.items():
        if kind not in RULES:
            known = ", ".join(f"[[{name}]]" for name in RULES)
            report.add(Severity.ERROR, "override-unknown", f"unknown table {kind!r}; known: {known}", Source(shown, lines.table(kind, 0)))
            continue
        if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
            report.add(Severity.ERROR, "override-shape", f"{kind!r} must be an array of tables: [[{kind}]]", Source(shown, lines.table(kind, 0)))
            continue
        for index, table in enumerate(tables):
            rule = Rule(kind, table, Source(shown, lines.table(kind, index)))
            problems = _problems(rule, lines, index)
            for line, problem in problems:
                report.add(Severity.ERROR, "override-invalid", f"[[{kind}]] {problem}", Source(shown, line))
            if not problems:
                rules.append(rule)
    rules.sort(key=lambda rule: rule.source.line)
    return Overrides(path, rules)


def _problems(rule: Rule, lines: _Lines, index: int) -> list[tuple[int, str]]:
    required, optional = RULES[rule.kind]
    at = rule.source.line
    problems = []
    for key in rule.values:
        if key not in required + optional:
            allowed = ", ".join(required + optional)
            problems.append((lines.key(rule.kind, index, key), f"unknown key {key!r}; allowed: {allowed}"))
    for key in required:
        if key not in rule.values:
            problems.append((at, f"missing {key!r}"))
    for key, value in rule.values.items():
        if key not in required + optional:
            continue
        where = lines.key(rule.kind, index, key)
        if key in _LISTS:
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append((where, f"{key!r} must be a non-empty list of non-empty strings"))
        elif not isinstance(value, str) or not value.strip():
            problems.append((where, f"{key!r} must be a non-empty string"))
    if rule.kind == "merge" and len(rule.texts("terms")) == 1:
        problems.append((lines.key(rule.kind, index, "terms"), "'terms' must name at least two terms"))
    if rule.kind == "split":
        for source in rule.texts("entries"):
            if not _SOURCE.match(source):
                problems.append((lines.key(rule.kind, index, "entries"), f"entry {source!r} is not 'file.txt:line'"))
    if rule.kind == "category" and not problems and not ({"into", "domain"} & set(rule.values)):
        problems.append((at, "needs 'into', 'domain' or both"))
    return problems


class _Lines:
    """Where each `[[kind]]` table, and each key inside one, starts in the file's text."""

    def __init__(self, text: str) -> None:
        self.tables: dict[str, list[int]] = defaultdict(list)
        self.keys: dict[tuple[str, int], dict[str, int]] = {}
        self.top: dict[str, int] = {}
        current: tuple[str, int] | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            table = _TABLE.match(line)
            if table:
                kind = table.group(1)
                current = (kind, len(self.tables[kind]))
                self.tables[kind].append(number)
                self.keys[current] = {}
                continue
            key = _KEY.match(line)
            if key and current is not None:
                self.keys[current].setdefault(key.group(1), number)
            elif key:
                self.top.setdefault(key.group(1), number)

    def table(self, kind: str, index: int) -> int:
        lines = self.tables.get(kind, [])
        return lines[index] if index < len(lines) else self.top.get(kind, 1)

    def key(self, kind: str, index: int, key: str) -> int:
        return self.keys.get((kind, index), {}).get(key, self.table(kind, index))
