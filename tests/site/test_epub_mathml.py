"""The ePub's MathML as a defence of its own (issue 10 §2): TeX fed straight to the converter, whitelist off."""

from __future__ import annotations

import pytest
from docutils import nodes
from lxml import etree

from glossweave.site.epub import MATHML_NS, sanitize_mathml, to_mathml

HOSTILE = [
    r"\href{javascript:alert(1)}{x}",
    r"\style{position:fixed;width:100vw}{x}",
    r"\class{pwned}{x}",
    r"\text{<script>alert(1)</script>}",
    r"\text{<a href='javascript:alert(1)'>y</a>}",
]


def _parse(markup: str) -> etree._Element:
    return etree.fromstring(markup.encode())


@pytest.mark.parametrize("tex", HOSTILE)
def test_no_link_script_style_or_class_survives(tex):
    markup = to_mathml(tex, "inline", nodes.math(tex, tex))
    root = _parse(markup)
    for element in root.iter():
        assert etree.QName(element).localname not in ("script", "a"), markup
        attributes = dict(element.attrib)
        if element.tag == "code":  # the fallback: TeX shown as code, with our own class
            assert attributes == {"class": "math"}
        else:
            assert not [name for name in attributes if "href" in name or name in ("style", "class", "id", "src")], markup
        assert element.tag.startswith(f"{{{MATHML_NS}}}") or element.tag == "code", markup


def test_foreign_markup_keeps_its_text_and_drops_its_tags_and_attributes():
    markup = (
        f'<math xmlns="{MATHML_NS}" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<mi xlink:href="javascript:x" onclick="y" mathvariant="bold">a</mi><!-- c -->'
        '<svg xmlns="http://www.w3.org/2000/svg" onload="z">t</svg><mtext>u<b>v</b></mtext></math>'
    )
    root = _parse(sanitize_mathml(markup))
    assert [(etree.QName(e).localname, dict(e.attrib), "".join(e.itertext())) for e in root] == [
        ("mi", {"mathvariant": "bold"}, "a"),
        ("mtext", {}, "t"),
        ("mtext", {}, "uv"),
    ]


def test_markup_that_is_not_mathml_is_refused():
    with pytest.raises(etree.XMLSyntaxError):
        sanitize_mathml("<mtext><script></mtext>")
    with pytest.raises(etree.XMLSyntaxError):
        sanitize_mathml('<div xmlns="http://www.w3.org/1999/xhtml">x</div>')


@pytest.mark.parametrize("tex", [r"x^2^3", r"\left( x", r"\frac", r"\text{<b>}"])
def test_a_formula_the_converter_rejects_is_shown_as_escaped_tex(tex):
    markup = to_mathml(tex, "inline", nodes.math(tex, tex))
    assert markup.startswith('<code class="math">') and "".join(_parse(markup).itertext()) == tex
