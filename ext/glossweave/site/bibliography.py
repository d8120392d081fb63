"""Citations in definitions, linked to their entries through sphinxcontrib-bibtex.

The core finds citations in a sense's Markdown and matches them to the .bib
file (`glossweave.core.citations`); the emitter puts the matched spans in the
page's payload, and each citing term page ends with a `bibliography` filtered
to the works that page cites; `bibliography.md` (emitted for the site) lists them all.

The corpus's own words stay: `Hinton et al. (2015)` becomes a link to the
entry, not bibtex's formatted `[HVD15]`.  So a citation is a `pending_xref` of
our own type, resolved at `missing-reference` to the entry in the page's own
bibliography, and noted in the bibtex domain as a `CitationRef`, which is what
bibtex's `docname in docnames` filter and its back-references read.  The
bibtex domain merges those per document, so parallel builds stay correct.
With a bibliography on every citing page, upstream's domain would take most
of each rebuild; `bibtex_domain.IndexedBibtexDomain` replaces it.

In print, Sphinx gathers every entry into one bibliography at the end; entries
cited from several pages would appear once per page, so `PrintCitations` keeps
the first of each and cites it in LaTeX's own way, by a key made from its label.
"""

from __future__ import annotations

from collections import Counter
from importlib.metadata import entry_points
from pathlib import Path

import pybtex.plugin

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape
from sphinx.util.nodes import make_refnode

from glossweave.core.citations import Bibliography
from glossweave.site.bibstyle import register_style
from glossweave.site.book_facts import book_facts
from glossweave.site.compat import bibtex_filter_visitor, transform_app

REFTYPE = "glossary-cite"
#: The book's entries are keyed `works-cited:<work_id>`, one per work, wherever they were first found.
WORKS_CITED = "works-cited"


def load_bibliography(app: Sphinx) -> Bibliography | None:
    """The entries of `bibtex_bibfiles` (relative to conf.py, as bibtex reads them), or None when sphinxcontrib-bibtex is not in use."""
    if "sphinxcontrib.bibtex" not in app.extensions:
        return None
    entries = [entry for name in app.config.bibtex_bibfiles for entry in Bibliography.load(Path(app.confdir) / name).entries]
    return Bibliography(entries)


def cite_ref(key: str, children: list[nodes.Node], env: BuildEnvironment, document: nodes.document) -> addnodes.pending_xref:
    """The cited words, as a reference to `key`'s entry, noted as cited from this page."""
    from sphinxcontrib.bibtex.citation_target import CitationTarget
    from sphinxcontrib.bibtex.roles import CitationRef

    ref = addnodes.pending_xref("", refdomain="", reftype=REFTYPE, reftarget=key, refexplicit=True, refwarn=True, refdoc=env.docname)
    ref += nodes.inline("", "", *children, classes=["glossary-citation"])
    document.note_explicit_target(ref, ref)  # an id, for the entry's back-reference
    env.domains["cite"].citation_refs.append(CitationRef(ref["ids"][0], env.docname, 1, [CitationTarget(key, "", "")]))
    return ref


def _resolve(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element):
    """The entry in the citing page's own bibliography, else the first one anywhere."""
    if node["reftype"] != REFTYPE:
        return None
    found = [c for c in env.domains["cite"].citations if c.key == node["reftarget"]]
    found.sort(key=lambda c: c.bibliography_key.docname != node["refdoc"])
    if not found:
        return None
    citation = found[0]
    title = citation.formatted_entry.text.render_as("text")
    ref = make_refnode(app.builder, node["refdoc"], citation.bibliography_key.docname, citation.citation_id, contnode, title)
    ref["glossary_citation"] = citation.formatted_entry.label  # for PrintCitations
    return ref


def latex_href(uri: str, text: str, engine: str) -> str:
    """A link as Sphinx's LaTeX writer spells an external one, with no URL footnote."""
    href = texescape.escape(uri, engine).replace(r"\textasciitilde{}", "~").replace(r"\sphinxhyphen{}", "-").replace(r"\textquotesingle{}", "'")
    return rf"\sphinxhref{{{href}}}{{{texescape.escape(text, engine)}}}"


