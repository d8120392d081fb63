"""References into glossaries: previews on links, names intersphinx cannot find, "did you mean".

* **Previews.** After every reference is resolved, a link whose address is a
  glossary term's or alias's (however it was made: `:term:`, MyST `{term}`,
  `:external+name:term:`, auto-linking) gets the term's summary as its title and
  the `glossary-preview` class: the site's own post-transform does the same, and
  the shared `glossary-previews.js` turns it into the accessible tooltip.
* **Names intersphinx cannot find.** Sphinx's inventory loader drops names with
  a number as a word after two words (`top k 5 sampling`); the previews file
  still has them, so a `:term:` to such a name resolves here, by its name.
* **Variants** (`glossary_resolve_variants`): a `:term:` that is a case or plural
  variant of exactly one glossary term resolves to it.
* **Categories**: `:glossary:category:` targets are matched by slug or name, as
  on the site.
* **Did you mean.** A `:term:` found nowhere gets Sphinx's own warning (same type
  and subtype, so `suppress_warnings` and `nitpick_ignore` still apply) with the
  closest glossary names added.

`:term:` references are resolved by the std domain first, then by intersphinx,
then here (`missing-reference`).  `:external+name:term:` references never reach
that event: intersphinx resolves them in a post-transform of its own and warns
there, so `ExternalGlossaryReferences` runs just before it, for glossaries only.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.ext.intersphinx import inventory_exists, resolve_reference_any_inventory, resolve_reference_in_inventory
from sphinx.transforms.post_transforms import ReferencesResolver, SphinxPostTransform
from sphinx.util import logging

from glossweave.consumer.config import consumer_config
from glossweave.consumer.glossaries import LinkedGlossary, Target
from glossweave.consumer.names import Name, one_meaning
from glossweave.consumer.state import glossaries, names
from glossweave.previewsfile import Entry

logger = logging.getLogger(__name__)

#: Sphinx's own text for a missing term (`StandardDomain.dangling_warnings['term']`).
MISSING_TERM = "term not in glossary: %r"
MISSING_EXTERNAL = "external %s:%s reference target not found: %s"


def external_reference(
    glossary: LinkedGlossary, uri: str, anchor: str, xref: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.reference:
    """The link intersphinx would make, titled as intersphinx titles it; a term's summary replaces that in HTML."""
    href = glossary.href(uri, anchor, xref.get("refdoc"))
    return nodes.reference("", "", contnode, internal=False, refuri=href, reftitle=glossary.title)


def resolve_term(
    env: BuildEnvironment, xref: addnodes.pending_xref, contnode: nodes.Element, projects: set[str] | None = None
) -> nodes.reference | None:
    """A glossary term by its exact name (the loader may have dropped it), or by an unambiguous variant when enabled."""
    target = xref["reftarget"]
    index = names(env)

    def usable(found: list[Name]) -> Name | None:
        return one_meaning([name for name in found if projects is None or name.target.project in projects])

    name = usable(index.exact(target))
    if name is None and consumer_config(env.config).resolve_variants:
        name = usable(index.variants(target))
    if name is None:
        return None
    glossary, entry = entry_of(env, name.target)
    return external_reference(glossary, entry.uri, entry.anchor, xref, contnode)


def entry_of(env: BuildEnvironment, target: Target) -> tuple[LinkedGlossary, Entry]:
    glossary = glossaries(env)[target.project]
    return glossary, glossary.previews.entries[target.anchor]


def resolve_category(
    env: BuildEnvironment, xref: addnodes.pending_xref, contnode: nodes.Element, projects: set[str] | None = None
) -> nodes.reference | None:
    for project, glossary in sorted(glossaries(env).items()):
        category = glossary.category(xref["reftarget"]) if projects is None or project in projects else None
        if category is not None:
            shown = contnode if xref.get("refexplicit") else contnode.__class__(category.name, category.name)
            return external_reference(glossary, category.uri, "", xref, shown)
    return None


