"""The site's caches: a damaged entry costs a rebuild, never a failed build; the key digests the package's data too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import glossweave
from glossweave.core import cachefiles
from glossweave.site.emit import GENERATED, TERMS
from glossweave.site.generate import LAST_EMIT

ROOTS = Path(__file__).parents[1] / "roots"


@pytest.fixture(autouse=True)
def fresh_digests():
    cachefiles.tree_digest.cache_clear()
    yield
    cachefiles.tree_digest.cache_clear()


def build(make_app, src: Path, **kwargs):
    app = make_app("html", srcdir=src, **kwargs)
    app.build()
    assert [line for line in app.warning.getvalue().splitlines() if "is already registered" not in line] == []
    return app


@pytest.fixture
def src(tmp_path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-site", src)
    return src


def test_truncated_cache_files_cost_a_rebuild_with_one_info_line_each(make_app, src):
    first = build(make_app, src)
    page = (Path(first.outdir) / TERMS / "gpu.html").read_text()
    (entry,) = (src / "_cache").glob("*-*.pickle")  # the dump's entry, not the links cache
    entry.write_bytes(entry.read_bytes()[:40])
    last = src / GENERATED / LAST_EMIT
    last.write_text(last.read_text()[:25])
    again = build(make_app, src)
    status = again.status.getvalue()
    assert status.count(f"{last} unreadable") == 1 and "the pages are generated again" in status
    assert status.count(f"cache entry {entry} unreadable") == 1
    assert (Path(again.outdir) / TERMS / "gpu.html").read_text() == page
    assert "nothing changed" in build(make_app, src).status.getvalue()  # both entries were written again


@pytest.mark.parametrize("record", ['["a list"]', '{"key": 1, "pages": 2, "summaries": {}}', "{}"])
def test_a_record_that_is_json_but_not_an_emit_record_is_a_miss(make_app, src, record):
    build(make_app, src)
    (src / GENERATED / LAST_EMIT).write_text(record)
    status = build(make_app, src).status.getvalue()
    assert "unreadable" in status and "nothing changed" not in status


def test_the_generate_key_digests_the_package_s_data_files(make_app, src, tmp_path, monkeypatch):
    installed = Path(glossweave.__file__).parent
    settings = {"confoverrides": {"glossary_node_modules": str(installed.parents[1] / "node_modules")}}
    package = tmp_path / "glossweave"
    shutil.copytree(installed, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(glossweave, "__file__", str(package / "__init__.py"))
    build(make_app, src, **settings)
    assert "nothing changed" in build(make_app, src, **settings).status.getvalue()
    schema = package / "export" / "glossary.schema.json"
    schema.write_text(schema.read_text() + "\n")
    cachefiles.tree_digest.cache_clear()  # a new process
    assert "nothing changed" not in build(make_app, src, **settings).status.getvalue()
