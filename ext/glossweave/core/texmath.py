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

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

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


_BACKTICKS = re.compile(r"`+")
#: Control characters that Python/JSON made of the escapes \a \b \f \n \r \t \v.
_CONTROL_TO_LETTER = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_DOLLARS = re.compile(r"\$+")


def _escaped(text: str, pos: int) -> bool:
    """True when text[pos] is preceded by an odd number of backslashes."""
    count = 0
    while pos > 0 and text[pos - 1] == "\\":
        count += 1
        pos -= 1
    return count % 2 == 1


def _code_spans(text: str) -> list[tuple[int, int]]:
    """CommonMark inline code spans: a backtick run closes at the next run of equal length."""
    runs = [m.span() for m in _BACKTICKS.finditer(text)]
    spans: list[tuple[int, int]] = []
    next_of_length: dict[int, list[int]] = {}
    for index in range(len(runs) - 1, -1, -1):
        next_of_length.setdefault(runs[index][1] - runs[index][0], []).append(index)
    cursor = 0
    for start, end in runs:
        length = end - start
        waiting = next_of_length[length]
        waiting.pop()  # this run itself, the last pushed for its length
        if start < cursor or _escaped(text, start):
            continue
        if waiting:
            close = runs[waiting[-1]]
            spans.append((start, close[1]))
            cursor = close[1]
    return spans


