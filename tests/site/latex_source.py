"""Reading generated LaTeX in the site tests (a plain module, like handmade.py)."""

from __future__ import annotations

import re


def braced(tex: str, start: int) -> str:
    """The group that opens at `tex[start] == "{"`, braces escaped with a backslash not counted."""
    depth = 0
    for end in range(start, len(tex)):
        depth += {"{": 1, "}": -1}.get(tex[end], 0) if tex[end - 1] != "\\" else 0
        if depth == 0:
            return tex[start : end + 1]
    raise AssertionError("unbalanced braces")


def styled_phrases(tex: str) -> list[str]:
    """Every bold or italic phrase, whole (`\\sphinxstylestrong{…}`, `\\sphinxstyleemphasis{…}`)."""
    return [braced(tex, m.end() - 1) for m in re.finditer(r"\\sphinxstyle(?:strong|emphasis)\{", tex)]
