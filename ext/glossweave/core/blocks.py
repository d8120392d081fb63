"""Restore Markdown block structure in both layouts.

Line dumps have no blank lines, so every line would run into one paragraph.
`restore_blocks` reads the lines the way their author meant them: a bold line
standing alone is a heading, `- `/`•` lines a bullet list, `1.` lines an
ordered list, `|` lines a table sized by its separator row, fences a code
block, and any other line a paragraph of its own.

The scraped page flattened each body onto one line.  `unflatten` puts the line
breaks back where a line dump would have them, so both layouts then share the
same block builder and a flattened copy restores to the same blocks as its
line-structured twin (the fidelity test measures this).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from glossweave.core import markdown
from glossweave.core.model import Block, BlockKind, Report, Severity, Source

#: The language a fence's info string names (the rest of it is never a language).
_LANGUAGE = re.compile(r"[\w+-]*")
_BULLET = re.compile(r"^(\s*)(?:[-*+]|•)\s+(.*)$")
_ORDERED = re.compile(r"^(\s*)(\d{1,3})[.)]\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_BOLD_LINE = re.compile(r"^\*\*[^*]+\*\*:?$")
#: A plain short line such as `Overview` or `Sources` acts as a section heading.
_PLAIN_HEADING = re.compile(r"^[A-Z][\w()'&/ -]{0,58}[\w)]$")

#: Commands that open a shell line, whatever follows them.
_COMMANDS = (
    "git|docker|docker-compose|podman|pip|pip3|pipx|uv|poetry|conda|mamba|python|python3|npm|npx|yarn|pnpm|node"
    "|kubectl|helm|kind|minikube|terraform|aws|gcloud|az|cd|ls|mkdir|rm|cp|mv|cat|echo|export|source|sudo"
    "|apt|apt-get|yum|dnf|brew|wget|curl|ssh|scp|rsync|make|cmake|cargo|rustc|go|java|javac|mvn|gradle|gcc|g\\+\\+"
    "|clang|nvcc|nvidia-smi|torchrun|deepspeed|accelerate|huggingface-cli|ollama|vllm|lakectl|spark-submit|dvc"
    "|mlflow|ray|bash|sh|zsh|chmod|chown|tar|unzip|jupyter|pytest|tensorboard|wandb|uvicorn|gunicorn|streamlit"
)
#: A shell line: an optional prompt, then a known command, a script, or any lowercase
#: command given an option (``make -j 4``, ``tool --flag``).
_SHELL = re.compile(rf"(?:\$\s+)?(?:(?:{_COMMANDS})\s|\./\S|[a-z][\w.+-]*\s+(?:\S+\s+){{0,12}}?--?[A-Za-z])")
#: A line of unfenced Python: imports, definitions, assignments, calls, control lines, closing brackets.
_PYTHON_LINE = re.compile(
    r"""(?:from\s+[\w.]+\s+import\s|\"{3}|'{3}|import\s+[\w.]+|def\s+\w+\(|class\s+\w+[(:]|return\b|@\w+"""
    r"""|(?:if|elif|for|while|with|try|except|else|finally)\b[^\n]*:\s*(?:#[^\n]*)?$"""
    r"""|\w[\w.\[\]"']*\s*[-+*/]?=\s*\S|[\w.]+\(.*\)\s*(?:#[^\n]*)?$|[)\]}]+[,;]?\s*(?:#[^\n]*)?$)"""
)
#: A comment line of shell or Python: code when it stands among code lines.
_COMMENT = re.compile(r"^#(?:\s|!|$)")

#: Tables wider or longer than this are cut and reported, never silently.
MAX_TABLE_COLUMNS = 30


@dataclass
class Line:
    """A body line and the dump line it came from."""

    number: int
    text: str


