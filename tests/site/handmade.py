"""Hand-made terms for the site tests, so the Sphinx layer is tested apart from the pipeline.

A plain module, not conftest.py: `from conftest import …` is ambiguous when
tests/ has a conftest of its own.
"""

from __future__ import annotations

from glossweave.core.model import (
    Block,
    BlockKind,
    Entry,
    Glossary,
    Header,
    Layout,
    LinkSpan,
    RawEntry,
    Report,
    Sense,
    Source,
    Term,
)


def sense(category: str, markdown: str, *, links: list[tuple[str, str]] = (), line: int = 1, file: str = "000_test.txt") -> Sense:
    """A sense whose `links` are (mentioned text, target slug), located by first occurrence."""
    source = Source(file, line)
    raw = RawEntry(source, "header", markdown.splitlines(), line + 1, Layout.LINES)
    summary = markdown.split("\n", 1)[0].replace("**", "")
    entry = Entry(raw, Header("key", [], category, "spaced"), "Name", [Block(BlockKind.PARAGRAPH, markdown.split("\n"))], summary)
    spans = []
    for text, target in links:
        start = markdown.index(text)
        spans.append(LinkSpan(start, start + len(text), target))
    return Sense(category, entry, [source], spans)


def term(slug: str, name: str, *senses: Sense, aliases: list[str] = ()) -> Term:
    return Term(slug=slug, name=name, key=name.lower(), aliases=list(aliases), senses=list(senses))


def glossary(*terms: Term) -> Glossary:
    return Glossary(sorted(terms, key=lambda t: t.name.casefold()), Report())
