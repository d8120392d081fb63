"""Every use of a private API of Sphinx, docutils, sphinxcontrib-bibtex or Furo, feature-detected.

The speed-ups of the site layer lean on internals that their projects may
change in any release.  Each is reached only through a function here, which
checks that the internal is still there and shaped as expected; when it is not,
the caller falls back to the public behaviour (a slower build, never a wrong
one) and the build logs ONE warning, of type ``glossary.compat``, naming what
is missing (``suppress_warnings = ["glossary.compat"]`` silences it).

The fallbacks are exercised in tests/site/test_compat.py by taking each
private attribute away.  docs/upstream-patches.md describes the changes that
would make some of these unnecessary.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

_warned: set[str] = set()


def fall_back(feature: str, missing: str, instead: str) -> None:
    """Log, once per process and `feature`, that `missing` is gone and the build does `instead`."""
    if feature in _warned:
        return
    _warned.add(feature)
    logger.warning(
        "glossary: %s is not available in the installed version (%s); %s", feature, missing, instead, type="glossary", subtype="compat"
    )


# --- Sphinx's doctree caches (glossweave.site.memory) ---------------------------------------


def doctree_write_cache(env: BuildEnvironment) -> dict[str, Any] | None:
    """Sphinx's read-to-write doctree cache (`BuildEnvironment._write_doc_doctree_cache`), or None."""
    return _environment_dict(env, "_write_doc_doctree_cache", "bounding the doctree cache", "every doctree is kept until it is written")


def pickled_doctree_cache(env: BuildEnvironment) -> dict[str, bytes] | None:
    """Sphinx's cache of loaded doctree pickles (`BuildEnvironment._pickled_doctree_cache`), or None."""
    return _environment_dict(env, "_pickled_doctree_cache", "dropping loaded doctree pickles", "Sphinx keeps them to the end")


def _environment_dict(env: BuildEnvironment, attribute: str, feature: str, instead: str) -> dict | None:
    store = getattr(env, attribute, None)
    if isinstance(store, dict):
        return store
    fall_back(feature, f"BuildEnvironment.{attribute}", instead)
    return None


# --- the number of processes (glossweave.site.generate) ---------------------------------------


def set_jobs(app: Any, jobs: int) -> int | None:
    """Set the processes the rest of this build reads and writes with (`Sphinx.parallel`, -j); the old number, or None.

    Sphinx decides at each phase from this attribute: reading right after
    `env-before-read-docs`, writing once reading is done.
    """
    old = getattr(app, "parallel", None)
    if not isinstance(old, int) or isinstance(old, bool):
        fall_back("reading few changed pages in one process", "Sphinx.parallel", "they are read with the -j given")
        return None
    app.parallel = jobs
    return old


# --- the std domain's data (glossweave.site.std_domain) --------------------------------------

#: The std domain's stores (its `data` keys), each mapping a key to a tuple that starts with its docname.
STD_DOMAIN_STORES = frozenset({"progoptions", "objects", "terms", "labels", "anonlabels"})


def std_domain_owners(data: dict[str, Any]) -> set[str] | None:
    """Every document owning an entry of the std domain's `data`, or None when its layout is not the known one.

    A store we do not know could hold entries of a document we would not
    clear, so any unknown key, or an entry that is not `(docname, …)`, means
    "ask upstream's `clear_doc` every time".
    """
    unknown = set(data) - STD_DOMAIN_STORES - {"version"}
    owners: set[str] = set()
    for name in STD_DOMAIN_STORES:
        # as upstream's clear_doc does through the store properties: its merge_domaindata expects every store
        for entry in data.setdefault(name, {}).values():
            if not (isinstance(entry, tuple) and entry and isinstance(entry[0], str)):
                unknown.add(f"{name} entries {entry!r}")
                break
            owners.add(entry[0])
    if unknown:
        fall_back(
            "skipping the std domain's clear_doc",
            f"its data holds {', '.join(sorted(unknown))}",
            "every document is cleared by Sphinx's own scan",
        )
        return None
    return owners


# --- sphinxcontrib-bibtex's domain (glossweave.site.bibtex_domain) ---------------------------

#: The upstream methods `IndexedBibtexDomain` overrides or calls, with their parameters.
BIBTEX_METHODS = {
    "env_updated": ["self"],
    "get_entries": ["self", "bibfiles"],
    "get_filtered_entries": ["self", "bibliography_key"],
    "get_sorted_entries": ["self", "bibliography_key", "docnames"],
    "get_formatted_entries": ["self", "bibliography_key", "docnames", "tooltips", "tooltips_style"],
}
BIBTEX_ATTRIBUTES = ("bibdata", "bibliographies", "citation_refs", "data_version", "initial_data")


@cache
def bibtex_filter_visitor() -> type | None:
    """sphinxcontrib-bibtex's private `_FilterVisitor` (evaluates `:filter:`), when its domain is as we know it.

    None means: use upstream's domain unchanged (glossweave.site.bibliography).
    """
    try:
        from sphinxcontrib.bibtex.domain import BibtexDomain, _FilterVisitor
    except ImportError as error:
        fall_back("the indexed bibtex domain", str(error), "sphinxcontrib-bibtex's own domain is used")
        return None
    changed = [name for name in BIBTEX_ATTRIBUTES if not hasattr(BibtexDomain, name)]
    if list(inspect.signature(_FilterVisitor).parameters) != ["entry", "docname", "cited_docnames"]:
        changed.append("_FilterVisitor(entry, docname, cited_docnames)")
    for name, parameters in BIBTEX_METHODS.items():
        method = getattr(BibtexDomain, name, None)
        if method is None or list(inspect.signature(method).parameters) != parameters:
            changed.append(f"{name}({', '.join(parameters[1:])})")
    if changed:
        fall_back("the indexed bibtex domain", f"{', '.join(changed)} changed", "sphinxcontrib-bibtex's own domain is used")
        return None
    return _FilterVisitor


