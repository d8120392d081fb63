"""Math repair, money and the whitelist (glossweave.core.texmath / texcommands)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from glossweave.core import texcommands
from glossweave.core.model import Report, Severity, Source
from glossweave.core.texmath import (
    bare_command_words,
    iter_math,
    join_split_escapes,
    repair_formula,
    repair_text,
    unsafe_commands,
)

SRC = Source("dump.txt", 7)


def fix(text: str) -> str:
    return repair_text(text, SRC, Report())


# --- the vocabulary -----------------------------------------------------------


def test_vocabulary_is_generated_from_mathjax_and_complete():
    whitelist = texcommands.WHITELIST
    for name in ["alpha", "varepsilon", "Omega", "frac", "mathcal", "mathbb", "log", "max", "leq",
                 "rightarrow", "tilde", "nabla", "partial", "binom", "operatorname", "left", "langle"]:
        assert name in whitelist, name
    assert whitelist["log"].kind == "NamedFn"
    assert whitelist["frac"].kind in {"Frac", "Genfrac"}
    assert {"pmatrix", "cases", "aligned"} <= texcommands.MATH_ENVIRONMENTS <= texcommands.ALL_ENVIRONMENTS
    assert len(texcommands.ALL_COMMANDS) > 1000


@pytest.mark.parametrize(
    "name", ["input", "include", "write", "openin", "read", "catcode", "def", "csname", "immediate",
             "usepackage", "newcommand", "href", "require", "unicode", "label"]
)
def test_dangerous_and_non_portable_commands_are_not_whitelisted(name):
    assert name not in texcommands.WHITELIST


# --- repairs, one per kind of damage ------------------------------------------


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        # stripped backslashes
        ("frac{1}{d_i}", r"\frac{1}{d_i}"),
        ("mathcal{L} = T - V", r"\mathcal{L} = T - V"),
        ("L_infty", r"L_\infty"),
        ("Y_i in mathbb{R}^C", r"Y_i \in \mathbb{R}^C"),
        ("|x - x_{adv}|_2 leq epsilon", r"|x - x_{adv}|_2 \leq \epsilon"),
        ("(1 - epsilon) cdot y_{one-hot}", r"(1 - \epsilon) \cdot y_{one-hot}"),
        ("sum_{j in mathcal{N}(i)} A_{ij}", r"\sum_{j \in \mathcal{N}(i)} A_{ij}"),
        ("f(x) = max_i x_i + log(p)", r"f(x) = \max_i x_i + \log(p)"),
        ("x to infty", r"x \to \infty"),
        ("left( x right)", r"\left( x \right)"),
        ("langle x, y rangle", r"\langle x, y \rangle"),
        # eaten control escapes: the letter vanished, or the tab became a space
        ("ilde{A}Y^{(t)}", r"\tilde{A}Y^{(t)}"),
        ("L_ heta(q)", r"L_ \theta(q)"),
        ("epsilon cdot ext{sign}(x)", r"\epsilon \cdot \text{sign}(x)"),
        ("a imes b", r"a \times b"),
        ("( abla_x L)", r"( \nabla_x L)"),
        ("rac{a}{b}", r"\frac{a}{b}"),
        ("x ightarrow y", r"x \rightarrow y"),
        ("lpha + oldsymbol{x}", r"\alpha + \boldsymbol{x}"),
        ("langle x angle", r"\langle x \rangle"),  # \rangle lost its \r
        ("lceil x ceil", r"\lceil x \rceil"),
        ("a ho b", r"a \rho b"),  # two letters count only after the tab's space
        # surviving control characters in front of the rest of the word
        ("\theta + \x08eta + \x0crac{1}{2} + \x0bec{v} + \x07lpha + \ru", r"\theta + \beta + \frac{1}{2} + \vec{v} + \alpha + \ru".replace(r"\ru", " u")),
        ("x \to y", r"x \to y"),
        # \, \; \! lost their backslash and left the mark between spaces
        ("S = int mathcal{L} , dt", r"S = \int \mathcal{L} \, dt"),
        ("a ; b", r"a \; b"),
        # a percent sign would comment out the rest of the formula
        ("50% + x", r"50\% + x"),
    ],
)
def test_repair_formula(damaged, repaired):
    assert repair_formula(damaged) == repaired
    assert bare_command_words(repaired) == []


@pytest.mark.parametrize(
    "intact",
    [
        r"y_{smooth} = (1 - \varepsilon) \times y_{one-hot} + \varepsilon / K",
        r"p_i^T = \frac{\exp(z_i/T)}{\sum_j \exp(z_j/T)}",
        r"\phi(||w||) / ||Adam\_update||",
        r"x_{adv} = x + \epsilon \cdot \text{sign}(\nabla_x L)",
        r"\text{for all x in the set}",
        r"\operatorname{softmax}(z)",
        "y_{max} + x_{in} + W_{out} + d_{model}",
        "sign(x) dt + Adam + next + u + e^{i pi}".replace(" pi", " p"),
        "KL(p^T_{teacher} || p^T_{student})",
        "T = 3",
        "hat x",  # an accent needs its argument in braces to count
    ],
)
def test_words_that_are_not_commands_stay(intact):
    assert repair_formula(intact) == intact
    assert bare_command_words(intact) == []


def test_detector_finds_each_bare_word():
    assert bare_command_words("frac{1}{2} + L_infty + x_{adv} + ilde{A} + y_{one-hot}") == [
        "frac", "infty", "ilde"
    ]


# --- money and spans ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("| Cost | $390/year | $$$$ |", r"| Cost | \$390/year | \$\$\$\$ |"),
        ("at ~$2/GPU/hour vs AWS at $3.50+/GPU/hour", r"at ~\$2/GPU/hour vs AWS at \$3.50+/GPU/hour"),
        ("costs $10M-$100M+ to train", r"costs \$10M-\$100M+ to train"),
        ("spending $100K/month saves $40-60K monthly", r"spending \$100K/month saves \$40-60K monthly"),
        ("raised $25M+ in funding", r"raised \$25M+ in funding"),
        ("typically $10^{9}$ – $10^{12}$ cm", r"typically $10^{9}$ – $10^{12}$ cm"),
        ("Typical: $T = 3$–$20$ during", "Typical: $T = 3$–$20$ during"),
        ("costs ~$2.49/hr where $x$ is", r"costs ~\$2.49/hr where $x$ is"),
        (r"already \$5 escaped", r"already \$5 escaped"),
        ("code `$HOME and $x$` stays", "code `$HOME and $x$` stays"),
        ("``a ` $b`` then $x in X$", r"``a ` $b`` then $x \in X$"),
        ("$$p_i = frac{1}{Z}$$ after", r"$$p_i = \frac{1}{Z}$$ after"),
    ],
)
def test_money_is_text_and_math_is_math(text, expected):
    assert fix(text) == expected


def test_iter_math_reports_positions_and_display():
    text = "a $x$ b $$y$$ `$z$` $5"
    assert [(s.start, s.end, s.tex, s.display) for s in iter_math(text)] == [(2, 5, "x", False), (8, 13, "y", True)]


# --- the whitelist ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "severity"),
    [
        (r"\input{/etc/passwd}", Severity.ERROR),
        (r"\write18{rm -rf /}", Severity.ERROR),
        (r"\immediate\openin5=x", Severity.ERROR),
        (r"\catcode 94=7", Severity.ERROR),
        (r"\def\x{1}", Severity.ERROR),
        (r"\csname input\endcsname", Severity.ERROR),
        (r"\usepackage{x}", Severity.ERROR),
        (r"\newcommand{\x}{1}", Severity.ERROR),
        ("x^^5cinput{f}", Severity.ERROR),
        (r"\foo + 1", Severity.WARNING),
        (r"\begin{equation}x\end{equation}", Severity.WARNING),
        (r"\frac{1}{2", Severity.WARNING),
        ("a # b", Severity.WARNING),
    ],
)
def test_unsafe_formulas_are_reported_and_shown_as_text(formula, severity):
    report = Report()
    out = repair_text(f"see ${formula}$ here", SRC, report)
    assert list(iter_math(out)) == []
    assert re.sub(r"\\(.)", r"\1", out) == f"see ${formula}$ here"  # shown literally
    assert report.diagnostics
    assert max(d.severity for d in report.diagnostics) is severity
    assert all(d.source == SRC for d in report.diagnostics)


def test_refused_formula_cannot_merge_with_neighbouring_backticks():
    assert fix("`$${$$") == r"`\$\$\{\$\$"


def test_repairs_are_reported_as_info():
    report = Report()
    fix_text = repair_text("$frac{1}{2}$", SRC, report)
    assert fix_text == r"$\frac{1}{2}$"
    assert [(d.severity, d.code) for d in report.diagnostics] == [(Severity.INFO, "math-repaired")]


def test_unclosed_math_is_warned_but_money_is_not():
    report = Report()
    assert repair_text("a $x + frac{1}{2} and ~$2.49/hr", SRC, report) == r"a \$x + frac{1}{2} and ~\$2.49/hr"
    assert [d.code for d in report.diagnostics] == ["math-unclosed"]


# --- split lines ------------------------------------------------------------------


def test_join_split_escapes_restores_the_eaten_newline():
    lines = [
        (61, "**Key Methods**"),
        (62, "- **FGSM**: Single-step sign of gradient: $x_{adv} = x + epsilon cdot ext{sign}("),
        (63, "abla_x L)$."),
        (64, "- next item"),
    ]
    assert join_split_escapes(lines) == [
        (61, "**Key Methods**"),
        (62, r"- **FGSM**: Single-step sign of gradient: $x_{adv} = x + epsilon cdot ext{sign}(\nabla_x L)$."),
        (64, "- next item"),
    ]


@pytest.mark.parametrize(
    "lines",
    [
        [(1, "costs ~$2.49/hr"), (2, "abla is not joined: no math is open")],
        [(1, "open $x +"), (2, "either way")],  # "neither" is no command
        [(1, "```"), (2, "echo $x"), (3, "u$"), (4, "```")],  # code is left alone
        [(1, "$a$ closed"), (2, "u$")],
    ],
)
def test_join_split_escapes_leaves_other_lines(lines):
    assert join_split_escapes(lines) == lines


def test_join_split_escapes_other_line_breaking_escapes():
    assert join_split_escapes([(1, "$x "), (2, "eq y$")]) == [(1, r"$x \neq y$")]
    assert join_split_escapes([(1, "$"), (2, "rac{1}{2}$")]) == [(1, r"$\frac{1}{2}$")]


# --- properties ---------------------------------------------------------------------
#
# The oracle is markdown-it itself, configured by hand as the site renders
# (commonmark, raw HTML off, tables, strikethrough, dollarmath with spaces,
# digits and inline $$), and with text_join off so that an escaped dollar is a
# token of its own.  What the oracle renders as math is what MathJax and
# LaTeX receive; a dollar it renders as plain text must have been escaped.


def oracle() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_labels=False, allow_space=True, allow_digits=True, double_inline=True)
    md.core.ruler.disable("text_join")
    return md


ORACLE = oracle()


def rendered(markdown: str) -> tuple[list[str], list[str]]:
    """(every formula markdown-it typesets, every piece of plain text it shows) in `markdown`."""
    formulas, texts = [], []

    def walk(tokens):
        for token in tokens or []:
            if token.type in ("math_inline", "math_inline_double", "math_block"):
                formulas.append(token.content)
            elif token.type == "text":
                texts.append(token.content)
            walk(token.children)

    walk(ORACLE.parse(markdown))
    return formulas, texts


_MONEY_OR_MATH = st.lists(
    st.sampled_from(["$", "$$", "\\", "`", " ", "x", "5", "frac{1}{2}", "in", "{", "}", "\t", "\n", "ilde",
                     "%", "^^", "\\input", "_", "-", "|", "ab", "ext{a}", "\x08", "<http://a`b>", "[l](http://u`v)",
                     "|---|", "\n|", "*", "[", "]", "(", ")", "\\$", "\\`", "    ", "> ", "- "]),
    max_size=30,
).map("".join)


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=80), _MONEY_OR_MATH))
def test_never_crashes_is_idempotent_and_leaves_no_bare_dollar(text):
    out = fix(text)
    assert fix(out) == out
    formulas, texts = rendered(out)
    assert all("$" not in piece for piece in texts), (text, out)  # money: every dollar escaped
    for tex in formulas:
        assert unsafe_commands(tex) == [], (text, out, tex)


@settings(max_examples=300)
@given(_MONEY_OR_MATH)
def test_every_rendered_formula_went_through_the_whitelist(text):
    formulas, _ = rendered(fix(text))
    for tex in formulas:
        commands = re.findall(r"\\([A-Za-z]+)", tex)
        assert all(c in texcommands.WHITELIST for c in commands), tex
        assert "^^" not in tex


# --- what the old scanner missed: markdown-it pairs backticks differently -------------
#
# Each text hides a formula behind a backtick that CommonMark does not pair
# (inside an autolink or a link destination, or a code span that a table cell
# boundary cuts in two).  A scanner of its own took the formula for code and
# let it through unchecked; markdown-it renders it as math.

PAYLOAD = r"$\input{/etc/passwd}$"
BYPASSES = {
    "backtick in an autolink": f"see <https://example.org/a`b> then {PAYLOAD} and `c`",
    "backtick in a link destination": f"see [the page](https://example.org/a`b) then {PAYLOAD} and `c`",
    "code span across table cells": f"| `a | {PAYLOAD} | b` |\n|---|---|---|\n| 1 | 2 | 3 |",
    "code span across body cells": f"| h | i | j |\n|---|---|---|\n| `a | {PAYLOAD} | b` |",
    "escaped backtick before": rf"a \`b {PAYLOAD} c` d",
    "backtick in an image source": f"![alt](https://example.org/a`b.png) {PAYLOAD} `c`",
}


@pytest.mark.parametrize("text", BYPASSES.values(), ids=BYPASSES.keys())
def test_a_formula_behind_an_unpaired_backtick_is_still_checked(text):
    report = Report()
    out = repair_text(text, SRC, report)
    formulas, _ = rendered(out)
    assert all(unsafe_commands(tex) == [] for tex in formulas), out
    assert not any("input" in tex for tex in formulas), out
    assert any(d.code == "math-unsafe" for d in report.diagnostics), out


def test_the_verification_shows_stray_math_as_text():
    # dollarmath reads a "$" that opens a paragraph ending in a backslash as escaped,
    # so the closing dollar would pair with the next one: the repair must see that.
    out = repair_text("$x$ and $y$ \\", SRC, Report())
    formulas, _ = rendered(out)
    assert all(unsafe_commands(tex) == [] for tex in formulas)
    assert "x" not in formulas and " and " not in formulas
