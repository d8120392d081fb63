"""Sphinx's std domain, without the quadratic clearing before each read.

Before it reads a document, Sphinx calls every domain's `clear_doc`, and the
std domain's scans all of its objects, terms and labels for the document's
entries.  A glossary has a term, its aliases and their anchors on every page,
so each read scans a few entries per page of the site: quadratic, and a
growing part of the read at 16,000 entries, where reading a page took twice
as long as at 1,000.  Most documents a build reads have nothing to clear (a
clean build's, a new page's), so this domain first finds, once per read
phase, the documents that own any entry, and clears only those.  That reads
the layout of the std domain's data, through `glossweave.site.compat`; if it
changes, every document is cleared by upstream's code again.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment

from glossweave.site.compat import std_domain_owners


class IndexedStandardDomain(StandardDomain):
    """`clear_doc` skips the scan for a document that owns no entry."""

    _owners: set[str] | None = None
    _owners_known = False

    def clear_doc(self, docname: str) -> None:
        if not self._owners_known:
            self._owners, self._owners_known = std_domain_owners(self.data), True
        if self._owners is None or docname in self._owners:
            super().clear_doc(docname)

    def forget_owners(self) -> None:
        """Entries are about to change: find the owners again at the next `clear_doc`."""
        self._owners, self._owners_known = None, False


def _forget_owners(app: Sphinx, env: BuildEnvironment, *args: object) -> None:
    std = env.domains["std"]
    if isinstance(std, IndexedStandardDomain):
        std.forget_owners()


def setup_std_domain(app: Sphinx) -> None:
    app.add_domain(IndexedStandardDomain, override=True)
    # documents are cleared before each read phase; what they own changes as it reads
    app.connect("env-before-read-docs", _forget_owners)
    app.connect("env-updated", _forget_owners)
