"""The previews file: what a glossary site publishes beside `objects.inv` for other projects.

`objects.inv` tells another Sphinx project where each term is; this file tells
it what each term says, so its links can carry the same one-line preview as
ours, its "did you mean" can name our terms, and its auto-linker can use our
names and rules.  The site writes it (`glossweave.site.previews_file`), the
consumer extension (`glossweave.consumer`) reads it; both go through this
module, which needs no Sphinx.

The layout is versioned by `format` + `version` and described by the JSON
Schema beside this module (`SCHEMA`).  Additions that old readers can ignore
keep the version; anything else bumps it, and a reader refuses versions it
does not know instead of guessing.  The file is read from other people's
servers, so `PreviewsFile.from_json` checks every field it uses: a page URI
must be relative (no scheme, no `//host`), an anchor an HTML id.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from glossweave.core.linker import LinkRules

FILENAME = "glossary-previews.json"
FORMAT = "glossweave-previews"
VERSION = 1
SCHEMA = Path(__file__).with_name("glossary-previews.schema.json")

_ANCHOR = re.compile(r"term-[a-z0-9-]+")
_SLUG = re.compile(r"[a-z0-9-]+")
# a relative URI of a page: no scheme, no network path, no fragment (the anchor is separate)
_RELATIVE_URI = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\s#\"'<>\\]+")


class PreviewsFileError(ValueError):
    """The file is not a previews file this version can read; the message says what is wrong."""


@dataclass(frozen=True)
class Entry:
    """A term or an alias: everything a consumer's link to it needs."""

    anchor: str  # the `term-<key>` id on the page, the same as in objects.inv
    name: str  # display name (an alias's own spelling)
    uri: str  # page, relative to the site root
    summary: str  # the term's one-line summary (an alias shares its term's)
    alias_of: str | None  # anchor of the term, for an alias
    categories: tuple[str, ...]  # slugs, keys of `PreviewsFile.categories`

    @property
    def key(self) -> str:
        """The space-free name objects.inv also carries for a name its loader drops."""
        return self.anchor.removeprefix("term-")


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    uri: str


@dataclass(frozen=True)
class PreviewsFile:
    project: str
    release: str
    generator: str
    entries: Mapping[str, Entry]  # by anchor
    categories: Mapping[str, Category] = field(default_factory=dict)  # by slug
    #: (name, term anchor) of every name the site itself auto-links, and the site's link rules
    link_names: tuple[tuple[str, str], ...] = ()
    link_rules: LinkRules = field(default_factory=LinkRules)

    def to_json(self) -> str:
        """Deterministic, compact JSON (sorted keys), ending in a newline."""
        data = {
            "format": FORMAT,
            "version": VERSION,
            "project": self.project,
            "release": self.release,
            "generator": self.generator,
            "terms": {
                e.anchor: {
                    "name": e.name,
                    "uri": e.uri,
                    "summary": e.summary,
                    "alias_of": e.alias_of,
                    "categories": list(e.categories),
                }
                for e in self.entries.values()
            },
            "categories": {c.slug: {"name": c.name, "uri": c.uri} for c in self.categories.values()},
            "autolink": {"names": [list(pair) for pair in self.link_names], "rules": _rules_json(self.link_rules)},
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, raw: bytes | str) -> PreviewsFile:
        """Parse and check a previews file; raises `PreviewsFileError` naming the first problem."""
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise PreviewsFileError(f"not JSON: {error}") from None
        doc = _Reader(data, "file")
        if doc.text("format") != FORMAT:
            raise PreviewsFileError(f"format is {data.get('format')!r}, not {FORMAT!r}")
        version = data.get("version")
        if version != VERSION:
            raise PreviewsFileError(f"version {version!r} is not supported (this reader knows version {VERSION})")
        categories = {}
        for slug, value in doc.mapping("categories").items():
            item = _Reader(value, f"categories[{slug!r}]")
            categories[slug] = Category(_match(_SLUG, slug, "category slug"), item.text("name"), item.uri("uri"))
        entries = {}
        for anchor, value in doc.mapping("terms").items():
            item = _Reader(value, f"terms[{anchor!r}]")
            alias_of = value.get("alias_of") if isinstance(value, dict) else None
            entries[anchor] = Entry(
                _match(_ANCHOR, anchor, "anchor"),
                item.text("name"),
                item.uri("uri"),
                item.text("summary", empty=True),
                None if alias_of is None else _match(_ANCHOR, item.text("alias_of"), "alias_of"),
                tuple(_match(_SLUG, s, "category slug") for s in item.strings("categories")),
            )
        for entry in entries.values():
            if entry.alias_of is not None and entry.alias_of not in entries:
                raise PreviewsFileError(f"terms[{entry.anchor!r}].alias_of names no term: {entry.alias_of!r}")
        autolink = _Reader(doc.mapping("autolink"), "autolink")
        names = []
        for pair in autolink.list("names"):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) and p.strip() for p in pair)):
                raise PreviewsFileError(f"autolink.names: expected [name, anchor] pairs, got {pair!r}")
            if pair[1] not in entries:
                raise PreviewsFileError(f"autolink.names: {pair[1]!r} is no term's anchor")
            names.append((pair[0], pair[1]))
        return cls(
            project=doc.text("project"),
            release=doc.text("release", empty=True),
            generator=doc.text("generator", empty=True),
            entries=entries,
            categories=categories,
            link_names=tuple(names),
            link_rules=_rules(autolink.mapping("rules")),
        )


def _rules_json(rules: LinkRules) -> dict[str, object]:
    data = dataclasses.asdict(rules)
    data["generic_words"] = sorted(data["generic_words"])
    return data


def _rules(data: dict) -> LinkRules:
    """The rules a file states; fields this version does not know are ignored, so newer files still load."""
    known = {f.name for f in dataclasses.fields(LinkRules)}
    try:
        return LinkRules.from_mapping({key: value for key, value in data.items() if key in known})
    except (TypeError, ValueError) as error:
        raise PreviewsFileError(f"autolink.rules: {error}") from None


def _match(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.fullmatch(value):
        raise PreviewsFileError(f"invalid {what}: {value!r}")
    return value


class _Reader:
    """Typed access to one JSON object, with errors that name the field."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise PreviewsFileError(f"{where}: expected an object, got {type(data).__name__}")
        self.data, self.where = data, where

    def _get(self, key: str, kind: type, kind_name: str):
        value = self.data.get(key)
        if not isinstance(value, kind):
            raise PreviewsFileError(f"{self.where}.{key}: expected {kind_name}, got {value!r:.60}")
        return value

    def text(self, key: str, empty: bool = False) -> str:
        value = self._get(key, str, "a string")
        if not empty and not value.strip():
            raise PreviewsFileError(f"{self.where}.{key}: empty")
        return value

    def uri(self, key: str) -> str:
        return _match(_RELATIVE_URI, self.text(key), f"{self.where}.{key} (a relative page URI)")

    def mapping(self, key: str) -> dict:
        return self._get(key, dict, "an object")

    def list(self, key: str) -> list:
        return self._get(key, list, "a list")

    def strings(self, key: str) -> list[str]:
        values = self.list(key)
        if not all(isinstance(v, str) for v in values):
            raise PreviewsFileError(f"{self.where}.{key}: expected strings, got {values!r:.60}")
        return values
