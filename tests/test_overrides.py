"""The overrides file: validated with file:line, applied after the heuristics, stale rules warned about."""

from __future__ import annotations

import io
import json

import pytest

from glossweave.cli import main as cli_main
from glossweave.core.model import Report, Severity
from glossweave.core.overrides import load_overrides
from glossweave.core.pipeline import build_glossary

CORPUS = (
    "speculative decoding, llm inference\n"
    "**Speculative Decoding** lets a draft model propose tokens that the target model verifies.\n"
    "speculative sampling, llm inference\n"
    "**Speculative Sampling** accepts a draft model's tokens with a probability ratio test.\n"
    "beam search,decoding,width,pruning\n"
    "**Beam Search** keeps the best partial sequences; it is decoding, not sampling.\n"
    "greedy decoding, decoding strategies\n"
    "**Greedy Decoding** picks the most likely token at every step; beam search generalises it.\n"
    "label smoothing,soft targets,calibration\n"
    "**Label Smoothing** moves probability mass from the true class to the others.\n"
)


@pytest.fixture
def corpus(make_corpus):
    return make_corpus({"a.txt": CORPUS})


def build(corpus, tmp_path, rules: str):
    path = tmp_path / "overrides.toml"
    path.write_text(rules, encoding="utf-8")
    return build_glossary(corpus, overrides=path)


def by_name(glossary):
    return {term.name: term for term in glossary.terms}


def problems(glossary, severity=Severity.ERROR):
    return [(d.source.line, d.code, d.message) for d in glossary.report.diagnostics if d.severity is severity and d.code.startswith("override")]


def test_rename_changes_the_name_and_slug_and_keeps_the_old_name_as_an_alias(corpus, tmp_path):
    glossary = build(corpus, tmp_path, '[[rename]]\nterm = "speculative decoding"\nname = "Speculative Decoding (SD)"\n')
    term = by_name(glossary)["Speculative Decoding (SD)"]
    assert term.slug == "speculative-decoding-sd" and "Speculative Decoding" in term.aliases
    assert term.identity.name_source.value == "override"
    assert glossary.report.overrides == [f"{tmp_path}/overrides.toml:1 [[rename]]: 'Speculative Decoding' renamed 'Speculative Decoding (SD)'"]


def test_promote_a_keyword_and_demote_an_alias(corpus, tmp_path):
    glossary = build(
        corpus,
        tmp_path,
        '[[aliases]]\nterm = "Label Smoothing"\nadd = ["soft targets"]\n\n'
        '[[rename]]\nterm = "beam-search"\nname = "Beam Search Decoding"\n\n'
        '[[aliases]]\nterm = "Beam Search Decoding"\nremove = ["Beam Search"]\n',
    )
    smoothing, beam = by_name(glossary)["Label Smoothing"], by_name(glossary)["Beam Search Decoding"]
    assert smoothing.aliases == ["soft targets"] and smoothing.keywords == ["calibration"]
    assert beam.aliases == [] and "Beam Search" in beam.keywords


def test_merge_and_split(corpus, tmp_path):
    merged = build(corpus, tmp_path, '[[merge]]\nterms = ["Speculative Decoding", "speculative sampling"]\n')
    (term,) = [t for t in merged.terms if t.name.startswith("Speculative")]
    assert len(term.definitions) == 2 and merged.balances()
    split = build(
        corpus,
        tmp_path,
        '[[merge]]\nterms = ["Speculative Decoding", "speculative sampling"]\n\n'
        '[[split]]\nentries = ["a.txt:3"]\nname = "Speculative Sampling (ratio test)"\n',
    )
    assert {"Speculative Decoding", "Speculative Sampling (ratio test)"} <= set(by_name(split))


def test_set_category_and_file_a_category_into_a_domain(corpus, tmp_path):
    glossary = build(
        corpus,
        tmp_path,
        '[[set_category]]\nterm = "Beam Search"\ncategory = "decoding strategies"\n\n'
        '[[category]]\nname = "decoding strategies"\ninto = "llm inference"\ndomain = "Serving"\n',
    )
    assert by_name(glossary)["Beam Search"].categories == ["llm inference"]
    assert by_name(glossary)["Greedy Decoding"].categories == ["llm inference"]
    assert glossary.domains["llm inference"] == "Serving"


def test_no_link_stops_a_phrase(corpus, tmp_path):
    assert by_name(build(corpus, tmp_path, ""))["Greedy Decoding"].senses[0].links  # beam search links…
    glossary = build(corpus, tmp_path, '[[no_link]]\nphrase = "beam search"\n')
    assert by_name(glossary)["Greedy Decoding"].senses[0].links == []  # …until stopped
    assert f"'Beam Search' → beam-search: stopped by {tmp_path}/overrides.toml:1; not auto-linked" in glossary.report.held_names


