"""Normalize, math repair, summaries, plain text and linking cost time linear in the body (issue 10 §6).

Work is counted, never timed: every line of Python executed (ours and
markdown-it's) while one entry is normalized, summarized, written as plain
text and linked, at 1x and at 4x the same hostile body.  Linear work grows
about 4x; one 60 KB hyphen-joined formula used to grow it 16x (each word of
``a-b-c-…`` walked back over the whole run).
"""

from __future__ import annotations

import sys

import pytest

from glossweave.core.linker import Linker
from glossweave.core.model import Layout, RawEntry, Report, Source
from glossweave.core.normalize import normalize_entry
from glossweave.export.plaintext import plain_text

#: Linear work at 4x is 4x plus a little; quadratic work is 16x.
MAX_GROWTH = 5.0

LINKER = Linker({"alpha": "alpha", "gpu": "gpu", "dropout": "dropout"})


def lines_executed(body: list[str], layout: Layout) -> int:
    """Lines of Python run while one entry of this body is normalized, linked and written as plain text."""
    raw = RawEntry(Source("cost.txt", 1), "cost term, general", body, 2, layout)
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    try:
        entry = normalize_entry(raw, Report())
        LINKER.link(entry.blocks, "cost-term", entry.unlinkable)
        plain_text(entry.markdown)
    finally:
        sys.settrace(None)
    return count


BODIES = {
    "hyphen-joined formula": lambda n: "**Cost Term** is $" + "-".join(["alpha"] * n) + "$ here.",
    "formula of bullets": lambda n: "**Cost Term** is: $" + " - ".join(["x"] * n) + "$ done.",
    "money": lambda n: "**Cost Term** costs " + "$5 and " * n + "more.",
    "unclosed dollars": lambda n: "**Cost Term** " + "$x + " * n,
    "display dollars": lambda n: "**Cost Term** " + "$$ a " * n,
    "unpaired backticks": lambda n: "**Cost Term** " + "`a " * n,
    "mixed backtick runs": lambda n: "**Cost Term** " + "``a` " * n,
    "multiplication": lambda n: "**Cost Term** is z = " + "U*v + " * n + "w.",
    "pseudo-math underscores": lambda n: "**Cost Term** uses " + "∇_x x_{t} " * n,
    "bold runs": lambda n: "**Cost Term** " + "**alpha** and " * n,
    "unclosed bold": lambda n: "**Cost Term** " + "**alpha " * n,
    "links": lambda n: "**Cost Term** " + "[alpha](https://x.org/a) " * n,
    "unclosed brackets": lambda n: "**Cost Term** " + "[alpha " * n,
    "autolinks with backticks": lambda n: "**Cost Term** " + "<https://x.org/a`b> $y$ " * n,
    "minus signs": lambda n: "**Cost Term** is x " + "- y " * n,
    "ordered numbers": lambda n: "**Cost Term** is: " + "1. a " * n,
    "bold headings": lambda n: "**Cost Term** is a term. " + "**Alpha** text. " * n,
    "table separators": lambda n: "**Cost Term** | a | b | " + "|---|---| " * n,
    "table rows": lambda n: "**Cost Term** | a | b | |---|---| " + "| $x$ | `y` | " * n,
    "escapes": lambda n: "**Cost Term** " + "\\$\\*\\_ " * n,
    "sentences": lambda n: "**Cost Term** is e.g. a thing, i.e. G. Hinton et al. 3.5 " * n,
}


@pytest.mark.parametrize("layout", [Layout.LINES, Layout.FLAT])
@pytest.mark.parametrize("make", BODIES.values(), ids=BODIES.keys())
def test_work_is_linear_in_the_body(make, layout):
    once, four_times = lines_executed([make(250)], layout), lines_executed([make(1000)], layout)
    assert four_times <= MAX_GROWTH * once, (once, four_times, four_times / once)


def test_many_lines_cost_linear_work():
    line = "- **Alpha** holds $x_{t+1} = x_t - \\eta \\nabla L$ and `code` and [a](b) - U*v"
    first = "**Cost Term** is a term."
    once, four_times = lines_executed([first] + [line] * 50, Layout.LINES), lines_executed([first] + [line] * 200, Layout.LINES)
    assert four_times <= MAX_GROWTH * once, (once, four_times)
