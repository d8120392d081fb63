"""The book's math: every formula known to typeset before the book is built, and TeX run guarded.

* `LatexMathCheck` (LaTeX builder only, so `make html` never pays for it)
  hands every formula of the book, as the LaTeX writer will emit it, to
  `glossweave.core.latexcheck` in one batch with the book's engine and
  preamble.  A formula LaTeX rejects is set as verbatim text instead, and the
  build log names it at its page and line with TeX's message.  Corpus text
  never fails the build (see docs/threat-model.md), so this is an info line,
  not a warning; `make check` reports the same formulas (MathJax's verdict)
  at their dump's file and line.
* At `build-finished` the latexmkrc the book ships gets the guard of
  `glossweave.core.latexguard`: no shell escape, no file outside the folder,
  a time limit per TeX run, and no run poisoned by one cut short.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.math import wrap_displaymath

from glossweave.core.latexcheck import LatexCheckUnavailable, check_formulas
from glossweave.core.latexguard import GUARD_MARK, latexmkrc_guard, time_limit
from glossweave.site.compat import latex_head, transform_app
from glossweave.site.config import site_config
from glossweave.site.terms import sources

logger = logging.getLogger(__name__)
#: The preamble used when the book's own cannot be rendered (see compat.latex_head).
FALLBACK_HEAD = "\\documentclass{article}\n\\usepackage{amsmath,amssymb,amstext}\n"
#: Sphinx's LaTeX support files (sphinx.sty and friends), which the book's preamble loads.
SPHINX_TEXINPUTS = Path(sphinx.__file__).parent / "texinputs"
#: Where the check typesets, inside the LaTeX output folder (not a document of the book).
WORK_DIR = ".mathcheck"


def latex_snippet(node: nodes.Element, math_number_all: bool) -> str:
    """The formula as Sphinx's LaTeX writer emits it (outside titles)."""
    if isinstance(node, nodes.math):
        return f"\\({node.astext()}\\)"
    if node.get("no-wrap", node.get("nowrap", False)):
        return node.astext()
    return wrap_displaymath(node.astext(), None, math_number_all)


class LatexMathCheck(SphinxPostTransform):
    """Set as verbatim text every formula the book's LaTeX would stop on (see the module docstring)."""

    default_priority = 5
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        found = list(self.document.findall(_is_formula))
        if not found:
            return
        snippets = [latex_snippet(node, self.config.math_number_all) for node in found]
        app = transform_app(self)
        verdicts = formula_verdicts(app, self.document, snippets)
        corpus = site_config(app).corpus
        for node, snippet in zip(found, snippets):
            verdict = verdicts.get(snippet)
            if verdict is not None:
                where = corpus_source(node)
                location = f"{corpus / where}" if where else node
                logger.info("glossary: LaTeX cannot typeset this formula (%s); shown as text: %s", verdict, node.astext()[:80], location=location)
                node.replace_self(as_text(node))


def _is_formula(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.math, nodes.math_block))


def formula_verdicts(app: Sphinx, document: nodes.document, snippets: Iterable[str]) -> dict[str, str | None]:
    """TeX's verdict on each snippet (None: it typesets), those not yet known checked in one batch.

    The verdicts are kept on the builder for the rest of the book; a book
    written page by page has them all from `check_book_formulas`, from the
    formulas `BookFormulas` gathered as its pages were read.
    """
    builder = app.builder
    known: dict[str, str | None] = builder.__dict__.setdefault("glossary_formula_verdicts", {})
    todo = sorted(set(snippets) - known.keys())
    if todo:
        try:
            verdicts = check_formulas(
                todo,
                latex_head(builder, document) or FALLBACK_HEAD,
                Path(builder.outdir) / WORK_DIR,
                engine=app.config.latex_engine,
                cache_dir=site_config(app).cache_dir,
                texinputs=[Path(builder.outdir), SPHINX_TEXINPUTS],
            )
        except LatexCheckUnavailable as problem:
            logger.info("glossary: formulas not checked with LaTeX: %s", problem)
            verdicts = [None] * len(todo)
        known.update(zip(todo, verdicts))
    return known


class BookFormulas(EnvironmentCollector):
    """Each page's formulas, gathered as the book's pages are read (in parallel), for one batch check."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        page_formulas(env).pop(docname, None)

    def merge_other(self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
        mine, theirs = page_formulas(env), page_formulas(other)
        mine.update((docname, theirs[docname]) for docname in docnames if docname in theirs)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if not app.config.glossary_book:  # the site never builds LaTeX
            return
        number_all = app.config.math_number_all
        found = sorted({latex_snippet(node, number_all) for node in doctree.findall(_is_formula)})
        if found:
            page_formulas(app.env)[app.env.docname] = found


def page_formulas(env: BuildEnvironment) -> dict[str, list[str]]:
    """The formulas of each page read (a book's environment only)."""
    if not hasattr(env, "glossary_page_formulas"):
        env.glossary_page_formulas = {}
    return env.glossary_page_formulas


def check_book_formulas(app: Sphinx, root: nodes.document, pages: Iterable[str]) -> None:
    """Check every formula of the root and its pages in one batch, before any page is written."""
    number_all = app.config.math_number_all
    gathered = page_formulas(app.env)
    snippets = {latex_snippet(node, number_all) for node in root.findall(_is_formula)}
    snippets.update(snippet for page in pages for snippet in gathered.get(page, ()))
    formula_verdicts(app, root, snippets)


def forget_formula_verdicts(builder: Builder) -> None:
    """Before each document of the book: its preamble, with which formulas are checked, may differ."""
    builder.__dict__.pop("glossary_formula_verdicts", None)


def corpus_source(node: nodes.Node) -> str | None:
    """The dump file and line of the sense a node belongs to (``name.txt:12``), from its list of sources."""
    for ancestor in _ancestors(node):
        for child in ancestor.children:
            if isinstance(child, sources):
                return child.astext().split(",")[0].strip() or None
    return None


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def as_text(node: nodes.Element) -> nodes.Element:
    """The formula's TeX as verbatim text: inline code for inline math, a code block for display math."""
    tex = node.astext()
    if isinstance(node, nodes.math):
        return nodes.literal(tex, tex, classes=["glossary-math-source"])
    block = nodes.literal_block(tex, tex, language="text", classes=["glossary-math-source"])
    block["force"] = True
    return block


def guard_latexmkrc(app: Sphinx, exception: Exception | None) -> None:
    """Append the TeX guard to the latexmkrc Sphinx wrote (every build writes it anew)."""
    if exception is not None or app.builder.format != "latex":
        return
    rc = Path(app.builder.outdir) / "latexmkrc"
    if rc.is_file() and GUARD_MARK not in rc.read_text(encoding="utf-8"):
        with rc.open("a", encoding="utf-8") as file:
            file.write(latexmkrc_guard(time_limit()))


def setup_mathcheck(app: Sphinx) -> None:
    app.add_post_transform(LatexMathCheck)
    app.add_env_collector(BookFormulas)
    app.connect("build-finished", guard_latexmkrc)
