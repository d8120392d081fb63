"""Normalize stage: headers, display names, Markdown blocks in both layouts, money."""

from __future__ import annotations

import re

import pytest
from corpus_paths import FIXTURE_DUMPS

from glossweave.core.headers import category_label, category_vocabulary, parse_header
from glossweave.core.model import BlockKind, Entry, Report
from glossweave.core.normalize import display_name_for, normalize_entry
from glossweave.core.reader import read_dump


def normalized(name: str) -> list[Entry]:
    report = Report()
    raws = read_dump(FIXTURE_DUMPS / name, report)
    vocabulary = category_vocabulary(raw.header for raw in raws)
    return [normalize_entry(raw, vocabulary, report) for raw in raws]


@pytest.mark.parametrize(
    ("header", "term", "aliases", "category"),
    [
        ("l1 cache, l1, hardware", "l1 cache", ["l1"], "hardware"),
        ("kaizen, manufacturing operations", "kaizen", [], "manufacturing operations"),
        ("langchain,framework", "langchain", [], "framework"),
        (
            "lamda (language model for dialogue applications),lamda,language model for dialogue applications,foundation model",
            "lamda (language model for dialogue applications)",
            ["lamda", "language model for dialogue applications"],
            "foundation model",
        ),
        ("label smoothing,soft labels,smoothed targets", "label smoothing", ["soft labels", "smoothed targets"], "general"),
        ("LLM,pretraining,data", "llm", ["pretraining", "data"], "general"),
    ],
)
def test_header_styles(header, term, aliases, category):
    parsed = parse_header(header, vocabulary={"framework", "hardware"})
    assert (parsed.term, parsed.aliases, parsed.category) == (term, aliases, category)


def test_compact_last_part_is_a_category_when_the_corpus_uses_it_as_one():
    vocabulary = category_vocabulary(["x, metrology", "y,facility"])
    assert parse_header("langmuir probe,plasma probe,metrology", vocabulary).category == "metrology"
    assert parse_header("langmuir probe,plasma probe,metrology", set()).category == "general"


def test_category_labels_keep_acronyms():
    assert category_label("ai safety") == "AI Safety"
    assert category_label("supply chain & logistics") == "Supply Chain & Logistics"


def test_display_name_comes_from_the_opening_bold_phrase():
    names = {entry.header.term: entry.display_name for entry in normalized("header_styles.txt")}
    assert names["mixture of experts (moe)"] == "Mixture of Experts (MoE)"
    assert names["llm"] == "LLM"
    assert names["attention sink"] == "Attention Sink"


@pytest.mark.parametrize(
    ("term", "line", "name"),
    [
        ("langchain", "Agents built with LangChain call tools.", "LangChain"),
        ("langchain", "Not LangChains or pre-LangChain, but LANGCHAIN.", "LANGCHAIN"),
        ("k-means", "Uses **K-Means**-like steps, then K-Means.", "K-Means"),
        ("gpu", "Über-fast GPU.", "GPU"),
        ("ε-net", "An Ε-Net covers the set.", "Ε-Net"),
        ("kelvin", "Measured in \u212aelvin.", "\u212aelvin"),  # re.I folds the Kelvin sign onto k
        ("lasso", "The ſ in Laſſo is a long s.", "Laſſo"),
        ("llm", "An llm, lowercase.", "Llm"),
    ],
)
def test_display_name_found_in_the_first_line_any_case(term, line, name):
    header = parse_header(f"{term}, general", set())
    assert display_name_for(header, line) == name


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
    result = normalize_entry(raw, set(), Report())
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
