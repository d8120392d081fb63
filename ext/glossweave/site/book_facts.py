"""What the book gathers from all its pages, for its head and its end.

The LaTeX builder resolves the book a page at a time (`glossweave.site.book_stream`),
so what the book prints once, from every page, is gathered here as each is
resolved: one `BookFacts` per document of the book, kept on the builder.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docutils import nodes
from sphinx.builders import Builder


#: Where the translator's output has the body, which the builder writes in its pieces (book_stream).
BODY_MARK = "%% glossweave: the body of the book %%"


@dataclass
class BookFacts:
    """What the book gathers from all its pages as they are resolved, for its head and its end."""

    #: characters of text, for the width of a page number (glossweave.site.latex_speed)
    text_chars: int = 0
    #: each work cited, by its label: the first entry for it (glossweave.site.bibliography)
    citations: dict[str, nodes.citation] = field(default_factory=dict)


def start_book_facts(builder: Builder) -> None:
    """Before each document of the book is assembled."""
    builder.__dict__["glossary_book_facts"] = BookFacts()


def book_facts(builder: Builder) -> BookFacts:
    return builder.__dict__.setdefault("glossary_book_facts", BookFacts())
