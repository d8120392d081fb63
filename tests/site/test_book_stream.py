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


ROOTS = Path(__file__).resolve().parents[1] / "roots"
#: A formula the core's whitelist passes and TeX rejects, and one it typesets.
BROKEN, GOOD = r"x^2^3", r"\frac{1}{d_i}"


@pytest.mark.needs("latex")
def test_the_book_s_formulas_are_checked_in_one_batch_and_one_tex_rejects_is_set_as_text(make_app, tmp_path, monkeypatch):
    from glossweave.site import mathcheck

    src = tmp_path / "book"
    shutil.copytree(ROOTS / "test-site", src)
    (src / "corpus" / "001_math.txt").write_text(
        "double superscript, math\n"
        f"**Double Superscript** is **a formula TeX stops on** - It reads ${BROKEN}$.\n"
        "harmonic weight, math\n"
        f"**Harmonic Weight** is **a weight of one over a degree** - It is ${GOOD}$ for a node of degree $d_i$.\n",
        encoding="utf-8",
    )
    (src / "book.md").write_text("```{include} _generated/book.md\n```\n", encoding="utf-8")
    batches: list[list[str]] = []
    check = mathcheck.check_formulas

    def counted(snippets, *args, **kwargs):
        batches.append(list(snippets))
        return check(snippets, *args, **kwargs)

    monkeypatch.setattr(mathcheck, "check_formulas", counted)
    app = make_app(
        "latex",
        srcdir=src,
        confoverrides={
            "root_doc": "book",
            "glossary_book": True,
            "include_patterns": ["book.md", "_generated/**", "terms/**", "letters/**", "categories/**"],
            "latex_documents": [("book", "book.tex", "Book", "Authors", "manual")],
            "latex_engine": "xelatex",  # as conf.py: the preamble's fonts need it
        },
    )
    app.build()
    tex = (Path(app.outdir) / "book.tex").read_text(encoding="utf-8")
    assert len(batches) == 1  # every page's formulas, gathered as the pages were read
    assert {rf"\({BROKEN}\)", rf"\({GOOD}\)", r"\(d_i\)"} <= set(batches[0])
    assert rf"\({GOOD}\)" in tex and rf"\({BROKEN}\)" not in tex
    assert r"\sphinxcode{\sphinxupquote{x\textasciicircum{}2\textasciicircum{}3}}" in tex  # shown as its TeX, verbatim