def _dollar_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Unescaped runs of ``$`` in text[start:end] as (position, length)."""
    runs = []
    for m in _DOLLARS.finditer(text, start, end):
        pos, length = m.start(), m.end() - m.start()
        if _escaped(text, pos):
            pos, length = pos + 1, length - 1
        if length:
            runs.append((pos, length))
    return runs


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


def _scan(text: str) -> tuple[list[MathSpan], list[int]]:
    """Math spans and the positions of ``$`` that are text (money), outside code."""
    spans: list[MathSpan] = []
    money: list[int] = []
    bounds = [0]
    for start, end in _code_spans(text):
        bounds += [start, end]
    bounds.append(len(text))
    for seg_start, seg_end in zip(bounds[::2], bounds[1::2]):
        runs = _dollar_runs(text, seg_start, seg_end)
        index = 0
        while index < len(runs):
            run = runs[index]
            if index + 1 < len(runs) and _closes(text, run, runs[index + 1], seg_end):
                close = runs[index + 1]
                inner = run[0] + run[1]
                spans.append(MathSpan(run[0], close[0] + close[1], text[inner : close[0]], run[1] == 2))
                index += 2
                continue
            money.extend(range(run[0], run[0] + run[1]))
            index += 1
    return spans, money


def iter_math(text: str) -> Iterator[MathSpan]:
    """Yield the math spans of a Markdown fragment, skipping inline code and money."""
    if "$" in text:
        yield from _scan(text)[0]


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
_CONTROL_WORD = re.compile(r"([\a\b\f\n\r\t\v])([A-Za-z]*)")
_LOST_SPACING = re.compile(r"(?<=\s)([,;!])(?=\s)")
_PERCENT = re.compile(r"(?<!\\)%")
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def _in_label(tex: str, start: int, end: int) -> bool:
    """True when the word is the whole of a script group such as ``_{adv}``, ``^{max}``."""
    while start > 0 and tex[start - 1] in _LABEL_CHARS:
        start -= 1
    while end < len(tex) and tex[end] in _LABEL_CHARS:
        end += 1
    return start >= 2 and tex[start - 1] == "{" and tex[start - 2] in "_^" and end < len(tex) and tex[end] == "}"


def _flanked(tex: str, start: int, end: int) -> bool:
    """True when the word stands between spaces as an operator would (``Y in X``)."""
    before = start == 0 or tex[start - 1].isspace()
    after = end == len(tex) or tex[end].isspace() or tex[end] == "\\"
    return before and after and not (start == 0 and end == len(tex))


def _fits(tex: str, start: int, end: int, name: str) -> bool:
    """Does the context at tex[start:end] make `name` a command rather than a word?"""
    kind = WHITELIST[name].kind
    following = tex[end:].lstrip()[:1]
    if kind in _ARGUMENT_KINDS:
        return following == "{" or (name == "sqrt" and following == "[")
    if kind in _DELIMITER_KINDS:
        return end < len(tex) and tex[end] in _DELIMITERS
    if _in_label(tex, start, end):
        return kind == "symbol" and name not in WORDLIKE
    if kind in _FUNCTION_KINDS:
        return (end < len(tex) and tex[end] in _APPLIED) or _flanked(tex, start, end)
    if name in WORDLIKE or kind not in _SYMBOL_KINDS:
        return _flanked(tex, start, end)
    return True


def _resolve(tex: str, start: int, end: int, open_pairs: Counter[str]) -> str | None:
    """The command a bare word stands for, or None when it is just letters."""
    word = tex[start:end]
    if word in _PAIRED and open_pairs[word] > 0:
        return "r" + word
    if len(word) > 1 and word in WHITELIST:
        return word if _fits(tex, start, end, word) else None
    if word in ALL_COMMANDS:
        return None  # a known but refused command name stays inert letters
    # A lost escape letter: "ilde" is \tilde minus its \t.  Two-letter remains
    # ("ho" of \rho) count only with the space a tab left behind.
    if len(word) >= 3 or (len(word) == 2 and start > 0 and tex[start - 1] in " \t"):
        for letter in ESCAPE_LETTERS:
            candidate = letter + word
            if candidate in WHITELIST and _fits(tex, start, end, candidate):
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
    for m in _TOKEN.finditer(tex):
        start, end = m.span()
        if start < skip_until:
            continue
        token = m.group()
        if token[0] == "\\":
            name = token[1:]
        else:
            resolved = _resolve(tex, start, end, open_pairs)
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
    depth = 0
    for m in _BRACE.finditer(tex):
        depth += {"{": 1, "}": -1}.get(m.group(), 0)
        if depth < 0:
            break
    if depth:
        problems.append((Severity.WARNING, "math-braces", "unbalanced braces in math"))
    return problems


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


def repair_text(text: str, source: Source, report: Report) -> str:
    """Repair every formula of a Markdown fragment and escape every money ``$``.

    `text` is a paragraph, list item or table row, never a code block; its
    inline code spans are left as they are.  A formula that is still unsafe
    after repair is shown as escaped plain text and reported at `source`.  Never
    raises, and is idempotent: repaired output comes back unchanged.
    """
    if "$" not in text:
        return text
    spans, money = _scan(text)
    events = sorted([(span.start, span) for span in spans] + [(pos, None) for pos in money], key=lambda e: e[0])
    out = []
    pos = 0
    for at, span in events:
        out.append(text[pos:at])
        if span is None:
            out.append("\\$")
            pos = at + 1
            # Money is followed by a digit; a letter, command or group opens math left unclosed.
            if at + 1 < len(text) and (text[at + 1].isalpha() or text[at + 1] in "\\{") and not _escaped(text, at):
                report.add(Severity.WARNING, "math-unclosed", f"unclosed math span {text[at:at + 40]!r}", source)
            continue
        out.append(_render(span, text, source, report))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def _render(span: MathSpan, text: str, source: Source, report: Report) -> str:
    # Blanks at the edges mean nothing to TeX but would stop "$" from opening.
    repaired = repair_formula(span.tex) if span.display else repair_formula(span.tex).strip()
    problems = unsafe_commands(repaired)
    for severity, code, message in problems:
        report.add(severity, code, f"{message}; shown as text: {span.tex[:80]!r}", source)
    if problems:
        return _as_text(text[span.start : span.end])
    if not repaired.strip():  # only control characters: no formula, keep the dollars as text
        return "\\$" * (4 if span.display else 2)
    if repaired != span.tex:
        report.add(Severity.INFO, "math-repaired", f"math repaired: {span.tex!r} -> {repaired!r}", source)
    delimiter = "$$" if span.display else "$"
    return f"{delimiter}{repaired}{delimiter}"


_FENCE = re.compile(r"\s*(```|~~~)")
_LEADING_WORD = re.compile(r"[A-Za-z]+")
#: Escapes that end a line when eaten: \\n itself, and \\r \\f \\v, which
#: str.splitlines() also breaks on.
_LINE_BREAK_LETTERS = "nrfv"


def _dangling_opener(line: str) -> int | None:
    """Position of a ``$`` that opens math but is not closed on this line."""
    _, money = _scan(line)
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
    in_fence = False
    for number, text in lines:
        if _FENCE.match(text):
            in_fence = not in_fence
        elif not in_fence and out:
            joined = _join(out[-1][1], text)
            if joined is not None:
                out[-1] = (out[-1][0], joined)
                continue
        out.append((number, text))
    return out


def _join(previous: str, line: str) -> str | None:
    if "$" not in previous:  # most lines: no math to be left open
        return None
    opener = _dangling_opener(previous)
    word = _LEADING_WORD.match(line)
    if opener is None or word is None:
        return None
    for letter in _LINE_BREAK_LETTERS:
        if letter + word.group() in WHITELIST:
            joined = f"{previous}\\{letter}{line}"
            if any(span.start == opener for span in iter_math(joined)):
                return joined
    return None
