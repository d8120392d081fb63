"""Markdown fidelity (issue 10 §7): what the corpus wrote as text renders as text.

The oracle is markdown-it as the site configures it: the finished Markdown is
rendered to HTML and compared with what the author wrote.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from glossweave.core import fidelity, markdown
from glossweave.core.blocks import Line, restore_blocks
from glossweave.core.model import Block, BlockKind, Layout, RawEntry, Report, Source
from glossweave.core.normalize import normalize_entry

SITE = markdown.new_parser()


def finished(*lines: str) -> str:
    blocks = [Block(BlockKind.PARAGRAPH, [line]) for line in lines]
    blocks, _ = fidelity.finish_markdown(blocks, "f.txt", Report())
    return "\n\n".join(block.markdown() for block in blocks)


def html(markdown_text: str) -> str:
    return SITE.render(markdown_text)


@pytest.mark.parametrize(
    "written",
    [
        "z = U*v + (P*Q)*v for the update",
        "the score ∇_x log p(x) drives x_{t+1} toward the mode",
        "a*b*c and 2*x*y",
        "loss = (y_hat - y)*w + b*x_i",
        "f(x)*(a+b)*c and g*h",
    ],
)
def test_multiplication_and_subscripts_render_as_written(written):
    out = html(finished(written))
    assert "<em>" not in out and "<strong>" not in out, out
    assert written.replace("&", "&amp;") in out.replace("&amp;", "&amp;"), out


@pytest.mark.parametrize(
    ("written", "rendered"),
    [
        ("This is *meant* emphasis.", "<em>meant</em>"),
        ("**Term**: a definition.", "<strong>Term</strong>"),
        ("A (_see_ below) aside.", "<em>see</em>"),
        ("Uses **K-Means**-like steps.", "<strong>K-Means</strong>"),
        ("“*quoted*” words.", "<em>quoted</em>"),
        ("***both*** at once.", "<em><strong>both</strong></em>"),
        ("Plain **bold** and *it* with U*v beside them.", "<strong>bold</strong> and <em>it</em>"),
    ],
)
def test_emphasis_the_author_meant_survives(written, rendered):
    assert rendered in html(finished(written))


def test_only_the_unmeant_delimiters_are_escaped():
    assert finished("z = U*v + (P*Q)*v") == r"z = U\*v + (P\*Q)*v"
    assert finished("∇_x log p(x) then x_{t+1}") == r"∇\_x log p(x) then x\_{t+1}"


def test_math_is_not_touched():
    assert finished("with $a*b*c$ and $x_{t} + y_{t}$ done") == "with $a*b*c$ and $x_{t} + y_{t}$ done"


def test_finishing_is_idempotent():
    once = finished("z = U*v + (P*Q)*v and *meant* and ∇_x y_{t}")
    assert finished(once) == once


def test_a_whole_entry_renders_its_formula_lines_as_written():
    raw = RawEntry(Source("f.txt", 1), "update rule, optimization",
                   ["**Update Rule** is how weights move.", "The step is w = w - lr*g*m for each w_i in W_{layer}."], 2, Layout.LINES)
    entry = normalize_entry(raw, Report())
    out = html(entry.markdown)
    assert "<em>" not in out and "w = w - lr*g*m for each w_i in W_{layer}." in out


# --- the prefilter is sound: text it lets through holds no unmeant emphasis ---------

TEXT = st.lists(
    st.sampled_from(["*", "**", "_", "__", "a", "U", "v", " ", "(", ")", "{", "}", "∇", ".", ":", "-", "\\", "`", "$", "x_", "\n"]),
    max_size=30,
).map("".join)


@settings(max_examples=800)
@given(TEXT)
@example("(TDDB)**: thin")
@example(")*v")
def test_the_prefilter_never_skips_an_unmeant_emphasis(text):
    if fidelity._may_hold_unmeant_emphasis(text):
        return
    assert fidelity.unmeant_emphasis(markdown.Document(text)) == [], text


@settings(max_examples=400)
@given(TEXT)
def test_after_finishing_no_unmeant_emphasis_is_left(text):
    document = fidelity._literal_emphasis(markdown.Document(text))
    assert fidelity.unmeant_emphasis(document) == []


# --- unfenced code -----------------------------------------------------------------

def kinds_and_lines(*lines: str) -> list[tuple[BlockKind, list[str]]]:
    blocks = restore_blocks([Line(number, text) for number, text in enumerate(lines, start=1)], "f.txt", Report())
    return [(block.kind, block.lines) for block in blocks]


def test_shell_lines_with_comments_are_one_code_block():
    found = kinds_and_lines(
        "**Typical workflow**:",
        "repoctl branch create main/feature --from main",
        "# build the features on the branch",
        "make -j 4 features",
        "# check them",
        "./check.sh --strict",
    )
    assert found[1][0] is BlockKind.CODE
    assert found[1][1][0] == "```bash" and "# build the features on the branch" in found[1][1]
    assert len(found) == 2


def test_python_with_comments_is_one_code_block():
    found = kinds_and_lines(
        "Usage:",
        "# load the encoder",
        "encoder = Encoder(size=8)",
        "for item in items:",
        "    encoder.fit(item)  # one pass",
    )
    assert [kind for kind, _ in found] == [BlockKind.PARAGRAPH, BlockKind.CODE]
    assert found[1][1][0] == "```python" or found[1][1][0] == "```"


def test_a_comment_line_among_code_does_not_render_as_a_heading():
    found = kinds_and_lines("pip install thing", "# then run it", "thing --serve")
    out = html("\n\n".join("\n".join(lines) for _, lines in found))
    assert "<h1>" not in out and "# then run it" in out


def test_prose_lines_stay_prose():
    found = kinds_and_lines("Set the rate carefully.", "Then evaluate the model on held-out data.")
    assert [kind for kind, _ in found] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
