"""Categories as cross-reference targets: the `glossary` domain and `{category}` role.

Each category page registers its category (slug → page, label) with the
`glossary-category` directive.  The domain keeps that map, forgets a page's
entries in `clear_doc` and merges worker results in `merge_domaindata`, so
parallel reads (-j) give the same result as serial ones.  `{category}` works in
hand-written pages by label or slug (`{category}`ai safety``), and category
badges on term pages are the same cross-reference, drawn as a sphinx-design badge.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from glossweave.core.slug import base_slug as slug

BADGE = ["sd-badge", "sd-bg-info", "sd-bg-text-info", "glossary-category-badge"]


def category_ref(category_slug: str, label: str, docname: str) -> pending_xref:
    """A badge that links to the category's page."""
    ref = addnodes.pending_xref(
        "", refdomain="glossary", reftype="category", reftarget=category_slug, refexplicit=True, refwarn=True, refdoc=docname
    )
    ref += nodes.inline(label, label, classes=BADGE)
    return ref


class CategoryRole(XRefRole):
    """`{category}` with no domain prefix resolves in the `glossary` domain.

    The role's name tells `XRefRole` the domain; it is the name docutils calls
    the role with (the public role interface), given here in full.
    """

    def __call__(self, name, rawtext, text, lineno, inliner, options=None, content=()):
        return super().__call__("glossary:category", rawtext, text, lineno, inliner, options, content)


class GlossaryDomain(Domain):
    name = "glossary"
    label = "Glossary"
    object_types = {"category": ObjType("category", "category")}
    roles = {"category": XRefRole()}
    initial_data: dict[str, Any] = {"categories": {}}  # slug → (docname, label)
    data_version = 1

    @property
    def categories(self) -> dict[str, tuple[str, str]]:
        return self.data["categories"]

    def note_category(self, category_slug: str, label: str, docname: str) -> None:
        self.categories[category_slug] = (docname, label)

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _label) in list(self.categories.items()):
            if doc == docname:
                del self.categories[key]

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for key, (doc, label) in otherdata["categories"].items():
            if doc in docnames:
                self.categories[key] = (doc, label)

    def resolve_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str, node: pending_xref, contnode: nodes.Element
    ) -> nodes.reference | None:
        found = self.categories.get(target) or self.categories.get(slug(target))
        if found is None:
            return None
        docname, label = found
        return make_refnode(builder, fromdocname, docname, "", contnode, label)

    def resolve_any_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, target: str, node: pending_xref, contnode: nodes.Element
    ) -> list[tuple[str, nodes.reference]]:
        ref = self.resolve_xref(env, fromdocname, builder, "category", target, node, contnode)
        return [("glossary:category", ref)] if ref else []

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for key, (docname, label) in self.categories.items():
            yield key, label, "category", docname, "", -1  # in objects.inv, not in search results: those are terms


def setup_categories(app: Sphinx) -> None:
    app.add_domain(GlossaryDomain)
    app.add_role("category", CategoryRole())
