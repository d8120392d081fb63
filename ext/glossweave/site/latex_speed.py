"""The PDF in two LaTeX passes, and the LaTeX writer without its per-table template compile.

**Two passes.**  A clean PDF took three xelatex passes: the first knows no
label, so every page reference printed `??` and every citation `[?]`; the
second printed the real numbers and labels, whose other widths moved line and
page breaks; only the third confirmed them.  Here a page reference (`page 12)`,
its closing parenthesis included) and a citation label are each set in a box
of one fixed width, the widest the book can need, so the first pass lays out
every page exactly as the last and its labels are already right: latexmk
finds nothing changed after the second pass and stops.  The price is a little
space after a short page number or label.  The widths come from the book
itself (`FixedReferenceWidths`): the digits of a generous page estimate from
the length of its text, and the widest of its citation labels, measured by TeX.  The index, too, is in
the first pass: an empty one (`EMPTY_INDEX`, written next to the .tex when no
index is there yet) puts its heading, contents line and bookmark where the
real one will be, which otherwise appeared only in the second pass and moved
the contents, so a third pass was needed after all.  Last, the count of
pages (`\\@abspage@last`, which the index lengthens and nothing here lays out
by) is no reason to run again: `LATEXMKRC_LINES` tell latexmk to leave that
line of the .aux out when it compares, added to the latexmkrc of the LaTeX
output folder (whoever wrote it) at `build-finished`.

**Bookmarks as they come.**  hyperref gathers the PDF's bookmarks (one per
term) in a .out file and reads it back whole in the next pass; at 16,000
terms that exceeds TeX's main memory and the second pass stops.  The
`bookmark` package (from hyperref's authors) writes each bookmark as its
heading is set, so the first pass already has them all.

**A quiet first pass.**  In the first pass of a clean build (its .aux does
not yet carry the mark that every pass writes into it; latexmk starts from a
near-empty .aux of its own) every reference is undefined by design: at 4,000 terms it printed 140,000
warnings, a 670,000-line log that latexmk then spent a quarter of a minute
reading.  That pass prints no LaTeX or package warning; the last pass, a
complete run, prints every warning there is.

**Templates.**  Sphinx's LaTeX translator renders every table through a Jinja
template, and builds a new `LaTeXRenderer` (a new Jinja environment, so a new
compile of the template) for each one.  `LaTeXTranslator.render` here keeps
one renderer per LaTeX engine, whose environment caches each compiled
template; a project template of the same name (`templates_path`) still goes
through Sphinx's own lookup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import thebibliography
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.template import LaTeXRenderer
from sphinx.writers.latex import LaTeXTranslator as SphinxLaTeXTranslator

from glossweave.site.book_facts import BODY_MARK, BookFacts, book_facts
from glossweave.site.compat import latex_element_default, transform_app

#: Characters of text per PDF page of a glossary (A4, 10 pt, its tables and headings included).
CHARS_PER_PAGE = 3000
#: The page estimate is this many times the text's length in pages (a wider box costs less than an overflow).
PAGE_SAFETY = 1.5
#: The index before the index program first ran: the same heading, contents line and bookmark, no entries.
EMPTY_INDEX = "\\begin{sphinxtheindex}\n\\end{sphinxtheindex}\n"
#: For latexmk: the page count line of the .aux is not a change that needs another pass.
LATEXMKRC_LINES = r"""# glossweave.site.latex_speed: the page count alone changing needs no rerun
$hash_calc_ignore_pattern{'aux'} = '^\\\\gdef\s*\\\\\@abspage\@last\{';
"""
#: After hyperref: each bookmark written as its heading is set (see the module docstring).
BOOKMARKS = r"\usepackage{bookmark}"
#: Fixed-width page references and citations; the widths are measured at their first use.
PREAMBLE = r"""\makeatletter
\AtBeginDocument{\ifdefined\glossweave@auxread\else\let\GenericWarning\@gobbletwo\fi
  \immediate\write\@auxout{\string\gdef\string\glossweave@auxread{}}}
