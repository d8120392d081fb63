"""An unseen dump in both layouts, with no code change: every header form read as the issue asks."""

from __future__ import annotations

import pytest
from identity_dumps import EXPECTED, as_lines, as_page

from glossweave.core.pipeline import build_glossary


@pytest.fixture(scope="module", params=["lines", "page"])
def glossary(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    text = as_lines() if request.param == "lines" else as_page()
    (folder / "900_unseen.txt").write_text(text, encoding="utf-8")
    return build_glossary(folder)


def test_every_entry_is_accounted_for(glossary):
    report = glossary.report
    assert report.total_read == 17 and not report.rejected and glossary.balances()
    assert len(report.merged_copies) == 1  # the second copy of Speculative Sampling


@pytest.mark.parametrize("expected", EXPECTED, ids=[e.name for e in EXPECTED])
def test_each_concept_is_named_aliased_and_filed_by_hand(glossary, expected):
    (term,) = [term for term in glossary.terms if term.name == expected.name]
    assert set(term.aliases) == expected.aliases
    assert set(term.keywords) == expected.keywords
    assert term.categories == expected.categories


def test_the_terms_are_exactly_the_concepts(glossary):
    assert sorted(term.name for term in glossary.terms) == sorted(e.name for e in EXPECTED)


def test_copies_and_rewrites_of_one_concept_are_one_term_with_other_definitions(glossary):
    (term,) = [term for term in glossary.terms if term.name == "Speculative Sampling"]
    (sense,) = term.senses
    assert len(sense.others) == 1
    assert len(sense.sources) == 2  # the two copies


def test_an_article_under_another_terms_name_is_its_own_term_and_related(glossary):
    by_name = {term.name: term for term in glossary.terms}
    serving = by_name["LLM Serving Engines"]
    assert serving.related == [by_name["Speculative Sampling"].slug]
    assert len(by_name["Speculative Sampling"].senses) == 1


def test_near_duplicates_kept_apart_see_each_other(glossary):
    by_name = {term.name: term for term in glossary.terms}
    rope, scaling = by_name["Rotary Position Embedding (RoPE)"], by_name["Rotary Position Embedding Scaling"]
    assert rope.see_also == [scaling.slug] and scaling.see_also == [rope.slug]


def test_no_acronym_is_lower_cased(glossary):
    names = [name for term in glossary.terms for name in [term.name, *term.aliases]]
    for acronym in ["TPU", "SSM", "GELU", "MoE", "RLHF", "LLM", "RoPE"]:
        assert not any(acronym.casefold() in name.casefold().split() and acronym not in name for name in names), acronym
