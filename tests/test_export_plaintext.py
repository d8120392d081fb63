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
    "escaped stars are stars": ("keep \\*x\\* as written", "keep *x* as written"),
    "pipes in prose kept": ("a | b or c|d", "a | b or c|d"),
    "escaped pipe in a cell": ("| A | B |\n|---|---|\n| a \\| b | `c \\| d` |", "A | B\na | b | c | d"),
    "code keeps its comments": ("Run:\n\n```bash\n# build it\nmake -j 4\n```", "Run:\n\n# build it\nmake -j 4"),
    "python comments in code": ("```python\nx = 1  # one\n# two\n```", "x = 1  # one\n# two"),
    "inline code keeps its text": ("call `f(*args)` now", "call f(*args) now"),
    "numbers of an ordered list": ("3. c\n4. d", "3. c\n4. d"),
    "nested list": ("- a\n   - b\n- c", "- a\n   - b\n- c"),
    "display math block": ("before\n\n$$\nx^2\n$$", "before\n\nx^2"),
    "autolink keeps its address": ("see <https://x.org/a>", "see https://x.org/a"),
    "a hash line that is not a heading stays": ("\\# not a heading", "# not a heading"),
}


@pytest.mark.parametrize(("markdown", "expected"), CASES.values(), ids=CASES.keys())
def test_plain_text(markdown, expected):
    assert plain_text(markdown) == expected
