"""Plain text of a sense's Markdown, for formats whose definitions are not Markdown.

TBX `descrip` and SKOS `definition` are read by terminology tools that show
text as it is, so Markdown markup would show as noise.  Structure that carries
meaning survives: paragraphs stay apart, list items keep their bullet or
number, table cells are joined with " | ".  TeX math keeps its source without
the `$` delimiters (a definition without its formula would be wrong), and
escaped money `\\$` becomes `$` again.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`")
_MATH_DOLLARS = re.compile(r"(?<!\\)\$+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _table_row(line: str) -> str:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return " | ".join(cells)


def plain_text(markdown: str) -> str:
    """`markdown` without inline markup; blocks separated by one blank line."""
    lines: list[str] = []
    for line in markdown.splitlines():
        if _FENCE.match(line) or _TABLE_RULE.match(line):
            continue
        text = _HEADING.sub("", line)
        if text.lstrip().startswith("|"):
            text = _table_row(text)
        text = _LINK.sub(r"\1", text)
        text = _EMPHASIS.sub("", text)
        text = _MATH_DOLLARS.sub("", text).replace("\\$", "$")
        lines.append(text.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
