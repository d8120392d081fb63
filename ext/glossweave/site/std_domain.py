"""Sphinx's std domain, without the quadratic clearing before each read.

Before it reads a document, Sphinx calls every domain's `clear_doc`, and the
std domain's scans all of its objects, terms and labels for the document's
entries.  A glossary has a term, its aliases and their anchors on every page,
so each read scans a few entries per page of the site: quadratic, and a
growing part of the read at 16,000 entries, where reading a page took twice
as long as at 1,000.  Most documents a build reads have nothing to clear (a
clean build's, a new page's), so this domain first finds, once per read
phase, the documents that own any entry, and clears only those.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment


class IndexedStandardDomain(StandardDomain):
    """`clear_doc` skips the scan for a document that owns no entry."""

    _owners: set[str] | None = None

    def owners(self) -> set[str]:
        """Every document that owns an entry (all stores map to a tuple that starts with it)."""
        stores = (self.progoptions, self.objects, self._terms, self.labels, self.anonlabels)
        return {entry[0] for store in stores for entry in store.values()}

    def clear_doc(self, docname: str) -> None:
        if self._owners is None:
            self._owners = self.owners()
        if docname in self._owners:
            super().clear_doc(docname)

    def forget_owners(self) -> None:
        """Entries are about to change: find the owners again at the next `clear_doc`."""
        self._owners = None


def _forget_owners(app: Sphinx, env: BuildEnvironment, *args: object) -> None:
    std = env.domains.standard_domain
    if isinstance(std, IndexedStandardDomain):
        std.forget_owners()


def setup_std_domain(app: Sphinx) -> None:
    app.add_domain(IndexedStandardDomain, override=True)
    # documents are cleared before each read phase; what they own changes as it reads
    app.connect("env-before-read-docs", _forget_owners)
    app.connect("env-updated", _forget_owners)
