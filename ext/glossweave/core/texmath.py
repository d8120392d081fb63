"""Repair the damaged math of the corpus, keep money as text, let only safe TeX through.

What the dumps did to formulas, and where each repair lives:

* Backslashes were stripped: ``frac{1}{d_i}``, ``L_infty``, ``Y_i in mathbb{R}^C``.
  Bare words that are MathJax commands get their backslash back
  (`bare_command_words`), judged by context so that labels and words that are
  not commands stay (``x_{adv}``, ``y_{max}``, ``sign``, ``dt``, ``Adam``).
* ``\\a \\b \\f \\n \\r \\t \\v`` were read as control escapes by Python/JSON, so
  ``\\tilde`` lost its ``\\t`` (``ilde``), ``\\theta`` became `` heta``, ``\\nabla``
  a line break plus ``abla``.  A word that is not a command but becomes a
  command when one of those letters is put in front is restored; a surviving
  control character in front of a word is read the same way; a formula split
  over two lines is joined back by `join_split_escapes`.
* ``\\,`` (and ``\\;``, ``\\!``) became `` , ``: a lone punctuation mark between
  spaces inside math is a thin space again.  A ``%`` would start a TeX comment
  and swallow the rest of the formula, so it is escaped.
* ``$`` is also money (``$390/year``, ``~$2/GPU/hour``, ``$10M-$100M+``, ``$$$$``).
  Spans are found with Pandoc's rules (an opening ``$`` is followed by a
  non-space, a closing one follows a non-space and is not followed by a digit,
  runs of three or more ``$`` are never delimiters); every ``$`` that does not
  delimit math is escaped as ``\\$``, which CommonMark and MyST's dollarmath
  both read as a literal dollar.

After repair each formula is checked against the whitelist of
:mod:`glossweave.core.texcommands`: a command outside it, TeX's ``^^`` character
notation (``^^5c`` is a backslash to TeX) or unbalanced braces make the span
show as plain text (its punctuation backslash-escaped), with a diagnostic at
``file:line``.  So no unlisted command
reaches MathJax or LaTeX.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from . import markdown
from .model import Report, Severity, Source
from .texcommands import (
    ALL_COMMANDS,
    CONTROL_SYMBOLS,
    DANGEROUS,
    MATH_ENVIRONMENTS,
    MATHJAX_TEX_PACKAGES,
    WHITELIST,
)

__all__ = [
    "MATHJAX_TEX_PACKAGES",
    "MathSpan",
    "bare_command_words",
    "iter_math",
    "join_split_escapes",
    "repair_formula",
    "repair_text",
    "unsafe_commands",
]

# ---------------------------------------------------------------------------
# Finding math in Markdown
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MathSpan:
    """A formula in a Markdown fragment: text[start:end] is ``$tex$`` or ``$$tex$$``."""

    start: int
    end: int
    tex: str
    display: bool


#: Control characters that Python/JSON made of the escapes \a \b \f \n \r \t \v.
_CONTROL_TO_LETTER = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_DOLLARS = re.compile(r"\$+")
#: Pieces a formula may not straddle: markdown-it would end or start something else there.
_BARRIERS = markdown.OPAQUE | {markdown.LINK_OPEN}
#: What starts the only pieces that can hold a dollar that is not text: code, a link or
#: image, an autolink, an escape.
_HIDES_DOLLARS = re.compile(r"[`\[<\\]")


def iter_math(text: str) -> Iterator[MathSpan]:
    """The formulas of a Markdown fragment (``$…$``, ``$$…$$``, ``$$`` blocks), in order, skipping code and money.

    Which dollars are math is decided as the repair decides it (`_dollars`);
    in repaired text these are exactly the formulas markdown-it renders.
    """
    if "$" in text:
        yield from _dollars(text).formulas


def _rendered_math(document: markdown.Document) -> list[MathSpan]:
    found = [MathSpan(start, end, token.content, True) for start, end, token in document.math_blocks()]
    for inline in document.inlines:
        if "$" in inline.content:
            found += [
                MathSpan(piece.start, piece.end, piece.token.content, piece.kind == markdown.DISPLAY_MATH)
                for piece in inline.pieces
                if piece.kind in (markdown.MATH, markdown.DISPLAY_MATH) and piece.token is not None
            ]
    return sorted(found, key=lambda span: span.start)


@dataclass
class _Dollars:
    """What the dollars of a Markdown text are: the formulas to render, and money.

    `document.text` may differ from the text analysed: ``$$`` that would open
    a block of display math that is not one are escaped first (see `_dollars`).
    A formula's `tex` is its source between the delimiters (in a table cell,
    a ``\\|`` stays escaped).
    """

    document: markdown.Document
    formulas: list[MathSpan]
    money: list[int]  # positions of single ``$`` characters that are text

    @property
    def text(self) -> str:
        return self.document.text


def _dollars(text: str) -> _Dollars:
    """Decide which dollars of a Markdown text delimit math (Pandoc's rules) and which are money.

    The text is read by the site's grammar with inline math switched off, so
    code spans, links, autolinks and table cells are what markdown-it will
    make of them; only the dollars it leaves as text are candidates.  Those
    are paired by Pandoc's rules (see the module docstring), never across a
    code span, link or other construct, and never in a way markdown-it's
    dollarmath would pair otherwise.  A ``$$`` block is display math when it
    holds a formula and no blank line; otherwise every ``$$`` that opens a
    line inside it is escaped, and the text read again.
    """
    for attempt in range(_BLOCK_ROUNDS + 2):
        document = markdown.Document(text, markdown.POSITIONED_WITHOUT_INLINE_MATH)
        refused = [(start, end) for start, end, _ in document.math_blocks() if not _display_block(document.text, start, end)]
        if not refused:
            break
        if attempt >= _BLOCK_ROUNDS:  # only crafted text gets here: no line may open a block
            lines: Iterable[int] = range(len(document.line_starts))
        else:
            lines = sorted({line for start, end in refused for line in range(document.line_of(start), document.line_of(end) + 1)})
        text = _escape_block_openers(document, lines)
    formulas = [
        MathSpan(start, end, document.text[start + 2 : end - 2], True) for start, end, _ in document.math_blocks()
    ]
    money: list[int] = []
    for inline in document.inlines:
        if "$" in inline.content:
            _pair_inline(inline, document.text, formulas, money)
    formulas.sort(key=lambda span: span.start)
    return _Dollars(document, formulas, money)


#: Rounds of escaping refused ``$$`` blocks before every line is escaped (one suffices unless crafted).
_BLOCK_ROUNDS = 3
_BLOCK_OPENER = re.compile(r"[ \t>*+\-0-9.)]*(?=\$\$)")


def _display_block(text: str, start: int, end: int) -> bool:
    """Pandoc's display math: exactly two dollars on each side, a formula between, no blank line."""
    inner = text[start + 2 : end - 2]
    return (
        end - start >= 5
        and text[start + 2] != "$"
        and text[end - 3] != "$"
        and bool(inner.strip())
        and re.search(r"\n[ \t]*\n", inner) is None
    )


def _escape_block_openers(document: markdown.Document, lines: Iterable[int]) -> str:
    """The text with a backslash before each ``$$`` that opens one of `lines` (after any list or quote marker)."""
    text = document.text
    cuts = []
    for line in lines:
        opener = _BLOCK_OPENER.match(text, document.line_starts[line])
        if opener and document.line_of(opener.end()) == line:
            cuts.append(opener.end())
    pieces, position = [], 0
    for cut in cuts:
        pieces += [text[position:cut], "\\"]
        position = cut
    return "".join(pieces) + text[position:]


def _pair_inline(inline: markdown.Inline, text: str, formulas: list[MathSpan], money: list[int]) -> None:
    """Pair the text dollars of one paragraph, heading or table cell (see `_dollars`)."""
    content = inline.content
    runs: list[tuple[int, int]] = []  # (position in content, length)
    barriers: list[int] = []
    if _HIDES_DOLLARS.search(content) is None:  # no code, link, autolink or escape: every dollar is text
        runs = [(m.start(), m.end() - m.start()) for m in _DOLLARS.finditer(content)]
    else:
        for piece in inline.pieces:
            if piece.kind == markdown.TEXT:
                runs += [(m.start(), m.end() - m.start()) for m in _DOLLARS.finditer(content, piece.rel_start, piece.rel_end)]
            elif piece.kind in _BARRIERS:
                barriers.append(piece.rel_start)
    index = 0
    while index < len(runs):
        run = runs[index]
        if index + 1 < len(runs) and _math_pair(content, run, runs[index + 1], barriers):
            close = runs[index + 1]
            start, end = inline.to_doc(run[0]), inline.to_doc_end(close[0] + close[1])
            formulas.append(MathSpan(start, end, text[start + run[1] : end - run[1]], run[1] == 2))
            index += 2
            continue
        money.extend(inline.to_doc(run[0] + offset) for offset in range(run[1]))
        index += 1


def _math_pair(content: str, opener: tuple[int, int], closer: tuple[int, int], barriers: list[int]) -> bool:
    """Is this pair of dollar runs a formula, by Pandoc's rules and as markdown-it's dollarmath will read it?"""
    if not _closes(content, opener, closer, len(content)):
        return False
    if _dollarmath_escaped(content, opener[0]) or _dollarmath_escaped(content, closer[0]):
        return False
    between = bisect.bisect_left(barriers, opener[0])
    return between == len(barriers) or barriers[between] > closer[0]


def _dollarmath_escaped(content: str, position: int) -> bool:
    """dollarmath's own test for an escaped ``$``, quirks and all.

    It counts the backslashes before the dollar, and before the first
    character it reads the last one (``src[-1]``): a ``$`` that opens a
    paragraph ending in a backslash is never math.
    """
    backslashes, back = 0, position
    while back >= 0:
        back -= 1
        if content[back] == "\\":
            backslashes += 1
        else:
            break
    return backslashes % 2 == 1


def _closes(text: str, opener: tuple[int, int], closer: tuple[int, int], end: int) -> bool:
    """Pandoc's rule for a ``$…$`` / ``$$…$$`` pair (money is what fails it)."""
    (pos, length), (cpos, clength) = opener, closer
    inner = pos + length
    if length != clength or length > 2:
        return False
    if length == 2:
        return bool(text[inner:cpos].strip())
    if cpos == inner or (_blank(text[inner]) and not _eaten_escape_at(text, inner + 1)):
        return False
    after = cpos + 1
    return not _blank(text[cpos - 1]) and not (after < end and text[after].isdigit())


_LEADING_WORD = re.compile(r"[A-Za-z]+")


def _eaten_escape_at(text: str, pos: int) -> bool:
    """`$ heta$`, `$ ext{MSE}$`: the space after `$` is what an eaten `\\t` left.

    Pandoc's rule rejects an opener followed by a space, so without this the
    formula would be taken for money.  Only a word that becomes a whitelisted
    command with one escape letter put back counts.
    """
    word = _LEADING_WORD.match(text, pos)
    if not word:
        return False
    return any(letter + word.group(0) in WHITELIST for letter in ESCAPE_LETTERS)


def _blank(char: str) -> bool:
    """Whitespace, except control characters that are the remains of an eaten escape."""
    return char.isspace() and char not in _CONTROL_TO_LETTER


# ---------------------------------------------------------------------------
# Repairing one formula
# ---------------------------------------------------------------------------

#: Letters whose backslash escape Python or JSON turns into a control
#: character (\\a \\b \\f \\n \\r \\t \\v), in the order tried when a word could
#: have lost either: \\t and \\n are by far the most common in the dumps.
ESCAPE_LETTERS = "tnrfbva"

#: Parse kinds (see texcommands.Command.kind) of commands that take a braced
#: argument: a bare word is only one of them when a ``{`` follows.
_ARGUMENT_KINDS = frozenset(
    """
    Frac Genfrac CFrac Accent UnderOver Overset Underset Sqrt MathFont HBox FBox
    FrameBox MakeBox ParBox Phantom Smash Lap TeXAtom Boldsymbol HandleOperatorName
    BeginEnd xArrow BuildRel SideSet MathChoice MacroArgs Root MoveRoot
    """.split()
)
#: \\left, \\right, \\big …: a command only when a delimiter follows at once.
_DELIMITER_KINDS = frozenset({"LeftRight", "MakeBig"})
_DELIMITERS = frozenset("()[]|./<>\\")
#: \\log, \\max …: a command when applied (``log(x)``, ``max_i``) or standing alone.
_FUNCTION_KINDS = frozenset({"NamedFn", "NamedOp"})
_APPLIED = frozenset("(_^{[|\\")
#: Kinds that are plain symbols or fixed templates, safe to repair anywhere.
_SYMBOL_KINDS = frozenset({"symbol", "Macro", "Spacer", "Dots", "MultiIntegral", "Not"})

#: Command names that are also ordinary words or common labels: they are a
#: command only when they stand between spaces as an operator (``x in X``).
WORDLIKE = frozenset(
    """
    in to ne ni le ge ll gg mp pm wr wp top bot mid star angle flat sharp natural
    models owns smile frown square triangle not neg land lor iff gets implies
    because therefore between complement colon hat bar vec dot check brace brack
    over atop choose cr it rm bf sf tt cal space quad limits nolimits big Big
    left right middle S Re Im Pr And Join Box Game div cap cup vee wedge sim ast
    circ diamond bullet dagger perp prec succ yen checkmark maltese lozenge
    restriction dots mod bmod pmod pod skew substack boxed
    """.split()
)

#: Contents of these commands' first argument are text or names, not math.
_TEXT_ARGUMENT = frozenset(
    name
    for name, cmd in WHITELIST.items()
    if cmd.kind in {"HBox", "FBox", "FrameBox", "MakeBox", "ParBox", "HandleOperatorName", "BeginEnd"}
) | {"mathrm"}

#: Delimiters that come in \\lX / \\rX pairs (\\langle … \\rangle): an ``angle``
#: after an open ``\\langle`` is the ``\\rangle`` that lost its ``\\r``.
_PAIRED = frozenset(name[1:] for name in WHITELIST if name[0] == "l" and "r" + name[1:] in WHITELIST)

_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|[A-Za-z]+", re.DOTALL)
#: Not \\n: a text holding a line break has its lines apart, and `join_split_escapes` rejoins them.
_CONTROL_WORD = re.compile(r"([\a\b\f\r\t\v])([A-Za-z]*)")
_LOST_SPACING = re.compile(r"(?<=\s)([,;!])(?=\s)")
_PERCENT = re.compile(r"(?<!\\)%")
_LABEL_RUN = re.compile(r"[A-Za-z0-9-]+")
_NEXT_VISIBLE = re.compile(r"\s*(\S?)")


class _Formula:
    """A formula being read word by word, with what the words look around them for found once.

    A word in ``a-b-c-…`` looks at the whole hyphenated run around it: found
    afresh for each word, a long such run made repair quadratic.
    """

    __slots__ = ("tex", "_run_starts", "_run_ends")

    def __init__(self, tex: str):
        self.tex = tex
        self._run_starts: list[int] = []
        self._run_ends: list[int] = []
        for run in _LABEL_RUN.finditer(tex):
            self._run_starts.append(run.start())
            self._run_ends.append(run.end())

    def in_label(self, start: int) -> bool:
        """True when the word at `start` is the whole of a script group such as ``_{adv}``, ``^{max}``."""
        index = bisect.bisect_right(self._run_starts, start) - 1
        first, end, tex = self._run_starts[index], self._run_ends[index], self.tex
        return first >= 2 and tex[first - 1] == "{" and tex[first - 2] in "_^" and end < len(tex) and tex[end] == "}"

    def next_visible(self, position: int) -> str:
        """The first non-blank character from `position` on ('' at the end)."""
        match = _NEXT_VISIBLE.match(self.tex, position)
        return match.group(1) if match else ""


def _flanked(tex: str, start: int, end: int) -> bool:
    """True when the word stands between spaces as an operator would (``Y in X``)."""
    before = start == 0 or tex[start - 1].isspace()
    after = end == len(tex) or tex[end].isspace() or tex[end] == "\\"
    return before and after and not (start == 0 and end == len(tex))


def _fits(formula: _Formula, start: int, end: int, name: str) -> bool:
    """Does the context at tex[start:end] make `name` a command rather than a word?"""
    tex = formula.tex
    kind = WHITELIST[name].kind
    if kind in _ARGUMENT_KINDS:
        following = formula.next_visible(end)
        return following == "{" or (name == "sqrt" and following == "[")
    if kind in _DELIMITER_KINDS:
        return end < len(tex) and tex[end] in _DELIMITERS
    if formula.in_label(start):
        return kind == "symbol" and name not in WORDLIKE
    if kind in _FUNCTION_KINDS:
        return (end < len(tex) and tex[end] in _APPLIED) or _flanked(tex, start, end)
    if name in WORDLIKE or kind not in _SYMBOL_KINDS:
        return _flanked(tex, start, end)
    return True


def _resolve(formula: _Formula, start: int, end: int, open_pairs: Counter[str]) -> str | None:
    """The command a bare word stands for, or None when it is just letters."""
    tex = formula.tex
    word = tex[start:end]
    if word in _PAIRED and open_pairs[word] > 0:
        return "r" + word
    if len(word) > 1 and word in WHITELIST:
        return word if _fits(formula, start, end, word) else None
    if word in ALL_COMMANDS:
        return None  # a known but refused command name stays inert letters
    # A lost escape letter: "ilde" is \tilde minus its \t.  Two-letter remains
    # ("ho" of \rho) count only with the space a tab left behind.
    if len(word) >= 3 or (len(word) == 2 and start > 0 and tex[start - 1] in " \t"):
        for letter in ESCAPE_LETTERS:
            candidate = letter + word
            if candidate in WHITELIST and _fits(formula, start, end, candidate):
                return candidate
    return None


def _group_end(tex: str, pos: int) -> int:
    """End of the braced argument starting after optional spaces at pos (pos if none)."""
    i = pos
    while i < len(tex) and tex[i].isspace():
        i += 1
    if i >= len(tex) or tex[i] != "{":
        return pos
    depth = 0
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            i += 2
            continue
        depth += char == "{"
        depth -= char == "}"
        i += 1
        if depth == 0:
            return i
    return i


def _word_fixes(tex: str) -> list[tuple[int, int, str]]:
    """(start, end, command) for every bare command word, in order."""
    fixes = []
    open_pairs: Counter[str] = Counter()
    skip_until = 0
    formula = _Formula(tex)
    for m in _TOKEN.finditer(tex):
        start, end = m.span()
        if start < skip_until:
            continue
        token = m.group()
        if token[0] == "\\":
            name = token[1:]
        else:
            resolved = _resolve(formula, start, end, open_pairs)
            if resolved is None:
                continue
            name = resolved
            fixes.append((start, end, name))
        if name in _TEXT_ARGUMENT:
            skip_until = _group_end(tex, end)
        if name[:1] in "lr" and name[1:] in _PAIRED:
            open_pairs[name[1:]] += 1 if name[0] == "l" else -1
    return fixes


def bare_command_words(tex: str) -> list[str]:
    """Command words left without their backslash in a formula, in order.

    ``frac``, ``mathbb``, ``infty`` in ``L_infty`` and the remains of eaten
    escapes (``ilde``, ``heta``) are found; labels and words that are not
    commands in their context are not (``x_{adv}``, ``y_{max}``, ``sign``,
    ``dt``, ``Adam``, ``one-hot``, the ``ext`` inside ``next``).  Text inside
    ``\\text{…}`` and similar is never inspected.
    """
    return [tex[start:end] for start, end, _ in _word_fixes(tex)]


def _restore_control(match: re.Match[str]) -> str:
    letter, word = _CONTROL_TO_LETTER[match.group(1)], match.group(2)
    if letter + word in WHITELIST:
        return "\\" + letter + word
    return " " + word


def repair_formula(tex: str) -> str:
    """Restore the backslashes a formula lost; intact TeX is returned unchanged."""
    tex = _CONTROL_WORD.sub(_restore_control, tex)
    tex = _LOST_SPACING.sub(r"\\\1", tex)
    tex = _PERCENT.sub(r"\\%", tex)
    parts = []
    pos = 0
    for start, end, name in _word_fixes(tex):
        parts += [tex[pos:start], "\\", name]
        pos = end
    parts.append(tex[pos:])
    return "".join(parts)


# ---------------------------------------------------------------------------
# The whitelist check
# ---------------------------------------------------------------------------

_COMMAND = re.compile(r"\\([A-Za-z]+|.)|\^\^", re.DOTALL)
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{([^{}]*)\}")
_BRACE = re.compile(r"\\.|[{}]", re.DOTALL)
_HASH = re.compile(r"(?<!\\)#")
_AMPERSAND = re.compile(r"\\&")


#: Groups a formula may nest: far beyond any real formula, far below TeX's 255 grouping
#: levels (which a `\\frac` or `\\left` also spends) and what a reader can follow.
MAX_MATH_NESTING = 40
_FENCE = re.compile(r"\\(left|right)(?![A-Za-z])")


def unsafe_commands(tex: str) -> list[tuple[Severity, str, str]]:
    """(severity, code, message) for every reason a formula may not be rendered.

    Errors are commands that could read or write files or redefine TeX;
    warnings are any other command or environment outside the whitelist, and
    unbalanced braces (which would break out of LaTeX's math environment).
    """
    problems: list[tuple[Severity, str, str]] = []
    for m in _COMMAND.finditer(tex):
        name = m.group(1)
        if name is None:
            problems.append((Severity.ERROR, "math-unsafe", "TeX character code notation ^^ in math"))
        elif name in DANGEROUS:
            problems.append((Severity.ERROR, "math-unsafe", f"forbidden TeX command \\{name} in math"))
        elif name not in WHITELIST and name not in CONTROL_SYMBOLS:
            problems.append((Severity.WARNING, "math-command", f"math command \\{name} is not on the whitelist"))
    for m in _ENVIRONMENT.finditer(tex):
        if m.group(1) not in MATH_ENVIRONMENTS:
            problems.append((Severity.WARNING, "math-command", f"math environment {m.group(1)!r} is not allowed"))
    if _HASH.search(tex) or ("&" in _AMPERSAND.sub("", tex) and "\\begin" not in tex):
        problems.append((Severity.WARNING, "math-special", "# or & outside an environment in math"))
    depth = deepest = 0
    for m in _BRACE.finditer(tex):
        depth += {"{": 1, "}": -1}.get(m.group(), 0)
        deepest = max(deepest, depth)
        if depth < 0:
            break
    if depth:
        problems.append((Severity.WARNING, "math-braces", "unbalanced braces in math"))
    fences = _deepest_fences(tex)
    if max(deepest, fences) > MAX_MATH_NESTING:
        problems.append((Severity.WARNING, "math-too-deep", f"math nested {max(deepest, fences)} levels deep (at most {MAX_MATH_NESTING})"))
    return problems


def _deepest_fences(tex: str) -> int:
    """How deep `\\left` … `\\right` pairs nest (each is a TeX group too)."""
    depth = deepest = 0
    for m in _FENCE.finditer(tex):
        depth = max(depth + (1 if m.group(1) == "left" else -1), 0)
        deepest = max(deepest, depth)
    return deepest


# ---------------------------------------------------------------------------
# Markdown fragments and entry bodies
# ---------------------------------------------------------------------------


_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _as_text(text: str) -> str:
    """`text` shown literally: every ASCII punctuation backslash-escaped, as CommonMark allows.

    Escaping (rather than an inline code span) cannot merge with backticks
    around it, and leaves no ``$`` or ``\\`` that MyST or LaTeX would act on.
    """
    return _PUNCTUATION.sub(r"\\\1", text)


Where = Callable[[int], Source]
"""Maps a line of the text (0-based) to the dump line it came from, for diagnostics."""


def repair_text(text: str, source: Source, report: Report, where: Where | None = None) -> str:
    """Repair every formula of a Markdown text and escape every money ``$``; see `repair_markdown`."""
    if "$" not in text:
        return text
    return repair_markdown(text, source, report, where).text


def repair_markdown(text: str, source: Source, report: Report, where: Where | None = None) -> markdown.Document:
    """Repair every formula of a Markdown text, escape every money ``$``, and return the result parsed.

    What is math is decided on the site's own grammar (`_dollars`).  A formula
    still unsafe after repair is shown as escaped plain text and reported at
    its line (`where`, else `source`).  The result is parsed again by the
    site's grammar, and any math in it that was not approved here (a corner
    of markdown-it's dollar rules) is shown as text too: every formula that
    renders has been through the whitelist.  Never raises, and is idempotent.
    """
    locate = where or (lambda line: source)
    found = _dollars(text)
    out, expected = _rendered(found, lambda position: locate(found.document.line_of(position)), report)
    for attempt in range(_VERIFY_ROUNDS + 1):
        result = markdown.parsed(out)
        strays = [span for span in _rendered_math(result) if (span.start, span.end) not in expected]
        if not strays:
            return result
        for span in strays:
            report.add(
                Severity.WARNING,
                "math-stray",
                f"text the repair left as text would render as math; shown as text: {span.tex[:80]!r}",
                locate(result.line_of(span.start)),
            )
        if attempt == _VERIFY_ROUNDS:  # only crafted text gets here: no dollar may delimit math
            return markdown.Document(_UNESCAPED_DOLLAR.sub(lambda m: m.group(1) + "\\$", out))
        replacements = [(span.start, span.end, _as_text(out[span.start : span.end])) for span in strays]
        out = _replaced(out, replacements)
        expected = _moved(expected, replacements)
    raise AssertionError("unreachable")


#: Rounds of showing stray math as text before every dollar is escaped (one suffices unless crafted).
_VERIFY_ROUNDS = 3
#: A dollar that dollarmath would read as a delimiter (an even number of backslashes before it).
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)((?:\\\\)*)\$")


