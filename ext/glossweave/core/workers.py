"""Spread the pipeline's independent work over forked worker processes.

Normalizing a dump and linking a term depend on nothing but shared, read-only
inputs (the raw entries, the category vocabulary, the linker's automaton), so
the pipeline hands them to `fork_map`.  Workers are *forked*: they inherit
those inputs (hundreds of MB at 64,000 entries) copy-on-write, where spawned
workers would receive them pickled; only each result travels back.

Workers run with the cyclic garbage collector off, and `collector_paused`
turns it off in the main process for the pipeline's run.  The pipeline builds
millions of long-lived objects (lines, blocks, spans unpickled from the
workers) and the collector would traverse them again and again: a fifth of the
run, and five times the cost of unpickling.  The only cycles the pipeline
makes are pylatexenc's (frames kept alive by its end-of-stream exceptions);
in a worker they die with it, and in the main process (small corpora run
there) they wait for the next collection.

When the run ends, every object is moved to the oldest generation before the
collector is turned back on (`gc.freeze` then `gc.unfreeze`, which walks
nothing).  Otherwise the first allocation after it would walk every object
the run made (they all count as young), and the middle generation would walk
them again: seconds at 64,000 entries, for objects that live as long as the
glossary.  During a site build that froze the objects it found
(`freeze_for_build`), ours stay frozen with them and are released with them
(`unfreeze_build`).  Objects a host process froze itself are never unfrozen
here; while there are any, nothing is frozen either (only the host may
release its frozen objects, and that would release ours with them).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: What the forked workers call: (function, shared inputs), set just before forking.
_TASK: tuple[Callable[[Any, Any], Any], Any] | None = None
#: Whether the objects frozen now were frozen by `freeze_for_build` (ours to release).
_build_froze = False


def available_cpus() -> int:
    """CPUs this process may run on (not the machine's count: containers pin fewer)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def fork_map(function: Callable[[Any, Item], Result], shared: Any, items: Sequence[Item], workers: int) -> Iterator[Result]:
    """`function(shared, item)` for each of `items`, over `workers` forked processes.

    With one worker, one item, or no `fork` on this platform it runs in this
    process.  Results come in the order of `items`, each as soon as it is
    done: the caller unpacks one while the workers compute the next, and never
    holds every packed result at once (a quarter of the peak memory at 64,000
    entries).
    """
    global _TASK
    workers = min(workers, len(items))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(shared, item) for item in items)
        return
    _TASK = (function, shared)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.disable) as pool:
            # Small chunks keep both workers busy to the end; items are whole dumps or term ranges.
            yield from pool.imap(_run, items, chunksize=max(1, len(items) // (workers * 8)))
    finally:
        _TASK = None


def _run(item: Any) -> Any:
    assert _TASK is not None, "fork_map sets the task before forking"
    function, shared = _TASK
    return function(shared, item)


def freeze_for_build() -> bool:
    """`gc.freeze()` what exists, unless the host has frozen objects of its own; True when it froze."""
    global _build_froze
    if _build_froze or gc.get_freeze_count():
        return False
    gc.freeze()
    _build_froze = True
    return True


def unfreeze_build() -> None:
    """Release what `freeze_for_build` froze (with what joined it), and nothing when it froze nothing."""
    global _build_froze
    if _build_froze:
        gc.unfreeze()
        _build_froze = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic garbage collector off; what it made joins the oldest generation (see the module docstring)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _build_froze:
                gc.freeze()  # with the build's frozen objects, released with them
            elif not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
