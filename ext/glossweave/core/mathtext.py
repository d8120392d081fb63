"""A TeX formula as readable plain text: ``L_\\infty`` → L∞, ``x_{t+1}`` → xₜ₊₁, ``\\frac{a+b}{2}`` → (a+b)/2.

Previews, letter pages and meta descriptions are plain text, so a formula in
a summary must read without TeX.  Symbols come from pylatexenc's table
(``\\leq`` → ≤, ``\\mathbb{R}`` → ℝ); structure is ours: a script whose every
character has a Unicode sub- or superscript form is written with them, a
lone symbol is appended (L∞), anything else keeps a plain ``_``/``^`` before
the script (``x_adv``, ``e^(iπ/2)``), the way people type math in plain text.
"""

from __future__ import annotations

import functools
import re

from pylatexenc.latex2text import LatexNodes2Text

__all__ = ["readable_math"]

_SUBSCRIPTS = dict(zip("0123456789+-=()aeoxhklmnpstijruvβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜᵢⱼᵣᵤᵥᵦᵧᵨᵩᵪ", strict=True))
_SUPERSCRIPTS = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθιφχ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᶥᵠᵡ",
        strict=True,
    )
)
#: A longer word is easier to read as ``y_max``-like text than in small Unicode letters.
_LETTERS_IN_UNICODE_SCRIPT = 3

_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|([{}_^&~])|(\s+)|(.)", re.DOTALL)
#: Commands whose argument is shown as it is (text, names, fonts without a Unicode alphabet).
_AS_IS = frozenset(
    """text textrm textit textbf textsf texttt textnormal emph mbox hbox mathrm mathit mathbf mathsf mathtt
    boldsymbol bm operatorname mathnormal pmb""".split()
)
#: Commands with a Unicode alphabet for single letters (ℝ, ℒ, 𝔤), through pylatexenc.
_ALPHABETS = frozenset({"mathbb", "mathcal", "mathfrak", "mathscr", "Bbb"})
_ACCENTS = frozenset("hat widehat bar overline tilde widetilde vec dot ddot check breve acute grave mathring".split())
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
#: Commands that only size, space or style: nothing to read.
_SILENT = frozenset(
    """left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr displaystyle textstyle
    scriptstyle scriptscriptstyle limits nolimits mathop mathbin mathrel mathord mathopen mathclose mathpunct
    begin end label nonumber notag""".split()
)
_SPACES = frozenset({",", ";", ":", " ", "quad", "qquad", "enspace", "thinspace", "medspace", "thickspace"})
_TEXT = LatexNodes2Text(math_mode="text")


def readable_math(tex: str) -> str:
    """The formula as one line of readable text (never raises; unknown commands show their name)."""
    tokens = list(_TOKEN.finditer(tex))
    out, _ = _sequence(tokens, 0, closing=False)
    text = _LOOSE_PUNCTUATION.sub(r"\1", " ".join(out.split()))
    return text.replace(" - ", " − ")  # a minus between operands, not a dash in prose


_LOOSE_PUNCTUATION = re.compile(r" ([,;])")


def _sequence(tokens: list[re.Match[str]], index: int, closing: bool) -> tuple[str, int]:
    """Read tokens up to the end (or the closing brace of a group); return the text and the next index."""
    out: list[str] = []
    while index < len(tokens):
        match = tokens[index]
        word, symbol, special, space, char = match.groups()
        if special == "}":
            if closing:
                return "".join(out), index + 1
            index += 1
            continue
        if special in ("_", "^"):
            script, index = _argument(tokens, index + 1)
            out.append(_script(script, special))
            continue
        if special == "{":
            inner, index = _sequence(tokens, index + 1, closing=True)
            out.append(inner)
            continue
        index += 1
        if special == "&":
            out.append(", ")
        elif special == "~" or space:
            out.append(" ")
        elif symbol is not None:
            out.append(_control_symbol(symbol))
        elif char is not None:
            out.append(char)
        else:
            text, index = _command(word, tokens, index)
            out.append(text)
    return "".join(out), index


