"""The hostile dump, built end to end with the site's own configuration (issue 6).

tests/fixtures/hostile/hostile.txt carries script, event handlers, hostile link
schemes, MyST and reStructuredText directives and roles, substitutions, labels,
TeX that reads files, runs shell commands or redefines TeX, and a huge line,
beside good entries.  Every attack line holds a token `ATTACK-nn`.  The project
(conf.py, ext/, _static/, _templates/, docs/ without its corpus) is copied to a
temporary folder and built with `-W --keep-going -n` over that dump, then:

* nothing ran: no token sits in an attribute, a script or a style; no link
  leads to a non-http(s) scheme; no math handed to MathJax or LaTeX holds a
  file or shell command; no `pwned-*` file was written;
* nothing leaked: no line of /etc/passwd is anywhere in the output;
* every attack shows as inert text (its token is visible) and every TeX attack
  is also reported by `check` at its line;
* every entry, good or hostile, is published.

The PDF and the ePub are built from the same project with `-t book`, the
configuration `make latexpdf` and `make epub` use.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from glossweave.cli import main as cli_main

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
DUMP = (HOSTILE / "hostile.txt").read_text(encoding="utf-8")
TOKENS = sorted(set(re.findall(r"ATTACK-\d+", DUMP)))
#: A line of /etc/passwd on every Debian system: the proof that a file was read.
PASSWD_LINE = "root:x:0:0"
#: The TeX the dump tries to smuggle into math; none may reach a renderer.
TEX_ATTACKS = ["input", "include", "openin", "read", "write", "write18", "immediate", "catcode", "def", "csname",
               "endcsname", "expandafter", "usepackage", "ShellEscape"]
TEX_ATTACK = re.compile(r"\\(?:" + "|".join(TEX_ATTACKS) + r")(?![A-Za-z])|\^\^")
#: Every entry of the dump, by the anchor slug a reader would expect for its name.
SLUGS = [
    "gpu", "script-injection", "hostile-links", "myst-include-fence", "myst-raw-fence", "myst-eval-rst-fence",
    "myst-toctree-fence", "colon-directives", "myst-roles", "rst-directives", "latex-file-access",
    "latex-shell-escape", "latex-redefinition", "javascript-alert-1", "kv-cache", "tensor-core", "huge-line",
]
GOOD_TEXT = {  # a good entry's definition, as it must read
    "gpu": "a massively parallel processor",
    "kv-cache": "stored attention keys and values",
    "tensor-core": "a matrix unit",
}


def _project(root: Path) -> Path:
    """The site's project, minus its corpus, in `root` (conf.py may read its neighbours, e.g. pyproject.toml)."""
    skip = shutil.ignore_patterns("__pycache__", "corpus", "_generated")
    for path in REPO.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy(path, root / path.name)
    for folder in ("ext", "_static", "_templates", "docs"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder, ignore=skip)
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


