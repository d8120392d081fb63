"""The book's pages (glossweave.site.emit): what LaTeX and the ePub read, and the site does not."""

from __future__ import annotations

import json

from glossweave.core.citations import BibEntry, Bibliography
from glossweave.site.emit import GENERATED, site_pages
from handmade import glossary, sense, term


def small():
    return glossary(
        term("gpu", "GPU", sense("hardware", "GPU is a processor.")),
        term("kd", "Knowledge Distillation", sense("training", "A student mimics a teacher (Hinton et al., 2015).")),
    )


BIB = Bibliography([BibEntry("hinton2015distilling", "hinton", "2015", "distillingtheknowledgeinaneuralnetwork")])


def test_the_site_has_no_book_and_no_term_toctree():
    pages = site_pages(small())
    assert not {f"{GENERATED}/book.md", f"{GENERATED}/about.md", f"{GENERATED}/categories.md"} & set(pages)
    assert "toctree" not in pages["letters/g.md"]


def test_the_book_reaches_every_term_through_its_letter():
    pages = site_pages(small(), book_title="Test Book")
    assert pages[f"{GENERATED}/book.md"].startswith("# Test Book\n")
    # a title page: the chapters are in the navigation, not listed on the page
    assert "```{glossary-title-page}\n```" in pages[f"{GENERATED}/book.md"]
    chapters = pages[f"{GENERATED}/book.md"].split("```{toctree}\n:hidden:\n:maxdepth: 1\n\n")[1].split("\n```")[0].splitlines()
    assert chapters == ["/_generated/about", "/letters/g", "/letters/k", "/_generated/categories"]
    assert ":hidden:\n\n/terms/gpu\n```" in pages["letters/g.md"]
    assert "**2** terms" in pages[f"{GENERATED}/about.md"]


def test_citing_pages_carry_their_citations_and_the_site_lists_all_works():
    pages = site_pages(small(), bibliography=BIB)
    kd, gpu = (json.loads(pages[f"terms/{slug}.term.json"])["senses"][0] for slug in ("kd", "gpu"))
    # the parser ends a page with citations with its bibliography
    assert [(kd["markdown"][start:end], key) for start, end, key in kd["citations"]] == [("Hinton et al., 2015", "hinton2015distilling")]
    assert gpu["citations"] == []
    assert ":all:" in pages["bibliography.md"] and "\n/bibliography\n" in pages[f"{GENERATED}/landing.md"]
    book = site_pages(small(), book_title="Test Book", bibliography=BIB)
    assert "bibliography.md" not in book and book["terms/kd.term.json"] == pages["terms/kd.term.json"]
