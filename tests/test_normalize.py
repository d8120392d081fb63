"""Normalize stage: display names, Markdown blocks in both layouts, money."""

from __future__ import annotations

import re

from corpus_paths import FIXTURE_DUMPS

from glossweave.core.model import BlockKind, Entry, Report
from glossweave.core.normalize import normalize_entry
from glossweave.core.reader import read_dump


def normalized(name: str) -> list[Entry]:
    report = Report()
    return [normalize_entry(raw, report) for raw in read_dump(FIXTURE_DUMPS / name, report)]


def test_display_name_comes_from_the_opening_bold_phrase():
    names = {entry.header.term: entry.display_name for entry in normalized("header_styles.txt")}
    assert names["mixture of experts (moe)"] == "Mixture of Experts (MoE)"
    assert names["LLM"] == "LLM"
    assert names["attention sink"] == "Attention Sink"


def kinds(entry: Entry) -> list[BlockKind]:
    return [block.kind for block in entry.blocks]


def test_line_layout_blocks_are_restored():
    (twin,) = normalized("line_twin.txt")
    B = BlockKind
    assert kinds(twin) == [B.PARAGRAPH, B.HEADING, B.BULLET_LIST, B.HEADING, B.TABLE, B.HEADING, B.ORDERED_LIST, B.PARAGRAPH]
    table = next(b for b in twin.blocks if b.kind is B.TABLE)
    assert table.lines[1] == "|---|---|---|" and len(table.lines) == 4


def test_flattened_entry_restores_to_the_blocks_of_its_line_twin():
    flat = next(e for e in normalized("flattened_page.txt") if e.header.term == "batch norm")
    (twin,) = normalized("line_twin.txt")
    assert [(b.kind, b.lines) for b in flat.blocks] == [(b.kind, b.lines) for b in twin.blocks]


def test_flattened_code_fence_becomes_a_code_block():
    beam = next(e for e in normalized("flattened_page.txt") if e.header.term == "beam search")
    assert BlockKind.CODE in kinds(beam)
    assert kinds(beam)[-1] is BlockKind.PARAGRAPH and beam.blocks[-1].lines[0].startswith("Beam Search is **")


def test_unfenced_code_lines_are_kept_together_as_code():
    entry = next(e for e in normalized("header_styles.txt") if e.header.term == "gradient checkpointing")
    assert kinds(entry) == [BlockKind.PARAGRAPH, BlockKind.CODE]
    assert entry.blocks[1].lines[0] == "```python"


def test_money_stays_text_and_math_stays_math():
    (entry,) = normalized("money.txt")
    markdown = entry.markdown
    for money in [r"~\$2/GPU/hour", r"\$390/year", r"\$10M-\$100M+", r"\$\$\$\$"]:
        assert money in markdown
    assert "$10^{9}$" in markdown and "$20$" in markdown
    assert not re.search(r"(?<!\\)\$\d+/", markdown)


def test_header_with_no_body_is_rejected_with_a_reason():
    from glossweave.core.model import Layout, RawEntry, Source

    raw = RawEntry(Source("f.txt", 3), "orphan, cat", [], 4, Layout.LINES)
    result = normalize_entry(raw, Report())
    assert result.reason == "header with no body" and result.source == Source("f.txt", 3)


def test_summary_is_one_plain_line():
    (twin,) = normalized("line_twin.txt")
    assert twin.summary == "Batch Norm is normalization over the batch dimension - It stabilizes training."


def test_code_holding_backtick_fences_cannot_close_its_own_block():
    from glossweave.core.blocks import Line, restore_blocks

    lines = [Line(1, "~~~"), Line(2, "```"), Line(3, "$\\input{/etc/passwd}$"), Line(4, "~~~")]
    (block,) = restore_blocks(lines, "f.txt", Report())
    assert block.kind is BlockKind.CODE
    assert block.lines[0] == "````" and block.lines[-1] == "````"
    assert block.lines[1:-1] == ["```", "$\\input{/etc/passwd}$"]
