"""The site's caches: a damaged entry costs a rebuild, never a failed build; the key digests the package's data too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import glossweave
from glossweave.core import cachefiles
from glossweave.site.emit import GENERATED, TERMS
from glossweave.site import generate
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


def output_files(app) -> dict[str, bytes]:
    out = Path(app.outdir)
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


EDITS = [
    # text only: the names that link stay, so only this definition is linked again
    ("It runs training and inference", "It speeds up training and inference"),
    # a new term whose name the GPU's unedited definition mentions: it must gain a link (under an
    # existing letter and category: Sphinx does not rewrite unchanged pages whose sidebar lists a new page)
    ("top k 5 sampling, decoding", "throughput, hardware\n**Throughput** is **work done per second** - It is measured.\ntop k 5 sampling, decoding"),
    # a name other definitions mention: the GPU's unedited definition must lose its link
    ("large language model, llm, ai models\n**Large Language Model** is", "lean language model, llm, ai models\n**Lean Language Model** is"),
]


#: Sphinx's search index, built incrementally, keeps words of pages that lost them (as empty lists)
#: and drops the index entries of some pages it did not re-read: checked apart, in the xfail below.
SEARCH_INDEX = "searchindex.js"


def edited_builds(make_app, tmp_path, monkeypatch, edits) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The output of the test root built, then edited and built again after each edit; and that of a clean build."""
    monkeypatch.setattr(generate, "SERIAL_SHARE", 1)  # the root is small: any edit is "few pages"
    incremental = tmp_path / "incremental"
    shutil.copytree(ROOTS / "test-site", incremental)
    build(make_app, incremental, parallel=2)
    dump = incremental / "corpus" / "000_small.txt"
    for old, new in edits:
        assert old in dump.read_text()
        dump.write_text(dump.read_text().replace(old, new))
        app = build(make_app, incremental, parallel=2)
        assert "reading and writing them in this process" in app.status.getvalue()
        assert app.parallel == 2  # given back for a later build
    clean = tmp_path / "clean"
    shutil.copytree(ROOTS / "test-site", clean)
    shutil.copy2(dump, clean / "corpus" / "000_small.txt")
    return output_files(app), output_files(build(make_app, clean, parallel=2))


@pytest.mark.parametrize("edits", [EDITS[:1], EDITS], ids=["text", "text-then-names"])
def test_an_edited_corpus_built_incrementally_gives_the_site_a_clean_build_gives(make_app, tmp_path, monkeypatch, edits):
    """Byte for byte, with -j 2 and the few changed pages read and written in one process."""
    got, expected = edited_builds(make_app, tmp_path, monkeypatch, edits)
    if edits == EDITS:  # the edits did add a link where no text was edited
        assert b'href="throughput.html' in expected["terms/gpu.html"]
    # Sphinx leaves the output of a removed page (the renamed term's) where it was
    renamed = {"terms/large-language-model.html", "_sources/terms/large-language-model.term.json.txt"} if edits == EDITS else set()
    assert got.keys() - expected.keys() == renamed and expected.keys() <= got.keys()
    assert [name for name in expected if got[name] != expected[name] and name != SEARCH_INDEX] == []


@pytest.mark.xfail(strict=True, reason="Sphinx's incremental search index (see SEARCH_INDEX); also without our serial path")
def test_an_incremental_search_index_is_the_clean_one(make_app, tmp_path, monkeypatch):
    got, expected = edited_builds(make_app, tmp_path, monkeypatch, EDITS[:1])
    assert got[SEARCH_INDEX] == expected[SEARCH_INDEX]
