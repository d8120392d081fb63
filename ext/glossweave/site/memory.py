"""Keep the garbage collector and Sphinx's doctree cache from dominating large builds.

Two costs grow with the corpus rather than with the page being built:

* **The cyclic garbage collector.**  Docutils nodes point at their parents, so
  every page allocates hundreds of thousands of objects in cycles, and CPython
  collects its young generation every 700 allocations, each time walking what
  survived.  Measured on a 1,000-entry site at `-j 1`: 4,853 young and 14 full
  collections, 6.9 s of a 30 s build.  During the build we collect the young
  generation every `YOUNG_THRESHOLD` allocations instead, and freeze what
  exists when the build starts (the loaded environment, then the pipeline's result):
  those objects live to the end, and a full collection need not walk them again.
  Garbage is still collected, only in larger batches.
* **Sphinx's write cache.**  A serial build keeps every doctree it read in
  memory until it writes it (`BuildEnvironment._write_doc_doctree_cache`), so
  peak memory is every page of the site at once: 4 GB at 16,000 entries.  We
  keep the `KEPT_DOCTREES` most recent ones (about 90 KB each); the others are
  loaded back from the doctree pickles Sphinx writes anyway, about 1.8 ms each
  with the collector in batches (7 ms with CPython's default thresholds).
  Sphinx also keeps the bytes of every pickle it loads
  (`BuildEnvironment._pickled_doctree_cache`, 340 MB at 16,000 entries, and in
  a parallel build every page passes through it); a page's are dropped once
  the page is resolved for writing.

Both are undone when the build finishes, for processes that run several builds
(the test suite).
"""

from __future__ import annotations

import gc

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Allocations between young-generation collections (CPython's default is 700).
YOUNG_THRESHOLD = 50_000
#: Doctrees a serial build keeps in memory between reading and writing them.
KEPT_DOCTREES = 2_000

_DEFAULT_THRESHOLDS = gc.get_threshold()


def _collect_in_batches(app: Sphinx) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *_DEFAULT_THRESHOLDS[1:])


def _restore_collector(app: Sphinx, exception: Exception | None) -> None:
    gc.set_threshold(*_DEFAULT_THRESHOLDS)
    gc.unfreeze()


def _bound_write_cache(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the oldest cached doctrees beyond `KEPT_DOCTREES` (insertion order is read order)."""
    cache = write_cache(app.env)
    while len(cache) > KEPT_DOCTREES:
        del cache[next(iter(cache))]


def _drop_loaded_pickle(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    pickle_cache(app.env).pop(docname, None)


def write_cache(env: BuildEnvironment) -> dict[str, nodes.document]:
    """Sphinx's private read-to-write doctree cache (tests/site/test_memory.py fails if it moves)."""
    return env._write_doc_doctree_cache


def pickle_cache(env: BuildEnvironment) -> dict[str, bytes]:
    """Sphinx's private cache of loaded doctree pickles (tests/site/test_memory.py fails if it moves)."""
    return env._pickled_doctree_cache


def setup_memory(app: Sphinx) -> None:
    # before the pipeline and the emitter (`builder-inited`, priority 500): they run with the
    # collector in batches, and the pipeline's result joins the frozen objects (glossweave.core.workers)
    app.connect("builder-inited", _collect_in_batches, priority=100)
    app.connect("build-finished", _restore_collector)
    app.connect("doctree-read", _bound_write_cache)
    app.connect("doctree-resolved", _drop_loaded_pickle)
