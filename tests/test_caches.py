"""The pipeline's per-dump cache: keyed by code, data and inputs; written atomically; unreadable entries are misses."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from glossweave.core import cachefiles, pipeline
from glossweave.core.model import Severity
from glossweave.core.pipeline import CACHE_UNREADABLE, build_glossary

DUMP = """widget, widgets, gadgets
**Widget** is **a small gadget** - A widget sits on a sprocket.
sprocket, toothed wheel, gadgets
**Sprocket** is **a toothed wheel** - It turns a widget.
"""


@pytest.fixture(autouse=True)
def fresh_digests():
    cachefiles.tree_digest.cache_clear()
    yield
    cachefiles.tree_digest.cache_clear()


def published(glossary) -> list[tuple[str, list[str]]]:
    return [(term.slug, [sense.markdown for sense in term.senses]) for term in glossary.terms]


def unreadable(glossary) -> list[str]:
    return [d.message for d in glossary.report.diagnostics if d.code == CACHE_UNREADABLE]


def entries(cache: Path) -> list[str]:
    """The per-dump entries (`<stem>-<key>.pickle`), not the links cache."""
    return sorted(path.name for path in cache.iterdir() if path.name != pipeline.LINKS_CACHE)


@pytest.fixture
def corpus(make_corpus):
    return make_corpus({"terms.txt": DUMP})


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"\x00garbage\xff" * 10, id="garbage"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: pickle.dumps({"not": "a result"}), id="another-object"),
    ],
)
def test_an_unreadable_entry_is_a_miss_with_one_info_line_and_is_written_again(corpus, tmp_path, damage):
    cache = tmp_path / "cache"
    first = build_glossary(corpus, cache_dir=cache)
    (entry,) = (cache / name for name in entries(cache))
    entry.write_bytes(damage(entry.read_bytes()))
    again = build_glossary(corpus, cache_dir=cache)
    assert published(again) == published(first)
    (message,) = unreadable(again)
    assert str(entry) in message and "the dump is parsed again" in message
    assert [d.severity for d in again.report.diagnostics if d.code == CACHE_UNREADABLE] == [Severity.INFO]
    assert not again.report.errors
    third = build_glossary(corpus, cache_dir=cache)  # the entry was replaced by a good one
    assert unreadable(third) == [] and published(third) == published(first)


def test_the_key_digests_the_core_s_data_files(corpus, tmp_path, monkeypatch):
    core = tmp_path / "core"
    shutil.copytree(pipeline.CORE_DIR, core, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "CORE_DIR", core)
    cache = tmp_path / "cache"
    build_glossary(corpus, cache_dir=cache)
    before = entries(cache)
    build_glossary(corpus, cache_dir=cache)
    assert entries(cache) == before  # nothing changed: the same entry
    commands = core / "data" / "tex_commands.txt"
    commands.write_text(commands.read_text() + "\\newcommandfromatest\n")
    cachefiles.tree_digest.cache_clear()  # a new process
    build_glossary(corpus, cache_dir=cache)
    assert len(entries(cache)) == 1 and entries(cache) != before


def test_a_dump_s_stale_entries_go_but_not_those_of_a_dump_whose_name_starts_like_it(make_corpus, tmp_path):
    corpus = make_corpus({"a.txt": DUMP, "a-b.txt": DUMP.replace("widget", "gizmo")})
    cache = tmp_path / "cache"
    build_glossary(corpus, cache_dir=cache)
    assert len(entries(cache)) == 2
    (corpus / "a.txt").write_text(DUMP + "cog, gear, gadgets\n**Cog** is **a gear** - It meshes.\n")
    build_glossary(corpus, cache_dir=cache)
    names = entries(cache)
    assert len(names) == 2 and sum(name.startswith("a-b-") for name in names) == 1


def test_an_atomic_write_leaves_the_old_file_when_it_fails(tmp_path, monkeypatch):
    target = tmp_path / "entry.pickle"
    cachefiles.write_atomically(target, b"old")

    def failing_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        cachefiles.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["entry.pickle"]  # no temporary file left
    monkeypatch.undo()
    cachefiles.write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and sorted(path.name for path in tmp_path.iterdir()) == ["entry.pickle"]


def test_the_tree_digest_covers_names_and_bytes_but_not_bytecode(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "list.txt").write_text("one\n")
    first = cachefiles.tree_digest(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\x00")
    cachefiles.tree_digest.cache_clear()
    assert cachefiles.tree_digest(tmp_path) == first
    (tmp_path / "data" / "list.txt").write_text("two\n")
    cachefiles.tree_digest.cache_clear()
    second = cachefiles.tree_digest(tmp_path)
    (tmp_path / "data" / "list.txt").rename(tmp_path / "data" / "other.txt")
    cachefiles.tree_digest.cache_clear()
    assert len({first, second, cachefiles.tree_digest(tmp_path)}) == 3


def links(glossary) -> dict[str, list[list[tuple[int, int, str]]]]:
    return {term.slug: [[(s.start, s.end, s.target) for s in d.links] for d in term.definitions] for term in glossary.terms}


def test_an_incremental_run_gives_what_a_run_without_cache_gives_after_each_edit(make_corpus, tmp_path):
    """Edit a definition's text, then a name another definition mentions: cached reads and links must not go stale.

    b.txt starts with a byte-order mark: what reading it reported must be reported again from its cache entry.
    """
    corpus = make_corpus({"a.txt": DUMP, "b.txt": "\ufeffcog, gear, gadgets\n**Cog** is **a gear** - It drives a sprocket.\n"})
    cache = tmp_path / "cache"
    build_glossary(corpus, cache_dir=cache)
    edits = [
        ("b.txt", "It drives a sprocket.", "It drives a sprocket and a widget."),  # text only: the names stay
        ("a.txt", "sprocket, toothed wheel", "ratchet, toothed wheel"),  # a header name: b's mention of it must unlink
        ("a.txt", "**Sprocket** is", "**Ratchet** is"),
    ]
    cog_links = []
    for dump, old, new in edits:
        (corpus / dump).write_text((corpus / dump).read_text().replace(old, new))
        incremental, clean = build_glossary(corpus, cache_dir=cache), build_glossary(corpus)
        assert repr(incremental.terms) == repr(clean.terms)
        assert repr(incremental.report) == repr(clean.report)
        assert links(incremental) == links(clean)
        cog_links.append(links(clean)["cog"])
    # b.txt was not edited after the first edit, yet its links changed with a's names
    assert cog_links[0] != cog_links[-1]
    assert [d.code for d in clean.report.diagnostics if d.source and d.source.file == "b.txt"] == ["bom"]
