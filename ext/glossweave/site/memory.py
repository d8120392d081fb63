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
(the test suite): the collector gets back the thresholds it had when the build
started, and only objects the build froze are unfrozen; a host that froze
objects of its own keeps them frozen, and the build then freezes nothing.
Sphinx's caches are reached through `glossweave.site.compat`.

* **Exit.**  When the process ends, everything still alive is frozen
  (`atexit`), so the interpreter's last full collection does not walk, and
  tear down cycle by cycle, the builder's doctrees: the LaTeX builder's
  process, holding the whole book twice over, took 51 s to exit at 4,000
  entries, 0.4 s with this.  The memory goes back to the system either way.
"""

from __future__ import annotations

import atexit
import gc

from docutils import nodes
from sphinx.application import Sphinx

from glossweave.core.workers import freeze_for_build, unfreeze_build
from glossweave.site.compat import doctree_write_cache, pickled_doctree_cache

#: Allocations between young-generation collections (CPython's default is 700).
YOUNG_THRESHOLD = 50_000
#: Doctrees a serial build keeps in memory between reading and writing them.
KEPT_DOCTREES = 2_000


class BatchedCollector:
    """The collector's settings for one build: what it found at the start, put back at the end."""

    def __init__(self) -> None:
        self.found: tuple[int, ...] | None = None

    def start(self, app: Sphinx) -> None:
        self.found = gc.get_threshold()
        gc.collect()
        freeze_for_build()
        gc.set_threshold(YOUNG_THRESHOLD, *self.found[1:])

    def stop(self, app: Sphinx, exception: Exception | None) -> None:
        if self.found is not None:
            gc.set_threshold(*self.found)
            self.found = None
        unfreeze_build()


def _bound_write_cache(app: Sphinx, doctree: nodes.document) -> None:
    """Drop the oldest cached doctrees beyond `KEPT_DOCTREES` (insertion order is read order)."""
    cache = doctree_write_cache(app.env)
    while cache is not None and len(cache) > KEPT_DOCTREES:
        del cache[next(iter(cache))]


def _drop_loaded_pickle(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    cache = pickled_doctree_cache(app.env)
    if cache is not None:
        cache.pop(docname, None)


def setup_memory(app: Sphinx) -> None:
    atexit.unregister(gc.freeze)  # once per process, however many builds it runs
    atexit.register(gc.freeze)
    collector = BatchedCollector()
    # before the pipeline and the emitter (`builder-inited`, priority 500): they run with the
    # collector in batches, and the pipeline's result joins the frozen objects (glossweave.core.workers)
    app.connect("builder-inited", collector.start, priority=100)
    app.connect("build-finished", collector.stop)
    app.connect("doctree-read", _bound_write_cache)
    app.connect("doctree-resolved", _drop_loaded_pickle)
