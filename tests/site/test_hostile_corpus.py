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

import importlib.util
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from glossweave.cli import main as cli_main
from glossweave.core.pipeline import build_glossary
from glossweave.site.emit import CATEGORIES, GENERATED_NAMES, TERMS

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
    # harden.txt (issue 10); its look-alike `gрu` is rejected, its invisible spoofs join tensor core and kv cache
    "fence-opener", "fence-survivor", "split-testing", "model-registry", "feature-store", "byte-debris",
    "spreadsheet-formula", "deep-nesting", "parser-limit", "deep-emphasis",
]
GOOD_TEXT = {  # a good entry's definition, as it must read
    "gpu": "a massively parallel processor",
    "kv-cache": "stored attention keys and values",
    "tensor-core": "a matrix unit",
}


def _project(root: Path) -> Path:
    """The site's project, minus its corpus, in `root` (conf.py may read its neighbours, e.g. pyproject.toml)."""
    skip = shutil.ignore_patterns("__pycache__", "corpus", *GENERATED_NAMES)
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
    terms = html_out / TERMS
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


# --- issue 10: harden.txt, in every output of the same builds ---------------------------

HARDEN = (HOSTILE / "harden.txt").read_text(encoding="utf-8")
#: What `check` names for each attack of harden.txt: (diagnostic code, text on the line it must name).
HARDEN_REPORTS = [
    ("unclosed-fence", "``` HARDEN-01"),
    ("alias-slug-collision", "split testing, a/b testing"),
    ("category-slug-collision", "model registry, ml/ops"),
    ("noncharacter", "HARDEN-05"),
    ("invisible-char", "tensor\u200b core"),
    ("invisible-char", "\u202ekv cache"),
    ("lookalike-name", "g\u0440u, hardware"),
    ("deep-nesting", "seven quotes deep HARDEN-10"),
    ("deep-nesting", "six bullet levels HARDEN-11"),
    ("deep-nesting", "five ordered levels HARDEN-12"),
    ("nesting-limit", "thirty quotes deep HARDEN-13"),
    ("deep-inline-nesting", "HARDEN-14"),
]
#: Text of the deep structures, which must survive flattening in every output.
NESTED_TEXT = ["seven quotes deep", "six bullet levels", "five ordered levels", "thirty quotes deep", "HARDEN-14"]


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), start=1) if needle in line)


@pytest.fixture(scope="module")
def check_output() -> str:
    out = io.StringIO()
    cli_main(["check", str(HOSTILE)], out=out)
    return out.getvalue()


@pytest.mark.parametrize(("code", "needle"), HARDEN_REPORTS, ids=[f"{c}:{n[:16]}" for c, n in HARDEN_REPORTS])
def test_check_names_each_attack_of_harden_txt_at_its_line(check_output, code, needle):
    prefix = f"harden.txt:{line_of(HARDEN, needle)}: "
    assert any(row.strip().startswith(prefix) and row.endswith(f"[{code}]") for row in check_output.splitlines())


def _depth(element, tags=("ul", "ol", "blockquote")) -> int:
    """The deepest run of `tags` nested in one another below `element`."""
    below = max((_depth(child, tags) for child in element if isinstance(child.tag, str)), default=0)
    return below + (element.tag.split("}")[-1] in tags)


def _definitions(page) -> list:
    """The term's section (its heading is the term; the definition follows it)."""
    return page.xpath('//*[local-name()="section"][starts-with(@id, "term-")]')


def test_html_pages_never_repeat_an_id(html_out):
    for name, page in _pages(html_out, ".html").items():
        ids = page.xpath("//@id")
        assert len(ids) == len(set(ids)), f"{name}: {sorted({i for i in ids if ids.count(i) > 1})}"


