"""Block restoration agrees with markdown-it: fences, table cells, tables (glossweave.core.blocks)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossweave.core.blocks import Line, restore_blocks, split_cells
from glossweave.core.markdown import Fence, new_parser
from glossweave.core.model import BlockKind, Report

SITE = new_parser()


def blocks_of(*lines: str):
    return restore_blocks([Line(number, text) for number, text in enumerate(lines, start=1)], "f.txt", Report())


@pytest.mark.parametrize(
    ("opener", "closer", "closes"),
    [
        ("```python", "```", True),
        ("```", "````", True),
        ("````", "```", False),  # shorter than the opener
        ("```", "```python", False),  # a closing fence has no info string
        ("~~~", "```", False),  # the other character
        ("~~~", "~~~~", True),
        ("   ```", "  ```", True),  # a dump's indentation is not Markdown
    ],
)
def test_fences_close_as_markdown_it_closes_them(opener, closer, closes):
    fence = Fence.opened_by(opener)
    assert fence is not None
    assert fence.closed_by(closer) is closes


def test_a_backtick_in_a_backtick_fence_info_makes_no_fence():
    assert Fence.opened_by("``` a`b") is None
    assert Fence.opened_by("~~~ a`b") is not None


def test_a_line_that_does_not_close_the_fence_stays_code():
    (code,) = blocks_of("```", "```python", "print($x$)", "```")
    assert code.kind is BlockKind.CODE
    assert code.lines[1:-1] == ["```python", "print($x$)"]


ROWS = st.lists(st.sampled_from(["a", " ", "|", "\\", "\\|", "`", "b c", "$x$", "**y**"]), min_size=1, max_size=12).map("".join)


@settings(max_examples=500)
@given(ROWS)
def test_split_cells_cuts_where_markdown_it_cuts(row):
    row = f"| {row} |"
    cells = split_cells(row)
    table = f"{row}\n|{'---|' * len(cells)}"
    tokens = SITE.parse(table)
    if not tokens or tokens[0].type != "table_open":
        return  # a row markdown-it does not read as a header (e.g. it has no pipe left): nothing to compare
    found = [token.content for token in tokens if token.type == "inline"]
    assert [cell.replace("\\|", "|") for cell in cells] == found, row


TABLE_LINES = st.lists(ROWS.map(lambda row: f"| {row} |"), min_size=1, max_size=4)


@settings(max_examples=300)
@given(TABLE_LINES, TABLE_LINES)
def test_every_table_block_renders_as_a_table_of_its_rows(header, body):
    lines = header[:1] + ["|---|---|"] + body
    (block,) = [b for b in blocks_of(*lines) if b.kind is BlockKind.TABLE] or [None]
    if block is None:
        return
    tokens = SITE.parse(block.markdown())
    assert tokens[0].type == "table_open", block.markdown()
    rows = sum(token.type == "tr_open" for token in tokens)
    assert rows == len(block.lines) - 1  # every line but the separator is a row
