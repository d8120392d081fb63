"""The renderer flattens what nests deeper than LaTeX allows, in every output, losing no text."""

from __future__ import annotations

import re

from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from glossweave.core.model import LinkSpan
from glossweave.site.safety import render_markdown

LEVELS = (nodes.bullet_list, nodes.enumerated_list, nodes.block_quote)


def render(markdown: str, links=()) -> nodes.container:
    holder = nodes.container()
    holder += render_markdown(markdown, list(links), lambda target, children: nodes.inline("", "", *children, target=target))
    return holder


def depth(node: nodes.Node, kinds=LEVELS) -> int:
    """The deepest run of `kinds` nested in one another."""
    below = max((depth(child, kinds) for child in node.children), default=0) if isinstance(node, nodes.Element) else 0
    return below + isinstance(node, kinds)


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+\d*", text)


def test_quotes_six_deep_render_four_deep_with_their_text():
    tree = render("> > > > > > six deep words\n\nafter")
    assert depth(tree) == 4
    assert words(tree.astext()) == ["six", "deep", "words", "after"]


def test_a_flattened_list_item_keeps_its_marker_as_text():
    tree = render("- - - - - - bullet six")
    assert depth(tree) == 4 and tree.astext().split() == ["-", "-", "bullet", "six"]
    ordered = render("1. 1. 1. 1. 7. ordered five")
    assert depth(ordered, nodes.enumerated_list) == 3
    assert ordered.astext().split() == ["1.", "7.", "ordered", "five"]


def test_a_flattened_item_whose_first_block_is_code_shows_its_marker_before_it():
    tree = render("1. 1. 1. 1. x\n\n           ```\n           code\n           ```\n\n           - - nested")
    assert "code" in tree.astext() and depth(tree, nodes.enumerated_list) == 3


def test_text_past_the_parsers_nesting_limit_is_shown_as_written():
    tree = render("> " * 30 + "far too deep\n\nafter")
    assert depth(tree) == 4
    assert "far too deep" in tree.astext() and "after" in tree.astext()


def test_emphasis_hundreds_deep_is_flattened_and_keeps_its_words():
    tree = render("*a " * 300 + "centre" + " b*" * 300)
    assert depth(tree, (nodes.emphasis,)) == 32
    assert words(tree.astext()) == ["a"] * 300 + ["centre"] + ["b"] * 300


def test_a_term_link_inside_flattened_structure_still_links():
    markdown = "> > > > > > see the GPU here"
    start = markdown.index("GPU")
    tree = render(markdown, [LinkSpan(start, start + 3, "gpu")])
    (link,) = [node for node in tree.findall(nodes.inline) if node.get("target") == "gpu"]
    assert link.astext() == "GPU"


_PIECES = st.sampled_from(["> ", "- ", "1. ", "  ", "   ", "\n", "\n\n", "word", "*", "**", "_", "~~", "[", "](http://x)"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(_PIECES, max_size=80).map("".join))
def test_any_nesting_renders_within_the_limits_and_keeps_every_word(markdown):
    tree = render(markdown)
    assert depth(tree) <= 4 and depth(tree, nodes.enumerated_list) <= 3
    assert tree.astext().count("word") == markdown.count("word")
