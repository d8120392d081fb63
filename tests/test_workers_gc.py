"""The pipeline's garbage-collector handling leaves the host process's collector as it found it."""

from __future__ import annotations

import gc

import pytest

from glossweave.core import workers


@pytest.fixture(autouse=True)
def nothing_frozen():
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    yield
    gc.unfreeze()
    gc.enable()


def test_alone_the_run_leaves_nothing_frozen_and_the_collector_on():
    with workers.collector_paused():
        assert not gc.isenabled()
        made = [[index] for index in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert len(made) == 1000


def test_objects_the_host_froze_are_neither_released_nor_joined():
    gc.freeze()
    host_frozen = gc.get_freeze_count()
    with workers.collector_paused():
        made = [[index] for index in range(1000)]
    assert 0 < gc.get_freeze_count() <= host_frozen  # frozen objects that die leave the count
    assert workers.freeze_for_build() is False  # not ours: a build freezes nothing more
    workers.unfreeze_build()
    assert 0 < gc.get_freeze_count() <= host_frozen
    assert len(made) == 1000


def test_during_a_build_the_run_joins_its_frozen_objects_and_leaves_with_them():
    assert workers.freeze_for_build() is True
    frozen_by_build = gc.get_freeze_count()
    with workers.collector_paused():
        made = [[index] for index in range(1000)]
    assert gc.get_freeze_count() >= frozen_by_build + 1000
    workers.unfreeze_build()
    assert gc.get_freeze_count() == 0
    workers.unfreeze_build()  # a second release releases nothing
    assert gc.get_freeze_count() == 0 and len(made) == 1000
