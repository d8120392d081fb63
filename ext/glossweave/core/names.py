"""Name hygiene: no entry is published under a name that poses as another.

Names (a header's term, aliases and category) become page titles, anchors,
index entries and link texts, so two tricks matter:

* **Invisible characters.**  A zero-width space, joiner or non-joiner, a word
  joiner, a byte-order mark inside the text, a soft hyphen, a bidi mark,
  embedding, override or isolate (`U+202E` shows `gpu` as `upg`) make a name
  that looks like another but is a different string: a second term beside the
  real one.  No glossary name needs them, so they are removed from header
  lines and reported.
* **Look-alike letters from another script.**  Cyrillic `р` in `gрu` is not
  Latin `p`.  Which letters look alike is Unicode's confusables data, through
  the `confusable-homoglyphs` library; which uses are spoofs is decided here,
  per word: a word that mixes Latin letters with look-alikes from another
  script, or a word made only of Latin look-alikes (all-Cyrillic `сор`), poses
  as Latin.  A Greek letter standing alone (`ε-greedy`, `α-divergence`) is a
  symbol, and a word with letters that look like no Latin letter (`модель`)
  is plainly not Latin; both are fine.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Invisible characters outside Unicode's format category (Cf, which holds the
#: zero-width and bidi controls): Unicode's other default-ignorable code points
#: (combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian
#: variation selectors, variation selectors).
_OTHER_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
_LETTERS = re.compile(r"[^\W\d_]+")
#: Script aliases that belong to no script of their own (digits, punctuation, combining marks).
_NO_SCRIPT = {"COMMON", "INHERITED"}


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _OTHER_INVISIBLE


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """`text` without its invisible characters, and the distinct ones removed, in order."""
    if text.isascii():
        return text, []
    removed = list(dict.fromkeys(char for char in text if is_invisible(char)))
    if not removed:
        return text, []
    return "".join(char for char in text if char not in removed), removed


def describe(char: str) -> str:
    """`U+200B ZERO WIDTH SPACE`: how a diagnostic names a character the reader cannot see."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def lookalikes(name: str) -> list[tuple[str, str]]:
    """The letters of `name` that pose as Latin ones: (letter, the ASCII letter it looks like)."""
    if name.isascii():
        return []
    found: list[tuple[str, str]] = []
    for word in _LETTERS.findall(name):
        if word.isascii():
            continue
        posing = [(char, latin) for char in word if (latin := _latin_twin(char))]
        if not posing:
            continue
        scripts = {_script(char) for char in word} - _NO_SCRIPT
        greek_symbol = len(word) == 1 and scripts == {"GREEK"}
        if "LATIN" in scripts or (len(posing) == len(word) and not greek_symbol):
            found += [pair for pair in posing if pair not in found]
    return found


def _script(char: str) -> str:
    from confusable_homoglyphs import categories

    return categories.alias(char)


@functools.lru_cache(maxsize=4096)
def _latin_twin(char: str) -> str | None:
    """The ASCII letter or digit that `char`, a letter of another script, is confusable with."""
    if char.isascii() or _script(char) in _NO_SCRIPT | {"LATIN"}:
        return None
    from confusable_homoglyphs import confusables

    for found in confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"]) or []:
        for glyph in found["homoglyphs"]:
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalnum():
                return glyph["c"]
    return None