def restore_blocks(lines: list[Line], file: str, report: Report) -> list[Block]:
    """Group body lines into Markdown blocks (see module docstring)."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text.rstrip()
        if not text.strip():
            index += 1
            continue
        fence = markdown.Fence.opened_by(text)
        if fence:
            index = _take_code(lines, index, fence, blocks, file, report)
        elif _TABLE_ROW.match(text):
            index = _take_table(lines, index, blocks, file, report)
        elif _BULLET.match(text) or _ORDERED.match(text):
            index = _take_list(lines, index, blocks)
        elif _opens_code(lines, index):
            index = _take_unfenced_code(lines, index, blocks)
        else:
            kind = BlockKind.HEADING if _is_heading(lines, index) else BlockKind.PARAGRAPH
            content = text.strip()
            if kind is BlockKind.HEADING and not content.startswith("**"):
                content = f"**{content}**"
            blocks.append(Block(kind, [content], line.number))
            index += 1
    return blocks


def looks_like_code(text: str) -> bool:
    """Does this line (or flattened run) start like program code rather than prose?"""
    return _code_at(text, 0)


def _code_at(text: str, position: int) -> bool:
    """Does the text from `position` on (blanks skipped) start like program code?"""
    while position < len(text) and text[position].isspace():
        position += 1
    return bool(_PYTHON_LINE.match(text, position) or _SHELL.match(text, position))


def _is_comment(text: str) -> bool:
    return bool(_COMMENT.match(text.strip()))


def _opens_code(lines: list[Line], index: int) -> bool:
    """Do two lines of code start here (a comment line counts beside a code line)?

    A shell or Python comment (``# Run the job``) is code among code lines;
    left to Markdown it would be a heading.
    """
    if index + 1 >= len(lines):
        return False
    here, after = lines[index].text, lines[index + 1].text
    if looks_like_code(here):
        return looks_like_code(after) or (_is_comment(after) and _code_follows(lines, index + 1))
    return _is_comment(here) and looks_like_code(after)


def _code_follows(lines: list[Line], index: int) -> bool:
    """Is the run of comment lines starting at `index` followed by a line of code?"""
    while index < len(lines) and _is_comment(lines[index].text):
        index += 1
    return index < len(lines) and looks_like_code(lines[index].text)


def guess_language(code: str) -> str:
    """A fence info string for unfenced code: only ever a plain language name."""
    first = next((line for line in code.strip().splitlines() if line.strip() and not _is_comment(line)), "")
    if _SHELL.match(first.strip()):
        return "bash"
    return "python" if _PYTHON_WORDS.search(code) else ""


#: Words only Python code has (prose says "for each", not "for x in y:").
_PYTHON_WORDS = re.compile(r"\b(?:import|def|return)\b|^\s*(?:for|while|if|with)\b[^\n]*:\s*$|\bprint\(", re.M)


def code_block(language: str, body: list[str], line: int) -> Block:
    """A fenced code block whose fence no line of the code can close.

    CommonMark closes a fence at the first line of as many backticks, so a body
    holding ``` (a mismatched `~~~` fence, or hostile input) would end the block
    early and the rest would be read as Markdown — math and all.
    """
    longest = max((len(run) for text in body for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Block(BlockKind.CODE, [f"{fence}{language}", *body, fence], line)


def _take_unfenced_code(lines: list[Line], start: int, blocks: list[Block]) -> int:
    """A run of code lines with no fence: keep it together, brackets decide where it ends."""
    index, depth = start, 0
    body: list[str] = []
    while index < len(lines):
        text = lines[index].text.rstrip()
        opens_body = bool(body) and body[-1].rstrip().endswith(":")
        in_body = text[:1].isspace() and (opens_body or body[-1][:1].isspace())
        if not text.strip() or (depth <= 0 and not (looks_like_code(text) or _is_comment(text) or in_body)):
            break
        body.append(text)
        depth += sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")
        index += 1
    blocks.append(code_block(guess_language("\n".join(body)), body, lines[start].number))
    return index


def _is_heading(lines: list[Line], index: int) -> bool:
    text = lines[index].text.strip()
    if _BOLD_LINE.match(text):
        return True
    following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
    return bool(following) and bool(_PLAIN_HEADING.match(text)) and len(text.split()) <= 6


def _take_code(lines: list[Line], start: int, fence: markdown.Fence, blocks: list[Block], file: str, report: Report) -> int:
    match = _LANGUAGE.match(fence.info)
    language = match.group() if match else ""
    body: list[str] = []
    index = start + 1
    while index < len(lines) and not fence.closed_by(lines[index].text):
        body.append(lines[index].text.rstrip())
        index += 1
    if index == len(lines):
        report.add(Severity.WARNING, "unclosed-fence", "code fence never closed; closed at end of entry", Source(file, lines[start].number))
    else:
        index += 1
    blocks.append(code_block(language, body, lines[start].number))
    return index


def split_cells(row: str) -> list[str]:
    """Cells of a `| a | b |` row; a `\\|` inside a cell is not a separator."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


def _take_table(lines: list[Line], start: int, blocks: list[Block], file: str, report: Report) -> int:
    index = start
    rows: list[list[str]] = []
    while index < len(lines) and _TABLE_ROW.match(lines[index].text):
        rows.append(split_cells(lines[index].text))
        index += 1
    separator_at = next(
        (i for i, row in enumerate(rows) if row and all(_SEPARATOR_CELL.match(cell) for cell in row)), None
    )
    where = Source(file, lines[start].number)
    if separator_at is None:
        # No separator row: not a table the author finished; keep the text as a paragraph.
        report.add(Severity.WARNING, "table-no-separator", "table without a separator row kept as text", where)
        text = " ".join(lines[i].text.strip() for i in range(start, index))
        blocks.append(Block(BlockKind.PARAGRAPH, [text], where.line))
        return index
    width = len(rows[separator_at])
    if width > MAX_TABLE_COLUMNS:
        report.add(Severity.WARNING, "table-too-wide", f"table has {width} columns; cut to {MAX_TABLE_COLUMNS}", where)
        width = MAX_TABLE_COLUMNS
    header = rows[:separator_at] or [[""] * width]
    body = rows[separator_at + 1 :]
    shaped = []
    for row in header[-1:] + body:
        if len(row) > width:
            report.add(Severity.WARNING, "table-row-width", f"table row has {len(row)} cells, table has {width}; extra cells joined", where)
            row = row[: width - 1] + [" ".join(row[width - 1 :])]
        shaped.append(row + [""] * (width - len(row)))
    out = ["| " + " | ".join(shaped[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in shaped[1:]]
    blocks.append(Block(BlockKind.TABLE, out, where.line))
    return index


def _take_list(lines: list[Line], start: int, blocks: list[Block]) -> int:
    first = lines[start].text
    kind = BlockKind.ORDERED_LIST if _ORDERED.match(first) and not _BULLET.match(first) else BlockKind.BULLET_LIST
    items: list[str] = []
    index = start
    while index < len(lines):
        text = lines[index].text.rstrip()
        bullet = _BULLET.match(text)
        if bullet:
            depth = 1 if bullet.group(1) or (kind is BlockKind.ORDERED_LIST) else 0
            if depth == 0 and kind is BlockKind.ORDERED_LIST:
                break
            items.append("   " * depth + "- " + bullet.group(2).strip())
        elif ordered := _ORDERED.match(text):
            if kind is BlockKind.BULLET_LIST and not ordered.group(1):
                break
            depth = 1 if kind is BlockKind.BULLET_LIST else 0
            items.append("   " * depth + f"{ordered.group(2)}. " + ordered.group(3).strip())
        else:
            break
        index += 1
    blocks.append(Block(kind, items, lines[start].number))
    return index


# --- the scraped layout --------------------------------------------------------------

_TABLE_SEPARATOR = re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+")
#: What follows the opening backticks of a flattened fence: its language, then a blank.
_FENCE_INFO = re.compile(r"([\w+-]*)\s(.*)", re.S)


def unflatten(text: str, names: list[str]) -> list[str]:
    """Split one flattened body line back into the lines of a line dump.

    `names` are the entry's own names (display name, term): a sentence that
    opens with one of them followed by `is`/`are` after a list is the closing
    summary paragraph.  Code and math are found as markdown-it reads the line:
    a fence flattened into it is a code span of three or more backticks, and
    display math a ``$$…$$``; both stand on lines of their own again, and no
    line break is put inside a code span or a formula.
    """
    spans = _code_and_math(text)
    protected = [(piece.start, piece.end) for piece in spans]
    out: list[str] = []
    position = 0
    for piece in spans:
        lines = _standalone(text, piece)
        if lines:
            out += _split_prose(text, position, piece.start, names, protected)
            out += lines
            position = piece.end
    out += _split_prose(text, position, len(text), names, protected)
    return [line for line in out if line.strip()]


def _code_and_math(text: str) -> list[markdown.Piece]:
    """Code spans and formulas of a flattened line, as markdown-it reads it (in order)."""
    if "`" not in text and "$" not in text:
        return []
    kinds = (markdown.CODE, markdown.MATH, markdown.DISPLAY_MATH)
    return [piece for _, piece in markdown.Document(text).pieces() if piece.kind in kinds]


def _standalone(text: str, piece: markdown.Piece) -> list[str]:
    """The lines a flattened fence or display formula stands on, or [] for inline code or math."""
    source = text[piece.start : piece.end]
    if piece.kind == markdown.DISPLAY_MATH:
        return [source] if source.strip("$").strip() else []
    if piece.kind != markdown.CODE or piece.token is None or len(piece.token.markup) < 3:
        return []
    ticks = len(piece.token.markup)
    fence = _FENCE_INFO.match(source, ticks, len(source) - ticks)
    if fence is None:
        return []
    return [f"```{fence.group(1)}", fence.group(2).strip(), "```"]


def _split_prose(text: str, start: int, end: int, names: list[str], protected: list[tuple[int, int]]) -> list[str]:
    out: list[str] = []
    position = start
    for separator in _TABLE_SEPARATOR.finditer(text, start, end):
        width = separator.group(0).count("|") - 1
        table_start = _table_header_start(text, separator.start(), width, floor=position)
        if table_start is None:
            continue
        out += _split_blocks(text, position, table_start, names, protected)
        rows, table_end = _table_rows(text, table_start, width, end)
        out += rows
        position = table_end
    out += _split_blocks(text, position, end, names, protected)
    return out


def _table_header_start(text: str, separator_start: int, width: int, floor: int) -> int | None:
    """Index of the `|` opening the header row that precedes a separator row."""
    pipes_needed = width + 1
    index = separator_start - 1
    while index >= floor and text[index] == " ":
        index -= 1
    seen = 0
    while index >= floor:
        if text[index] == "|" and (index == 0 or text[index - 1] != "\\"):
            seen += 1
            if seen == pipes_needed:
                return index
        index -= 1
    return None


def _table_rows(text: str, start: int, width: int, end: int) -> tuple[list[str], int]:
    """Cut `| a | b | |---|---| | c | d |` (in text[start:end]) into rows of `width` cells."""
    rows: list[str] = []
    index = start
    while index < end and text[index] == "|":
        pipes, cursor = 0, index
        while cursor < end and pipes < width + 1:
            if text[cursor] == "|" and (cursor == 0 or text[cursor - 1] != "\\"):
                pipes += 1
            cursor += 1
        if pipes < width + 1:
            # A short last row: keep it, the table builder pads it.
            rows.append(text[index:end].strip())
            return rows, end
        rows.append(text[index:cursor].strip())
        index = cursor
        while index < end and text[index] == " ":
            index += 1
    return rows, index


# A block boundary inside a flattened line: what follows the space.  The
# pattern opens with the space itself (lookbehinds after it) so that `re`
# skips from space to space instead of trying every position.
_BOUNDARY = re.compile(
    r" (?:(?<=\S )(?="
    r"\*\*[^*]{1,160}\*\*"  # bold heading or bold-led paragraph
    r"|- (?=\S)"  # bullet
    r"|• "  # bullet
    r"|\d{1,2}\. (?=\S)"  # ordered item
    r")"
    r"|(?<=\*\* )(?=[^\s*-])|(?<=\*\*: )(?=\S))"  # text after a bold heading
)
#: A bold phrase followed straight by a list, table or code is a heading.
_HEADING_AHEAD = re.compile(r"\*\*[A-Z][^*]{1,160}\*\*:? (?:- |• |\d{1,2}\. |\||```)")


def _split_blocks(full: str, start: int, end: int, names: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """Cut full[start:end] into lines where the line dump had its breaks; never inside code or math (`spans`)."""
    text = full[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    if not text:
        return []
    offset = start + lead
    protected = []
    for a, b in spans[max(bisect.bisect_left(spans, (offset,)) - 1, 0) :]:
        if a >= offset + len(text):
            break
        if b > offset:
            protected.append((a - offset, b - offset))
    cuts = [m for m in _BOUNDARY.finditer(text) if not _inside(protected, m.start())]
    if " is **" in text or " are **" in text:  # in every closing summary, and in few other bodies
        cuts += [m for m in _closing_summaries(text, names) if not _inside(protected, m.start())]
        final = _final_summary(text)
        if final and not _inside(protected, final.start()):
            cuts.append(final)
    cuts.sort(key=lambda m: m.start())
    # Positions, not copies: a cut that is refused must cost nothing, or a long run of
    # candidates (`a - b - c …`) would copy the rest of the text once each.
    opened = [m.start() for m in _OPEN_BRACKET.finditer(text)] if "(" in text else []
    closed = [m.start() for m in _CLOSE_BRACKET.finditer(text)] if ")" in text else []
    pieces: list[str] = []
    start = 0
    bold_end = _bold_end(text, start)
    in_list: str | None = None  # "-" or the last ordered number seen
    for match in cuts:
        if match.start() < start:
            continue
        cut, end = match.end(), match.start()
        while end > start and text[end - 1].isspace():
            end -= 1
        kind = _boundary_kind(text, cut) if match.re is _BOUNDARY else "summary"
        unbalanced = _between(opened, start, end) > _between(closed, start, end)
        heading = bold_end is not None and (end == bold_end or (end == bold_end + 1 and text[bold_end] == ":"))
        if kind != "summary" and not _accept_boundary(kind, text, start, end, cut, in_list, unbalanced, heading):
            continue
        pieces.append(text[start:end])
        if kind == "bullet":
            in_list = in_list if in_list and in_list.isdigit() and text[end - 1 : end] == ":" else "-"
        elif kind == "ordered":
            in_list = _NUMBER_AT.match(text, cut).group(1)  # type: ignore[union-attr]
        elif not (kind == "bold" and in_list and not heading):
            in_list = None
        start = cut
        bold_end = _bold_end(text, start)
    pieces.append(text[start:].strip())
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if piece and index and _BOLD_LINE.match(pieces[index - 1]) and looks_like_code(piece):
            out += [f"```{guess_language(piece)}", piece, "```"]
        elif piece:
            out.append(piece)
    return out


_OPEN_BRACKET = re.compile(r"\(")
_CLOSE_BRACKET = re.compile(r"\)")


def _between(positions: list[int], start: int, end: int) -> int:
    """How many of the sorted `positions` fall in [start, end)."""
    return bisect.bisect_left(positions, end) - bisect.bisect_left(positions, start)


#: An ordered item's number at a position (no anchor: matched with a start position).
_NUMBER_AT = re.compile(r"(\d{1,3})[.)]\s+")


def _bold_end(text: str, start: int) -> int | None:
    """Where a bold phrase opening at `start` ends (`_BOLD_LINE` without the copy), or None.

    Found once per line start, so each candidate cut after it is judged at once.
    """
    if not text.startswith("**", start):
        return None
    star = text.find("*", start + 2)
    return star + 2 if star > start + 2 and text.startswith("**", star) else None


def _boundary_kind(text: str, cut: int) -> str:
    if text.startswith(("- ", "• "), cut):
        return "bullet"
    if text.startswith("**", cut):
        return "bold"
    if _NUMBER_AT.match(text, cut):
        return "ordered"
    return "text"


def _accept_boundary(
    kind: str, text: str, start: int, end: int, cut: int, in_list: str | None, unbalanced: bool, after_heading: bool
) -> bool:
    """Is the space before text[cut] really a line break of the original?  (Prose uses `-` and `1.` too.)

    text[start:end] is the text since the last accepted break (`after_heading`:
    it is a bold line).  A bullet or a first ordered item needs a finished
    sentence or a heading before it; this keeps the dash in
    `**Kaizen** is **…** - It builds…` as prose.
    """
    ends_sentence = end > start and text[end - 1] in ".:?!)"
    following = text[cut : cut + 1]
    if kind == "text":
        if text[end - 1 : end] == ":":
            return after_heading and _code_at(text, cut)
        return after_heading and (following.isupper() or following.isdigit())
    if kind == "bold":
        if text.endswith((" is", " are"), start, end):
            return False  # `**X** is **EUV light …** - …`: the definition after its verb, not a heading
        return ends_sentence or after_heading or _HEADING_AHEAD.match(text, cut) is not None
    if kind == "bullet":
        if text[cut + 2 : cut + 3].islower() or unbalanced:
            return False  # `(1 - ε)`, `x - y`: a minus, not a bullet
        return bool(in_list) or ends_sentence or after_heading
    number = int(_NUMBER_AT.match(text, cut).group(1))  # type: ignore[union-attr]
    if in_list and in_list.isdigit():
        return number == int(in_list) + 1
    return number == 1 and (ends_sentence or after_heading)


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Is `position` strictly inside one of `spans` (sorted, disjoint)?  A bisection, not a scan."""
    index = bisect.bisect_left(spans, (position,)) - 1
    return index >= 0 and position < spans[index][1] and spans[index][0] < position


#: A space after a finished sentence: where a glued closing paragraph may start.
_SENTENCE_GAP = re.compile(r"(?<=[.!?)]) ")
#: The closing `Name is **…**` of an entry whose name is any short capitalised phrase.
_CAPITALISED_SUMMARY = re.compile(r"[A-Z][\w()/-]*(?: [\w()/-]+){0,6} (?:is|are) \*\*")


def _closing_summaries(text: str, names: list[str]) -> list[re.Match[str]]:
    """The closing `Name is **…**` paragraph starts after a sentence, wherever it was glued.

    The name is the entry's own, or any short capitalised phrase (`LLM pre-training is
    **…**` closes `large language model pretraining`).  The gaps are found by
    one fixed pattern and the names compared as strings: a pattern built from
    each entry's names would be compiled afresh for every entry.
    """
    openers = tuple(f"{name} {verb} **" for name in names if name for verb in ("is", "are"))
    return [
        gap
        for gap in _SENTENCE_GAP.finditer(text)
        if text.startswith(openers, gap.end()) or _CAPITALISED_SUMMARY.match(text, gap.end())
    ]


_LOOSE_SUMMARY = re.compile(r" (?<=\S )(?=[A-Z][\w()/-]*(?: [\w()/-]+){0,6}( (?:is|are) \*\*))")


def _final_summary(text: str) -> re.Match[str] | None:
    """The closing paragraph glued to an unfinished last list item: `…intervention LLM pre-training is **…**`.

    Only the last `X is **…**` of the text qualifies, only after a list, and
    the longest capitalised name before its verb is taken.
    """
    matches = list(_LOOSE_SUMMARY.finditer(text))
    if not matches or " - " not in text[: matches[-1].start()]:
        return None
    verb = matches[-1].start(1)
    last = min((m for m in matches if m.start(1) == verb), key=lambda m: m.start())
    tail = text[verb:]
    if " - **" in tail or _HEADING_AHEAD.search(tail):
        return None
    return last
