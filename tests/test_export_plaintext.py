"""Plain text of sense Markdown, as the TBX and SKOS definitions carry it."""

from __future__ import annotations

import pytest

from glossweave.export.plaintext import plain_text

CASES = {
    "emphasis and code": ("**Bold** and *it* and `code`", "Bold and it and code"),
    "link keeps its text": ("see [the paper](https://x.org/p)", "see the paper"),
    "math keeps TeX, money keeps $": ("costs \\$5 for $x^2$ and $$y$$", "costs $5 for x^2 and y"),
    "heading marker dropped": ("## Why\n\ntext", "Why\n\ntext"),
    "table rows, rule dropped": ("| A | B |\n|---|---|\n| 1 | 2 |", "A | B\n1 | 2"),
    "list bullets kept": ("- **One**: a\n- **Two**: b", "- One: a\n- Two: b"),
    "multiplication star kept": ("2 * 3 and a*b", "2 * 3 and a*b"),
}


@pytest.mark.parametrize(("markdown", "expected"), CASES.values(), ids=CASES.keys())
def test_plain_text(markdown, expected):
    assert plain_text(markdown) == expected
