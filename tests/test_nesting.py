"""Nesting deeper than LaTeX allows (issue 10 §2): one rule, found on markdown-it tokens, reported at file:line."""

from __future__ import annotations

import io
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from glossweave.cli import main as cli_main
from glossweave.core import nesting
from glossweave.core.nesting import (
    MAX_BLOCK_NESTING,
    MAX_INLINE_NESTING,
    MAX_ORDERED_NESTING,
    dropped_blocks,
    flattened_blocks,
    flattened_inline,
    might_nest_too_deep,
)
from glossweave.core.pipeline import build_glossary

#: The configuration that renders the site (the one `make check` uses too).
MD = nesting._parser()


def _flat_types(markdown: str) -> list[str]:
    tokens = MD.parse(markdown)
    return [tokens[index].type for index in sorted(flattened_blocks(tokens))]


def test_the_limits_are_what_latex_needs():
    """Two list levels wrap every definition in the book (description list, enumerated senses);
    LaTeX allows six in all and four enumerates."""
    assert 2 + MAX_BLOCK_NESTING == 6 and 1 + MAX_ORDERED_NESTING == 4


def test_quotes_beyond_four_levels_are_flattened():
    assert _flat_types("> > > > quoted four") == []
    assert _flat_types("> > > > > > quoted six") == ["blockquote_open", "blockquote_open", "blockquote_close", "blockquote_close"]


def test_bullet_lists_beyond_four_levels_and_ordered_beyond_three_are_flattened():
    assert _flat_types("- - - - four") == []
    assert _flat_types("- - - - - five") == ["bullet_list_open", "list_item_open", "list_item_close", "bullet_list_close"]
    assert _flat_types("1. 1. 1. three") == []
    assert _flat_types("1. 1. 1. 1. four") == ["ordered_list_open", "list_item_open", "list_item_close", "ordered_list_close"]


def test_levels_count_together_and_a_flattened_level_frees_none():
    # quote, bullet, quote, ordered: four levels; the bullet list inside them is the fifth
    assert _flat_types("> - > 1. - x") == ["bullet_list_open", "list_item_open", "list_item_close", "bullet_list_close"]
    # four ordered lists: the fourth is flattened, the bullet list inside it is the fourth level kept
    assert _flat_types("1. 1. 1. 1. - x") == ["ordered_list_open", "list_item_open", "list_item_close", "ordered_list_close"]


def test_content_the_parser_drops_is_found():
    limit = MD.options["maxNesting"]
    assert dropped_blocks(MD.parse("> " * (limit - 2) + "kept"), limit) == []
    deep = MD.parse("> " * (limit + 5) + "lost")
    assert not any(token.content == "lost" for token in deep), "markdown-it drops it (why the renderer must not)"
    assert len(dropped_blocks(deep, limit)) == 1


def test_inline_wrappers_beyond_the_limit_are_flattened():
    def flat(depth: int) -> int:
        text = "*a " * depth + "x" + " b*" * depth
        (inline,) = [token for token in MD.parse(text) if token.type == "inline"]
        return len(flattened_inline(inline.children))

    assert flat(MAX_INLINE_NESTING) == 0
    assert flat(MAX_INLINE_NESTING + 3) == 6  # three opens and their three closes


_PIECES = st.sampled_from([">", "> ", "-", "- ", "*", "* ", "+ ", "1.", "1. ", "2)", " ", "  ", "\t", "x", "\n", "\n\n",
                           "_", "~~", "[", "](u)", "**"])


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_the_prefilter_never_misses_what_markdown_it_nests_too_deep(markdown):
    tokens = MD.parse(markdown)
    deep = flattened_blocks(tokens) or dropped_blocks(tokens, MD.options["maxNesting"]) or any(
        flattened_inline(token.children) for token in tokens if token.type == "inline" and token.children
    )
    if deep:
        assert might_nest_too_deep(markdown)


def _dump(*body: str) -> str:
    return "\n".join(["nested thing, general", "**Nested Thing** is a test entry.", *body]) + "\n"


def _check(make_corpus, text: str) -> list[str]:
    out = io.StringIO()
    cli_main(["check", str(make_corpus({"000_nest.txt": text}))], out=out)
    return [row.strip() for row in out.getvalue().splitlines() if "nesting" in row]


def test_check_names_deep_quotes_at_their_line(make_corpus):
    rows = _check(make_corpus, _dump("A paragraph.", "> > > > > > six deep"))
    assert rows == ["000_nest.txt:4: warning: lists and block quotes nested deeper than 4 levels (ordered lists: 3)"
                    " are flattened: LaTeX cannot typeset them [deep-nesting]"]


def test_check_names_lists_nested_on_one_line(make_corpus):
    rows = _check(make_corpus, _dump("- 1. 1. 1. 1. four ordered in a bullet"))
    assert [row.split(": ")[0] for row in rows] == ["000_nest.txt:3"] and "[deep-nesting]" in rows[0]


def test_check_names_text_past_the_parsers_limit(make_corpus):
    rows = _check(make_corpus, _dump("> " * 30 + "far too deep"))
    assert any(row.startswith("000_nest.txt:3: warning: text nested 20 levels deep") and "[nesting-limit]" in row for row in rows)


def test_check_names_deep_emphasis(make_corpus):
    rows = _check(make_corpus, _dump("*a " * 40 + "x" + " b*" * 40))
    assert [row.split(": ")[0] for row in rows] == ["000_nest.txt:3"] and "[deep-inline-nesting]" in rows[0]


def test_shallow_nesting_is_not_reported(make_corpus):
    assert _check(make_corpus, _dump("> > > > four quotes", "- **bold** and *em* and ~~gone~~", "1. 1. 1. three")) == []


def test_the_core_does_not_load_sphinx_for_a_corpus_without_deep_nesting():
    code = ("import sys; from pathlib import Path; from glossweave.core.pipeline import build_glossary;"
            "build_glossary(Path('docs/corpus'), workers=1); print('sphinx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=__import__("corpus_paths").ROOT)
    assert done.stdout.strip() == "False"


def test_the_real_corpus_has_no_deep_nesting():
    from corpus_paths import CORPUS

    codes = {d.code for d in build_glossary(CORPUS).report.diagnostics}
    assert not codes & {"deep-nesting", "nesting-limit", "deep-inline-nesting"}
