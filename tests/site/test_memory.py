"""The build's memory settings: bounded doctree cache, batched garbage collection, both undone after.

The collector's state is the host process's: a build must leave it as it found it.
"""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

from glossweave.site import compat, memory

ROOTS = Path(__file__).parents[1] / "roots"


def build(make_app, tmp_path: Path, name: str, observe=None):
    src = tmp_path / name
    shutil.copytree(ROOTS / "test-site", src)
    app = make_app("html", srcdir=src)
    if observe:
        app.connect("doctree-read", observe, priority=900)  # after memory's own listener
    app.build()
    return app


def pages(app) -> dict[str, str]:
    out = Path(app.outdir)
    return {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*.html")}


def test_bounded_write_cache_keeps_few_doctrees_and_writes_the_same_site(make_app, tmp_path, monkeypatch):
    unbounded = build(make_app, tmp_path, "unbounded")
    monkeypatch.setattr(memory, "KEPT_DOCTREES", 2)
    seen: list[int] = []
    bounded = build(make_app, tmp_path, "bounded", lambda app, doctree: seen.append(len(compat.doctree_write_cache(app.env))))
    assert len(seen) > 4 and max(seen) <= 2
    assert compat.pickled_doctree_cache(bounded.env) == {}  # reloaded pages were written, their bytes dropped
    assert unbounded.warning.getvalue() == ""
    # a second app in one process re-registers Sphinx's own nodes; only that may warn
    assert [line for line in bounded.warning.getvalue().splitlines() if "is already registered" not in line] == []
    assert pages(bounded) == pages(unbounded)


def test_collector_runs_in_batches_during_the_build_and_is_restored_after(make_app, tmp_path):
    defaults = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    build(make_app, tmp_path, "site", lambda app, doctree: during.append(gc.get_threshold()))
    assert during and all(threshold[0] == memory.YOUNG_THRESHOLD for threshold in during)
    assert gc.get_threshold() == defaults and gc.get_freeze_count() == 0


def test_collector_gets_back_the_thresholds_it_had_when_the_build_started(make_app, tmp_path):
    before = gc.get_threshold()
    gc.set_threshold(1234, 11, 12)  # a host's own tuning, set long after glossweave was imported
    try:
        during: list[tuple[int, int, int]] = []
        build(make_app, tmp_path, "site", lambda app, doctree: during.append(gc.get_threshold()))
        assert during and set(during) == {(memory.YOUNG_THRESHOLD, 11, 12)}
        assert gc.get_threshold() == (1234, 11, 12)
    finally:
        gc.set_threshold(*before)


def test_objects_the_host_froze_stay_frozen_and_the_build_freezes_nothing_more(make_app, tmp_path):
    gc.freeze()  # the host's
    host_frozen = gc.get_freeze_count()
    try:
        during: list[int] = []
        build(make_app, tmp_path, "site", lambda app, doctree: during.append(gc.get_freeze_count()))
        # frozen objects that die leave the count, so it may fall; it must neither grow nor reach zero
        assert during and max(during) <= host_frozen
        assert 0 < gc.get_freeze_count() <= host_frozen
    finally:
        gc.unfreeze()


def test_a_build_unfreezes_what_it_froze(make_app, tmp_path):
    assert gc.get_freeze_count() == 0
    during: list[int] = []
    build(make_app, tmp_path, "site", lambda app, doctree: during.append(gc.get_freeze_count()))
    assert during and min(during) > 0
    assert gc.get_freeze_count() == 0
