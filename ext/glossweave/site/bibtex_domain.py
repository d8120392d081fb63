"""sphinxcontrib-bibtex's `cite` domain, made to scale with the number of citing pages.

Every citing term page has its own bibliography, and upstream's domain works
them all out again at every build, even one that changed nothing: for each
entry of each bibliography it scans every citation reference, for each
bibliography it sorts every reference by `docnames.index`, and it formats each
entry with pybtex, about 10 ms an entry.  That was a third of a no-op
rebuild at 4,000 terms, and grew faster than the site.

`IndexedBibtexDomain` gives the same results: the references are indexed by
key and their order by document once per build, and a bibliography whose
inputs (style, label prefix, tooltip settings and its entries in order) were
formatted before from the same .bib files reuses that formatting.  Only the
formatting of the current bibliographies is kept, in the domain data, so it is
saved with the environment; a bibliography whose formatting warned is
formatted again at every build, so its warnings recur as upstream's do.  (A
pybtex style whose code changes under the same name is noticed only when the
.bib files change or the environment is rebuilt.)
Documents are cleared and merged by upstream's code, so parallel builds stay
correct: the index and the formatting are only used in `env_updated`, which
runs in the main process after the merge.

The filtering, sorting and formatting are upstream's methods with the lookups
changed, and evaluate `:filter:` with upstream's private `_FilterVisitor`;
`glossweave.site.compat.bibtex_filter_visitor` checks both are as written here,
and otherwise upstream's own domain is used (glossweave.site.bibliography).
docs/upstream-patches.md describes the change that would make this module unnecessary.
"""

from __future__ import annotations

import logging as python_logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from sphinx.util import logging
from sphinxcontrib.bibtex.domain import BibtexDomain

from glossweave.site.compat import bibtex_filter_visitor

if TYPE_CHECKING:
    from pybtex.database import Entry
    from pybtex.style import FormattedEntry
    from sphinxcontrib.bibtex.directives import BibliographyKey
    from sphinxcontrib.bibtex.roles import CitationRef

logger = logging.getLogger(__name__)

#: (entry, formatted entry, tooltip entry), as upstream's `get_formatted_entries` yields them.
FormattedItem = tuple["Entry", "FormattedEntry", "FormattedEntry | None"]


class CitationIndex:
    """Which documents cite each key, and the order of first citation, from one pass over the references."""

    def __init__(self, citation_refs: Sequence[CitationRef]) -> None:
        self.citation_refs = citation_refs
        self.citing_docnames: dict[str, set[str]] = defaultdict(set)
        for citation_ref in citation_refs:
            for target in citation_ref.targets:
                self.citing_docnames[target.key].add(citation_ref.docname)
        self._ranks_for: Sequence[str] | None = None
        self._ranks: dict[str, int] = {}

    def ranks(self, docnames: Sequence[str]) -> dict[str, int]:
        """Each cited key's place in upstream's `get_all_cited_keys(docnames)`, counting its first occurrence only.

        Computed once for the `docnames` list that `env_updated` passes to every bibliography.
        """
        if self._ranks_for is not docnames:
            position: dict[str, int] = {}
            for index, docname in enumerate(docnames):
                position.setdefault(docname, index)  # as `docnames.index`: the first
            self._ranks = {}
            for citation_ref in sorted(self.citation_refs, key=lambda ref: position[ref.docname]):
                for target in citation_ref.targets:
                    self._ranks.setdefault(target.key, len(self._ranks))
            self._ranks_for = docnames
        return self._ranks


class BibdataVersion(NamedTuple):
    """What upstream compares to decide whether to parse the .bib files again."""

    encoding: str
    bibfiles: dict


class FormattedBibliographies(NamedTuple):
    """Formatted bibliographies by their inputs, valid for the .bib files as they were at `version`."""

    version: BibdataVersion | None
    by_inputs: dict[tuple, list[FormattedItem]]


class WarningCounter(python_logging.Handler):
    """Counts the warnings Sphinx logs while it is attached; they are still shown as usual."""

    def __init__(self) -> None:
        super().__init__(python_logging.WARNING)
        self.count = 0

    def emit(self, record: python_logging.LogRecord) -> None:
        self.count += 1


class _Update:
    """What one `env_updated` shares between the bibliographies."""

    def __init__(self, citation_refs: Sequence[CitationRef], reusable: dict[tuple, list[FormattedItem]]) -> None:
        self.citations = CitationIndex(citation_refs)
        self.reusable = reusable
        self.formatted: dict[tuple, list[FormattedItem]] = {}
        #: bibliography → (docnames, its sorted entries), worked out once although both the formatting's
        #: inputs and upstream's formatting read them: a :filter: that warns, warns as often as upstream's
        self.sorted_entries: dict[BibliographyKey, tuple[Sequence[str], list[tuple[str, Entry]]]] = {}


