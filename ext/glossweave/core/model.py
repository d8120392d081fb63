"""The pipeline's data: small dataclasses shared by every stage.

The core never imports Sphinx, so these types are what the Sphinx layer, the
command-line tool and the tests all see.  Each stage adds to them and nothing
is dropped silently: whatever a stage refuses is kept as a `Rejection` with a
reason, so `Report` can prove that every entry read is accounted for.

The types a corpus has hundreds of thousands of (sources, raw entries, blocks,
senses, link spans) have `__slots__`: without a `__dict__` each is a few
times smaller, which at 64,000 entries saves some 100 MB.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True, slots=True)
class Source:
    """Where a piece of the corpus came from: dump file name and 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Severity(enum.IntEnum):
    """How bad a diagnostic is; only errors make `make check` exit non-zero."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the corpus, always tied to a file and line when known."""

    severity: Severity
    code: str
    message: str
    source: Source | None = None

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.severity}: {self.message} [{self.code}]"


class Layout(str, enum.Enum):
    """The two shapes in which dumps arrive."""

    LINES = "lines"  # header line, then Markdown body lines (no blank lines)
    FLAT = "flat"  # scraped page: header, then the whole body on ONE line


@dataclass(slots=True)
class RawEntry:
    """An entry as split out of a dump, before any interpretation.

    `body` keeps the physical lines; `body_line` is the line number of the first
    one, so later stages can point at the exact line of a problem.
    """

    source: Source
    header: str
    body: list[str]
    body_line: int
    layout: Layout


class BlockKind(str, enum.Enum):
    """Markdown block types restored by the normalizer."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"  # a bold line standing alone, e.g. **Why X Matters**
    BULLET_LIST = "bullet_list"
    ORDERED_LIST = "ordered_list"
    TABLE = "table"
    CODE = "code"


@dataclass(slots=True)
class Block:
    """One Markdown block.  `lines` are its Markdown lines, without trailing blank."""

    kind: BlockKind
    lines: list[str]
    line: int = 0  # the dump line the block starts on, for diagnostics

    def markdown(self) -> str:
        return "\n".join(self.lines)


@dataclass(slots=True)
class Header:
    """The header line's comma-separated parts, as written; `identify` decides what each one is."""

    parts: list[str]
    style: str  # "spaced" (`term, alias, category`) or "compact" (`term,alias,…`)

    @property
    def term(self) -> str:
        """The first part: the site's term for spaced headers, often the first keyword otherwise."""
        return self.parts[0]


class NameSource(str, enum.Enum):
    """Where a term's display name came from; `make check` shows it so a maintainer can overrule it."""

    BOLD = "bold-phrase"
    BODY = "header-term-in-body"
    HEADER = "header-term"
    OVERRIDE = "override"

    @property
    def description(self) -> str:
        return _NAME_SOURCES[self]


_NAME_SOURCES = {
    NameSource.BOLD: "the body's opening bold phrase",
    NameSource.BODY: "the header term, as the body writes it",
    NameSource.HEADER: "the header term (the body does not write it)",
    NameSource.OVERRIDE: "the overrides file",
}


class Role(str, enum.Enum):
    """What a header part (or a name the body gives) is to its term."""

    NAME = "name"  # the name itself, or one word of a title split at every space
    ALIAS = "alias"  # another name of the same concept: a name everywhere names are used
    CATEGORY = "category"
    KEYWORD = "keyword"  # kept for search, exports and related links; never a name


class Reason(str, enum.Enum):
    """Why a part got its role: machine-readable (`check --json`), each with a description."""

    SAME_NAME = "same-name"
    SPLIT_TITLE = "split-title"
    INITIALS = "initials"
    EXPANSION = "expansion"
    VARIANT = "variant"
    SHORTENED = "shortened"
    NAME_HALF = "name-half"
    BODY_PARENTHESIS = "body-parenthesis"
    BODY_EQUIVALENT = "body-equivalent"
    MERGED_NAME = "merged-name"
    SPACED_LAST = "spaced-last-part"
    KNOWN_CATEGORY = "known-category"
    HEADER_TERM = "header-term-not-name"
    BROADER = "broader-than-name"
    KEYWORD = "keyword"
    CONFLICT = "alias-conflict"
    OVERRIDE = "override"

    @property
    def description(self) -> str:
        return _REASONS[self]


_REASONS = {
    Reason.SAME_NAME: "the name itself",
    Reason.SPLIT_TITLE: "the name split at every space",
    Reason.INITIALS: "abbreviation of the name (its initials)",
    Reason.EXPANSION: "expansion of the name (the name is its initials)",
    Reason.VARIANT: "spelling, hyphen or plural variant of the name",
    Reason.SHORTENED: "the name with words shortened, abbreviated or run together (or the name is such a form of it)",
    Reason.NAME_HALF: "one half of the name `X (Y)`",
    Reason.BODY_PARENTHESIS: "given in parentheses after the name in the first sentence",
    Reason.BODY_EQUIVALENT: "given by the body as equivalent ('also called', 'or simply', …)",
    Reason.MERGED_NAME: "the name of an entry merged into this term",
    Reason.SPACED_LAST: "last part of a spaced header",
    Reason.KNOWN_CATEGORY: "last part of a compact header, and a category elsewhere",
    Reason.HEADER_TERM: "header term that is not a form of the body's name",
    Reason.BROADER: "names a broader class than the term (its words are among the name's)",
    Reason.KEYWORD: "header keyword: not a form of the name",
    Reason.CONFLICT: "alias claimed by another term too, or another term's name",
    Reason.OVERRIDE: "set by the overrides file",
}


