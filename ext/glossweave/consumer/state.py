"""This build's glossaries, and which pages to read again when one of them changed.

The glossaries are loaded once, at `builder-inited`, in the main process; the
processes Sphinx forks for `-j` inherit them, and a process that starts
without them rebuilds them from the cache in the environment, never from the
network.  A page whose links may point into a glossary (it has a `:term:` or
`glossary:category` reference, or auto-linking is on) is read and written
again when a glossary's file changed, so its previews and links follow.  The
set of such pages lives in the environment and is kept per page
(`env-purge-doc`) and across parallel reads (`env-merge-info`).
"""

from __future__ import annotations

from collections.abc import Set
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from glossweave.consumer.config import consumer_config
from glossweave.consumer.glossaries import LinkedGlossary, name_index
from glossweave.consumer.loading import consumer_data, digest, load_glossaries, restore_glossaries
from glossweave.consumer.names import NameIndex

_GLOSSARIES: WeakKeyDictionary[BuildEnvironment, dict[str, LinkedGlossary]] = WeakKeyDictionary()
_NAMES: WeakKeyDictionary[BuildEnvironment, NameIndex] = WeakKeyDictionary()
_CHANGED: WeakKeyDictionary[BuildEnvironment, bool] = WeakKeyDictionary()


def glossaries(env: BuildEnvironment) -> dict[str, LinkedGlossary]:
    """Intersphinx name → glossary, for every project that publishes a previews file."""
    found = _GLOSSARIES.get(env)
    if found is None:
        found = _GLOSSARIES[env] = restore_glossaries(env)
    return found


def names(env: BuildEnvironment) -> NameIndex:
    """Every name of every glossary, for resolving and suggesting."""
    index = _NAMES.get(env)
    if index is None:
        index = _NAMES[env] = name_index(glossaries(env))
    return index


def _load(app: Sphinx) -> None:
    data = consumer_data(app.env)
    loaded = load_glossaries(app)
    digests = {name: digest(data.cache[data.active[name][1]].text or "") for name in loaded}
    _CHANGED[app.env] = digests != data.digests
    data.digests = digests
    _GLOSSARIES[app.env] = loaded
    _NAMES.pop(app.env, None)


def _outdated(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]) -> list[str]:
    if not _CHANGED.get(env):
        return []
    pages = env.found_docs if consumer_config(app.config).autolink != frozenset() else consumer_data(env).term_docs
    return sorted(set(pages) & env.found_docs - added - changed)


def refers_to_glossary(doctree: nodes.document) -> bool:
    """Does the page hold a reference a glossary could resolve (a term or a category)?"""
    return any(
        (xref.get("refdomain"), xref.get("reftype")) in (("std", "term"), ("glossary", "category"))
        for xref in doctree.findall(addnodes.pending_xref)
    )


def _note_page(app: Sphinx, doctree: nodes.document) -> None:
    if refers_to_glossary(doctree):
        consumer_data(app.env).term_docs.add(app.env.docname)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    consumer_data(env).term_docs.discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment) -> None:
    consumer_data(env).term_docs |= consumer_data(other).term_docs & set(docnames)


def setup_state(app: Sphinx) -> None:
    app.connect("builder-inited", _load, priority=600)  # after intersphinx loaded its inventories (500)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _note_page)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