def test_html_flattens_deep_nesting_and_keeps_its_text(html_out):
    terms = html_out / TERMS
    for slug in ("deep-nesting", "parser-limit", "deep-emphasis"):
        page = lxml_html.fromstring((terms / f"{slug}.html").read_bytes())
        (definition,) = _definitions(page)
        # the senses of a two-sense term are one list level of our own; the corpus gets four more
        assert _depth(definition) <= (5 if slug == "deep-nesting" else 4), slug
        assert _depth(definition, ("em",)) <= 32
    text = " ".join(lxml_html.fromstring(p.read_bytes()).text_content() for p in terms.glob("*.html"))
    assert [fragment for fragment in NESTED_TEXT if fragment not in text] == []


def test_html_publishes_no_spoof_and_joins_invisible_ones_to_the_real_term(html_out):
    terms = html_out / TERMS
    titles = {p.stem: lxml_html.fromstring(p.read_bytes()).findtext(".//h1") or "" for p in terms.glob("*.html")}
    assert not [t for t in titles.values() if re.search("[\u0400-\u04ff\u200b-\u200f\u202a-\u202e\u2066-\u2069]", t)]
    page = (terms / "tensor-core.html").read_text(encoding="utf-8")
    assert "a unit for small matrix products" in page and "a matrix unit" in page
    assert "a spoof of the real GPU entry" not in " ".join(titles) + (terms / "gpu.html").read_text(encoding="utf-8")


def test_html_categories_that_slug_alike_keep_a_page_each(html_out):
    pages = {p.name: p.read_text(encoding="utf-8") for p in (html_out / CATEGORIES).glob("ml-ops-*.html")}
    assert len(pages) == 2
    assert sorted("Model Registry" in text for text in pages.values()) == [False, True]
    assert sorted("Feature Store" in text for text in pages.values()) == [False, True]