@dataclass(frozen=True, slots=True)
class Decision:
    """One identity decision: `text` has `role` because of `reason` (`detail` says more when useful)."""

    text: str
    role: Role
    reason: Reason
    detail: str = ""


@dataclass(slots=True)
class Identity:
    """What one entry is, as decided by the identify stage."""

    name: str
    name_source: NameSource
    decisions: list[Decision]
    category: str  # filed category, "" when the header names none

    def names(self, role: Role) -> list[str]:
        return [decision.text for decision in self.decisions if decision.role is role]


@dataclass(slots=True)
class Entry:
    """A normalized entry: one definition of one term from one place in one dump."""

    raw: RawEntry
    header: Header
    display_name: str  # what the body calls it (see `NameSource`)
    name_source: NameSource
    blocks: list[Block]
    summary: str  # one plain-text line, for previews and letter pages
    identity: Identity | None = None  # set by the identify stage

    @property
    def identified(self) -> Identity:
        """The identity the identify stage decided; the stages after it rely on it."""
        if self.identity is None:
            raise RuntimeError(f"{self.source}: the identify stage has not run on this entry")
        return self.identity

    @property
    def source(self) -> Source:
        return self.raw.source

    @property
    def markdown(self) -> str:
        return "\n\n".join(block.markdown() for block in self.blocks)


@dataclass(slots=True)
class LinkSpan:
    """A mention of another term inside a sense's Markdown: [start, end) → slug."""

    start: int
    end: int
    target: str


@dataclass(slots=True)
class Definition:
    """One definition text of a term.  Copies of the same text merge into one Definition."""

    category: str
    entry: Entry  # the best-structured copy, whose Markdown is published
    sources: list[Source]
    links: list[LinkSpan] = field(default_factory=list)

    @property
    def markdown(self) -> str:
        return self.entry.markdown

    @property
    def summary(self) -> str:
        return self.entry.summary


@dataclass(slots=True)
class Sense(Definition):
    """One meaning of a term: its primary definition, and rewrites of the same meaning."""

    others: list[Definition] = field(default_factory=list)

    @property
    def definitions(self) -> list[Definition]:
        return [self, *self.others]


@dataclass
class TermIdentity:
    """Why a term is what it is, for `make check` to show and a maintainer to overrule."""

    name_source: NameSource | None = None  # None for terms made by hand, not by the pipeline
    name_from: Source | None = None  # the entry whose name the term carries
    decisions: list[Decision] = field(default_factory=list)  # aliases, keywords, categories
    merges: list[str] = field(default_factory=list)  # why entries under other headers joined it
    overrides: list[str] = field(default_factory=list)  # what the overrides file changed


@dataclass
class Term:
    """A published glossary term with one or more numbered senses."""

    slug: str
    name: str  # display name, with the corpus's own capitalisation
    aliases: list[str]  # true aliases only: names everywhere names are used
    senses: list[Sense]
    keywords: list[str] = field(default_factory=list)  # for search and exports; never names
    related: list[str] = field(default_factory=list)  # slugs of terms a keyword names
    see_also: list[str] = field(default_factory=list)  # slugs of near-duplicate terms kept apart
    identity: TermIdentity = field(default_factory=TermIdentity)

    @property
    def key(self) -> str:
        """The name as compared: case-folded, single-spaced."""
        return " ".join(self.name.split()).casefold()

    @property
    def definitions(self) -> list[Definition]:
        return [definition for sense in self.senses for definition in sense.definitions]

    @property
    def categories(self) -> list[str]:
        seen: dict[str, None] = {}
        for definition in self.definitions:
            seen.setdefault(definition.category, None)
        return list(seen)

    @property
    def summary(self) -> str:
        return self.senses[0].summary

    @property
    def sources(self) -> list[Source]:
        return [source for definition in self.definitions for source in definition.sources]


@dataclass(frozen=True)
class Rejection:
    """An entry (or stretch of a dump) that was not published, and why."""

    source: Source
    reason: str
    text: str  # the header or first line, so a maintainer can find it


@dataclass
class Report:
    """The accounting `make check` prints: read = published + merged + rejected."""

    entries_read: dict[str, int] = field(default_factory=dict)
    merged_copies: list[tuple[Source, Source]] = field(default_factory=list)  # copy, kept
    rejected: list[Rejection] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    held_names: list[str] = field(default_factory=list)  # names the linker will not link, with why
    category_filings: dict[str, tuple[str, str]] = field(default_factory=dict)  # as written → (filed under, why)
    near_duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # slug, slug, why kept apart
    overrides: list[str] = field(default_factory=list)  # what each rule of the overrides file changed

    @property
    def total_read(self) -> int:
        return sum(self.entries_read.values())

    def add(self, severity: Severity, code: str, message: str, source: Source | None = None) -> None:
        self.diagnostics.append(Diagnostic(severity, code, message, source))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


@dataclass
class Glossary:
    """Everything the pipeline produces: terms in sorted order, the domain of each category, the report."""

    terms: list[Term]
    report: Report
    domains: dict[str, str] = field(default_factory=dict)  # category → domain
    link_names: list[tuple[str, str]] = field(default_factory=list)  # (name, slug) pairs the linker links

    @property
    def published_senses(self) -> int:
        return sum(len(term.senses) for term in self.terms)

    @property
    def published_definitions(self) -> int:
        """Senses plus their other definitions: every definition text a page shows."""
        return sum(len(term.definitions) for term in self.terms)

    def balances(self) -> bool:
        """Entries read = published definitions + merged copies + rejected entries."""
        return self.report.total_read == (
            self.published_definitions + len(self.report.merged_copies) + len(self.report.rejected)
        )