def _missing_reference(
    app: Sphinx, env: BuildEnvironment, xref: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    kind = (xref.get("refdomain"), xref.get("reftype"))
    if kind == ("std", "term"):
        return resolve_term(env, xref, contnode)
    if kind == ("glossary", "category"):
        return resolve_category(env, xref, contnode)
    return None


def suggestion_text(env: BuildEnvironment, target: str, projects: set[str] | None = None) -> str:
    """The end of a warning, `; did you mean 'GPU' (glossary)?`, or "" when no glossary name is close."""
    found = [name for name in names(env).suggest(target) if projects is None or name.target.project in projects]
    if not found:
        return ""
    shown = []
    for name in found:
        glossary, entry = entry_of(env, name.target)
        where = glossary.project if entry.alias_of is None else f"{glossary.project}, alias of {glossary.term_of(entry).name!r}"
        shown.append(f"{name.name!r} ({where})")
    return f"; did you mean {', '.join(shown)}?"


def _warn_missing_reference(app: Sphinx, domain: Domain | None, xref: addnodes.pending_xref) -> bool | None:
    """Sphinx's warning for a missing term, with the glossary names it most likely meant."""
    if domain is None or domain.name != "std" or xref.get("reftype") != "term":
        return None
    hint = suggestion_text(app.env, xref["reftarget"])
    if not hint:
        return None
    logger.warning(MISSING_TERM % xref["reftarget"] + hint, location=xref, type="ref", subtype="term")
    return True


class ExternalGlossaryReferences(SphinxPostTransform):
    """`:external+name:term:` and `:external+name:glossary:category:` into a glossary that intersphinx cannot resolve.

    Intersphinx's own resolver (priority 9) would warn and drop the link; here,
    just before it, such a reference is resolved from the previews file when it
    can be, and otherwise dropped with intersphinx's warning plus suggestions.
    """

    default_priority = ReferencesResolver.default_priority - 2

    def run(self, **kwargs) -> None:
        found = glossaries(self.env)
        for xref in list(self.document.findall(addnodes.pending_xref)):
            kind = (xref.get("refdomain"), xref.get("reftype"))
            if "intersphinx" not in xref or kind not in (("std", "term"), ("glossary", "category")):
                continue
            inventory = xref.get("inventory")
            if inventory is not None and (inventory not in found or not inventory_exists(self.env, inventory)):
                continue
            contnode = xref[0].deepcopy()
            if self._intersphinx_resolves(xref, contnode.deepcopy(), inventory):
                continue
            projects = None if inventory is None else {inventory}
            resolve = resolve_term if kind[1] == "term" else resolve_category
            reference = resolve(self.env, xref, contnode, projects)
            if reference is not None:
                xref.replace_self(reference)
            elif kind[1] == "term" and (hint := suggestion_text(self.env, xref["reftarget"], projects)):
                message = MISSING_EXTERNAL % (*kind, xref["reftarget"]) + hint
                logger.warning(message, location=xref, type="ref", subtype=kind[1])
                xref.replace_self(contnode)

    def _intersphinx_resolves(self, xref: addnodes.pending_xref, contnode: nodes.Element, inventory: str | None) -> bool:
        if inventory is None:
            return resolve_reference_any_inventory(self.env, False, xref, contnode) is not None
        return resolve_reference_in_inventory(self.env, inventory, xref, contnode) is not None


class GlossaryPreviews(SphinxPostTransform):
    """The summary of the term a link points to, as its title (see the module docstring)."""

    default_priority = 20  # after every resolver, and after auto-linking (15)
    formats = ("html",)

    def run(self, **kwargs) -> None:
        found = list(glossaries(self.env).values())
        if not found:
            return
        docname = self.env.docname
        for reference in self.document.findall(nodes.reference):
            refuri = reference.get("refuri", "")
            if "#term-" not in refuri:
                continue
            for glossary in found:
                entry = glossary.entry_at(refuri, docname)
                if entry is not None:
                    if entry.summary:
                        reference["reftitle"] = entry.summary
                        reference["classes"].append("glossary-preview")
                    break


def setup_resolve(app: Sphinx) -> None:
    app.connect("missing-reference", _missing_reference, priority=600)  # after intersphinx (500)
    app.connect("warn-missing-reference", _warn_missing_reference)
    app.add_post_transform(ExternalGlossaryReferences)
    app.add_post_transform(GlossaryPreviews)
