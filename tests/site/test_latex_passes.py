"""The PDF is finished in two LaTeX passes, and the LaTeX writer compiles each template once.

See `glossweave.site.latex_speed`.  The book test runs `make latexpdf` on a copy
of docs/ (as tests/site/test_book.py does) and checks what the two passes
claim: latexmk stopped after two, and a third pass would change nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks.wholejob import latexmk_runs
from glossweave.site.emit import GENERATED_NAMES
from glossweave.site.latex_speed import CHARS_PER_PAGE, LATEXMKRC_LINES, LaTeXTranslator, page_digits, shared_renderer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("pages", [9, 99, 999, 9999, 99999])
def test_the_page_number_box_holds_the_last_page_of_a_book_that_long(pages):
    assert page_digits(pages * CHARS_PER_PAGE) >= len(str(pages))


def test_a_short_book_gets_a_narrow_box():
    assert page_digits(50 * CHARS_PER_PAGE) == 2
    assert page_digits(0) == 1


def _translator(confdir: Path, templates_path: list[str]) -> LaTeXTranslator:
    """A translator with only what `render` reads (a real one needs a whole document and builder)."""
    translator = LaTeXTranslator.__new__(LaTeXTranslator)
    translator.config = SimpleNamespace(latex_engine="xelatex", templates_path=templates_path)
    translator.builder = SimpleNamespace(confdir=confdir)
    return translator


def test_a_template_is_compiled_once_for_every_table(tmp_path):
    translator = _translator(tmp_path, [])
    environment = shared_renderer("xelatex").env
    environment.cache.clear()
    calls = []
    compile_ = environment.compile

    def counting(*args, **kwargs):
        calls.append(args)
        return compile_(*args, **kwargs)

    environment.compile = counting
    try:
        for _ in range(3):
            # the section template needs no table object; any of Sphinx's own templates is cached alike
            translator.render("latex.tex.jinja", _LATEX_VARIABLES)
    finally:
        del environment.compile
    assert len(calls) == 1


def test_a_project_template_of_the_same_name_still_wins(tmp_path):
    (tmp_path / "_templates").mkdir()
    (tmp_path / "_templates" / "tabular.tex.jinja").write_text("OUR TABLE <%= table.colcount %>", encoding="utf-8")
    translator = _translator(tmp_path, ["_templates"])
    rendered = translator.render("tabular.tex.jinja", {"table": SimpleNamespace(colcount=3)})
    assert rendered == "OUR TABLE 3"


#: What latex.tex.jinja reads (every key Sphinx's builder passes); the values do not matter here.
_LATEX_VARIABLES: dict = {
    key: ""
    for key in (
        "latex_engine docclass papersize pointsize classoptions multilingual polyglossia babel fontenc "
        "passoptionstopackages geometry inputenc utf8extra cmappkg fontpkg fontsubstitution substitutefont "
        "textgreek fncychap hyperref contentsname tableofcontents maketitle printindex makeindex shorthandoff "
        "sphinxpkgoptions sphinxsetup extrapackages preamble title date release author releasename indexname "
        "body atendofbody transition figure_align usepackages latex_elements makeindex printindex "
        "addtocaptions numfig_format pageautorefname tocdepth secnumdepth sphinxthebibliography"
    ).split()
}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """`make latexpdf` on a copy of docs/: the LaTeX folder and what make printed."""
    build = tmp_path_factory.mktemp("passes")
    docs = build / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("corpus", *GENERATED_NAMES))
    run = subprocess.run(
        ["make", "latexpdf", f"DOCS={docs}", f"BUILDDIR={build / '_build'}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return build / "_build" / "latex", run.stdout


@pytest.mark.slow
@pytest.mark.needs("latex", "poppler")
def test_latexmk_stops_after_two_passes_with_every_reference_resolved(book):
    latex, output = book
    engine_runs = [run for run in latexmk_runs(output) if run["rule"] in ("pdflatex", "xelatex", "lualatex")]
    assert len(engine_runs) == 2
    log = (latex / "glossary.log").read_text(encoding="utf-8", errors="replace")
    assert "There were undefined references" not in log
    assert "Label(s) may have changed" not in log
    assert "\\item" in (latex / "glossary.ind").read_text(encoding="utf-8")  # xindy's, not the empty stand-in
    assert (latex / "latexmkrc").read_text(encoding="utf-8").count(LATEXMKRC_LINES) == 1


@pytest.mark.slow
@pytest.mark.needs("latex", "poppler")
def test_a_third_pass_would_change_no_page_number(book, tmp_path):
    latex, _ = book
    again = tmp_path / "again"
    shutil.copytree(latex, again)
    before = {name: (again / name).read_text(encoding="utf-8") for name in ("glossary.aux", "glossary.toc")}
    subprocess.run(["xelatex", "-interaction=nonstopmode", "-no-pdf", "glossary.tex"], cwd=again, capture_output=True, check=True)
    after = {name: (again / name).read_text(encoding="utf-8") for name in before}
    assert after == before


@pytest.mark.slow
@pytest.mark.needs("latex", "poppler")
def test_every_heading_has_its_bookmark_with_no_file_read_back(book):
    latex, _ = book
    assert not (latex / "glossary.out").exists()  # hyperref's read-back file, which TeX's memory could not hold at scale
    outline = subprocess.run(
        ["pdftohtml", "-stdout", "-xml", "-i", "-q", str(latex / "glossary.pdf")], capture_output=True, text=True, check=True
    ).stdout
    bookmarks = re.findall(r'<item page="\d+">([^<]*)</item>', outline)
    tex = (latex / "glossary.tex").read_text(encoding="utf-8")
    chapters = re.findall(r"^\\chapter\{([A-Z])\}", tex, re.MULTILINE)
    sections = re.findall(r"^\\section\{", tex, re.MULTILINE)
    assert chapters and set(chapters) <= set(bookmarks)
    assert len(bookmarks) >= len(chapters) + len(sections)


@pytest.mark.slow
@pytest.mark.needs("latex", "poppler")
def test_page_references_print_pages_that_labels_are_on(book):
    latex, _ = book
    aux = (latex / "glossary.aux").read_text(encoding="utf-8")
    pages = subprocess.run(["pdftotext", str(latex / "glossary.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    printed = [int(n) for n in re.findall(r"\(page (\d+)\)", pages)]
    # terms, and the category sections a category badge refers to
    label_pages = {int(page) for page in re.findall(r"\\newlabel\{[^}]+\}\{\{[^}]*\}\{(\d+)\}", aux)}
    assert printed
    assert set(printed) <= label_pages


@pytest.mark.needs("latex")
def test_the_first_pass_is_quiet_and_the_last_reports_a_broken_reference(tmp_path):
    from glossweave.site.latex_speed import PREAMBLE

    (tmp_path / "t.tex").write_text(
        "\\documentclass{article}\n\\usepackage{hyperref}\n" + PREAMBLE + "\n\\begin{document}\n"
        "See \\hyperref[good]{there} (\\autopageref*{good}) and \\ref{broken}.\n\\section{Good}\\label{good}\n\\end{document}\n",
        encoding="utf-8",
    )
    (tmp_path / "t.aux").write_text("\\relax \n", encoding="utf-8")  # what latexmk writes before a first pass
    logs = []
    for _ in range(2):
        subprocess.run(["xelatex", "-interaction=nonstopmode", "-no-pdf", "t.tex"], cwd=tmp_path, capture_output=True, check=False)
        logs.append((tmp_path / "t.log").read_text(encoding="utf-8", errors="replace"))
    assert "undefined" not in logs[0]
    assert re.findall(r"Reference `(\w+)' on page \d+ undefined", logs[1]) == ["broken"]
