"""At `builder-inited`: run the pipeline (through a cache) and emit the MyST pages.

The pipeline caches its per-dump work under `glossary_cache_dir`, keyed by the
dump's bytes, so only changed dumps are re-parsed.  The emitter then rewrites
only pages whose text changed, which is what keeps Sphinx's incremental build
small.  The result stays with the build (not in the pickled environment) for the
preview post-transform.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from glossary.core.model import Glossary
from glossary.core.pipeline import build_glossary
from glossary.site.bibliography import load_bibliography
from glossary.site.config import site_config
from glossary.site.emit import GENERATED, alias_id, emit_site

logger = logging.getLogger(__name__)


@dataclass
class SiteState:
    glossary: Glossary
    summaries: dict[str, str]  # anchor id (term or alias) → one-line summary


_STATE: WeakKeyDictionary[BuildEnvironment, SiteState] = WeakKeyDictionary()


def state(env: BuildEnvironment) -> SiteState | None:
    """The glossary of this build, or None when the extension did not run yet."""
    return _STATE.get(env)


def summaries(glossary: Glossary) -> dict[str, str]:
    found = {}
    for term in glossary.terms:
        found[f"term-{term.slug}"] = term.summary
        for alias in term.aliases:
            found[alias_id(term, alias)] = term.summary
    return found


def _generate(app: Sphinx) -> None:
    config = site_config(app)
    result = build_glossary(config.corpus, config.link_rules, config.cache_dir)
    book_title = config.site_name if config.book else None
    emitted = emit_site(result, Path(app.srcdir) / GENERATED, book_title, load_bibliography(app))
    _STATE[app.env] = SiteState(result, summaries(result))
    logger.info(
        "glossary: %d terms; %d pages written, %d unchanged, %d removed",
        len(result.terms),
        len(emitted.written),
        emitted.unchanged,
        len(emitted.removed),
    )


def setup_generate(app: Sphinx) -> None:
    app.connect("builder-inited", _generate)
