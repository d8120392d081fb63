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
from array import array
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
    """The parsed header line: the key term, its aliases and its category."""

    term: str
    aliases: list[str]
    category: str
    style: str  # "spaced" (`term, alias, category`) or "compact" (`term,alias,…`)


@dataclass(slots=True)
class Entry:
    """A normalized entry: one definition of one term from one place in one dump."""

    raw: RawEntry
    header: Header
    display_name: str
    blocks: list[Block]
    summary: str  # one plain-text line, for previews and letter pages
    # Where no link may go in `markdown`: flat (start, end) pairs (linker.unlinkable_regions),
    # found while normalizing, when the Markdown is parsed anyway; None: found when linking.
    unlinkable: array | None = None

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
class Sense:
    """One definition of a term.  Copies of the same text merge into one Sense."""

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


@dataclass
class Term:
    """A published glossary term with one or more numbered senses."""

    slug: str
    name: str  # display name, with the corpus's own capitalisation
    key: str  # the lower-case header term the entries were filed under
    aliases: list[str]
    senses: list[Sense]

    @property
    def categories(self) -> list[str]:
        seen: dict[str, None] = {}
        for sense in self.senses:
            seen.setdefault(sense.category, None)
        return list(seen)

    @property
    def summary(self) -> str:
        return self.senses[0].summary

    @property
    def sources(self) -> list[Source]:
        return [source for sense in self.senses for source in sense.sources]


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
    """Everything the pipeline produces: terms in sorted order plus the report."""

    terms: list[Term]
    report: Report

    @property
    def published_senses(self) -> int:
        return sum(len(term.senses) for term in self.terms)

    def balances(self) -> bool:
        """Entries read = published senses + merged copies + rejected entries."""
        return self.report.total_read == (
            self.published_senses + len(self.report.merged_copies) + len(self.report.rejected)
        )