def test_rules_that_match_nothing_are_warned_about_at_their_line(corpus, tmp_path):
    glossary = build(
        corpus, tmp_path, '[[rename]]\nterm = "no such term"\nname = "X"\n\n[[merge]]\nterms = ["Beam Search", "nothing here"]\n'
    )
    warnings = problems(glossary, Severity.WARNING)
    assert (1, "override-unmatched", "[[rename]] term = 'no such term', name = 'X' matches nothing in the corpus") in warnings
    assert (5, "override-unmatched", "[[merge]] 'nothing here' matches no term") in warnings


def test_a_term_that_matches_two_terms_is_an_error_and_changes_nothing(make_corpus, tmp_path):
    corpus = make_corpus(
        {"a.txt": "caching, serving\n**Prefix Caching** reuses prompts.\ncaching, hardware\n**CPU Caching** keeps lines close.\n"}
    )
    glossary = build(corpus, tmp_path, '[[rename]]\nterm = "caching"\nname = "Caching"\n')
    assert problems(glossary) == [(1, "override-ambiguous", "[[rename]] 'caching' matches 2 terms: 'CPU Caching', 'Prefix Caching'")]
    assert sorted(by_name(glossary)) == ["CPU Caching", "Prefix Caching"]
    by_source = build(corpus, tmp_path, '[[rename]]\nterm = "a.txt:3"\nname = "CPU Cache Hierarchy"\n')
    assert sorted(by_name(by_source)) == ["CPU Cache Hierarchy", "Prefix Caching"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[[rename]]\nterm = "a"\nname = "b"\n[[rename\n', 4, "not valid TOML"),
        ('[[renam]]\nterm = "a"\n', 1, "unknown table 'renam'"),
        ('[[rename]]\nterm = "a"\n', 1, "[[rename]] missing 'name'"),
        ('# note\n[[rename]]\nterm = "a"\nname = "b"\ncolour = "red"\n', 5, "[[rename]] unknown key 'colour'; allowed: term, name"),
        ('[[aliases]]\nterm = "a"\nadd = "b"\n', 3, "[[aliases]] 'add' must be a non-empty list of non-empty strings"),
        ('[[merge]]\nterms = ["only one"]\n', 2, "[[merge]] 'terms' must name at least two terms"),
        ('[[split]]\nentries = ["a.txt"]\n', 2, "[[split]] entry 'a.txt' is not 'file.txt:line'"),
        ('[[category]]\nname = "x"\n', 1, "[[category]] needs 'into', 'domain' or both"),
        ('rename = "x"\n', 1, "'rename' must be an array of tables: [[rename]]"),
        ('[[no_link]]\nphrase = ""\n', 2, "[[no_link]] 'phrase' must be a non-empty string"),
    ],
)
def test_invalid_files_are_named_at_their_line_and_the_rule_is_skipped(tmp_path, text, line, message):
    path = tmp_path / "overrides.toml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    overrides = load_overrides(path, report)
    (error,) = report.errors
    assert error.source.line == line and str(error.source.file) == str(path)
    assert message in error.message
    assert all(rule.source.line != line for rule in overrides.rules)


def run(*argv):
    out = io.StringIO()
    return cli_main(list(argv), out=out), out.getvalue()


def test_check_shows_what_each_override_changed_and_fails_on_errors(corpus, tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_text('[[aliases]]\nterm = "Label Smoothing"\nadd = ["soft targets"]\n', encoding="utf-8")
    code, text = run("check", str(corpus), "--overrides", str(path))
    assert code == 0
    assert f"{path}:1 [[aliases]]: 'Label Smoothing': alias 'soft targets' added" in text
    path.write_text('[[aliases]]\nterm = "Label Smoothing"\nadd = "soft targets"\n', encoding="utf-8")
    code, text = run("check", str(corpus), "--overrides", str(path))
    assert code == 1 and f"{path}:3: error: [[aliases]] 'add' must be" in text


def test_check_json_lists_overrides_and_decisions(corpus, tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_text('[[no_link]]\nphrase = "beam search"\n', encoding="utf-8")
    code, text = run("check", str(corpus), "--overrides", str(path), "--json")
    data = json.loads(text)
    assert data["overrides"] == [f"{path}:1 [[no_link]]: 'Beam Search' → beam-search not auto-linked"]
