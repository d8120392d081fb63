"""The one Markdown model (glossweave.core.markdown): positions proven against markdown-it itself.

markdown-it is the oracle here: every property compares what `Document` says
with the tokens the site's own parser produces, never with our code.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token

from glossweave.core import markdown as model
from glossweave.core.markdown import Document, new_parser, row_cells
from glossweave.site import safety

SITE = new_parser()

#: Fragments that make markdown-it's every rule fire, and fail, side by side.
FRAGMENTS = [
    "a", "b", "word", " ", "  ", "\n", "\n\n", "\t", "    ", "*", "**", "***", "_", "__", "`", "``", "```",
    "~", "~~", "$", "$$", "\\", "\\$", "\\`", "\\|", "[", "]", "](", "(", ")", "<", ">", "<http://x.y/$a>",
    "<a@b.c>", "!", "![", "&amp;", "&#36;", "&nope;", "|", "| ", "|---|", "- ", "1. ", "2) ", "> ", "# ", "## ",
    "---", "===", "x_{t+1}", "U*v", "é", "∇", "[a](b)", "[r]", "[r]: /u", "\u00a0", ":", "{", "}",
]
MARKDOWN = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.text(alphabet=st.sampled_from(list("ab $`*_\\[]()<>!|-#\n\t~&")), max_size=60),
    st.text(max_size=40),
)


def _plain(tokens: list[Token] | None) -> list[tuple]:
    """Tokens without their meta (where the positions are kept)."""
    return [
        (t.type, t.tag, t.nesting, t.content, t.markup, t.info, t.map, sorted(t.attrs.items()), _plain(t.children))
        for t in tokens or []
    ]


def test_the_site_renders_with_the_model_parser():
    assert safety._MD.core.ruler.get_all_rules() == SITE.core.ruler.get_all_rules()
    assert safety._MD.inline.ruler.get_active_rules() == SITE.inline.ruler.get_active_rules()
    assert safety._MD.block.ruler.get_active_rules() == SITE.block.ruler.get_active_rules()
    assert safety._MD.options == SITE.options


@settings(max_examples=400)
@given(MARKDOWN)
def test_positions_change_nothing_markdown_it_parses(text):
    document = Document(text)
    for inline in document.inlines:
        assert inline.pieces is not None  # parses its content
    state = StateCore(document.text, SITE, {})
    state.tokens = document.tokens
    text_join(state)  # the one core rule Document leaves out: it merges text tokens
    assert _plain(document.tokens) == _plain(SITE.parse(document.text))


@settings(max_examples=400)
@given(MARKDOWN)
def test_without_inline_math_only_inline_math_changes(text):
    twin = Document(text, model.POSITIONED_WITHOUT_INLINE_MATH)
    kinds = {piece.kind for _, piece in twin.pieces()}
    assert model.MATH not in kinds and model.DISPLAY_MATH not in kinds
    assert [t.type for t in twin.tokens] == [t.type for t in SITE.parse(twin.text)]


@settings(max_examples=400)
@given(MARKDOWN)
@example("- 0\n\t$x")  # a tab that is part indentation, part content
@example("> a\n>\t\tb")
def test_every_content_character_maps_to_the_same_source_character(text):
    document = Document(text)
    for inline in document.inlines:
        for index, char in enumerate(inline.content):
            found = document.text[inline.to_doc(index)]
            # markdown-it writes spaces for the part of a tab it consumed as indentation.
            assert found == char or (char == " " and found in " \t"), (text, inline.content, index)


@settings(max_examples=400)
@given(MARKDOWN)
def test_pieces_tile_the_content_in_order(text):
    document = Document(text)
    for inline in document.inlines:
        position = 0
        for piece in inline.pieces:
            assert piece.rel_start == position < piece.rel_end, (text, inline.pieces)
            position = piece.rel_end
        assert position == len(inline.content)


def _rendered_text(children: list[Token]) -> str:
    """markdown-it's own text: every text token's content, outside images and autolinks."""
    out, inside_autolink = [], False
    for token in children:
        if token.type == "link_open" and token.info == "auto":
            inside_autolink = True
        elif token.type == "link_close" and token.info == "auto":
            inside_autolink = False
        elif token.type in ("text", "text_special") and not inside_autolink:
            out.append(token.content)  # text_special: an escape or entity, before markdown-it's text_join
    return "".join(out)


@settings(max_examples=400)
@given(MARKDOWN)
def test_each_piece_is_the_source_of_its_token(text):
    document = Document(text)
    for inline in document.inlines:
        pieces = inline.pieces
        texts = []
        for index, piece in enumerate(pieces):
            source = inline.content[piece.rel_start : piece.rel_end]
            token = piece.token
            if piece.kind == model.TEXT:
                following = pieces[index + 1] if index + 1 < len(pieces) else None
                texts.append(source.rstrip(" ") if following and following.kind == model.BREAK else source)
            elif piece.kind in (model.ESCAPE, model.ENTITY):
                assert source == token.markup
                texts.append(piece.character)
            elif piece.kind == model.CODE:
                inner = source[len(token.markup) : len(source) - len(token.markup)].replace("\n", " ")
                if inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
                    inner = inner[1:-1]
                assert source.startswith(token.markup) and source.endswith(token.markup) and inner == token.content
            elif piece.kind in (model.MATH, model.DISPLAY_MATH):
                assert source == token.markup + token.content + token.markup
            elif piece.kind == model.EMPHASIS:
                assert source == token.markup
            elif piece.kind == model.BREAK:
                assert "\n" in source and not source.replace("\\", "").strip(" \t\n")
            elif piece.kind == model.LINK_OPEN:
                assert source == "["
            elif piece.kind == model.LINK_CLOSE:
                assert source.startswith("]")
            elif piece.kind == model.AUTOLINK:
                assert source[0] == "<" and source[-1] == ">"
            elif piece.kind == model.IMAGE:
                assert source.startswith("![")
        assert "".join(texts) == _rendered_text(inline.token.children), (text, pieces)


@settings(max_examples=400)
@given(MARKDOWN)
def test_math_blocks_are_placed_on_their_dollars(text):
    document = Document(text)
    for start, end, token in document.math_blocks():
        source = document.text[start:end]
        assert source.startswith("$$") and source.endswith("$$") and end - start >= 4
        assert token.content.strip() in source


ROWS = st.lists(st.sampled_from(["a", " ", "|", "\\", "\\|", "`", "b c", "\t", "$x$", ""]), max_size=14).map("".join)


@given(ROWS, ROWS)
def test_row_cells_are_the_cells_markdown_it_reads(header, row):
    header = header if "|" in header else f"| {header} |"
    width = len(row_cells(header))
    text = f"{header}\n|{'---|' * max(width, 1)}\n{row}"
    tokens = SITE.parse(text)
    if not tokens or tokens[0].type != "table_open":
        return
    cells = [t.content for t in tokens if t.type == "inline" and t.map == [2, 3]]
    found = ["".join(row[at] for at in _positions(cell, len(content))) for cell, content in zip(row_cells(row), cells)]
    assert found == cells[: len(found)]


def _positions(segments, length):
    starts = [content for content, _ in segments]
    out = []
    for index in range(length):
        segment = max(i for i, start in enumerate(starts) if start <= index)
        out.append(segments[segment][1] + index - starts[segment])
    return out


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("a `b` $c$ [d](e) <http://f.g>", ["text", "code", "text", "math", "text", "link_open", "text", "link_close", "text", "autolink"]),
        ("| `a | b` |\n|---|---|\n| $x$ | y |", ["text", "text", "math", "text"]),
        ("<http://a`b> $x$ `c`", ["autolink", "text", "math", "text", "code"]),
        ("[a](http://x`y) $z$ `w`", ["link_open", "text", "link_close", "text", "math", "text", "code"]),
    ],
)
def test_known_pieces(text, kinds):
    assert [piece.kind for _, piece in Document(text).pieces()] == kinds


_NOT_PROSE_TOKENS = {"heading_open", "code_block", "fence", "math_block", "html_block", "hr"}
_NOT_PROSE_PIECES = {model.CODE, model.MATH, model.DISPLAY_MATH, model.LINK_OPEN, model.AUTOLINK, model.IMAGE, model.OTHER}


#: Text without the characters that always make the answer no, so the rest is tried.
NEAR_PROSE = st.lists(st.sampled_from([f for f in FRAGMENTS if not any(c in f for c in "`$[<")]), max_size=30).map("".join)


@settings(max_examples=600)
@given(st.one_of(MARKDOWN, NEAR_PROSE))
@example("a\n-")  # a setext heading underlined by one dash
@example("-     code")  # an item opening with indented code
@example("- a\n\n      b")
def test_holds_only_prose_never_says_yes_wrongly(text):
    if not model.holds_only_prose(text):
        return
    document = Document(text)
    assert not {t.type for t in document.tokens} & (_NOT_PROSE_TOKENS - {"hr"}), text
    assert not {piece.kind for _, piece in document.pieces()} & _NOT_PROSE_PIECES, text


@pytest.mark.parametrize("text", ["**GPU** is a chip.", "- **A**: b\n- c", "| a | b |\n|---|---|\n| c | d |", "> quote", "x &amp; y"])
def test_prose_is_recognised(text):
    assert model.holds_only_prose(text)


#: Words in bold between words: what the fast path must always take.
_ALTERNATING_BOLD = re.compile(r"(?:[A-Za-z][A-Za-z ]*[A-Za-z] |[A-Za-z] |)(?:\*\*[A-Za-z]+\*\*(?: [A-Za-z]+)* ?)+")
BOLD_PROSE = st.lists(
    st.sampled_from(["**", "a", "Term", " ", "  ", ".", ":", ",", "(", ")", "-", "—", "'", '"', "é", "1", "!", "?", "/", "∇", "«"]),
    max_size=25,
).map("".join)


@settings(max_examples=800)
@given(BOLD_PROSE)
@example("**Term**: text")
@example("a**b**c")
@example("**(x)**y")
def test_bold_and_text_is_what_markdown_it_makes(content):
    fast = model._bold_and_text(content)
    if fast is None:
        assert "**" not in content or not _ALTERNATING_BOLD.fullmatch(content)  # the common case is taken
        return
    pieces, children = fast
    (inline,) = SITE.parseInline(content)
    assert _plain(children) == _plain(inline.children), content
    assert [(kind, start, end) for kind, start, end, _, _ in pieces] == [
        (piece.kind, piece.rel_start, piece.rel_end) for piece in _slow_pieces(content)
    ]


def _slow_pieces(content):
    """The pieces of `content` as the general path finds them (markdown-it's own inline parse)."""
    parser = model.POSITIONED
    children = []
    parser.inline.parse(content, parser, {}, children)
    return [model.Piece(kind, s, e, s, e, t, c) for kind, s, e, t, c in model._pieces(children, len(content))]


LINES = st.one_of(
    st.lists(st.sampled_from([f for f in FRAGMENTS if "\n" not in f]), max_size=12).map("".join),
    st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=30),
)


