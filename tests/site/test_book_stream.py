"""The book written page by page (glossweave.site.book_stream): the same .tex as Sphinx's whole-book assembly, one page in memory at a time."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from glossweave.site.book_stream import StreamedLaTeXBuilder, book_pages
from glossweave.site.emit import GENERATED_NAMES

ROOT = Path(__file__).resolve().parents[2]


def latex_book(tmp_path: Path, name: str) -> str:
    """The book's .tex, from the LaTeX builder on a copy of docs/ (the real corpus)."""
    docs = tmp_path / name / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("corpus", *GENERATED_NAMES))
    out = tmp_path / name / "latex"
    status = build_main(["-q", "-b", "latex", "-t", "book", "-c", str(ROOT), str(docs), str(out), "-d", str(tmp_path / name / "doctrees")])
    assert status == 0
    return (out / "glossary.tex").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_book_written_page_by_page_is_the_book_sphinx_assembles_whole(tmp_path, monkeypatch):
    streamed = latex_book(tmp_path, "streamed")
    monkeypatch.setattr(StreamedLaTeXBuilder, "streams", lambda self, toctree_only, appendices: False)
    assembled = latex_book(tmp_path, "assembled")
    assert streamed == assembled
    assert "\\begin{sphinxthebibliography}" in streamed  # the works cited, gathered from the pages, at the end
    assert streamed.count("\\section{") > 100


@pytest.mark.slow
def test_no_more_pages_are_alive_than_the_toctree_nests(tmp_path, monkeypatch):
    alive: list[weakref.ref] = []
    most = 0
    resolved_page = StreamedLaTeXBuilder.resolved_page

    def observed(self, docname):
        nonlocal most
        gc.collect()
        most = max(most, sum(ref() is not None for ref in alive))
        page = resolved_page(self, docname)
        alive.append(weakref.ref(page))
        return page

    monkeypatch.setattr(StreamedLaTeXBuilder, "resolved_page", observed)
    latex_book(tmp_path, "observed")
    assert len(alive) > 100
    # a few pages written last stay referenced for a while, whatever the book's length;
    # the whole-book assembly holds every page (over a hundred here) to the end
    assert 0 < most <= len(alive) // 10


def test_pages_are_ordered_and_owned_as_sphinx_inlines_them():
    class Env:
        toctree_includes = {"root": ["a", "b"], "a": ["a1", "b", "a2"], "b": ["b1", "root"], "a2": ["a1"]}

    owners = book_pages(Env(), "root")
    assert list(owners) == ["a", "a1", "b", "b1", "a2"]  # depth first
    assert owners == {"a": "root", "a1": "a", "b": "a", "b1": "b", "a2": "a"}  # where first reached
