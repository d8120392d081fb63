"""The book written page by page, so the LaTeX builder holds one page at a time.

Sphinx's LaTeX builder inlines every page the book's toctrees reach into one
doctree, resolves that and then writes it: the whole book is in memory at
once (and, while it is assembled, each page twice: loaded, then deep-copied).
That grows with the corpus until a hosted build runs out of memory.
`StreamedLaTeXBuilder` writes the same .tex with the same transforms and the
same translator, but in place of each page a toctree includes it leaves a
`deferred_page`; the page is loaded, resolved and translated only when the
translator gets there, then dropped.

What needs the whole book is gathered apart, before or after the pages:

* the book's pages (the builder's `docnames`, which resolving a reference
  and generating an index consult) and where each is included, from the
  environment's toctree includes, before anything is resolved;
* its formulas, gathered as the pages were read and checked by TeX in one
  batch before the first page is written (`glossweave.site.mathcheck`);
* the widths of page references and citation labels
  (`glossweave.site.latex_speed`), gathered as pages are written and put at
  the head of the body when the last one is done.

Two things are per page rather than per book: the numbers of URL footnotes
(`latex_show_urls = "footnote"`) start again on each page, as they do on the
site; and a page's bibliographic citations, had it any, would be set at the
end of that page rather than of the book (the glossary cites through
footnotes).  A document with `toctree_only` or appendices is assembled as
Sphinx does.
"""

from __future__ import annotations


from collections.abc import Set
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.environment import BuildEnvironment
from sphinx.locale import _

from glossweave.site.book_facts import BODY_MARK, start_book_facts
from glossweave.site.compat import pickled_doctree_cache
from glossweave.site.mathcheck import check_book_formulas, forget_formula_verdicts


class deferred_page(nodes.Element):
    """A page of the book, included here by a toctree, loaded when the translator gets here."""


def book_pages(env: BuildEnvironment, root: str) -> dict[str, str]:
    """Each page the root's toctrees reach, in the order the book sets them: page -> the page that includes it.

    The order and the owners are those of Sphinx's `inline_all_toctrees`: depth
    first, and a page two toctrees include goes where it is reached first.
    """
    owners: dict[str, str] = {}

    def visit(page: str) -> None:
        for included in env.toctree_includes.get(page, ()):
            if included != root and included not in owners:
                owners[included] = page
                visit(included)

    visit(root)
    return owners


class StreamedLaTeXBuilder(LaTeXBuilder):
    """Sphinx's LaTeX builder, with each page of the book resolved and written in turn (module docstring)."""

    def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
        super().__init__(app, env)
        self.glossary_app = app  # Builder.app is deprecated; the formula check needs the application

    def assemble_doctree(self, indexfile: str, toctree_only: bool, appendices: list[str]) -> nodes.document:
        start_book_facts(self)
        forget_formula_verdicts(self)
        if not self.streams(toctree_only, appendices):
            self.book_owners: dict[str, str] | None = None
            return super().assemble_doctree(indexfile, toctree_only, appendices)
        self.book_root = indexfile
        self.book_owners = book_pages(self.env, indexfile)
        self.docnames = {indexfile, *self.book_owners}
        self.deferred: set[str] = set()
        tree = self.env.get_doctree(indexfile)
        tree["docname"] = indexfile
        check_book_formulas(self.glossary_app, tree, self.book_owners)
        self._resolve(tree, indexfile)
        return tree

    def write_documents(self, docnames: Set[str]) -> None:
        """Sphinx's, then each document's body written into its file a page at a time.

        Joined, the body of a long book is one string as large as the .tex
        (four bytes a character once a single emoji is in it), and Sphinx's
        builder then holds it two or three times over while it renders and
        compares the file.
        """
        self.glossary_bodies: list[list[str]] = []
        super().write_documents(docnames)
        bodies = iter(self.glossary_bodies)
        for entry in self.config.latex_documents:  # in the order they were written
            path = Path(self.outdir) / entry[1]
            if not path.is_file():
                continue
            head, found, tail = path.read_text(encoding="utf-8").partition(BODY_MARK)
            if found:
                part = path.with_name(path.name + ".part")
                with part.open("w", encoding="utf-8") as out:
                    out.write(head)
                    out.writelines(next(bodies))
                    out.write(tail)
                part.replace(path)
        self.glossary_bodies.clear()

    def streams(self, toctree_only: bool, appendices: list[str]) -> bool:
        """Whether this document of the book is written page by page (else Sphinx assembles it whole)."""
        return not toctree_only and not appendices

    def resolved_page(self, docname: str) -> addnodes.start_of_file:
        """The page as Sphinx's assembly leaves it in the book (in a `start_of_file`), its own toctrees deferred."""
        tree = self.env.get_doctree(docname)
        cache = pickled_doctree_cache(self.env)
        if cache is not None:
            cache.pop(docname, None)  # each page is loaded once
        for section in tree.findall(nodes.section):
            section.setdefault("docname", docname)
        start = addnodes.start_of_file(docname=docname)
        start.extend(tree.children)
        tree.children = []
        tree.append(start)  # the transforms see the page as it sits in the book
        self._resolve(tree, docname)
        self.post_process_images(tree)
        return start

    def _resolve(self, tree: nodes.document, docname: str) -> None:
        """Defer the pages the tree's toctrees include, then resolve it as part of the book."""
        assert self.book_owners is not None
        for toctree in list(tree.findall(addnodes.toctree)):
            pages = []
            for page in map(str, toctree["includefiles"]):
                if self.book_owners.get(page) == docname and page not in self.deferred:  # set once, where first reached
                    self.deferred.add(page)
                    pages.append(deferred_page(docname=page))
            toctree.replace_self(pages)
        self.env.resolve_references(tree, self.book_root, self)
        # as Sphinx's assembly: a :ref: to a document outside the book becomes its title
        for pending in list(tree.findall(addnodes.pending_xref)):
            title = pending["refsectname"]
            replacement: list[nodes.Node] = [nodes.emphasis(title, title)]
            for subdir, book_title in self.titles:
                if pending["refdocname"].startswith(subdir):
                    replacement += [nodes.Text(_(" (in ")), nodes.emphasis(book_title, book_title), nodes.Text(")")]
                    break
            pending.replace_self(replacement)



def setup_book_stream(app: Sphinx) -> None:
    app.add_builder(StreamedLaTeXBuilder, override=True)
