"""Auto-linking: turn mentions of other terms in a sense's Markdown into `LinkSpan`s.

The rules are the ones DESIGN.md collected from users' complaints about other tools:
whole words only, longest match wins, first mention only, never inside code, math,
headings or links, and no links from names too short or too generic to be meant.

Scale is the other constraint.  Tens of thousands of names (terms plus aliases) must
not make linking slower, so a `Linker` compiles every name ONCE into an Aho-Corasick
automaton and `Linker.link` makes one pass over the text, whatever the number of
names.  Everything a name must satisfy beyond "these characters occur here" (word
boundaries, capitals, exclusions) is checked per match, never per name.

How a name matches (documented here because `make check` reports against it):

* Case-insensitively, after folding both sides with `str.lower` character by
  character (so offsets in the folded text are offsets in the original).
* A **word character** is a letter, digit or ``_``.  A match must not touch one on
  either side.  A hyphen or dot *between* two word characters joins words
  ("multi-GPU-node", "Llama 3.1", "node.js"), so "GPU" and "Llama 3" do not link
  there; `LinkRules.hyphen_is_boundary` lets hyphens separate words instead.  A
  hyphen or dot that is not followed (or preceded) by a word character is
  punctuation and separates words ("GPU-" in "GPU- and CPU-bound", "GPU." at the
  end of a sentence).
* With `LinkRules.plurals`, a name ending in a letter may be followed by "s" or
  "es" to form a whole word; the span then covers the plural ("GPUs").
* **Distinctive** means written in capitals: an *acronym name* (one whose given
  spelling is all capitals with at least two letters, e.g. "LAMB", "GPT-4") links
  only where the text also writes it in capitals, so the "LAMB" optimizer is
  linked but not "lamb" in prose.  A name shorter than `LinkRules.min_length` is
  held back, but if it has at least two letters it still links where written in
  capitals ("AI", "RL"); "l2" or "x" never link.
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from .model import Block, BlockKind, LinkSpan

#: Words so common in glossary prose that linking them would be noise, even when a
#: term of that name exists.  Plurals ("models") are covered by the singular.
DEFAULT_GENERIC_WORDS: frozenset[str] = frozenset(
    """
    advanced analysis approach base basic batch case class common core cost data
    dataset deep design error example fast feature field form function general
    group high input key large layer learning level line long low map method mode
    model network new object one order output parameter performance point process
    quality range rate result run sample scale score set short simple size small
    source standard state step system target task test text time training two
    type unit use value version way word
    """.split()
)

# Characters that would let a mention straddle Markdown syntax or break the
# `{term}` role the emit stage writes around it.
_MARKUP_CHARS = frozenset("`*$\\|<>\n")

# Blocks whose whole text is off limits: a link in a heading or in code is wrong.
_UNLINKED_KINDS = frozenset({BlockKind.HEADING, BlockKind.CODE})

# Inline constructs a link must never enter, in the order CommonMark tries them at
# one position.  Math follows MyST's dollarmath defaults (`dmath_allow_space` and
# `dmath_allow_digits` on): an unescaped `$` opens, the next unescaped `$` closes.
# An image's "!" needs no rule: its "[alt](src)" is a link.
_INLINE = re.compile(
    r"""
      (?P<escape>\\[\s\S])
    | (?P<ticks>`+)
    | (?P<dollars>\$\$?)
    | (?P<link>\[[^\[\]\n]*\](?:\([^()\n]*\)|\[[^\[\]\n]*\]))
    | (?P<tag><[A-Za-z/!][^<>\n]*>)
    | (?P<url>\b(?:(?:https?|ftp)://|www\.)[^\s<>]*)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Where an `_INLINE` token may start.  Searching for a character class is many
# times faster than searching for the alternation, and most text holds no token;
# URL starts are letters, so they are looked for only in blocks that hold a URL.
_TOKEN_START = re.compile(r"[\\`$\[<]")
_TOKEN_OR_URL_START = re.compile(r"[\\`$\[<]|\b[hfw]", re.IGNORECASE)
_UNESCAPED_DOLLAR = re.compile(r"\\[\s\S]|(\$)")
_TICK_RUN = re.compile(r"`+")

# Replaces excluded text before the automaton runs: no name contains it, so no
# match can start, end or pass inside an excluded region.
_MASK = "\x00"


@dataclass(frozen=True)
class LinkRules:
    """The linking rules a project can change (the Sphinx layer exposes them in conf.py).

    The "never link" rules (code, math, headings, links, own definition) are not
    options: breaking them breaks the page.
    """

    first_mention_only: bool = True  # link each target once per sense
    min_length: int = 3  # names with fewer characters are held back (see module doc)
    generic_words: frozenset[str] = DEFAULT_GENERIC_WORDS  # never linked
    plurals: bool = True  # "GPUs" links to "GPU"
    hyphen_is_boundary: bool = False  # "multi-GPU" links to "GPU"

    def __post_init__(self) -> None:
        for name in ("first_mention_only", "plurals", "hyphen_is_boundary"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"link rule {name!r} must be True or False, got {getattr(self, name)!r}")
        if isinstance(self.min_length, bool) or not isinstance(self.min_length, int) or self.min_length < 1:
            raise ValueError(f"link rule 'min_length' must be a whole number >= 1, got {self.min_length!r}")
        words: object = self.generic_words  # any conf.py value until checked here
        # A bare string is iterable too, and would silently become a set of letters.
        if isinstance(words, str) or not isinstance(words, Iterable):
            raise ValueError(f"link rule 'generic_words' must be a list of words, got {words!r}")
        words = list(words)
        bad = [w for w in words if not isinstance(w, str) or not w.strip()]
        if bad:
            raise ValueError(f"link rule 'generic_words' holds non-words: {bad!r}")
        object.__setattr__(self, "generic_words", frozenset(_fold_name(w) for w in words))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> LinkRules:
        """Build rules from a conf.py dict, naming any unknown key instead of a TypeError."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown link rule(s) {', '.join(unknown)}; known rules: {', '.join(sorted(known))}")
        return cls(**values)  # type: ignore[arg-type]


class HoldReason(str, enum.Enum):
    """Why a name does not link (freely); `make check` prints these."""

    MARKUP = "contains Markdown syntax"
    NO_LETTERS = "no letters"
    AMBIGUOUS = "ambiguous"
    GENERIC = "too generic"
    TOO_SHORT = "too short"


@dataclass(frozen=True)
class HeldName:
    """A name the linker holds back, with every slug that claims it."""

    name: str  # folded (lower-case) form
    slugs: tuple[str, ...]
    reason: HoldReason
    links_in_capitals: bool  # still links where the text writes it in capitals

    def __str__(self) -> str:
        note = "; links only when written in capitals" if self.links_in_capitals else ""
        return f"{self.name!r} → {', '.join(self.slugs)}: {self.reason.value}{note}"


def _fold(text: str) -> str:
    """Lower-case `text` without changing its length, so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # Rare letters such as "İ" lower to two characters; leave those as they are.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _fold_name(name: str) -> str:
    return " ".join(_fold(name).split())


def _is_acronym(spelling: str) -> bool:
    return spelling.isupper() and sum(c.isalpha() for c in spelling) >= 2


class Linker:
    """Links mentions of a fixed set of names; build once, call `link` per sense.

    `names` maps every surface name (term names, display names and aliases) to the
    slug of its term.  It may also be an iterable of (name, slug) pairs, so a caller
    can pass a name claimed by two terms: a dict would silently keep one of them,
    whereas the linker holds such a name back as ambiguous and reports it.
    """

    def __init__(self, names: Mapping[str, str] | Iterable[tuple[str, str]], rules: LinkRules | None = None):
        self.rules = rules or LinkRules()
        pairs = names.items() if isinstance(names, Mapping) else names
        slugs: dict[str, set[str]] = {}
        acronyms: set[str] = set()
        for name, slug in pairs:
            key = _fold_name(name)
            if not key or not slug:
                raise ValueError(f"empty name or slug in linker names: {name!r} → {slug!r}")
            slugs.setdefault(key, set()).add(slug)
            if _is_acronym(name.strip()):
                acronyms.add(key)

        self.held: list[HeldName] = []
        automaton = ahocorasick.Automaton()
        for key in sorted(slugs):
            reason = self._hold_reason(key, slugs[key])
            capitals_only = key in acronyms
            if reason is not None:
                capitals_only = reason is HoldReason.TOO_SHORT and sum(c.isalpha() for c in key) >= 2
                self.held.append(HeldName(key, tuple(sorted(slugs[key])), reason, capitals_only))
                if not capitals_only:
                    continue
            (slug,) = slugs[key]
            automaton.add_word(key, (slug, len(key), capitals_only))
        automaton.make_automaton()
        # pyahocorasick refuses to search with an automaton that holds no words.
        self._automaton = automaton if len(automaton) else None

    def _hold_reason(self, key: str, slugs: set[str]) -> HoldReason | None:
        if not _MARKUP_CHARS.isdisjoint(key):
            return HoldReason.MARKUP
        if not any(c.isalpha() for c in key):
            return HoldReason.NO_LETTERS
        if len(slugs) > 1:
            return HoldReason.AMBIGUOUS
        generic = self.rules.generic_words
        if key in generic or (key.endswith("s") and key[:-1] in generic) or (key.endswith("es") and key[:-2] in generic):
            return HoldReason.GENERIC
        if len(key) < self.rules.min_length:
            return HoldReason.TOO_SHORT
        return None

    def link(self, blocks: Sequence[Block], own_slug: str) -> list[LinkSpan]:
        """Spans, sorted and disjoint, into `"\\n\\n".join(block.markdown() for block in blocks)`.

        Mentions are chosen first (longest wins), and only then filtered by target:
        a mention of the term itself, or a repeat, still claims its text, so "LLM"
        is not linked out of a second "LLM pretraining data".
        """
        if self._automaton is None:
            return []
        text, regions = _layout(blocks)
        spans: list[LinkSpan] = []
        linked: set[str] = set()
        for start, end, slug in self._mentions(text, _masked(_fold(text), regions)):
            if slug == own_slug or (self.rules.first_mention_only and slug in linked):
                continue
            linked.add(slug)
            spans.append(LinkSpan(start, end, slug))
        return spans

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, slug) of every whole-word mention in plain text (no Markdown), in text order.

        The same matching as `link` (longest first, held names, capitals,
        plurals), for callers that find the text themselves, such as
        another project's pages (`glossweave.consumer`).  Repeats are all
        returned: the caller keeps the first mention, across its own texts.
        """
        if self._automaton is None:
            return []
        return self._mentions(text, _fold(text))

    def _mentions(self, text: str, masked: str) -> list[tuple[int, int, str]]:
        """Whole-word mentions, longest first, then leftmost; returned in text order."""
        assert self._automaton is not None, "link() returns early without names"
        candidates = []
        for last, (slug, length, capitals_only) in self._automaton.iter(masked):
            start, stem_end = last - length + 1, last + 1
            if self._joins(text, start - 1, -1):
                continue
            end = self._word_end(text, masked, stem_end, text[last])
            if end is None or (capitals_only and not text[start:stem_end].isupper()):
                continue
            candidates.append((start - end, start, end != stem_end, end, slug))
        candidates.sort()
        taken = bytearray(len(text))
        chosen = []
        for _, start, _, end, slug in candidates:
            if taken.find(1, start, end) == -1:
                taken[start:end] = b"\x01" * (end - start)
                chosen.append((start, end, slug))
        chosen.sort()
        return chosen

    def _word_end(self, text: str, masked: str, stem_end: int, last_char: str) -> int | None:
        """Where the word ends: right after the name, after a plural suffix, or nowhere."""
        if not self._joins(text, stem_end, 1):
            return stem_end
        if self.rules.plurals and last_char.isalpha():
            for suffix in ("s", "es"):
                end = stem_end + len(suffix)
                if masked.startswith(suffix, stem_end) and not self._joins(text, end, 1):
                    return end
        return None

    def _joins(self, text: str, index: int, step: int) -> bool:
        """Does the character at `index`, next to a match, glue it into a longer word?"""
        if not 0 <= index < len(text):
            return False
        char = text[index]
        if char.isalnum() or char == "_":
            return True
        if char == "." or (char == "-" and not self.rules.hyphen_is_boundary):
            beyond = index + step
            return 0 <= beyond < len(text) and text[beyond].isalnum()
        return False


def _layout(blocks: Sequence[Block]) -> tuple[str, list[tuple[int, int]]]:
    """The joined Markdown and its excluded regions, sorted and disjoint."""
    pieces: list[str] = []
    regions: list[tuple[int, int]] = []
    offset = 0
    for index, block in enumerate(blocks):
        markdown = block.markdown()
        if block.kind in _UNLINKED_KINDS:
            regions.append((offset, offset + len(markdown)))
        else:
            regions.extend((offset + a, offset + b) for a, b in _inline_regions(markdown, index == 0))
        pieces.append(markdown)
        offset += len(markdown) + 2
    return "\n\n".join(pieces), regions


def _masked(folded: str, regions: list[tuple[int, int]]) -> str:
    pieces = []
    position = 0
    for start, end in regions:
        pieces.append(folded[position:start])
        pieces.append(_MASK * (end - start))
        position = end
    pieces.append(folded[position:])
    return "".join(pieces)


def _inline_regions(markdown: str, opens_definition: bool) -> Iterator[tuple[int, int]]:
    """Code spans, math, links, HTML tags and bare URLs in one block, left to right.

    A sense's first block opens with the term's display name in bold
    ("**L-Diversity** is …"); that name is the definition's own heading, not a
    mention, so it is excluded too.  Every search below resumes where the last
    region ended, and closers are looked up in position lists built once, so the
    scan stays linear even in text full of unmatched backticks or dollars.
    """
    position = 0
    if opens_definition and markdown.startswith("**"):
        close = markdown.find("**", 2)
        if close != -1:
            position = close + 2
            yield 0, position
    dollars = [m.start() for m in _UNESCAPED_DOLLAR.finditer(markdown) if m.group(1)] if "$" in markdown else []
    tick_runs: dict[int, list[int]] = {}
    for run in _TICK_RUN.finditer(markdown) if "`" in markdown else ():
        tick_runs.setdefault(len(run.group()), []).append(run.start())
    has_url = "://" in markdown or "www." in markdown.lower()
    starts = _TOKEN_OR_URL_START if has_url else _TOKEN_START
    while (found := starts.search(markdown, position)) is not None:
        token = _INLINE.match(markdown, found.start())
        if token is None:
            position = found.start() + 1
            continue
        end: int | None
        start, end, kind = token.start(), token.end(), token.lastgroup
        if kind == "ticks":
            closers = tick_runs.get(end - start, [])
            closer = bisect.bisect_left(closers, end)
            end = closers[closer] + (end - start) if closer < len(closers) else None
        elif kind == "dollars":
            end = _math_end(dollars, start, double=end - start == 2, block_end=len(markdown))
        if kind == "escape" or end is None:  # an escape, or an opener never closed: plain text
            position = token.end()
            continue
        yield start, end
        position = end


def _math_end(dollars: list[int], start: int, double: bool, block_end: int) -> int | None:
    """End of the math opened at `start`; display math left open runs to the block end."""
    index = bisect.bisect_right(dollars, start + (1 if double else 0))
    if not double:
        return dollars[index] + 1 if index < len(dollars) else None
    for here in range(index, len(dollars) - 1):
        if dollars[here + 1] == dollars[here] + 1:
            return dollars[here + 1] + 1
    return block_end


def measure_throughput(linker: Linker, senses: Sequence[Sequence[Block]], rounds: int = 3) -> float:
    """MB of Markdown (UTF-8) linked per second, best of `rounds`, for the benchmark.

    Kept here so the benchmark times exactly what the pipeline runs; unit tests
    check the one-pass property instead of timing it.
    """
    size = sum(len("\n\n".join(b.markdown() for b in blocks).encode()) for blocks in senses)
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for blocks in senses:
            linker.link(blocks, own_slug="")
        best = min(best, time.perf_counter() - started)
    return size / 1e6 / best if best > 0 else float("inf")
