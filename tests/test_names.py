"""Name hygiene (issue 10 §4): invisible characters removed, look-alike letters caught."""

from __future__ import annotations

import io

import pytest

from glossweave.cli import main as cli_main
from glossweave.core.names import lookalikes, strip_invisible
from glossweave.core.pipeline import build_glossary

INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (a byte-order mark inside the text)",
    "\u00ad": "SOFT HYPHEN",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u061c": "ARABIC LETTER MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u2063": "INVISIBLE SEPARATOR",
    "\u034f": "COMBINING GRAPHEME JOINER",
    "\ufe0f": "VARIATION SELECTOR-16",
    "\U000e0041": "TAG LATIN CAPITAL LETTER A",
    "\u3164": "HANGUL FILLER",
}


@pytest.mark.parametrize("char", INVISIBLE, ids=INVISIBLE.values())
def test_every_invisible_character_is_removed_and_named(char):
    assert strip_invisible(f"g{char}pu{char} cache") == ("gpu cache", [char])


def test_visible_text_is_kept_as_it_is():
    for name in ["gpu", "ε-greedy", "модель внимания", "注意力机制", "نموذج لغوي", "トークン化", "naïve bayes"]:
        assert strip_invisible(name) == (name, [])


SPOOFS = {
    "gрu": [("р", "p")],  # Cyrillic er inside a Latin word
    "kv c\u0430\u0441he": [("\u0430", "a"), ("\u0441", "c")],  # Cyrillic a and es after a Latin c
    "сор": [("с", "c"), ("о", "o"), ("р", "p")],  # a whole Cyrillic word of Latin look-alikes
    "gpt-О": [("О", "O")],  # one Cyrillic letter standing for a Latin one
    "ΑΙ safety": [("Α", "A"), ("Ι", "l")],  # Greek capitals posing as AI
    "Ꭺttention": [("Ꭺ", "A")],  # Cherokee
}
GENUINE = ["gpu", "ε-greedy", "αβ pruning", "δ-privacy", "ν-svm", "μp", "ℓ2 loss", "łukasz", "модель внимания", "注意力机制",
           "نموذج لغوي", "トークン化", "naïve bayes"]


@pytest.mark.parametrize("name", SPOOFS)
def test_letters_posing_as_latin_are_found(name):
    assert lookalikes(name) == SPOOFS[name]


@pytest.mark.parametrize("name", GENUINE)
def test_genuine_names_in_any_script_are_not_spoofs(name):
    assert lookalikes(name) == []


GOOD = "gpu, graphics processing unit, hardware\n**GPU** is **a massively parallel processor** - It runs training.\n"


def _check(corpus) -> tuple[int, str]:
    out = io.StringIO()
    return cli_main(["check", str(corpus)], out=out), out.getvalue()


def test_an_invisible_spoof_of_a_name_joins_the_real_term(make_corpus):
    spoof = "g\u200bp\u202eu, hardware\n**GPU** is also **a chip for parallel work** - seen in a second dump.\n"
    corpus = make_corpus({"000_good.txt": GOOD, "001_spoof.txt": spoof})
    glossary = build_glossary(corpus)
    assert [term.slug for term in glossary.terms] == ["gpu"]
    assert len(glossary.terms[0].definitions) == 2 and glossary.balances()  # one meaning, written twice
    _, text = _check(corpus)
    assert ("001_spoof.txt:1: warning: removed from the header: U+200B ZERO WIDTH SPACE, U+202E RIGHT-TO-LEFT OVERRIDE"
            " [invisible-char]") in text


def test_a_lookalike_name_is_rejected_with_an_error_and_never_published(make_corpus):
    spoof = ("gрu, hardware\n**GРU** is **a fake chip** - It would sit beside the real one.\n"
             "tensor core, hardware\n**Tensor Core** is **a matrix unit**.\n")
    corpus = make_corpus({"000_good.txt": GOOD, "001_spoof.txt": spoof})
    glossary = build_glossary(corpus)
    assert sorted(term.slug for term in glossary.terms) == ["gpu", "tensor-core"]
    assert glossary.balances()
    (rejection,) = glossary.report.rejected
    assert (str(rejection.source), rejection.text) == ("001_spoof.txt:1", "gрu, hardware")
    code, text = _check(corpus)
    assert code == 1
    assert ("001_spoof.txt:1: error: name 'gрu' mixes scripts (U+0440 CYRILLIC SMALL LETTER ER looks like Latin 'p');"
            " entry not published [lookalike-name]") in text


def test_a_lookalike_alias_or_category_also_rejects_the_entry(make_corpus):
    dump = ("kv cache, kv саche, llm architecture\n**KV Cache** is **stored keys and values**.\n"
            "flash attention, hаrdware\n**Flash Attention** is **a fused kernel**.\n")
    glossary = build_glossary(make_corpus({"000_good.txt": GOOD, "001_spoof.txt": dump}))
    assert [term.slug for term in glossary.terms] == ["gpu"]
    assert [str(r.source) for r in glossary.report.rejected] == ["001_spoof.txt:1", "001_spoof.txt:3"]


def test_names_are_nfc_normalised(make_corpus):
    decomposed = "cafe\u0301 latte, beverages\n**Cafe\u0301 Latte** is **coffee with milk**.\n"
    (term,) = build_glossary(make_corpus({"000.txt": decomposed})).terms
    assert term.key == "caf\u00e9 latte" and term.name == "Caf\u00e9 Latte"
