"""Summaries (issue 9 §6): one complete sentence of plain text, from markdown-it's tokens."""

from __future__ import annotations

import re

import pytest
from corpus_paths import CORPUS

from glossweave.core.mathtext import readable_math
from glossweave.core.model import Block, BlockKind
from glossweave.core.pipeline import build_glossary
from glossweave.core.summary import SUMMARY_CHARS, summarize


def summary_of(*paragraphs: str) -> str:
    return summarize([Block(BlockKind.PARAGRAPH, [text]) for text in paragraphs])


@pytest.mark.parametrize(
    ("markdown", "summary"),
    [
        ("**Batch Norm** is **a normalization** - It stabilizes training. It is common.",
         "Batch Norm is a normalization - It stabilizes training."),
        ("**Distillation** was introduced by Hinton et al. (2015) as compression. Later work grew.",
         "Distillation was introduced by Hinton et al. (2015) as compression."),
        ("**Tooling** covers helpers, e.g. linters, i.e. static checks. More follows.",
         "Tooling covers helpers, e.g. linters, i.e. static checks."),
        ("**Speedup** is 3.5 times on 2.0 GHz parts. Next.", "Speedup is 3.5 times on 2.0 GHz parts."),
        ("**Boltzmann machines** were studied by G. E. Hinton and T. J. Sejnowski. Next.",
         "Boltzmann machines were studied by G. E. Hinton and T. J. Sejnowski."),
        ("**Plot** (see Fig. 3 and Eq. 2) shows it, vs. the baseline. Next.",
         "Plot (see Fig. 3 and Eq. 2) shows it, vs. the baseline."),
        ("**Rollout** is done! Then more.", "Rollout is done!"),
        ("**Gradient** is written ∇ L. Next.", "Gradient is written ∇ L."),
        ("**Tracer** is a tool for tracing, evaluating, and monitoring apps, providing " + "insight " * 40 + "end.",
         "Tracer is a tool for tracing, evaluating, and monitoring apps."),
        ("**Cache** keeps data. **Why** it matters.", "Cache keeps data."),
        ("A sentence without a full stop", "A sentence without a full stop"),
    ],
)
def test_one_complete_sentence(markdown, summary):
    assert summary_of(markdown) == summary


@pytest.mark.parametrize(
    ("markdown", "summary"),
    [
        ("**X** is described in [the paper](https://example.org/p). More.", "X is described in the paper."),
        ("**X** is at <https://example.org/x>. More.", "X is at https://example.org/x."),
        ("**X** calls `f(*args)` in a loop. More.", "X calls f(*args) in a loop."),
        ("**X** is *very* fast and __bold__. More.", "X is very fast and bold."),
        ("**X** costs \\$5 per \\*hour\\*. More.", "X costs $5 per *hour*."),
        ("**X** has a &amp; b. More.", "X has a & b."),
        ("**L∞ attacks** bound $|x - x_{adv}|_\\infty \\leq \\epsilon$ per pixel. More.",
         "L∞ attacks bound |x − x_adv|∞ ≤ ϵ per pixel."),
        ("**Update** is $x_{t+1} = x_t - \\eta \\nabla L$. More.", "Update is xₜ₊₁ = xₜ − η ∇ L."),
        ("**Ratio** is $\\frac{a+b}{2}$ in $\\mathbb{R}^d$. More.", "Ratio is (a+b)/2 in ℝᵈ."),
        ("**Norm** is $L_2$ or $\\|x\\|_2$. More.", "Norm is L₂ or ‖x‖₂."),
    ],
)
def test_no_markdown_or_tex_left(markdown, summary):
    assert summary_of(markdown) == summary


def test_the_first_paragraph_is_summarized_not_a_heading_before_it():
    blocks = [Block(BlockKind.HEADING, ["**Overview**"]), Block(BlockKind.PARAGRAPH, ["**X** is a thing. More."])]
    assert summarize(blocks) == "X is a thing."


def test_a_long_sentence_ends_where_its_main_clause_does():
    clause = "**Knowledge Distillation** is the compression technique where a small student model learns from a teacher"
    elaboration = " — " + ", ".join(["transferring soft probabilities"] * 12) + "."
    assert summary_of(clause + elaboration) == (
        "Knowledge Distillation is the compression technique where a small student model learns from a teacher."
    )


