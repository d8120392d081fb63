"""Optional auto-linking (`glossary_autolink`): the first mention of a glossary term becomes a link.

It uses our site's own linker (`glossweave.core.linker.Linker.mentions`) with
the names and rules the glossary publishes, so a mention links here exactly
when it would link on our site: whole words, longest match first, each term
once per page, names too short or too generic held back, acronyms only in
capitals.  `glossary_autolink_rules` overrides single rules.

It runs after references are resolved, on the finished page, so it knows what
to leave alone: code, literals, math, raw markup, headings and titles,
definition-list terms, every existing link (and a term the page already links
by hand is not linked again), and the project's own glossary, whose terms are
also never linked to ours: a project's own definition of a name wins.
"""

from __future__ import annotations

import dataclasses
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from glossweave.consumer.config import consumer_config
from glossweave.consumer.glossaries import LinkedGlossary, Target
from glossweave.consumer.names import fold
from glossweave.consumer.state import glossaries
from glossweave.core.linker import Linker

#: Nothing inside these is ever linked.
UNLINKED = (
    nodes.FixedTextElement,  # literal and doctest blocks, math blocks, raw, comments
    nodes.literal,
    nodes.math,
    nodes.title,
    nodes.subtitle,
    nodes.rubric,
    nodes.term,
    nodes.field_name,
    nodes.reference,
    nodes.target,
    nodes.image,
    nodes.Invisible,
    nodes.system_message,
    nodes.problematic,
    addnodes.pending_xref,
    addnodes.glossary,
    addnodes.desc_signature,
    addnodes.toctree,
    addnodes.literal_emphasis,
    addnodes.literal_strong,
)

_SEPARATOR = "\x1f"  # between project and anchor in the linker's target strings; in neither


class AutoLinker:
    def __init__(self, chosen: dict[str, LinkedGlossary], local_names: set[str], overrides: dict[str, object]) -> None:
        self.glossaries = chosen
        pairs = [
            (name, f"{project}{_SEPARATOR}{anchor}")
            for project, glossary in sorted(chosen.items())
            for name, anchor in glossary.previews.link_names
            if fold(name) not in local_names
        ]
        self.linker = Linker(pairs, dataclasses.replace(chosen[min(chosen)].previews.link_rules, **overrides))

    def target(self, linked: str) -> Target:
        project, _, anchor = linked.partition(_SEPARATOR)
        return Target(project, anchor)


_LINKERS: WeakKeyDictionary[BuildEnvironment, AutoLinker | None] = WeakKeyDictionary()


def autolinker(env: BuildEnvironment) -> AutoLinker | None:
    """Built once per process and build, after every page was read (it needs the project's own terms)."""
    if env in _LINKERS:
        return _LINKERS[env]
    config = consumer_config(env.config)
    chosen = {project: glossary for project, glossary in glossaries(env).items() if config.autolinks(project)}
    if config.autolink == frozenset() or not chosen:
        linker = None
    else:
        local = {fold(name) for name, _disp, kind, *_ in env.domains["std"].get_objects() if kind == "term"}
        linker = AutoLinker(chosen, local, dict(config.autolink_rules))
    _LINKERS[env] = linker
    return linker


def linkable_texts(node: nodes.Node):
    """The Text nodes under `node` that may become links, in document order."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            yield child
        elif not isinstance(child, UNLINKED):
            yield from linkable_texts(child)


class AutoLink(SphinxPostTransform):
    default_priority = 15  # after references are resolved (10), before previews (20)

    def run(self, **kwargs) -> None:
        auto = autolinker(self.env)
        if auto is None:
            return
        docname = self.env.docname
        linked = self.linked_by_hand(auto, docname)
        first_only = auto.linker.rules.first_mention_only
        for text in list(linkable_texts(self.document)):
            source = str(text)
            pieces: list[nodes.Node] = []
            position = 0
            for start, end, found in auto.linker.mentions(source):
                target = auto.target(found)
                if first_only and target in linked:
                    continue
                linked.add(target)
                glossary = auto.glossaries[target.project]
                entry = glossary.previews.entries[target.anchor]
                pieces.append(nodes.Text(source[position:start]))
                href = glossary.href(entry.uri, entry.anchor, docname)
                pieces.append(nodes.reference("", source[start:end], internal=False, refuri=href, classes=["glossary-autolink"]))
                position = end
            if pieces:
                pieces.append(nodes.Text(source[position:]))
                text.parent.replace(text, [piece for piece in pieces if not isinstance(piece, nodes.Text) or str(piece)])

    def linked_by_hand(self, auto: AutoLinker, docname: str) -> set[Target]:
        """The terms the page already links to (by any of their names)."""
        linked = set()
        for reference in self.document.findall(nodes.reference):
            for project, glossary in auto.glossaries.items():
                entry = glossary.entry_at(reference.get("refuri", ""), docname)
                if entry is not None:
                    linked.add(Target(project, glossary.term_of(entry).anchor))
        return linked


def setup_autolink(app: Sphinx) -> None:
    app.add_post_transform(AutoLink)
