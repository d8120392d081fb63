"""The benchmark's synthetic corpus: deterministic, unique names, every entry accounted for.

The benchmark's figures are only comparable between runs if the corpus is the
same for a seed, and only meaningful if the pipeline reads every synthetic
entry as one term.  No timing here: that is `make bench`'s job.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.config import Config
from sphinx.util.tags import Tags

from benchmarks.corpus import edit_one_entry, generate_entries, load_templates, write_corpus
from benchmarks.projects import site_project
from glossweave.core.identify import name_key, split_halves
from glossweave.core.model import Layout
from glossweave.core.pipeline import build_glossary
from glossweave.core.slug import base_slug

#: Enough for four dumps, so one of them is a scraped page.
COUNT = 210


@pytest.fixture(scope="module")
def templates():
    return load_templates()


def _dumps(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.txt"))}


def test_same_seed_same_dumps_other_seed_other_dumps(tmp_path, templates):
    write_corpus(tmp_path / "a", COUNT, seed=7, templates=templates)
    write_corpus(tmp_path / "b", COUNT, seed=7, templates=templates)
    write_corpus(tmp_path / "c", COUNT, seed=8, templates=templates)
    assert _dumps(tmp_path / "a") == _dumps(tmp_path / "b")
    assert _dumps(tmp_path / "a") != _dumps(tmp_path / "c")


def test_names_are_unique_as_keys_and_as_slugs(templates):
    entries = generate_entries(COUNT, seed=3, templates=templates)
    keys = [entry.key for entry in entries]
    assert len(keys) == COUNT
    assert len(set(keys)) == COUNT
    assert len({base_slug(key) for key in keys}) == COUNT


def test_every_entry_is_read_as_its_own_term_in_both_layouts(tmp_path, templates):
    write_corpus(tmp_path, COUNT, seed=0, templates=templates)
    glossary = build_glossary(tmp_path)
    assert glossary.report.total_read == COUNT
    assert len(glossary.terms) == COUNT
    assert glossary.balances()
    assert not glossary.report.rejected
    layouts = {sense.entry.raw.layout for term in glossary.terms for sense in term.senses}
    assert layouts == {Layout.LINES, Layout.FLAT}
    # Each term is named by its entry's bold display name (its body may add an acronym in parentheses).
    names = {name_key(split_halves(term.name)[0]) for term in glossary.terms}
    assert names == {name_key(entry.display) for entry in generate_entries(COUNT, 0, templates)}


def test_generated_entries_mention_each_other(tmp_path, templates):
    write_corpus(tmp_path, COUNT, seed=0, templates=templates)
    linked = [sense.links for term in build_glossary(tmp_path).terms for sense in term.senses]
    assert sum(map(len, linked)) >= COUNT  # a few mentions per entry, most of them linked


def test_editing_one_entry_changes_exactly_one_term(tmp_path, templates):
    write_corpus(tmp_path, COUNT, seed=0, templates=templates)
    before = {term.slug: term.senses[0].markdown for term in build_glossary(tmp_path).terms}
    edit_one_entry(tmp_path, round_=1)
    after = {term.slug: term.senses[0].markdown for term in build_glossary(tmp_path).terms}
    assert before.keys() == after.keys()
    assert len([slug for slug in before if before[slug] != after[slug]]) == 1


def test_the_site_project_holds_everything_conf_py_reads(tmp_path, templates):
    write_corpus(tmp_path / "corpus", 60, 0, templates)
    root = site_project(tmp_path / "site", tmp_path / "corpus")
    config = Config.read(root, overrides={}, tags=Tags())  # a ConfigError if conf.py cannot run there
    assert config.release