@settings(max_examples=800)
@given(LINES)
@example("**Term** is a thing.")
@example("*x")
@example("1.5 GB")
def test_a_plain_line_is_the_paragraph_markdown_it_makes(line):
    line = model.as_read(line)  # as Document reads it
    tokens = model._paragraph(line)
    if tokens is None:
        return
    expected = SITE.parse(line)
    for token in expected:
        token.children = None  # the fast path leaves inline content to Inline.pieces
    assert _plain(tokens) == _plain(expected), line
    assert [(t.level, t.block, t.hidden) for t in tokens] == [(t.level, t.block, t.hidden) for t in expected]


ITEMS = st.lists(
    st.tuples(
        st.sampled_from(["- ", "1. ", "2. ", "10. ", "-  ", "* ", "1) "]),
        st.one_of(LINES, st.sampled_from(["**A**: b", "x", "- y", "1. z", "# h", "> q", "```", "    c", "[r]: /u"])),
    ),
    min_size=1,
    max_size=5,
).map(lambda items: "\n".join(marker + text for marker, text in items))


@settings(max_examples=800)
@given(ITEMS)
@example("- **A**: x\n- b")
@example("3. a\n4. b")
def test_a_simple_list_is_the_list_markdown_it_makes(text):
    text = model.as_read(text)
    tokens = model._simple_list(text)
    if tokens is None:
        return
    expected = SITE.parse(text)
    for token in expected:
        token.children = None
    assert _plain(tokens) == _plain(expected), text
    assert [(t.level, t.block, t.hidden) for t in tokens] == [(t.level, t.block, t.hidden) for t in expected], text