class PrintCitations(SphinxPostTransform):
    """LaTeX: one entry per work, in the order of their labels, and each citation followed by its entry's label.

    The book's entries are taken out of each page (before Sphinx would gather
    them, priority 750) into its `BookFacts`, the first for each label; the
    translator sets them, sorted, at the end of the book
    (`glossweave.site.latex_speed`), as the book is written page by page.  A `\\bibitem`
    is no `\\label`, so a plain link to it would be undefined: the cited words
    stay as text and Sphinx's own citation reference, `[HVD15]`, links the entry.
    """

    default_priority = 740
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        kept = book_facts(transform_app(self).builder).citations  # label (bibtex keeps labels unique) → first entry
        for citation in list(self.document.findall(nodes.citation)):
            label = citation[0].astext()
            first = kept.setdefault(label, citation)
            citation.parent.remove(citation)
            citation.parent = None  # kept to the end of the book, without the page it came from
            if first is citation:
                citation["docname"] = WORKS_CITED
                citation["ids"].insert(0, work_id(label))
            else:
                first["backrefs"] += citation["backrefs"]
        # by label, not by entry: a page may cite a work whose kept entry is on a page still to come
        for ref in list(self.document.findall(nodes.reference)):
            label = ref.get("glossary_citation")
            if label:
                cite = nodes.citation_reference("", label, docname=WORKS_CITED, refname=work_id(label))
                ref.replace_self([*ref.children, nodes.Text(" "), cite])


def work_id(label: str) -> str:
    """The key of a work's entry in the book, from its label (distinct labels, distinct keys)."""
    return "cite-" + "".join(ch if ch.isascii() and ch.isalnum() else f"-{ord(ch):x}-" for ch in label)


class PrintEntryLinks(SphinxPostTransform):
    """LaTeX: an entry's own links (its arXiv id, its DOI) are links with no URL footnote.

    `latex_show_urls` would print the id a second time, inside the URL; this runs
    before Sphinx adds those footnotes (priority 400).
    """

    default_priority = 390
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        for citation in self.document.findall(nodes.citation):
            for link in list(citation.findall(nodes.reference)):
                if link.get("refuri", "").startswith(("http://", "https://")):
                    link.replace_self(nodes.raw("", latex_href(link["refuri"], link.astext(), self.config.latex_engine), format="latex"))


def register_pybtex_plugins() -> None:
    """Register each installed pybtex plugin with pybtex once, so that finding it is a dict lookup.

    `pybtex.plugin.find_plugin` scans the installed packages' entry points at
    every call (about 6 ms), and sphinxcontrib-bibtex calls it several times
    per bibliography per build, so with a bibliography on every citing term
    page it took seconds of each rebuild, even one that changed nothing.
    pybtex checks its runtime registry first; the classes registered here are
    the ones the scan would return (the first entry point of each name).

    A name already in the runtime registry (a project's own style, registered
    from its conf.py, or ours from an earlier build) is left as it is.  For the
    others pybtex needs `force=True`, because an entry point of that name
    exists: the one whose class is registered, so nothing is replaced.
    """
    for group in sorted(group for group in entry_points().groups if group.startswith("pybtex.")):
        installed = list(entry_points(group=group))
        # enumerate_plugin_names lists the runtime registry's names, then the entry points'
        runtime = Counter(pybtex.plugin.enumerate_plugin_names(group)) - Counter(entry_point.name for entry_point in installed)
        for entry_point in installed:
            if entry_point.name not in runtime:
                runtime[entry_point.name] = 1
                pybtex.plugin.register_plugin(group, entry_point.name, entry_point.load(), force=True)


def use_bibtex(app: Sphinx, config: object) -> None:
    """At `config-inited`, when sphinxcontrib-bibtex is enabled (listed after us, it is loaded by then).

    Its pybtex plugins are registered, with our style (`glossweave.site.bibstyle`),
    and its domain replaced by the indexed one when upstream's is still the one
    that domain was written against (`glossweave.site.compat`).
    """
    if "sphinxcontrib.bibtex" not in app.extensions:
        return
    register_pybtex_plugins()
    register_style()
    if bibtex_filter_visitor() is not None:
        from glossweave.site.bibtex_domain import IndexedBibtexDomain

        app.add_domain(IndexedBibtexDomain, override=True)


def setup_bibliography(app: Sphinx) -> None:
    app.connect("config-inited", use_bibtex)
    app.connect("missing-reference", _resolve)
    app.add_post_transform(PrintCitations)
    app.add_post_transform(PrintEntryLinks)