\newlength\glossweave@pagerefwidth
\newlength\glossweave@citewidth
\def\glossweavepagedigits{00000}
\newcommand*\glossweavesetpagedigits[1]{\def\glossweavepagedigits{#1}}
\newcommand*\glossweavecitelabel[1]{\settowidth\@tempdima{\hbox{[#1]}}%
  \ifdim\@tempdima>\glossweave@citewidth\global\glossweave@citewidth\@tempdima\fi}
\AtBeginDocument{%
  \let\glossweave@autopageref\autopageref
  \renewcommand*\autopageref{\@ifstar\glossweave@fixedpageref\glossweave@autopageref}%
  \let\glossweave@sphinxcite\sphinxcite
  \protected\def\sphinxcite#1{\makebox[\glossweave@citewidth][l]{\glossweave@sphinxcite{#1}}}}
\newcommand*\glossweave@fixedpageref[1]{\@ifnextchar)%
  {\glossweave@pagerefbox{#1}{)}\@gobble}{\glossweave@pagerefbox{#1}{}}}
\newcommand*\glossweave@pagerefbox[2]{%
  \ifdim\glossweave@pagerefwidth=\z@
    \settowidth\glossweave@pagerefwidth{\pageautorefname~\glossweavepagedigits)}\fi
  \makebox[\glossweave@pagerefwidth][l]{\glossweave@autopageref*{#1}#2}}
\makeatother"""


def page_digits(text_chars: int) -> int:
    """Digits of the largest page number a book of `text_chars` characters of text can reach."""
    return len(str(max(1, int(PAGE_SAFETY * text_chars / CHARS_PER_PAGE))))


def width_definitions(facts: BookFacts) -> str:
    """The TeX of the fixed widths, for the head of the book's body."""
    lines = [rf"\glossweavesetpagedigits{{{'0' * page_digits(facts.text_chars)}}}"]
    lines += [rf"\glossweavecitelabel{{{_escape(label)}}}" for label in sorted(facts.citations)]
    return "%\n".join(lines) + "%\n"


class MeasureText(SphinxPostTransform):
    """Adds the text of each resolved part of the book (all of it, or a page) to its `BookFacts`."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        book_facts(transform_app(self).builder).text_chars += len(self.document.astext())


def _escape(label: str) -> str:
    """A citation label as LaTeX text (alpha labels are letters, digits and `+`; be safe anyway)."""
    return "".join(f"\\char{ord(ch)} " if not ch.isalnum() and ch not in "+-." else ch for ch in label)


@cache
def shared_renderer(latex_engine: str) -> LaTeXRenderer:
    """One renderer (one Jinja environment, its compiled templates cached) per engine."""
    return LaTeXRenderer(latex_engine=latex_engine)


class LaTeXTranslator(SphinxLaTeXTranslator):
    """Sphinx's, with one template renderer, the fixed widths at the head of the body and pages written as reached."""

    def render(self, template_name: str, variables: dict[str, Any]) -> str:
        own = [self.builder.confdir / folder for folder in self.config.templates_path]
        legacy = template_name.removesuffix(".jinja") + "_t"
        if any((folder / name).exists() for folder in own for name in (template_name, legacy)):
            return super().render(template_name, variables)
        return shared_renderer(self.config.latex_engine).render(template_name, variables)

    def visit_document(self, node: nodes.Element) -> None:
        super().visit_document(node)
        if node is self.document:  # not an appendix
            self.glossary_widths_at = len(self.body)
            self.body.append("")

    def depart_document(self, node: nodes.Element) -> None:
        if node is self.document:
            # every page is written by now: the works cited go last, the widths first
            facts = book_facts(self.builder)
            if facts.citations:
                works = thebibliography()
                works.extend(facts.citations[label] for label in sorted(facts.citations, key=lambda label: (label.casefold(), label)))
                works.parent = node
                works.walkabout(self)
            self.body[self.glossary_widths_at] = "\n" + width_definitions(facts) + "\n"  # as a block of raw LaTeX
        super().depart_document(node)

    def astext(self) -> str:
        """The document with a mark for its body; the builder writes the body into the file (book_stream)."""
        body, self.body = self.body, [BODY_MARK]
        try:
            return super().astext()
        finally:
            self.body = body
            self.builder.glossary_bodies.append(body)

    def visit_deferred_page(self, node: nodes.Element) -> None:
        """A page of the book, resolved and written where its toctree includes it (glossweave.site.book_stream)."""
        page = self.builder.resolved_page(node["docname"])
        page.parent = node.parent
        start = len(self.body)
        page.walkabout(self)
        self.body[start:] = ["".join(self.body[start:])]  # one string per page, not thousands of small ones
        del page  # not kept alive by this frame, which the SkipNode's traceback holds on to
        raise nodes.SkipNode


def _add_preamble(app: Sphinx, config: Config) -> None:
    preamble = config.latex_elements.get("preamble", "")
    if PREAMBLE not in preamble:
        config.latex_elements = {**config.latex_elements, "preamble": preamble + "\n" + PREAMBLE}
    hyperref = config.latex_elements.get("hyperref") or latex_element_default("hyperref")
    if hyperref is not None and BOOKMARKS not in hyperref:
        config.latex_elements = {**config.latex_elements, "hyperref": hyperref + "\n" + BOOKMARKS}


def _prepare_passes(app: Sphinx, exception: Exception | None) -> None:
    """The empty index and the latexmkrc lines of the two passes (see the module docstring)."""
    if exception is not None or app.builder.name != "latex":
        return
    rc = Path(app.outdir) / "latexmkrc"
    if rc.is_file() and LATEXMKRC_LINES not in rc.read_text(encoding="utf-8"):
        with rc.open("a", encoding="utf-8") as out:
            out.write("\n" + LATEXMKRC_LINES)
    for document in app.config.latex_documents:
        index = Path(app.outdir) / Path(document[1]).with_suffix(".ind").name
        if not index.exists():  # a real one, from an earlier run, is better still
            index.write_text(EMPTY_INDEX, encoding="utf-8")


def setup_latex_speed(app: Sphinx) -> None:
    app.set_translator("latex", LaTeXTranslator)
    app.add_post_transform(MeasureText)
    app.connect("config-inited", _add_preamble)
    app.connect("build-finished", _prepare_passes, priority=900)  # after any other writer of latexmkrc
