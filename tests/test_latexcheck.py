"""The formula check of the book (glossweave.core.latexcheck) on its own: TeX judges, the cache remembers."""

from __future__ import annotations

import pytest

from glossweave.core.latexcheck import CACHE_NAME, LatexCheckUnavailable, check_formulas

pytestmark = pytest.mark.needs("latex")

HEAD = "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n"
#: Formulas the core's whitelist passes and LaTeX rejects (issue 10), each with a word of TeX's message.
BROKEN = {
    r"\(x^2^3\)": "Double superscript",
    r"\(x_1_2\)": "Double subscript",
    r"\(a \over b \over c\)": "Ambiguous",
    r"\(\left( x + y\)": "Missing \\right",
    r"\(\frac\)": "Missing",
    r"\(a \hline b\)": "Misplaced",
    r"\(a \cr b\)": "Misplaced \\cr",
    "\\(" + "\\sqrt{" * 1000 + "x" + "}" * 1000 + "\\)": "capacity exceeded",
}
GOOD = [r"\(O(n^2)\)", r"\(\frac{1}{d_i}\)", "\\begin{equation*}\n\\begin{split}a&=b\\end{split}\n\\end{equation*}"]


def test_each_broken_formula_is_named_with_tex_message_and_good_ones_pass(tmp_path):
    snippets = [GOOD[0], *BROKEN, *GOOD[1:]]
    verdicts = check_formulas(snippets, HEAD, tmp_path / "work", cache_dir=tmp_path / "cache")
    assert [verdict is None for verdict in verdicts] == [snippet in GOOD for snippet in snippets]
    for snippet, verdict in zip(snippets, verdicts):
        if snippet in BROKEN:
            assert BROKEN[snippet] in verdict, (snippet, verdict)


def test_verdicts_are_cached_by_content(tmp_path, monkeypatch):
    snippets = [GOOD[0], r"\(x^2^3\)"]
    first = check_formulas(snippets, HEAD, tmp_path / "work", cache_dir=tmp_path / "cache")
    monkeypatch.setenv("PATH", "")  # from here on xelatex cannot be found: a run would raise
    assert check_formulas(snippets, HEAD, tmp_path / "work", cache_dir=tmp_path / "cache") == first
    with pytest.raises(LatexCheckUnavailable):  # another preamble is another key
        check_formulas(snippets, HEAD + "%\n", tmp_path / "work", cache_dir=tmp_path / "cache")
    monkeypatch.undo()
    (tmp_path / "cache" / CACHE_NAME).write_text('{"cut short', encoding="utf-8")
    assert check_formulas(snippets, HEAD, tmp_path / "work", cache_dir=tmp_path / "cache") == first


def test_a_preamble_that_does_not_compile_is_reported_not_blamed_on_formulas(tmp_path):
    with pytest.raises(LatexCheckUnavailable):
        check_formulas([GOOD[0]], HEAD + "\\usepackage{no-such-package-glossweave}\n", tmp_path / "work")


@pytest.mark.slow
def test_an_endless_formula_is_killed_and_the_ones_after_it_are_still_judged(tmp_path):
    verdicts = check_formulas([GOOD[0], r"\(\def\x{\x}\x\)", r"\(x^2^3\)", GOOD[1]], HEAD, tmp_path / "work")
    assert verdicts[0] is None and "did not finish" in verdicts[1] and "Double superscript" in verdicts[2] and verdicts[3] is None
