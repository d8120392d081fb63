"""Hand-made terms for the site tests, so the Sphinx layer is tested apart from the pipeline.

A plain module, not conftest.py: `from conftest import …` is ambiguous when
tests/ has a conftest of its own.
"""

from __future__ import annotations

from glossweave.core.model import (
    Block,
    BlockKind,
    Definition,
    Entry,
    Glossary,
    Header,
    Layout,
    LinkSpan,
    NameSource,
    RawEntry,
    Report,
    Sense,
    Source,
    Term,
)


def sense(
    category: str,
    markdown: str,
    *,
    links: list[tuple[str, str]] = (),
    line: int = 1,
    file: str = "000_test.txt",
    others: list[Definition] = (),
) -> Sense:
    """A sense whose `links` are (mentioned text, target slug), located by first occurrence."""
    definition = other(category, markdown, links=links, line=line, file=file)
    return Sense(definition.category, definition.entry, definition.sources, definition.links, list(others))


def other(category: str, markdown: str, *, links: list[tuple[str, str]] = (), line: int = 1, file: str = "000_test.txt") -> Definition:
    """A definition (an "other definition" of a sense, or the makings of a sense)."""
    source = Source(file, line)
    raw = RawEntry(source, "header", markdown.splitlines(), line + 1, Layout.LINES)
    summary = markdown.split("\n", 1)[0].replace("**", "")
    entry = Entry(raw, Header(["key", category], "spaced"), "Name", NameSource.BOLD, [Block(BlockKind.PARAGRAPH, markdown.split("\n"))], summary)
    spans = []
    for text, target in links:
        start = markdown.index(text)
        spans.append(LinkSpan(start, start + len(text), target))
    return Definition(category, entry, [source], spans)


def term(
    slug: str,
    name: str,
    *senses: Sense,
    aliases: list[str] = (),
    keywords: list[str] = (),
    related: list[str] = (),
    see_also: list[str] = (),
) -> Term:
    return Term(slug, name, list(aliases), list(senses), list(keywords), list(related), list(see_also))


def glossary(*terms: Term, domains: dict[str, str] | None = None) -> Glossary:
    return Glossary(sorted(terms, key=lambda t: t.name.casefold()), Report(), domains or {})
