"""The PDF: term cross-references with page numbers, tables sized by their content,
clean blank pages, and a font for what the text fonts lack.

* Sphinx's LaTeX writer gives every cross-reference its target's page when
  `latex_show_pagerefs` is on, except glossary terms.  A glossary in print is
  read by following terms, so `TermPageRefs` adds the page after each term
  reference, in the form the writer uses for the others: `(page 12)`; after
  the whole bold or italic phrase the reference is in, never inside it.  The
  page is that of the label the writer itself gave the reference, read back
  from its output (`glossweave.site.compat.last_reference_label`) just after
  the reference, and printed after the phrase.
* `TableWidths` gives each corpus table's columns widths from their content:
  every column is at least as wide as its longest word, so a narrow first
  column no longer hyphenates "Compo-nent"; cells are set ragged-right,
  without hyphenation.  (LaTeX alone gave every column the same share.)
* A page left blank before a chapter carries no running head (`emptypage`).
* xelatex typesets with FreeSerif, which has Greek, arrows and maths symbols
  but no emoji (🔬 📊 🚀) and no subscript letters (ₙ); those would be
  dropped with only a "Missing character" line in the log.  `FallbackFont`
  sets such characters in Symbola.  (XeTeX's inter-character hooks, through
  ucharclasses, were tried first: they left groups open across `\\end{itemize}`.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.latex import LaTeXTranslator

from glossweave.site.compat import last_reference_label

#: Characters the text fonts lack: subscript letters, pictographs and emoji.
FALLBACK_CHARS = re.compile("[\u2090-\u209c\U0001f300-\U0001faff]+")
FALLBACK_PREAMBLE = r"\newfontfamily\glossaryfallback{Symbola}"
#: A run of non-space characters no word of any language reaches, and the pieces it is broken into.
LONG_WORD = re.compile(r"\S{100,}")
WORD_PIECE = 40
#: The longest code line TeX can measure, with room for wide characters in the code font.
CODE_LINE = 1000
#: What the extension adds to the preamble: the fallback font, and blank pages with no running head.
PREAMBLE = FALLBACK_PREAMBLE + "\n" + r"\usepackage{emptypage}"
#: A line of body text in characters, for sizing table columns (A4, 10 pt FreeSerif, 1 in margins).
LINE_CHARS = 90
#: A column's padding (two \tabcolsep) in characters.
COLUMN_PADDING = 3
#: Text in a cell may be wider than average (capitals, bold headings, code).
SLACK = 1.15


class term_page_label(nodes.Inline, nodes.Element):
    """Just after a term reference: notes the label the writer gave it (LaTeX only; prints nothing)."""


class term_page_ref(nodes.Inline, nodes.Element):
    """`(page N)` for the earliest term reference noted and not yet printed (LaTeX only)."""


def _noted_labels(translator: LaTeXTranslator) -> list[str]:
    return translator.__dict__.setdefault("glossary_term_page_labels", [])


def visit_term_page_label(translator: LaTeXTranslator, node: term_page_label) -> None:
    label = last_reference_label(translator.body)
    if label is not None:
        _noted_labels(translator).append(label)
    raise nodes.SkipNode


def visit_term_page_ref(translator: LaTeXTranslator, node: term_page_ref) -> None:
    labels = _noted_labels(translator)
    if labels:
        translator.body.append(rf" (\autopageref*{{{labels.pop(0)}}})")
    raise nodes.SkipNode


class TermPageRefs(SphinxPostTransform):
    """`(page N)` after every resolved term reference (after ReferencesResolver, priority 10)."""

    default_priority = 20
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        if not self.config.latex_show_pagerefs:
            return
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri", "")
            is_term = any("std-term" in child.get("classes", []) for child in ref.children if isinstance(child, nodes.Element))
            if is_term and uri.startswith("%"):
                ref.parent.insert(ref.parent.index(ref) + 1, term_page_label())
                phrase = ref
                while isinstance(phrase.parent, nodes.Inline):  # strong, emphasis, a role's inline…
                    phrase = phrase.parent
                holder = phrase.parent
                at = holder.index(phrase) + 1
                while at < len(holder) and isinstance(holder[at], (term_page_label, term_page_ref)):
                    at += 1  # several references in one phrase: their pages in order
                holder.insert(at, term_page_ref())


def column_widths(columns: list[list[str]], line: int = LINE_CHARS) -> list[int]:
    """Each column's width in hundredths of the line, from the text of its cells.

    A column gets at least its longest word (up to 40 % of the line); the rest
    of the line is shared out by how much wider than that each column's widest
    cell is.  A table whose cells all fit on one line stays as narrow as that.
    """
    longest = [min(max((len(word) for cell in column for word in cell.split()), default=1), line * 0.4) * SLACK + COLUMN_PADDING for column in columns]
    natural = [max(max((len(cell) for cell in column), default=0) * SLACK + COLUMN_PADDING, least) for column, least in zip(columns, longest)]
    if sum(natural) <= line:
        widths = natural
    elif sum(longest) >= line:
        widths = [least * line / sum(longest) for least in longest]
    else:
        spare, extra = line - sum(longest), [want - least for want, least in zip(natural, longest)]
        widths = [least + spare * more / sum(extra) for least, more in zip(longest, extra)]
    return [max(1, int(100 * width / line)) for width in widths]


class TableWidths(SphinxPostTransform):
    """A column specification for each corpus table, from `column_widths` (see the module docstring)."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "glossary-table" not in table["classes"]:
                continue
            group = next(table.findall(nodes.tgroup))
            columns: list[list[str]] = [[] for _ in range(group["cols"])]
            for row in group.findall(nodes.row):
                for index, entry in enumerate(row.children[: len(columns)]):
                    columns[index].append(" ".join(entry.astext().split()))
            cell = r">{\raggedright\arraybackslash\hyphenpenalty=10000\exhyphenpenalty=10000}"
            spec = "".join(rf"{cell}\X{{{width}}}{{100}}" for width in column_widths(columns))
            table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=spec))


