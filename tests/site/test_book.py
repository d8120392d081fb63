"""The book of the whole corpus: `make latexpdf` (issue 4, item 2) and `make epub` (item 3).

Both build a copy of docs/ (the Makefile's DOCS), so the tests never rewrite the
working tree's docs/_generated; output goes to a temporary BUILDDIR.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from corpus_paths import CORPUS
from glossary.core.pipeline import build_glossary

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.slow


def make_book(target: str, build: Path) -> subprocess.CompletedProcess:
    docs = build / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("_generated", "corpus"))
    return subprocess.run(
        ["make", target, f"DOCS={docs}", f"BUILDDIR={build / '_build'}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )


def words(text: str) -> str:
    """Text with all white space as single spaces and typographic quotes made plain."""
    return " ".join(text.replace("’", "'").split())


@pytest.fixture(scope="module")
def glossary():
    return build_glossary(CORPUS)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    build = tmp_path_factory.mktemp("pdf")
    run = make_book("latexpdf", build)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return build / "_build" / "latex"


def pdf_pages(pdf_file: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_latex_log_has_no_error_undefined_reference_or_missing_glyph(pdf):
    log = (pdf / "glossary.log").read_text(encoding="utf-8", errors="replace")
    assert "Output written on glossary.pdf" in log
    assert [line for line in log.splitlines() if line.startswith("!")] == []
    assert re.findall(r"(?:Reference|reference|Citation) `[^']*' on page \d+ undefined", log) == []
    assert "There were undefined references" not in log
    assert re.findall(r"Missing character: There is no (\S+)", log) == []


def test_every_term_name_is_in_the_pdf_and_every_alias_in_its_index(pdf, glossary):
    pages = pdf_pages(pdf / "glossary.pdf")
    text = words(" ".join(pages))
    assert [t.name for t in glossary.terms if words(t.name) not in text] == []
    index_start = max(i for i, page in enumerate(pages) if page.lstrip().startswith("Index"))
    index = words(" ".join(pages[index_start:]))
    names = [name for t in glossary.terms for name in [t.name, *t.aliases]]
    assert [name for name in names if words(name) not in index] == []


def test_cross_references_are_internal_links_with_page_numbers(pdf):
    tex = (pdf / "glossary.tex").read_text(encoding="utf-8")
    term_refs = tex.count(r"\sphinxtermref{")
    assert term_refs > 100
    after = re.compile(r"(?:\\DUrole\{[^{}]*\}\{)*(?:[^{}]|\\[a-z]+\{\})*\}+ \(\\autopageref\*\{\\detokenize\{_generated/terms/")
    assert [chunk[:120] for chunk in tex.split(r"\sphinxtermref{")[1:] if not after.match(chunk)] == []
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(pdf / "glossary.pdf")], capture_output=True, text=True, check=True
    ).stdout
    internal = re.findall(r'<a href="glossary\.html#(\d+)"', xml)
    assert len(internal) > term_refs  # term links, plus the contents and the index
    assert re.search(r"\(page \d+\)", " ".join(pdf_pages(pdf / "glossary.pdf")))


def test_a_term_page_with_math_and_a_table_is_rendered(pdf, glossary):
    """Kept as tests/artifacts/pdf-term-page.png for a person to look at."""
    term = next(t for t in glossary.terms if any("$" in s.markdown and "|---" in s.markdown for s in t.senses))
    pages = pdf_pages(pdf / "glossary.pdf")
    page = next(i for i, text in enumerate(pages, 1) if term.name in text.splitlines())
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "pdf-term-page"
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "80", "-png", "-singlefile", str(pdf / "glossary.pdf"), str(prefix)], check=True)
    png = prefix.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