@pytest.mark.needs("latex", "poppler")
def test_pdf_typesets_the_flattened_structures_and_the_fence_neighbour(latex_out):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(latex_out / "glossary.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert [fragment for fragment in NESTED_TEXT + ["the entry right after an unclosed fence"] if fragment not in flat] == []
    assert "\ufffe" not in text and "\uffff" not in text


def test_epub_is_well_formed_xml_without_repeated_ids(epub_out, tmp_path):
    from lxml import etree

    (book,) = epub_out.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        archive.extractall(tmp_path / "book")
    for path in (tmp_path / "book").rglob("*.xhtml"):
        tree = etree.parse(str(path))  # raises on a document that is not well-formed
        ids = tree.xpath("//@id")
        assert len(ids) == len(set(ids)), f"{path.name}: {sorted({i for i in ids if ids.count(i) > 1})}"
        if path.name == "deep-nesting.xhtml":
            (definition,) = _definitions(tree.getroot())
            assert _depth(definition) <= 5


def test_csv_export_neutralises_spreadsheet_formulas(tmp_path):
    import csv

    cli_main(["export", str(HOSTILE), "--out", str(tmp_path)], out=io.StringIO())
    with (tmp_path / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    formula = next(row for row in rows if row["id"] == "spreadsheet-formula")
    assert formula["definition_markdown"].startswith("'=HYPERLINK(") and formula["summary"].startswith("'=HYPERLINK(")
    assert formula["keywords"].startswith("'+formula cell")  # not a form of the name: a keyword
    assert not [cell for row in rows for cell in row.values() if cell and cell[0] in "=+-@\t\r"]


# --- issue 10 acceptance: every attack beside the real corpus, through the Makefile ------
#
# The project is copied with the real corpus, hostile.txt, harden.txt, the attacks in
# others/ and a generated dump that tries to read a planted canary file; then `make
# check`, `make export`, `make html`, `make latexpdf` and `make epub` run there as a
# maintainer runs them, each under a time limit.

OTHERS = HOSTILE / "others"
CANARY = "glossweave-canary-3b7e1d-must-never-appear"
#: Upper bounds, far above what each target takes here; past them a build counts as hung.
TIME_LIMITS = {"check": 300, "export": 300, "html": 900, "latexpdf": 900, "epub": 900}
#: TeX commands that act in a browser (MathJax) or in TeX, beside the file and shell ones above.
LIVE_MATH = re.compile(TEX_ATTACK.pattern + r"|\\(?:href|style|class|cssId|html|require|unicode|def|input|openin)(?![A-Za-z])")


def _generated_dumps():
    spec = importlib.util.spec_from_file_location("generated", HOSTILE / "generated.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _make(root: Path, target: str) -> tuple[int | None, str]:
    """`make <target>` in `root` (None for the return code when it ran out of time, and was killed).

    `-o setup`: the copy uses this checkout's .venv and node_modules as they are; a
    test must never install into them (the Makefile's setup would `pip install -e` the copy).
    """
    process = subprocess.Popen(["make", "-o", "setup", target, f"VENV={REPO / '.venv'}"], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=TIME_LIMITS[target])
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return None, process.communicate()[0]
    return process.returncode, output


@pytest.fixture(scope="module")
def acceptance(tmp_path_factory) -> tuple[Path, dict[str, tuple[int | None, str]]]:
    root = tmp_path_factory.mktemp("acceptance")
    for path in REPO.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy(path, root / path.name)
    for folder in ("ext", "_static", "_templates", "docs"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", *GENERATED_NAMES))
    (root / "node_modules").symlink_to(REPO / "node_modules")
    corpus = root / "docs" / "corpus"
    for dump in [*HOSTILE.glob("*.txt"), *OTHERS.glob("*.txt")]:
        shutil.copy(dump, corpus / f"hostile_{dump.name}")
    secret = root / "secret" / "canary.tex"
    secret.parent.mkdir()
    secret.write_text(CANARY + "\n", encoding="utf-8")
    (corpus / "hostile_canary.txt").write_text(_generated_dumps().canary_reads(str(secret)), encoding="utf-8")
    (root / "_build" / "latex").mkdir(parents=True)  # where a relative \input would look
    (root / "_build" / "latex" / "glossweave-canary.tex").write_text(CANARY + "\n", encoding="utf-8")
    runs = {target: _make(root, target) for target in TIME_LIMITS}
    return root, runs


def _outputs(root: Path) -> list[Path]:
    planted = {root / "_build" / "latex" / "glossweave-canary.tex"}
    return [path for path in (root / "_build").rglob("*") if path.is_file() and path not in planted]


def test_acceptance_make_check_reports_and_balances(acceptance):
    _, runs = acceptance
    code, output = runs["check"]
    # the hostile dumps hold errors, so the tool exits 1, and make says so and exits 2
    assert code == 2 and re.search(r"^make: \*\*\* \[Makefile:\d+: check\] Error 1$", output, re.M), output[-3000:]
    assert re.search(r"^Accounting: .*: balances$", output, re.M)


def test_acceptance_make_export_succeeds(acceptance):
    root, runs = acceptance
    assert runs["export"][0] == 0, runs["export"][1][-3000:]
    assert {p.name for p in (root / "_build" / "export").iterdir()} >= {"glossary.json", "glossary.csv", "glossary.tbx", "glossary.ttl"}


def test_acceptance_make_html_succeeds_and_publishes_every_good_entry(acceptance):
    root, runs = acceptance
    assert runs["html"][0] == 0, runs["html"][1][-4000:]
    published = {p.name.removesuffix(".html") for p in (root / "_build" / "html" / TERMS).glob("*.html")}
    expected = {term.slug for term in build_glossary(root / "docs" / "corpus", overrides=root / "docs" / "overrides.toml").terms}
    assert {term.slug for term in build_glossary(REPO / "docs" / "corpus", overrides=REPO / "docs" / "overrides.toml").terms} <= expected
    assert set(SLUGS) <= expected and expected == published


@pytest.mark.needs("latex")
def test_acceptance_make_latexpdf_succeeds_in_time(acceptance):
    root, runs = acceptance
    assert runs["latexpdf"][0] == 0, runs["latexpdf"][1][-4000:]
    assert (root / "_build" / "latex" / "glossary.pdf").is_file()


def test_acceptance_make_epub_succeeds_in_time(acceptance):
    root, runs = acceptance
    assert runs["epub"][0] == 0, runs["epub"][1][-4000:]


def test_acceptance_no_file_leaks_into_the_site_or_the_exports(acceptance):
    root, _ = acceptance
    for path in _outputs(root):
        if "html" in path.parts or "export" in path.parts:
            assert CANARY.encode() not in path.read_bytes(), path
            assert PASSWD_LINE.encode() not in path.read_bytes(), path


@pytest.mark.needs("latex", "poppler")
def test_acceptance_no_file_leaks_into_the_book_and_nothing_ran_in_tex(acceptance):
    root, runs = acceptance
    pdf = root / "_build" / "latex" / "glossary.pdf"
    # an aborted run leaves a partial PDF that proves nothing: the book must have been built
    assert runs["latexpdf"][0] == 0 and runs["epub"][0] == 0, "the book was not built"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert CANARY not in text and PASSWD_LINE not in text
    for path in _outputs(root):
        assert CANARY.encode() not in path.read_bytes(), path
    assert not list(root.rglob("pwned-*"))
    assert "runsystem(" not in (root / "_build" / "latex" / "glossary.log").read_text(encoding="utf-8", errors="replace")


def test_acceptance_the_book_sets_words_and_code_lines_longer_than_a_page(acceptance):
    # one unbreakable word of ~1,000 characters crashes XeTeX; a code line wider than 16,384 pt stops the book
    root, runs = acceptance
    assert runs["latexpdf"][0] == 0, runs["latexpdf"][1][-3000:]
    pdf = root / "_build" / "latex" / "glossary.pdf"
    text = "".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    # what a code block prints where it wraps a line, and from its page's foot to the next page's head
    text = re.sub(r"\(continuesonnextpage\).*?\(continuedfrompreviouspage\)", "", text.replace(",→", ""))
    token = re.search(r"[0-9a-f]{3000,}", (OTHERS / "long.txt").read_text(encoding="utf-8")).group()
    assert all(f"LONG-0{n}" in text for n in (1, 2, 3)) and text.count(token) == 3


def test_acceptance_nothing_runs_in_a_browser(acceptance):
    root, _ = acceptance
    for name, page in _pages(root / "_build" / "html", ".html").items():
        for math in page.xpath('//*[contains(concat(" ", @class, " "), " math ")]'):
            assert not LIVE_MATH.search(math.text_content()), f"{name}: live TeX handed to MathJax"
        assert not page.xpath("//math//*[@href]"), f"{name}: a link inside MathML"


def _attack_lines(name: str, token: str) -> list[tuple[str, int]]:
    text = (OTHERS / name).read_text(encoding="utf-8")
    return [(f"hostile_{name}", number) for number, line in enumerate(text.split("\n"), start=1) if re.search(token, line)]


@pytest.mark.parametrize(
    ("dump", "line"),
    _attack_lines("math.txt", r"MATH-\d+") + _attack_lines("markdown.txt", r"BYPASS-0[1-7]|\$\\style"),
)
def test_acceptance_check_names_each_attack_at_its_line(acceptance, dump, line):
    _, runs = acceptance
    assert re.search(rf"^\s*{re.escape(dump)}:{line}: (error|warning): ", runs["check"][1], re.M)


def _term_page(acceptance, slug: str):
    root, _ = acceptance
    return lxml_html.fromstring((root / "_build" / "html" / TERMS / f"{slug}.html").read_bytes())


def test_acceptance_multiplication_stars_render_as_written(acceptance):
    (definition,) = _definitions(_term_page(acceptance, "star-product"))
    assert "z = U*v + (P*Q)*v" in " ".join(definition.text_content().split()) and not definition.xpath(".//em")


def test_acceptance_pseudo_math_underscores_render_as_written(acceptance):
    (definition,) = _definitions(_term_page(acceptance, "underscore-names"))
    assert "∇_x log p(x)" in definition.text_content() and "x_{t+1}" in definition.text_content()
    assert not definition.xpath(".//em")


def test_acceptance_unfenced_shell_comments_stay_code(acceptance):
    (definition,) = _definitions(_term_page(acceptance, "shell-comments"))
    assert not definition.xpath('.//*[contains(@class, "rubric")]')
    assert any("# install the client" in block.text_content() for block in definition.xpath(".//pre"))
