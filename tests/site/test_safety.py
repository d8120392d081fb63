"""The safety boundary: corpus Markdown renders as plain structure, never as markup that executes."""

from __future__ import annotations

import pytest
from docutils import nodes

from glossweave.core.model import LinkSpan
from glossweave.site.safety import escape_inline, mark_links, render_markdown, safe_url


def render(markdown: str, links=()) -> nodes.container:
    holder = nodes.container()
    refs = []

    def make_ref(target, children):
        ref = nodes.inline("", "", *children, classes=["termref"], target=target)
        refs.append(ref)
        return ref

    holder += render_markdown(markdown, list(links), make_ref, "doc")
    holder.refs = refs
    return holder


def kinds(node: nodes.Node) -> set[str]:
    return {type(n).__name__ for n in node.findall()}


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "```{include} /etc/passwd\n```",
        "```{raw} html\n<b>x</b>\n```",
        "{raw}`<b>x</b>`",
        ":::{eval-rst}\n.. raw:: html\n\n   <b>x</b>\n:::",
        "{{ substitution }}",
        "(target)=\n# Heading",
        "{download}`conf.py`",
        "```{toctree}\n/etc/passwd\n```",
    ],
)
def test_markup_from_the_corpus_stays_text(attack):
    tree = render(attack)
    assert not kinds(tree) & {"raw", "include", "pending_xref", "download_reference", "substitution_reference", "target"}
    # whatever the attack was, its characters are still there to read
    visible = tree.astext().replace("\n", "")
    for word in ("script", "include", "raw", "eval-rst", "substitution", "target", "download", "toctree"):
        if word in attack:
            assert word in visible


def test_code_fence_info_only_picks_a_language():
    (block,) = render("```{include} x\nprint(1)\n```").findall(nodes.literal_block)
    assert block["language"] == "text" and block.astext() == "```{include} x\nprint(1)\n```"
    (block,) = render("```python\nprint(1)\n```").findall(nodes.literal_block)
    assert block["language"] == "python"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/x", True),
        ("http://example.org", True),
        ("other/page.html", True),
        ("../up.html#frag", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<b>", False),
        ("//evil.example/x", False),
        ("file:///etc/passwd", False),
        ("https:/no-host", False),
        ("java\nscript:alert(1)", False),
    ],
)
def test_safe_url(url, ok):
    assert safe_url(url) is ok


def test_unsafe_links_keep_their_text_but_not_their_target():
    tree = render("[click](javascript:alert(1)) and [ok](https://example.org)")
    refs = list(tree.findall(nodes.reference))
    assert [r["refuri"] for r in refs] == ["https://example.org"]
    assert "click" in tree.astext()


def test_structure_is_restored():
    md = "**Head**\n\n- one $x^2$\n- two\n\n1. a\n2. b\n\n| A | B |\n|---|---|\n| 1 | `c` |\n\n$$\n\\frac{1}{2}\n$$"
    found = kinds(render(md))
    assert {"bullet_list", "enumerated_list", "table", "math", "math_block", "literal", "strong"} <= found


def test_money_is_not_math():
    tree = render(r"costs \$390/year and \$2/hour")
    assert "math" not in kinds(tree)
    assert "$390/year" in tree.astext()


def test_links_become_term_references_inside_emphasis_and_lists():
    md = "- uses **large language model** data\n- and LLM again"
    links = [LinkSpan(md.index("large"), md.index(" data"), "llm"), LinkSpan(md.index("LLM"), md.index("LLM") + 3, "llm")]
    tree = render(md, links)
    assert [(r["target"], r.astext()) for r in tree.refs] == [("llm", "large language model"), ("llm", "LLM")]
    assert all(r.parent is not None for r in tree.refs)


def test_sentinels_in_corpus_text_cannot_forge_links():
    text = "fake \ue0000\ue001link\ue002 here"
    assert "\ue000" not in mark_links(text, [])
    assert render(text, [LinkSpan(0, 4, "x")]).refs[0].astext() == "fake"


def test_escape_inline_renders_literally_in_myst():
    from markdown_it import MarkdownIt

    text = "{raw}`<b>` *x* $y$ [a](b) (t)= # % <i>"
    html = MarkdownIt("commonmark").render(escape_inline(text))
    assert html == "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>\n"
