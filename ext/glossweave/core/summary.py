"""Summaries: the first sentence of a definition, as plain text, for previews, letter pages and meta descriptions.

The text comes from markdown-it's tokens of the definition's first
paragraph (`glossweave.core.markdown`), so no Markdown survives: emphasis
marks go, a link keeps its text, code keeps its text, an escape is its
character, and math is written out readably (`glossweave.core.mathtext`).

A summary is one complete sentence.  The sentence ends at ``.``, ``!`` or
``?`` before a new sentence, never after an abbreviation (``e.g.``, ``et
al.``, ``Fig.``), an initial (``G. Hinton``) or inside a number.  A first
sentence longer than `SUMMARY_CHARS` ends where its main clause does, when a
dash or semicolon closes one ("X is Y — which …" gives "X is Y."); failing
that it is cut at its last comma or colon in the limit, outside brackets,
and marked with "…".
"""

from __future__ import annotations

import re

from glossweave.core import markdown
from glossweave.core.mathtext import readable_math
from glossweave.core.model import Block, BlockKind

__all__ = ["SUMMARY_CHARS", "first_sentence", "summarize"]

SUMMARY_CHARS = 300
#: A head shorter than this says too little: look for a later boundary, or cut at a word.
_SHORTEST_CLAUSE = 60

#: Words that end with a dot without ending the sentence (compared in lower case).
_ABBREVIATIONS = frozenset(
    """
    e.g i.e et al etc.al cf vs v viz approx ca fig figs eq eqs no nos vol vols pp p ch chap sec secs ref refs
    ed eds dr mr mrs ms prof st jr sr inc ltd co corp dept est resp incl esp a.k.a u.s u.k e.u ph.d m.sc b.sc
    jan feb mar apr jun jul aug sep sept oct nov dec mt approx. min max avg op
    """.split()
)
#: A sentence may end at . ! ? (maybe closed by a quote or bracket) before a blank; what follows decides.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+(\S))")
#: The longest word looked at before a dot (an abbreviation is short).
_LONGEST_ABBREVIATION = 12
#: Where a main clause may end: before a dash between blanks, at a semicolon, or at a comma
#: before a participle or relative clause that is not one item of a list ("…, enabling X").
_MAIN_CLAUSE_END = re.compile(r"\s[—–-]\s|;\s|,\s(?=(?:\w+ing|which|where|whereas|while|thereby)\s(?!and\b|or\b)[^,])")
#: Where a long sentence may be cut: after a comma or colon.
_CLAUSE = re.compile(r"[,:]\s")


def summarize(blocks: list[Block], document: markdown.Document | None = None) -> str:
    """The summary of an entry (see the module docstring).

    `document` is the entry's Markdown parsed, when the caller has it; the
    first paragraph alone is parsed otherwise.
    """
    index = next((i for i, block in enumerate(blocks) if block.kind is BlockKind.PARAGRAPH), 0)
    block = blocks[index]
    if document is None:
        inlines = markdown.parsed(block.markdown()).inlines
    else:
        first = sum(len(b.lines) + 1 for b in blocks[:index])
        lines = range(first, first + len(block.lines))
        inlines = [inline for inline in document.inlines if inline.token.map and inline.token.map[0] in lines]
    text = " ".join(inline.plain(readable_math) for inline in inlines) if inlines else _math_only(block)
    return shortened(first_sentence(" ".join(text.split())))


def _math_only(block: Block) -> str:
    """A paragraph that is a ``$$`` block and nothing else: its formula, read out."""
    source = block.markdown().strip()
    return readable_math(source.strip("$")) if source.startswith("$$") else source


def first_sentence(text: str) -> str:
    """The first sentence of one line of plain text (the whole text when it is one sentence)."""
    for end in _END.finditer(text):
        following = end.group(1)
        if following.islower() or following in ",;:)]}":
            continue  # the sentence goes on
        if not _after_abbreviation(text, end.start()):
            return text[: end.end()]
    return text


def _after_abbreviation(text: str, dot: int) -> bool:
    """Is the dot at `dot` the end of an abbreviation or an initial rather than of a sentence?"""
    if text[dot] != ".":
        return False
    start = dot
    while start > 0 and dot - start <= _LONGEST_ABBREVIATION and (text[start - 1].isalnum() or text[start - 1] in ".'-"):
        start -= 1
    token = text[start:dot]
    if not token:
        return False
    if len(token) == 1 and token.isupper():
        # An initial (G. Hinton, G. E. Hinton) follows a word or another initial;
        # a capital after a symbol is a variable ending a sentence (… ∇ L.).
        return start < 2 or (text[start - 1] == " " and (text[start - 2].isalpha() or text[start - 2] == "."))
    lowered = token.lower().lstrip("(")
    return lowered in _ABBREVIATIONS or lowered.rstrip(".") in _ABBREVIATIONS or (
        "." in lowered and all(len(part) <= 2 for part in lowered.split("."))  # U.S., i.e, e.g, a.k.a
    )


def shortened(sentence: str) -> str:
    """`sentence` if it fits; else its main clause as a sentence; else its head cut at a clause, marked "…"."""
    if len(sentence) <= SUMMARY_CHARS:
        return sentence
    ends = [m.start() for m in _MAIN_CLAUSE_END.finditer(sentence, 0, SUMMARY_CHARS) if _balanced(sentence, m.start())]
    dashes = [end for end in ends if end >= _SHORTEST_CLAUSE and not _aside_open(sentence, end)]
    if dashes:
        return sentence[: dashes[-1]].rstrip(" ,:") + "."
    head = sentence[: SUMMARY_CHARS - 1]
    cuts = [m.start() + 1 for m in _CLAUSE.finditer(head) if m.start() >= _SHORTEST_CLAUSE and _balanced(head, m.start())]
    if not cuts:  # no clause boundary: the last word outside brackets
        cuts = [m.start() for m in re.finditer(" ", head) if _balanced(head, m.start())]
    cut = cuts[-1] if cuts else len(head)
    return sentence[:cut].rstrip(" ,;:—–-") + "…"


def _aside_open(text: str, end: int) -> bool:
    """Is an aside between dashes open at `end` (an odd number of dashes between blanks before it)?"""
    return len(_DASH.findall(text, 0, end)) % 2 == 1


_DASH = re.compile(r"\s[—–-]\s")


def _balanced(text: str, end: int) -> bool:
    """Are the brackets and quotes opened before `end` all closed (a cut there leaves none open)?"""
    head = text[:end]
    return (
        head.count("(") == head.count(")")
        and head.count("[") == head.count("]")
        and head.count('"') % 2 == 0
        and head.count("“") == head.count("”")
    )
