"""Auto-link precision on a hand-labelled sample: only names link, never keywords or broader phrases.

`fixtures/identity/link_labels.json` labels every link made on the real corpus
and on `fixtures/identity/linking.txt` (written for this test), with the
target a reader should land on, and lists phrases that must not link at all
("soft labels" on a distillation page is a teacher's output, not Label
Smoothing; "context length" is broader than a long-context term).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpus_paths import CORPUS

from glossweave.core.pipeline import build_glossary

HERE = Path(__file__).parent
LABELS = json.loads((HERE / "fixtures" / "identity" / "link_labels.json").read_text(encoding="utf-8"))
OVERRIDES = HERE.parent / "docs" / "overrides.toml"


def links_made(glossary) -> dict[tuple[str, str], str]:
    made = {}
    for term in glossary.terms:
        for definition in term.definitions:
            for link in definition.links:
                made[(term.slug, definition.markdown[link.start : link.end])] = link.target
    return made


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, dict[tuple[str, str], str]]:
    folder = tmp_path_factory.mktemp("linking")
    (folder / "linking.txt").write_text((HERE / "fixtures" / "identity" / "linking.txt").read_text(encoding="utf-8"))
    return {
        "corpus": links_made(build_glossary(CORPUS, overrides=OVERRIDES)),
        "fixture": links_made(build_glossary(folder)),
    }


def test_every_link_made_is_in_the_labelled_sample_and_the_sample_holds_40(made):
    for name, links in made.items():
        labelled = {(page, phrase) for page, phrase, _ in LABELS[name]}
        assert set(links) <= labelled, f"{name}: unlabelled links {sorted(set(links) - labelled)}"
    assert sum(len(links) for links in made.values()) >= 40


def test_precision_is_at_least_95_percent(made):
    right = wrong = 0
    for name, links in made.items():
        for page, phrase, target in LABELS[name]:
            if (page, phrase) in links:
                if links[(page, phrase)] == target:
                    right += 1
                else:
                    wrong += 1
    assert right / (right + wrong) >= 0.95


def test_phrases_that_must_not_link_do_not(made):
    for name, links in made.items():
        for page, phrase, target in LABELS[name]:
            if target is None:
                assert (page, phrase) not in links, (name, page, phrase)


def test_no_distillation_page_links_soft_labels_to_label_smoothing(made):
    for links in made.values():
        for (page, phrase), target in links.items():
            assert not ("distill" in page and "soft label" in phrase.casefold() and target == "label-smoothing")
