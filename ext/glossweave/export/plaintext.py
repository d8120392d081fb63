"""Plain text of a sense's Markdown, for formats whose definitions are not Markdown.

TBX `descrip` and SKOS `definition` are read by terminology tools that show
text as it is, so Markdown markup would show as noise.  The text is what the
site's own grammar reads (`glossweave.core.markdown`): emphasis marks go, an
escape is its character (``\\*x\\*`` is ``*x*``), a link keeps its text.
Structure that carries meaning survives: paragraphs stay apart, list items
keep their bullet or number, table cells are joined with " | ", code blocks
keep every line (comments included).  TeX math keeps its source without the
``$`` delimiters (a definition without its formula would be wrong), and
escaped money ``\\$`` is ``$``.
"""

from __future__ import annotations

from glossweave.core.markdown import Document

__all__ = ["plain_text"]


def _tex(tex: str) -> str:
    return tex.strip()


def plain_text(markdown: str) -> str:
    """`markdown` without markup; blocks separated by one blank line."""
    document = Document(markdown)
    inlines = {id(inline.token): inline for inline in document.inlines}
    blocks: list[list[str]] = []  # top-level blocks, each a list of lines
    numbers: list[int | None] = []  # per open list: the next item's number (None: bullets)
    marker = ""  # the bullet or number the next line of a list item starts with
    row: list[str] | None = None

    def add(text: str) -> None:
        nonlocal marker
        if not numbers or not blocks:
            blocks.append([])
        indent = "   " * max(len(numbers) - 1, 0)
        blocks[-1].append(indent + (marker or ("  " if numbers else "")) + text)
        marker = ""

    for token in document.tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if not numbers:
                blocks.append([])
            numbers.append(int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
        elif kind == "list_item_open":
            number = numbers[-1]
            marker = "- " if number is None else f"{number}. "
            if number is not None:
                numbers[-1] = number + 1
        elif kind == "table_open":
            blocks.append([])
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            blocks[-1].append(" | ".join(row))
            row = None
        elif kind == "inline":
            text = inlines[id(token)].plain(_tex, "\n")
            if row is not None:
                row.append(text.strip())
            else:
                add(text)
        elif kind in ("fence", "code_block"):
            add(token.content.rstrip("\n"))
        elif kind in ("math_block", "math_block_label"):
            add(token.content.strip())
    return "\n\n".join("\n".join(lines) for lines in blocks if lines).strip()