class IndexedBibtexDomain(BibtexDomain):
    """Upstream's domain with indexed lookups, and formatting reused while its inputs are unchanged."""

    # upstream's layout plus "formatted_bibliographies"; differs from upstream's
    # version, so an environment saved by either domain is read again by the other
    data_version = BibtexDomain.data_version + 1000
    initial_data = {**BibtexDomain.initial_data, "formatted_bibliographies": FormattedBibliographies(None, {})}

    _update: _Update | None = None  # set while `env_updated` runs

    def env_updated(self) -> Iterable[str]:
        saved: FormattedBibliographies = self.data["formatted_bibliographies"]
        version = BibdataVersion(self.bibdata.encoding, self.bibdata.bibfiles)
        self._update = _Update(self.citation_refs, saved.by_inputs if saved.version == version else {})
        try:
            updated = super().env_updated()
            self.data["formatted_bibliographies"] = FormattedBibliographies(version, self._update.formatted)
        finally:
            self._update = None
        return updated

    def _citation_index(self) -> CitationIndex:
        return self._update.citations if self._update else CitationIndex(self.citation_refs)

    def get_filtered_entries(self, bibliography_key: BibliographyKey) -> Iterable[tuple[str, Entry]]:
        """Upstream's, with the documents citing each entry looked up in the index instead of scanned for."""
        bibliography = self.bibliographies[bibliography_key]
        citing_docnames = self._citation_index().citing_docnames
        filter_visitor = bibtex_filter_visitor()
        assert filter_visitor is not None, "this domain is only used when the visitor is there"
        for entry in self.get_entries(bibliography.bibfiles):
            key = bibliography.keyprefix + entry.key
            cited_docnames = citing_docnames.get(key) or set()  # the filter only reads it
            visitor = filter_visitor(entry=entry, docname=bibliography_key.docname, cited_docnames=cited_docnames)
            try:
                success = visitor.visit(bibliography.filter_)
            except ValueError as err:
                logger.warning(
                    f"syntax error in :filter: expression; {err}",
                    location=(bibliography_key.docname, bibliography.line),
                    type="bibtex",
                    subtype="filter_syntax_error",
                )
                success = bool(cited_docnames)  # upstream's recovery: the default filter
            if success or entry.key in bibliography.keys:
                yield key, entry

    def get_sorted_entries(self, bibliography_key: BibliographyKey, docnames: list[str]) -> Iterable[tuple[str, Entry]]:
        """Upstream's order: cited entries by first citation, then the others in .bib order.

        Once per bibliography while `env_updated` runs, so that a :filter: that warns warns once, as upstream's.
        """
        if self._update is None:
            return self._sort_entries(bibliography_key, docnames)
        known = self._update.sorted_entries.get(bibliography_key)
        if known is None or known[0] is not docnames:
            known = self._update.sorted_entries[bibliography_key] = (docnames, list(self._sort_entries(bibliography_key, docnames)))
        return iter(known[1])

    def _sort_entries(self, bibliography_key: BibliographyKey, docnames: Sequence[str]) -> Iterable[tuple[str, Entry]]:
        entries = dict(self.get_filtered_entries(bibliography_key))
        ranks = self._citation_index().ranks(docnames)
        cited = sorted((key for key in entries if key in ranks), key=ranks.__getitem__)
        for key in [*cited, *(key for key in entries if key not in ranks)]:
            yield key, entries[key]

    def get_formatted_entries(
        self, bibliography_key: BibliographyKey, docnames: list[str], tooltips: bool, tooltips_style: str
    ) -> Iterable[FormattedItem]:
        """Upstream's, reused from an earlier build (or bibliography) with the same inputs."""
        update = self._update
        if update is None:
            return super().get_formatted_entries(bibliography_key, docnames, tooltips, tooltips_style)
        bibliography = self.bibliographies[bibliography_key]
        entry_keys = tuple(entry.key for _, entry in self.get_sorted_entries(bibliography_key, docnames))
        inputs = (bibliography.style, bibliography.labelprefix, tooltips, tooltips_style, entry_keys)
        formatted = update.formatted.get(inputs, update.reusable.get(inputs))
        if formatted is None:
            warnings = WarningCounter()
            sphinx_logger = python_logging.getLogger(logging.NAMESPACE)
            sphinx_logger.addHandler(warnings)
            try:
                formatted = list(super().get_formatted_entries(bibliography_key, docnames, tooltips, tooltips_style))
            finally:
                sphinx_logger.removeHandler(warnings)
            if warnings.count:
                return formatted
        update.formatted[inputs] = formatted
        return formatted