def test_a_long_sentence_without_a_main_clause_is_cut_at_a_comma_outside_brackets():
    text = "**X** is a method that " + ", ".join(f"handles case {i} (with detail a, b)" for i in range(20)) + "."
    summary = summary_of(text)
    assert summary.endswith("…") and len(summary) <= SUMMARY_CHARS
    head = summary[:-1]
    assert head.count("(") == head.count(")")  # never cut inside brackets
    assert head.endswith(")")  # at a comma: the phrase before it is whole


def test_a_sentence_within_the_limit_is_never_shortened():
    sentence = "**X** is " + "a very long but acceptable phrase, " * 7 + "and done."
    assert len(sentence) < SUMMARY_CHARS
    assert summary_of(sentence).endswith("and done.")


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"L_\infty", "L∞"),
        (r"x_{adv}", "x_adv"),
        (r"x_{t+1}", "xₜ₊₁"),
        (r"x^{(t)}", "x⁽ᵗ⁾"),
        (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿ xᵢ"),
        (r"\frac{1}{d_i}", "1/dᵢ"),
        (r"\frac{a+b}{c}", "(a+b)/c"),
        (r"\sqrt{x+1}", "√(x+1)"),
        (r"\sqrt[3]{x}", "∛x"),
        (r"\mathbb{R}^{d}", "ℝᵈ"),
        (r"\mathcal{L} = T - V", "ℒ = T − V"),
        (r"\text{sign}(\nabla_x L)", "sign(∇ₓ L)"),
        (r"\operatorname{softmax}(z)", "softmax(z)"),
        (r"\left( x \right)", "( x )"),
        (r"\log p(x)", "log p(x)"),
        (r"a \over b", "a / b"),
        (r"W^T", "Wᵀ"),
        (r"e^{i\pi}", "e^iπ"),
        (r"y_{one-hot}", "y_(one-hot)"),
        (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "a, b; c, d"),
        (r"\{x : x > 0\}", "{x : x > 0}"),
    ],
)
def test_readable_math(tex, text):
    assert readable_math(tex) == text


# --- the real corpus ----------------------------------------------------------
#
# An independent checker: a complete sentence starts like one and ends with
# its punctuation, and no Markdown or TeX survives in it.

_MARKDOWN_RESIDUE = re.compile(r"\*\*|__|`|\]\(|<https?:|\\[!-/:-@\[-`{-~]|(?<![\w*])\*\w[^*]*\w\*(?![\w*])")
_TEX_RESIDUE = re.compile(r"\\[A-Za-z]+|[_^]\{|[_^][^\w(\s]|\$|\{[^}]*\}")


_ENDS_ON_AN_ABBREVIATION = re.compile(r"(?:\bet al|\be\.g|\bi\.e|\bvs|\bcf|\bFig|\bEq|(?<![\w.])[A-Z])\.$")


def complete_without_residue(summary: str) -> bool:
    starts = bool(re.match(r"[\"'“(]?[A-Z0-9]|[a-z]+[A-Z0-9-]", summary))  # lakeFS, kNN-LM start with a name
    ends = bool(re.search(r"[.!?][\"'”)]?$", summary)) and not summary.endswith("…")
    ends = ends and not _ENDS_ON_AN_ABBREVIATION.search(summary)
    return starts and ends and not _MARKDOWN_RESIDUE.search(summary) and not _TEX_RESIDUE.search(summary)


@pytest.fixture(scope="module")
def corpus_summaries() -> list[str]:
    glossary = build_glossary(CORPUS, workers=1)
    return [definition.summary for term in glossary.terms for definition in term.definitions]


def test_at_least_95_percent_of_corpus_summaries_are_complete_sentences_without_residue(corpus_summaries):
    bad = [summary for summary in corpus_summaries if not complete_without_residue(summary)]
    assert len(corpus_summaries) > 100
    assert len(bad) <= 0.05 * len(corpus_summaries), bad


def test_the_checker_rejects_what_the_old_summaries_had():
    for old in [
        "Knowledge Distillation Variants are extensions of the original Hinton et al.",
        "L_∞ Attacks are adversarial attacks that perturb |x - x_adv|_∞≤ϵ.",
        "Label Smoothing is a regularization technique that softens hard one-hot labels by…",
        "X is **bold** here.",
        "X is described in [the paper](https://x.org).",
        "X is *very* fast.",
    ]:
        assert not complete_without_residue(old), old