def _moved(spans: set[tuple[int, int]], replacements: list[tuple[int, int, str]]) -> set[tuple[int, int]]:
    """`spans` after `_replaced`: shifted by the replacements before them, dropped where one overlaps."""
    ends = [end for _, end, _ in replacements]
    shifts = [0]
    for start, end, new in replacements:
        shifts.append(shifts[-1] + len(new) - (end - start))
    moved = set()
    for start, end in spans:
        before = bisect.bisect_right(ends, start)  # replacements that end at or before the span
        if before < len(replacements) and replacements[before][0] < end:
            continue
        moved.add((start + shifts[before], end + shifts[before]))
    return moved


def _replaced(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end) range replaced; the ranges are sorted and disjoint."""
    pieces, position = [], 0
    for start, end, replacement in replacements:
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _rendered(found: _Dollars, locate: Callable[[int], Source], report: Report) -> tuple[str, set[tuple[int, int]]]:
    """The text with formulas repaired and money escaped, and where its formulas now are."""
    text = found.text
    events: list[tuple[int, MathSpan | None]] = [(span.start, span) for span in found.formulas]
    events += [(position, None) for position in found.money]
    events.sort(key=lambda event: event[0])
    out: list[str] = []
    expected: set[tuple[int, int]] = set()
    length = 0  # of the output so far
    position = 0
    for at, span in events:
        out.append(text[position:at])
        length += at - position
        if span is None:
            out.append("\\$")
            length += 2
            position = at + 1
            # Money is followed by a digit; a letter, command or group opens math left unclosed.
            if at + 1 < len(text) and (text[at + 1].isalpha() or text[at + 1] in "\\{"):
                report.add(Severity.WARNING, "math-unclosed", f"unclosed math span {text[at:at + 40]!r}", locate(at))
            continue
        rendered, is_math = _render(span, text, locate(at), report)
        if is_math:
            expected.add((length, length + len(rendered)))
        out.append(rendered)
        length += len(rendered)
        position = span.end
    out.append(text[position:])
    return "".join(out), expected


def _render(span: MathSpan, text: str, source: Source, report: Report) -> tuple[str, bool]:
    """The Markdown for one formula, and whether it is still math."""
    # Blanks at the edges mean nothing to TeX but would stop "$" from opening.
    repaired = repair_formula(span.tex) if span.display else repair_formula(span.tex).strip()
    problems = unsafe_commands(repaired)
    for severity, code, message in problems:
        report.add(severity, code, f"{message}; shown as text: {span.tex[:80]!r}", source)
    if problems:
        return _as_text(text[span.start : span.end]), False
    if not repaired.strip():  # only control characters: no formula, keep the dollars as text
        return "\\$" * (4 if span.display else 2), False
    if repaired != span.tex:
        report.add(Severity.INFO, "math-repaired", f"math repaired: {span.tex!r} -> {repaired!r}", source)
    delimiter = "$$" if span.display else "$"
    return f"{delimiter}{repaired}{delimiter}", True


#: Escapes that end a line when eaten: \\n itself, and \\r \\f \\v, which
#: str.splitlines() also breaks on.
_LINE_BREAK_LETTERS = "nrfv"


def _dangling_opener(line: str) -> int | None:
    """Position of a ``$`` that opens math but is not closed on this line."""
    money = _dollars(line).money
    if money and (money[-1] + 1 == len(line) or not line[money[-1] + 1].isspace()):
        run_start = money[-1]
        while run_start > 0 and line[run_start - 1] == "$":
            run_start -= 1
        if money[-1] - run_start < 2:
            return run_start
    return None


def join_split_escapes(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Re-join formulas that an eaten ``\\n`` (or ``\\r \\f \\v``) broke in two.

    `lines` are (line number, text) of one entry's body.  A line is glued back
    onto the previous one, with the lost command restored (``sign(`` +
    ``abla_x L)$`` gives ``sign(\\nabla_x L)$``), when the previous line ends
    inside an unclosed math span, the line starts with the rest of a command
    (``abla``, ``eq``, ``u``, ``rac``), and the join closes the span.  The
    joined line keeps the first part's number.  Fenced code is left alone.
    """
    out: list[tuple[int, str]] = []
    fence: markdown.Fence | None = None
    for number, text in lines:
        if fence is not None:
            if fence.closed_by(text):
                fence = None
        elif (opened := markdown.Fence.opened_by(text)) is not None:
            fence = opened
        elif out:
            joined = _join(out[-1][1], text)
            if joined is not None:
                out[-1] = (out[-1][0], joined)
                continue
        out.append((number, text))
    return out


def _join(previous: str, line: str) -> str | None:
    if "$" not in previous:  # most lines: no math to be left open
        return None
    word = _LEADING_WORD.match(line)
    letters = [letter for letter in _LINE_BREAK_LETTERS if word and letter + word.group() in WHITELIST]
    if not letters:
        return None
    opener = _dangling_opener(previous)
    if opener is None:
        return None
    for letter in letters:
        joined = f"{previous}\\{letter}{line}"
        if any(span.start == opener for span in _dollars(joined).formulas):
            return joined
    return None
