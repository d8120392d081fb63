"""`Linker.mentions`: the site's matching rules on plain text, for the consumer's auto-linking."""

from __future__ import annotations

from glossweave.core.linker import Linker, LinkRules

LINKER = Linker(
    [
        ("GPU", "gpu"),
        ("GPU cluster", "gpu-cluster"),
        ("wafer", "wafer"),
        ("LAMB", "lamb"),
        ("model", "model"),
        ("AI", "ai"),
        ("x", "x"),
    ],
    LinkRules(min_length=3, plurals=True),
)


def spans(text: str) -> list[tuple[str, str]]:
    return [(text[start:end], slug) for start, end, slug in LINKER.mentions(text)]


def test_whole_words_longest_first_every_repeat_in_text_order():
    text = "A GPU cluster holds a GPU; multi-GPU nodes and GPUs too, and wafers, and the gpu (an acronym: capitals only)."
    assert spans(text) == [("GPU cluster", "gpu-cluster"), ("GPU", "gpu"), ("GPUs", "gpu"), ("wafers", "wafer")]


def test_held_names_and_capitals_rules_are_the_sites():
    assert spans("The LAMB optimizer, not a lamb.") == [("LAMB", "lamb")]
    assert spans("An AI model, not an ai or an x.") == [("AI", "ai")]  # 'model' is generic; short names only in capitals


def test_plain_text_has_no_markup_to_skip():
    assert spans("`wafer` and $wafer$") == [("wafer", "wafer"), ("wafer", "wafer")]
    assert spans("") == []
    assert Linker([]).mentions("a wafer") == []
