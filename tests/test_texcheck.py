"""MathJax validation (glossweave.core.texcheck), and every formula of the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossweave.core import texcheck
from glossweave.core.model import Report, Source
from glossweave.core.texmath import bare_command_words, iter_math, join_split_escapes, repair_text

CORPUS = sorted((Path(__file__).parents[1] / "docs" / "corpus").glob("*.txt"))


def _validate(formulas):
    try:
        return texcheck.validate(formulas)
    except texcheck.TexCheckUnavailable as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"MathJax under node is not available: {exc}")


def test_mathjax_reports_errors_per_formula():
    assert _validate([r"\frac{1}{2}", r"\foo", r"\frac{1}{2", r"\def\x{1}", "a & b", r"\mathbb{R}^C"]) == [
        None,
        r"Undefined control sequence \foo",
        "Missing close brace",
        r"Undefined control sequence \def",
        "Misplaced &",
        None,
    ]


def test_empty_batch_needs_no_node():
    assert texcheck.validate([]) == []


def _corpus_math():
    """(source, damaged tex, repaired tex) for every formula of every dump, plus the report."""
    report = Report()
    found = []
    for path in CORPUS:
        lines = list(enumerate(path.read_text(encoding="utf-8").split("\n"), 1))
        for number, line in join_split_escapes(lines):
            source = Source(path.name, number)
            repaired = list(iter_math(repair_text(line, source, report)))
            damaged = list(iter_math(line))
            assert len(repaired) == len(damaged), source  # nothing refused in this corpus
            found += [(source, d.tex, r.tex) for d, r in zip(damaged, repaired)]
    return found, report


def test_every_corpus_formula_is_repaired_parses_and_has_no_bare_command():
    found, report = _corpus_math()
    assert len(found) > 200
    assert sum(damaged != repaired for _, damaged, repaired in found) > 100
    assert report.errors == []
    assert [d for d in report.diagnostics if d.code != "math-repaired"] == []
    for source, _, repaired in found:
        assert bare_command_words(repaired) == [], (source, repaired)
    errors = _validate([repaired for _, _, repaired in found])
    assert [(str(s), r, e) for (s, _, r), e in zip(found, errors) if e] == []


def test_corpus_formulas_spot_checks():
    repaired = {damaged: fixed for _, damaged, fixed in _corpus_math()[0]}
    assert repaired["Y_i in mathbb{R}^C"] == r"Y_i \in \mathbb{R}^C"
    assert repaired["S = int mathcal{L} , dt"] == r"S = \int \mathcal{L} \, dt"
    assert repaired["x_{adv} = x + epsilon cdot ext{sign}( abla_x L)"] == (
        r"x_{adv} = x + \epsilon \cdot \text{sign}( \nabla_x L)"
    )
    assert repaired[r"x_{adv} = x + epsilon cdot ext{sign}(\nabla_x L)"] == (
        r"x_{adv} = x + \epsilon \cdot \text{sign}(\nabla_x L)"
    )
    assert repaired["20"] == "20"
    assert repaired["phi(||w||) / ||Adam\\_update||"] == r"\phi(||w||) / ||Adam\_update||"


#: Formulas the whitelist passes and LaTeX rejects (issue 10), one entry each, with good math beside them.
BREAKING = [r"x^2^3", r"x_1_2", r"a \over b \over c", r"\left( x + y", r"\frac", r"a \hline b", r"a \cr b"]


def test_check_names_each_formula_mathjax_rejects_at_its_dump_line(make_corpus):
    from glossweave.core.pipeline import build_glossary

    lines = ["good math, maths", "**Good Math** is $O(n^2)$ and $\\frac{1}{2}$."]
    for index, tex in enumerate(BREAKING):
        lines += [f"broken {index}, maths", f"**Broken {index}** is **a formula** - with", f"- an item: ${tex}$ here"]
    text = "\n".join(lines) + "\n"
    glossary = build_glossary(make_corpus({"math.txt": text}))
    found = texcheck.formula_diagnostics(glossary)
    if found and found[0].code == "math-unchecked":  # pragma: no cover - depends on the machine
        pytest.skip(found[0].message)
    expected = {(f"math.txt:{number}", tex) for number, line in enumerate(lines, start=1) for tex in BREAKING if f"${tex}$" in line}
    assert {(str(d.source), tex) for d in found for tex in BREAKING if repr(tex) in d.message} == expected
    assert len(found) == len(BREAKING) and all(d.code == "math-invalid" and str(d.severity) == "warning" for d in found)