def _argument(tokens: list[re.Match[str]], index: int) -> tuple[str, int]:
    """One argument: a braced group, a command (with its own arguments) or a single character."""
    while index < len(tokens) and tokens[index].group(4):  # blanks before an argument mean nothing
        index += 1
    if index >= len(tokens):
        return "", index
    word, symbol, special, _, char = tokens[index].groups()
    if special == "{":
        return _sequence(tokens, index + 1, closing=True)
    if word is not None:
        return _command(word, tokens, index + 1)
    if symbol is not None:
        return _control_symbol(symbol), index + 1
    return (char or ""), index + 1


def _command(name: str, tokens: list[re.Match[str]], index: int) -> tuple[str, int]:
    """A control word and whatever arguments it takes."""
    if name in _FRACTIONS:
        numerator, index = _argument(tokens, index)
        denominator, index = _argument(tokens, index)
        return f"{_grouped(numerator)}/{_grouped(denominator)}", index
    if name == "sqrt":
        degree = ""
        if index < len(tokens) and tokens[index].group(5) == "[":
            end = next((i for i in range(index, len(tokens)) if tokens[i].group(5) == "]"), len(tokens))
            degree = "".join(t.group(0) for t in tokens[index + 1 : end])
            index = end + 1
        radicand, index = _argument(tokens, index)
        root = {"3": "∛", "4": "∜"}.get(degree.strip(), "√")
        prefix = _script(degree, "^") if degree.strip() and root == "√" else ""
        return f"{prefix}{root}{_grouped(radicand)}", index
    if name in _AS_IS:
        argument, index = _argument(tokens, index)
        return argument, index
    if name in _ALPHABETS:
        argument, index = _argument(tokens, index)
        return "".join(_symbol(f"{name}{{{letter}}}") or letter for letter in argument), index
    if name in _ACCENTS:
        argument, index = _argument(tokens, index)
        accented = _symbol(f"{name}{{{argument}}}") if len(argument) == 1 else ""
        return accented or argument, index
    if name in ("begin", "end"):
        _, index = _argument(tokens, index)  # the environment's name
        return " ", index
    if name in _SILENT:
        return "", index
    if name in _SPACES:
        return " ", index
    if name in ("over", "atop"):
        return " / ", index
    text = _symbol(name)
    if text and text.isalpha() and index < len(tokens) and (tokens[index].group(5) or "").isalnum():
        text += " "  # \log p, \max x: a function name stays a word
    return (text if text or name == "!" else name), index


def _control_symbol(char: str) -> str:
    if char == "\\":
        return "; "  # a new row of a matrix or an aligned formula
    if char in ",;: ":
        return " "
    if char == "!":
        return ""
    if char == "|":
        return "‖"
    return _symbol(char) or char


@functools.lru_cache(maxsize=2048)
def _symbol(command: str) -> str:
    """pylatexenc's Unicode for one command (with its arguments), '' when it has none."""
    return _TEXT.latex_to_text("\\" + command).strip()


_OPERATORS = frozenset(" +-−/·×=<>≤≥≈∼±∓,;")


def _grouped(text: str) -> str:
    """`text` as an operand of ``/``: in parentheses when an operator stands in it outside brackets."""
    text = " ".join(text.split())
    depth = 0
    for char in text:
        depth += (char in "([{⟨") - (char in ")]}⟩")
        if depth == 0 and char in _OPERATORS:
            return f"({text})"
    return text


def _script(text: str, marker: str) -> str:
    """A sub- or superscript as Unicode when every character has a form, else readably marked."""
    text = " ".join(text.split())
    if not text:
        return ""
    table = _SUBSCRIPTS if marker == "_" else _SUPERSCRIPTS
    if marker == "^" and text in ("'", "′", "''", "*", "†", "‡", "∗", "⊤", "T"):
        return {"'": "′", "''": "″", "*": "*", "T": "ᵀ"}.get(text, text)
    mapped = "".join(table.get(char, "") for char in text.replace("−", "-"))
    if len(mapped) == len(text) and sum(char.isalpha() for char in text) <= _LETTERS_IN_UNICODE_SCRIPT:
        return mapped
    if len(text) == 1 and not text.isalnum():
        return text  # L_∞: a lone symbol reads well beside its base
    return f"{marker}{text}" if re.fullmatch(r"\w+", text) else f"{marker}({text})"
