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
the first of each and cites it in LaTeX's own way.
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
from glossweave.site.compat import bibtex_filter_visitor

REFTYPE = "glossary-cite"


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

    Runs before Sphinx gathers the entries at the end (priority 750), in the
    order it finds them: so they are moved to the end here, sorted.  A `\\bibitem`
    is no `\\label`, so a plain link to it would be undefined: the cited words
    stay as text and Sphinx's own citation reference, `[HVD15]`, links the entry.
    """

    default_priority = 740
    formats = ("latex",)

    def run(self, **kwargs) -> None:
        kept: dict[str, nodes.citation] = {}  # label (bibtex keeps labels unique) → first entry
        for citation in list(self.document.findall(nodes.citation)):
            first = kept.setdefault(citation[0].astext(), citation)
            citation.parent.remove(citation)
            if first is not citation:
                first["backrefs"] += citation["backrefs"]
        for label in sorted(kept, key=lambda label: (label.casefold(), label)):
            self.document += kept[label]
        for ref in list(self.document.findall(nodes.reference)):
            entry = kept.get(ref.get("glossary_citation", ""))
            if entry is not None:
                label = nodes.citation_reference("", entry[0].astext(), docname=entry["docname"], refname=entry["ids"][0])
                ref.replace_self([*ref.children, nodes.Text(" "), label])


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
