"""At `builder-inited`: run the pipeline (through a cache) and emit the pages.

The pipeline caches its per-dump work under `glossary_cache_dir`, keyed by the
dump's bytes, so only changed dumps are re-parsed.  The emitter then rewrites
only pages whose text changed, which is what keeps Sphinx's incremental build
small.  When nothing the pages are made from changed since the last emit (the
dumps, the .bib files, the overrides file, the settings, this package's code and
data), both are skipped:
merging, linking and comparing every page took 3 s of a no-op rebuild at
4,000 entries (a page deleted by hand since is noticed: the emitter runs).
What previews need of each term (`published_terms`: names, anchors, summary,
categories) stays with the build (not in the pickled environment) for the
preview post-transform and the published previews file, and is kept with the
pages for the builds that skip.

An edit changes a handful of pages, and Sphinx reads them in parallel when
-j asks for it; but each worker pickles the whole environment back, which at
thousands of pages costs more than reading the handful here.  So when few
pages are to be read (`SERIAL_SHARE`), this build reads and writes them in
this process; the next build decides again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

import glossweave
from glossweave.core.cachefiles import tree_digest, write_atomically
from glossweave.core.model import Glossary, Severity
from glossweave.core.pipeline import CACHE_UNREADABLE, build_glossary, dump_files
from glossweave.core.slug import assign_slugs
from glossweave.site import compat
from glossweave.site.bibliography import load_bibliography
from glossweave.site.config import site_config
from glossweave.site.emit import GENERATED, alias_ids, emit_site, emitted_paths

logger = logging.getLogger(__name__)


@dataclass
class SiteState:
    terms: list[dict]  # `published_terms` of the glossary

    def __post_init__(self) -> None:
        #: anchor id (term or alias) → one-line summary
        self.summaries = {
            anchor: term["summary"] for term in self.terms for anchor in [term["anchor"], *term["aliases"].values()]
        }


_STATE: WeakKeyDictionary[BuildEnvironment, SiteState] = WeakKeyDictionary()


def state(env: BuildEnvironment) -> SiteState | None:
    """The glossary of this build, or None when the extension did not run yet."""
    return _STATE.get(env)


def published_terms(glossary: Glossary) -> list[dict]:
    """Per term, in JSON types: anchor, name, summary, aliases (name → anchor), category slugs, names that auto-link."""
    category_slugs = assign_slugs({category for term in glossary.terms for category in term.categories})  # as the category pages
    linking: dict[str, list[str]] = {}
    for name, slug_ in glossary.link_names:
        linking.setdefault(slug_, []).append(name)
    return [
        {
            "anchor": f"term-{term.slug}",
            "name": term.name,
            "summary": term.summary,
            "aliases": alias_ids(term),
            "categories": sorted({category_slugs[category] for category in term.categories}),
            "link_names": linking.get(term.slug, []),
        }
        for term in glossary.terms
    ]


#: In the generated folder: what its pages were made from, and `published_terms` (see the module docstring).
LAST_EMIT = ".last-emit.json"


def inputs_key(app: Sphinx) -> str:
    """A digest of everything the generated pages are made from."""
    config = site_config(app)
    settings = json.dumps(asdict(config), sort_keys=True, default=lambda v: sorted(v) if isinstance(v, frozenset) else str(v))
    bibfiles = [Path(app.confdir) / name for name in app.config.bibtex_bibfiles] if "sphinxcontrib.bibtex" in app.extensions else []
    digest = hashlib.sha256(settings.encode())
    digest.update(tree_digest(Path(glossweave.__file__).parent).encode())  # code and data files
    overrides = [config.overrides] if config.overrides else []
    for path in [*dump_files(config.corpus), *bibfiles, *overrides]:
        digest.update(f"\0{path}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def last_emit(out_dir: Path) -> dict:
    """What the last emit recorded, or {} when there is none or it cannot be read (then everything is emitted again)."""
    path = out_dir / LAST_EMIT
    if not path.exists():
        return {}
    try:
        last = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(last, dict) and isinstance(last["key"], str) and isinstance(last["pages"], int) and isinstance(last["terms"], list):
            return last
        problem = "not the record of an emit"
    except (OSError, ValueError, KeyError) as error:
        problem = f"{type(error).__name__}: {error}"
    logger.info("glossary: %s unreadable (%s); the pages are generated again", path, problem)
    return {}


def _generate(app: Sphinx) -> None:
    config = site_config(app)
    src_dir = Path(app.srcdir)
    key = inputs_key(app)
    last = last_emit(src_dir / GENERATED)
    if last.get("key") == key and all((src_dir / rel).is_file() for rel in emitted_paths(src_dir)):
        _STATE[app.env] = SiteState(last["terms"])
        logger.info("glossary: nothing changed since the last build; %d generated pages kept", last["pages"])
        return
    result = build_glossary(config.corpus, config.link_rules, config.cache_dir, overrides=config.overrides)
    for diagnostic in result.report.diagnostics:
        if diagnostic.code == CACHE_UNREADABLE:
            logger.info("glossary: %s", diagnostic.message)
        elif diagnostic.code.startswith("override"):
            # A broken rule fails a -W build; a rule the corpus no longer meets is `make check`'s
            # warning, not a reason for the site to stop building when a dump changes.
            where = f"{config.overrides}:{diagnostic.source.line}" if diagnostic.source else str(config.overrides)
            log = logger.warning if diagnostic.severity is Severity.ERROR else logger.info
            log("%s", diagnostic.message, location=where, type="glossary", subtype=diagnostic.code)
    book_title = config.site_name if config.book else None
    emitted = emit_site(result, src_dir, book_title, load_bibliography(app))
    for path in emitted.kept:
        logger.warning("glossary: %s was not written by glossweave; it is kept, and the generated page it stands in for is not written", path, type="glossary", subtype="hand-written")
    _STATE[app.env] = SiteState(published_terms(result))
    pages = len(emitted.written) + emitted.unchanged
    if not emitted.kept:  # else the next build must emit (and warn) again
        record = {"key": key, "pages": pages, "terms": _STATE[app.env].terms}
        write_atomically(src_dir / GENERATED / LAST_EMIT, json.dumps(record).encode())
    logger.info(
        "glossary: %d terms; %d pages written, %d unchanged, %d removed",
        len(result.terms),
        len(emitted.written),
        emitted.unchanged,
        len(emitted.removed),
    )


#: Read and write in one process when at most one page in this many is to be read (see the module docstring).
SERIAL_SHARE = 50

#: The -j of builds made serial by `_serial_when_few`, until it is given back at `write-started`.
_JOBS: WeakKeyDictionary[Sphinx, int] = WeakKeyDictionary()


def _serial_when_few(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if app.parallel > 1 and len(docnames) * SERIAL_SHARE <= len(env.found_docs):
        jobs = compat.set_jobs(app, 1)
        if jobs is not None:
            _JOBS[app] = jobs
            logger.info("glossary: %d of %d pages to read; reading and writing them in this process", len(docnames), len(env.found_docs))


def _give_jobs_back(app: Sphinx, builder: object) -> None:
    """Once Sphinx has decided how to write: a later build of this application decides afresh."""
    if app in _JOBS:
        compat.set_jobs(app, _JOBS.pop(app))


def setup_generate(app: Sphinx) -> None:
    app.connect("builder-inited", _generate)
    app.connect("env-before-read-docs", _serial_when_few)
    app.connect("write-started", _give_jobs_back)