def _rewrite_text(document: nodes.document, pattern: re.Pattern[str], rewrite: Callable[[str], list[nodes.Node]]) -> None:
    """Replace each match of `pattern` in running text (not code blocks, raw or math) by `rewrite(match)`."""
    for text in list(document.findall(nodes.Text)):
        if isinstance(text.parent, (nodes.literal_block, nodes.raw, nodes.math, nodes.math_block)):
            continue
        source = str(text)
        if not pattern.search(source):
            continue
        parts: list[nodes.Node] = []
        pos = 0
        for found in pattern.finditer(source):
            if found.start() > pos:
                parts.append(nodes.Text(source[pos : found.start()]))
            parts += rewrite(found.group())
            pos = found.end()
        if pos < len(source):
            parts.append(nodes.Text(source[pos:]))
        text.parent.replace(text, parts)


class FallbackFont(SphinxPostTransform):
    """Set the characters of `FALLBACK_CHARS` in Symbola (code blocks keep their font)."""

    default_priority = 900
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        _rewrite_text(self.document, FALLBACK_CHARS, lambda chars: [nodes.raw("", rf"{{\glossaryfallback {chars}}}", format="latex")])


class LongWords(SphinxPostTransform):
    """Give a word longer than any real one (a hash, a formula shown as text) a line break every `WORD_PIECE` characters.

    XeTeX cannot set one unbreakable word of a thousand characters or more: it stops
    with an error, or crashes (a segmentation fault, and no PDF), on a single line of a
    dump.  Inline code gets the breaks too.  A code block wraps its lines itself, but
    first measures each one, and a line wider than TeX's largest dimension (16,384 pt)
    stops the book: lines longer than `CODE_LINE` characters are cut into such lines.
    """

    default_priority = 890
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        _rewrite_text(self.document, LONG_WORD, _broken_word)
        for block in self.document.findall(nodes.literal_block):
            code = block.astext()
            if block.rawsource != code or max(map(len, code.splitlines() or [""])) <= CODE_LINE:
                continue  # a parsed literal (its own markup) or lines TeX can measure
            cut = "\n".join(line[start : start + CODE_LINE] for line in code.split("\n") for start in range(0, max(len(line), 1), CODE_LINE))
            block.rawsource = cut
            block.clear()
            block += nodes.Text(cut)


def _broken_word(word: str) -> list[nodes.Node]:
    parts: list[nodes.Node] = []
    for start in range(0, len(word), WORD_PIECE):
        if start:
            parts.append(nodes.raw("", r"\allowbreak{}", format="latex"))
        parts.append(nodes.Text(word[start : start + WORD_PIECE]))
    return parts


def _add_preamble(app: Sphinx, config: Config) -> None:
    preamble = config.latex_elements.get("preamble", "")
    if PREAMBLE not in preamble:
        config.latex_elements = {**config.latex_elements, "preamble": preamble + "\n" + PREAMBLE}


def setup_latex(app: Sphinx) -> None:
    app.add_node(term_page_label, latex=(visit_term_page_label, None))
    app.add_node(term_page_ref, latex=(visit_term_page_ref, None))
    app.add_post_transform(TermPageRefs)
    app.add_post_transform(TableWidths)
    app.add_post_transform(FallbackFont)
    app.add_post_transform(LongWords)
    app.connect("config-inited", _add_preamble)
