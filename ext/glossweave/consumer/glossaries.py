"""One intersphinx project's glossary, as this project links to it.

Links are written exactly as intersphinx writes them, `<base URI>/<page>#<anchor>`
(with the page's way up to the root in front when the base URI is a local
path), so a link intersphinx resolved and one resolved here look alike, and
the previews transform can recognise both by their address alone.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property

from glossweave.consumer.names import Name, NameIndex
from glossweave.core.slug import base_slug
from glossweave.previewsfile import Category, Entry, PreviewsFile


@dataclass(frozen=True)
class Target:
    """A link target: a term or alias (`anchor`) of the glossary of an intersphinx project."""

    project: str
    anchor: str


@dataclass
class LinkedGlossary:
    project: str  # the intersphinx name
    target_uri: str  # the base URI links start with
    previews: PreviewsFile

    @property
    def title(self) -> str:
        """ "(in Glossary v1.0)": what intersphinx puts on the links it makes."""
        release = self.previews.release
        version = f" v{release}" if release[:1].isdigit() else f" {release}" if release else ""
        return f"(in {self.previews.project}{version})"

    def address(self, uri: str, anchor: str = "") -> str:
        """What intersphinx writes for the page `uri` (and `anchor`), before any relative prefix."""
        return posixpath.join(self.target_uri, uri) + (f"#{anchor}" if anchor else "")

    def href(self, uri: str, anchor: str, refdoc: str | None) -> str:
        address = self.address(uri, anchor)
        if "://" not in address and refdoc:
            return "../" * refdoc.count("/") + address  # from the page's folder up to the root, as intersphinx does
        return address

    @cached_property
    def by_address(self) -> dict[str, Entry]:
        return {self.address(entry.uri, entry.anchor): entry for entry in self.previews.entries.values()}

    def entry_at(self, refuri: str, refdoc: str | None) -> Entry | None:
        """The term or alias a link intersphinx (or this extension) wrote from `refdoc` points to."""
        if "://" not in self.target_uri and refdoc:
            prefix = "../" * refdoc.count("/")
            if not refuri.startswith(prefix):
                return None
            refuri = refuri[len(prefix) :]
        return self.by_address.get(refuri)

    def term_of(self, entry: Entry) -> Entry:
        return self.previews.entries[entry.alias_of] if entry.alias_of else entry

    def names(self) -> list[Name]:
        return [
            Name(entry.name, Target(self.project, entry.anchor), Target(self.project, self.term_of(entry).anchor))
            for entry in self.previews.entries.values()
        ]

    def category(self, target: str) -> Category | None:
        """A category by slug, by name (any case) or by what its name slugs to, as the site's own role finds it."""
        categories = self.previews.categories
        if target in categories:
            return categories[target]
        folded = target.casefold()
        for category in categories.values():
            if category.name.casefold() == folded:
                return category
        return categories.get(base_slug(target))


def name_index(glossaries: dict[str, LinkedGlossary]) -> NameIndex:
    """Every term and alias name of every glossary, in intersphinx-name order."""
    return NameIndex(name for project in sorted(glossaries) for name in glossaries[project].names())