# --- Furo's navigation tree (glossweave.site.sidebar) -----------------------------------------


@cache
def furo_skips_navigation_without_toctree() -> bool:
    """Does Furo render an empty navigation tree when the page context holds no `toctree`?

    That is a check inside Furo's private `_compute_navigation_tree`; asked of
    the function itself, with an empty context.
    """
    try:
        from furo import _compute_navigation_tree

        _compute_navigation_tree({})
    except Exception as error:  # any failure means: the private check is not what we rely on
        fall_back("skipping Furo's unshown navigation trees", f"furo._compute_navigation_tree: {error!r}", "Furo renders them")
        return False
    return True


# --- the LaTeX writer's labels (glossweave.site.latex) -------------------------------------

_HYPERREF = re.compile(r"\{\\hyperref\[(?P<label>.+)\]\{")
#: How far back in the translator's output the reference just written may start.
_LOOKBACK = 64


def last_reference_label(body: Sequence[str]) -> str | None:
    r"""The label of the cross-reference Sphinx's LaTeX writer wrote last (`{\hyperref[label]{…`), or None.

    Read back from the writer's own output, so the page reference after a term
    names exactly the label the writer chose, whatever its label scheme.
    """
    for item in reversed(body[-_LOOKBACK:]):
        found = _HYPERREF.fullmatch(item)
        if found:
            return found.group("label")
    fall_back("page numbers after term references", r"the LaTeX writer's {\hyperref[label]{ output", "terms print no page")
    return None


# --- Sphinx's ePub 3 builder (glossweave.site.ebook) --------------------------------------

#: Undocumented hooks of Sphinx's ePub builder that `glossweave.site.ebook.BookBuilderMixin` extends.
EPUB_BUILDER_HOOKS = ("toc_metadata", "build_navlist", "coverpage_name")


def epub_builder_hooks(builder: type) -> bool:
    """Whether Sphinx's ePub builder still has the hooks the book layer extends.

    `toc_metadata` (the NCX's `dtb:uid`), `build_navlist` (the index in the
    navigation document) and `coverpage_name` (the cover page, listed once).
    Without them the mixin's overrides are never called and Sphinx's own
    behaviour stays, which this says once.
    """
    missing = [name for name in EPUB_BUILDER_HOOKS if not hasattr(builder, name)]
    if missing:
        fall_back("the ePub's NCX identifier, index in the navigation and cover page", ", ".join(f"Epub3Builder.{name}" for name in missing), "Sphinx's own are kept")
    return not missing


# --- The book's LaTeX preamble (glossweave.site.mathcheck) --------------------------------


def latex_head(builder: Any, document: Any) -> str | None:
    """What the LaTeX builder writes before ``\\begin{document}`` for `document`, or None.

    Rendered by the builder's own translator and template (the builder's
    `themes`, `document_data`, `update_doc_context`, `update_context`,
    `write_message_catalog` and the translator's `elements` and `render` are
    not public API), with the context the builder sets just before it writes
    the book's first document; the message catalog the preamble loads is
    written early, as the builder writes it again at the end.
    """
    try:
        _, _, title, author, theme_name = builder.document_data[0][:5]
        theme = builder.themes.get(theme_name)
        builder.update_doc_context(title, author, theme)
        builder.update_context()
        translator = builder.create_translator(document, builder, theme)
        builder.write_message_catalog()
        elements = {**translator.elements, "body": "", "indices": ""}
        text = translator.render("latex.tex.jinja", elements)
    except (AttributeError, IndexError, KeyError, TypeError) as error:
        fall_back("checking formulas with the book's preamble", f"{type(error).__name__}: {error}", "formulas are checked with amsmath alone")
        return None
    head, found, _ = text.partition("\\begin{document}")
    return head if found else None


# --- The book's hyperref element (glossweave.site.latex_speed) ----------------------------


def latex_element_default(key: str) -> str | None:
    """Sphinx's default for the `latex_elements` key `key` (`sphinx.builders.latex.constants`), or None."""
    try:
        from sphinx.builders.latex.constants import DEFAULT_SETTINGS

        value = DEFAULT_SETTINGS[key]
    except (ImportError, KeyError):
        value = None
    if isinstance(value, str):
        return value
    fall_back(f"extending the LaTeX element {key!r}", f"sphinx.builders.latex.constants.DEFAULT_SETTINGS[{key!r}]", "it is left as it is")
    return None


# --- The application a post-transform runs in (the book's transforms) ---------------------


def transform_app(transform: Any) -> Any:
    """The Sphinx application of a transform: `env._app`, as Sphinx's own post-transforms reach it.

    `SphinxTransform.app` is deprecated (removed in Sphinx 11), and warns on
    every use; it is what is left when the environment no longer has `_app`.
    """
    app = getattr(transform.env, "_app", None)
    if app is not None:
        return app
    fall_back("reaching the application from a transform", "BuildEnvironment._app", "the deprecated SphinxTransform.app is used")
    return transform.app