def _sphinx(root: Path, builder: str, *options: str) -> Path:
    out = root / "_build" / builder
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-c", ".", "docs", str(out),
               "-d", str(root / "_build" / f"doctrees-{builder}"), "-W", "--keep-going", "-n", "-q",
               "-D", f"glossary_corpus={HOSTILE}", *options]
    env = {**os.environ, "PYTHONPATH": str(root / "ext")}
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"sphinx-build -b {builder} failed:\n{done.stderr[-4000:]}"
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return _project(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def html_out(root) -> Path:
    return _sphinx(root, "html")


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href")


def _pages(folder: Path, suffix: str) -> dict[str, lxml_html.HtmlElement]:
    return {str(p.relative_to(folder)): lxml_html.fromstring(p.read_bytes()) for p in folder.rglob(f"*{suffix}")}


def _assert_inert(pages: dict[str, lxml_html.HtmlElement]) -> str:
    """Check every page for live attacks; return the visible text of them all."""
    visible = []
    for name, page in pages.items():
        for element in page.iter():
            if not isinstance(element.tag, str):
                continue
            for attribute, value in element.attrib.items():
                # Corpus text may sit, quoted, in a title or meta description; never where it acts.
                if attribute in URL_ATTRIBUTES or attribute in ("style", "srcdoc") or attribute.startswith("on"):
                    assert "ATTACK" not in value, f"{name}: token in <{element.tag} {attribute}>"
                if attribute in URL_ATTRIBUTES:
                    assert not re.match(r"\s*(?:javascript|data|vbscript|file):|//", value, re.I), f"{name}: {value}"
            if element.tag in ("script", "style"):
                assert "ATTACK" not in (element.text or ""), f"{name}: token inside <{element.tag}>"
            if element.tag in ("iframe", "object", "embed", "svg", "img") and "ATTACK" in lxml_html.tostring(element, encoding=str):
                pytest.fail(f"{name}: corpus <{element.tag}> element")
        for math in page.xpath('//*[contains(concat(" ", @class, " "), " math ")]'):
            assert not TEX_ATTACK.search(math.text_content()), f"{name}: TeX attack handed to MathJax"
        for dead in page.xpath("//script|//style"):
            dead.drop_tree()
        visible.append(page.text_content())
    return "\n".join(visible)


def _assert_nothing_leaked(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert PASSWD_LINE.encode() not in path.read_bytes(), f"/etc/passwd leaked into {path}"
    assert not list(folder.rglob("pwned-*")), "a shell command from the corpus ran"


def test_html_shows_every_attack_as_inert_text(html_out):
    text = _assert_inert(_pages(html_out, ".html"))
    assert [token for token in TOKENS if token not in text] == []
    _assert_nothing_leaked(html_out.parent)


def test_html_publishes_every_entry_and_keeps_good_content_working(html_out):
    terms = html_out / "_generated" / "terms"
    assert sorted(path.stem for path in terms.glob("*.html")) == sorted(SLUGS)
    for slug, definition in GOOD_TEXT.items():
        page = lxml_html.fromstring((terms / f"{slug}.html").read_bytes())
        assert page.get_element_by_id(f"term-{slug}") is not None
        assert definition in page.text_content()
    gpu = lxml_html.fromstring((terms / "gpu.html").read_bytes())
    assert any("O(n^2)" in m.text_content() for m in gpu.xpath('//*[contains(@class, "math")]')), "good math still typesets"
    links = lxml_html.fromstring((terms / "hostile-links.html").read_bytes()).xpath("//a/@href")
    assert "https://example.org/safe" in links and "kv-cache.html" in links, "safe links stay links"


def test_html_gains_no_target_toctree_or_page_from_the_corpus(html_out):
    pages = _pages(html_out, ".html")
    for name, page in pages.items():
        assert not page.xpath('//*[@id="attack-25-target"]'), name
        assert not any("passwd" in href for href in page.xpath("//a/@href")), name
    assert not list(html_out.rglob("*passwd*"))


def test_check_reports_every_tex_attack_at_its_line():
    out = io.StringIO()
    cli_main(["check", str(HOSTILE)], out=out)
    reported = {int(m.group(1)) for m in re.finditer(r"hostile\.txt:(\d+): error: .*\[math-unsafe\]", out.getvalue())}
    attacked = set()
    for number, line in enumerate(DUMP.splitlines(), start=1):
        in_math = re.findall(r"\$\$?(.+?)\$\$?", line)
        if any(TEX_ATTACK.search(span) for span in in_math):
            attacked.add(number)
    assert attacked and attacked == reported


# --- PDF (xelatex) and ePub: the book build of `make latexpdf` / `make epub` -----------


@pytest.fixture(scope="module")
def latex_out(root) -> Path:
    out = _sphinx(root, "latex", "-t", "book")
    done = subprocess.run(  # as `make latexpdf` does: Sphinx's Makefile knows xelatex and xindy
        ["make", "-C", str(out), "all-pdf", "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error"],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, f"latexmk failed:\n{done.stdout[-4000:]}"
    return out


def _tex_body(latex_out: Path) -> str:
    tex = (latex_out / "glossary.tex").read_text(encoding="utf-8")
    return tex[tex.index(r"\begin{document}") :]


@pytest.mark.needs("latex")
def test_latex_source_carries_no_live_tex_from_the_corpus(latex_out):
    body = _tex_body(latex_out)
    found = sorted({m.group(0) for m in TEX_ATTACK.finditer(body)})
    assert found == [], f"live TeX from the corpus in glossary.tex: {found}"
    # the attacks are there, as text: a backslash typeset, not a command
    assert r"\textbackslash{}input\{/etc/passwd\}" in body


@pytest.mark.needs("latex", "poppler")
def test_pdf_shows_attacks_as_text_leaks_nothing_and_holds_every_entry(latex_out):
    pdf = latex_out / "glossary.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.replace("-\n", "-").split())
    assert PASSWD_LINE not in text
    _assert_nothing_leaked(latex_out)
    assert [token for token in TOKENS if token not in flat] == []
    for definition in GOOD_TEXT.values():
        assert definition in flat
    log = (latex_out / "glossary.log").read_text(encoding="utf-8", errors="replace")
    assert "runsystem(" not in log, "xelatex was asked to run a shell command"


@pytest.fixture(scope="module")
def epub_out(root) -> Path:
    return _sphinx(root, "epub", "-t", "book")


def test_epub_shows_every_attack_as_inert_text_and_publishes_every_entry(epub_out, tmp_path):
    (book,) = epub_out.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        archive.extractall(tmp_path / "book")
    text = _assert_inert(_pages(tmp_path / "book", ".xhtml"))
    assert [token for token in TOKENS if token not in text] == []
    for definition in GOOD_TEXT.values():
        assert definition in text
    _assert_nothing_leaked(tmp_path / "book")
    _assert_nothing_leaked(epub_out)
