"""Merge stage: copies collapse, definitions become senses, names are settled corpus-wide."""

from __future__ import annotations

from corpus_paths import fixture_text

from glossweave.core.merge import near_synonyms
from glossweave.core.model import Source
from glossweave.core.pipeline import build_glossary


def build(make_corpus, *names):
    return build_glossary(make_corpus({name: fixture_text(name) for name in names}))


def test_copies_merge_and_record_every_source(make_corpus):
    glossary = build(make_corpus, "copies_a.txt", "copies_b.txt")
    dropout = next(t for t in glossary.terms if t.key == "dropout")
    first = next(s for s in dropout.senses if s.category == "regularization")
    assert first.sources == [Source("copies_a.txt", 1), Source("copies_b.txt", 1)]
    assert (Source("copies_b.txt", 1), Source("copies_a.txt", 1)) in glossary.report.merged_copies


def test_different_definitions_become_numbered_senses_with_their_categories(make_corpus):
    glossary = build(make_corpus, "copies_a.txt", "copies_b.txt")
    dropout = next(t for t in glossary.terms if t.key == "dropout")
    assert [s.category for s in dropout.senses] == ["regularization", "general"]
    assert dropout.categories == ["regularization", "general"]


def test_the_line_dump_copy_is_kept_over_the_flattened_one(make_corpus):
    glossary = build(make_corpus, "flattened_page.txt", "line_twin.txt")
    batch = next(t for t in glossary.terms if t.key == "batch norm")
    (sense,) = batch.senses
    assert sense.entry.source.file == "line_twin.txt"
    assert {s.file for s in sense.sources} == {"flattened_page.txt", "line_twin.txt"}


def test_alias_claimed_by_two_terms_is_given_to_neither_and_reported(make_corpus):
    glossary = build(make_corpus, "copies_a.txt", "copies_b.txt")
    owners = [t.key for t in glossary.terms if "dconnect" in t.aliases]
    assert owners == []
    messages = [d.message for d in glossary.report.diagnostics if d.code == "alias-conflict"]
    assert any("'dconnect'" in m and "DropConnect" in m and "Weight Dropping" in m for m in messages)


def test_alias_that_is_another_term_stays_with_that_term(make_corpus):
    corpus = make_corpus(
        {
            "a.txt": "lora, low-rank adaptation, fine-tuning\n**LoRA** is **a low-rank method**.\n"
            "low-rank adaptation, adapters\n**Low-Rank Adaptation** is **the long name**.\n"
        }
    )
    glossary = build_glossary(corpus)
    lora = next(t for t in glossary.terms if t.key == "lora")
    assert "low-rank adaptation" not in lora.aliases
    assert any(d.code == "alias-is-term" for d in glossary.report.diagnostics)


def test_near_synonyms_and_near_duplicate_categories_are_reported(make_corpus):
    glossary = build(make_corpus, "copies_a.txt")
    codes = {(d.code, d.source.line) for d in glossary.report.diagnostics}
    assert ("near-synonym", 12) in codes
    assert ("near-duplicate-category", 12) in codes


def test_near_synonym_pairs():
    pairs = near_synonyms(["log quantization", "logarithmic quantization", "lora diffusion", "lora for diffusion", "lora", "beam search"])
    assert sorted(pairs) == [("log quantization", "logarithmic quantization"), ("lora diffusion", "lora for diffusion")]
