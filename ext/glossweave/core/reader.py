"""Read stage: split a raw dump into entries, whatever state its bytes are in.

A dump is untrusted scraped text.  Reading never raises on content: bad bytes,
control characters, noncharacters, a BOM or CRLF line ends are repaired and
reported at `file:line`, page chrome is dropped and reported, and every header
found becomes exactly one `RawEntry` (a header with no body is still returned,
so the normalizer can reject it with a reason instead of losing it).  Header
lines lose their invisible characters, and an entry whose names pose as Latin
with another script's letters is rejected here (`glossweave.core.names`).

Two layouts exist (see `Layout`).  Entries are found by their header line: a
short comma-separated line that the next body line confirms by mentioning the
term or opening with the bold display name.  Lines inside code fences are never
headers.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import AnyStr

from glossweave.core.model import Layout, RawEntry, Rejection, Report, Severity, Source
from glossweave.core.names import describe, lookalikes, strip_invisible

#: Characters a header may not contain: Markdown, code and prose punctuation.
_NOT_IN_HEADER = re.compile(r"[*|$`\"\[\]{}=#<>;!?@\\~^]")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
_WORD = re.compile(r"[^\W_]+")
#: C0 controls but tab and LF (a CR left after CRLF is removed is a lone CR: markdown-it would
#: start a new line there, the reader would not), DEL and C1 controls.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
#: Unicode's noncharacters (U+FDD0..U+FDEF and the last two code points of every plane) and
#: surrogates, which no UTF-8 decoder should produce but `str` can hold.  XML forbids U+FFFE,
#: U+FFFF and surrogates outright: one of them made lxml (the TBX export) raise and the ePub
#: not well-formed.
_NONCHARACTERS = "\ufdd0-\ufdef\ud800-\udfff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)
)
_CONTROL = re.compile(f"[{_CONTROLS}]")
_FORBIDDEN = re.compile(f"[{_CONTROLS}{_NONCHARACTERS}]")
#: A header longer than this is prose, not a header.
MAX_HEADER_CHARS = 400
#: An entry beyond either size is reported: no real definition is this long, so it
#: is likely a scraping accident, and a flattened body this long is not unflattened
#: (the block heuristics are tuned for bodies of a few kilobytes).
MAX_ENTRY_CHARS = 65_536
MAX_ENTRY_LINES = 2_000


def decode_dump(data: bytes, file: str, report: Report) -> list[str]:
    """Bytes → text lines, repairing and reporting what is not clean UTF-8 text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        report.add(Severity.INFO, "bom", "byte-order mark removed", Source(file, 1))
    clean = _clean_text(data)
    if clean is not None:
        return [unicodedata.normalize("NFC", line) for line in _split_lines(clean, "\n")]
    text_lines: list[str] = []
    crlf_reported = False
    for number, raw in enumerate(_split_lines(data, b"\n"), start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
            if not crlf_reported:
                report.add(Severity.INFO, "crlf", "CRLF line ends converted to LF", Source(file, number))
                crlf_reported = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw.decode("utf-8", errors="replace")
            report.add(
                Severity.ERROR,
                "encoding",
                f"invalid UTF-8 at byte {error.start}; replaced with U+FFFD",
                Source(file, number),
            )
        if _FORBIDDEN.search(line):
            line = _replace_forbidden(line, Source(file, number), report)
        text_lines.append(unicodedata.normalize("NFC", line))
    return text_lines


def _clean_text(data: bytes) -> str | None:
    """The whole dump decoded at once when there is nothing to repair or report in it, else None.

    Valid UTF-8 with no CR, control character or noncharacter is what dumps usually
    are; decoding and checking them line by line was most of reading.  (NFC
    stays per line: one character that needs a closer look would make
    `unicodedata` normalize the whole dump.)
    """
    if b"\r" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _FORBIDDEN.search(text) else text


def _replace_forbidden(line: str, source: Source, report: Report) -> str:
    """Each control character or noncharacter → U+FFFD, reported with its code points."""
    found = sorted(set(_FORBIDDEN.findall(line)))
    controls = [char for char in found if _CONTROL.match(char)]
    for code, chars, what in (
        ("control-char", controls, "control characters"),
        ("noncharacter", [char for char in found if char not in controls], "noncharacters, which XML forbids"),
    ):
        if chars:
            points = ", ".join(f"U+{ord(char):04X}" for char in chars)
            report.add(Severity.ERROR, code, f"{points} replaced with U+FFFD ({what})", source)
    return _FORBIDDEN.sub("\N{REPLACEMENT CHARACTER}", line)


def _split_lines(data: AnyStr, newline: AnyStr) -> list[AnyStr]:
    """Lines split at LF only (the reader's own idea of a line), without the empty one after a final LF."""
    lines = data.split(newline)
    if lines and not lines[-1]:
        lines.pop()
    return lines


def header_segments(line: str) -> list[str] | None:
    """The comma-separated parts of `line` if it has the shape of a header, else None."""
    stripped = line.strip()
    if not stripped or "," not in stripped or len(stripped) > MAX_HEADER_CHARS:
        return None
    if stripped.endswith((".", ":")) or stripped.startswith(("- ", "• ")):  # most prose lines: cheapest test first
        return None
    if stripped != line.rstrip() or _NOT_IN_HEADER.search(stripped):
        return None
    segments = [segment.strip() for segment in stripped.split(",")]
    for segment in segments:
        if not segment or len(segment) > 120 or not _WORD.search(segment):
            return None
        if segment.count("(") != segment.count(")"):
            return None
        if not any(ch.isalpha() for ch in segment):
            return None
    if not any(ch.isalpha() for ch in segments[0]):
        return None
    return segments


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def mentions_term(term: str, body_line: str) -> bool:
    """Does the opening of `body_line` name `term`?  Confirms a header candidate.

    The first segment of a header is the term (maybe with a parenthesised
    expansion).  Its words must appear, in order and adjacent, near the start of
    the body, ignoring case and punctuation: `l-diversity` matches
    `**L-Diversity** is …`, `label studio` matches `Annotation tools like Label Studio`.
    """
    term_words = _words(re.sub(r"\([^)]*\)", " ", term)) or _words(term)
    body_words = _words(body_line[:400])
    width = len(term_words)
    return any(
        all(_same_word(t, b) for t, b in zip(term_words, body_words[i : i + width]))
        for i in range(len(body_words) - width + 1)
    )


def _same_word(term_word: str, body_word: str) -> bool:
    """Equal, or an inflection of it: `anneal` names `annealing`, `model` names `models`."""
    return body_word == term_word or (len(term_word) >= 3 and body_word.startswith(term_word))


def _confirms(body_line: str, segments: list[str]) -> bool:
    return body_line.lstrip().startswith("**") or mentions_term(segments[0], body_line)


def _next_nonblank(lines: list[str], index: int) -> int | None:
    while index < len(lines):
        if lines[index].strip():
            return index
        index += 1
    return None


class _Fence:
    """An open code fence: where it opened, and what closes it (CommonMark's rule)."""

    __slots__ = ("char", "length", "index")

    def __init__(self, run: str, index: int) -> None:
        self.char, self.length, self.index = run[0], len(run), index

    def closed_by(self, line: str) -> bool:
        """A run of the same character, at least as long, and nothing else on the line."""
        run = line.strip()
        return len(run) >= self.length and run == self.char * len(run)


def _fence_opening(line: str, index: int) -> _Fence | None:
    match = _FENCE.match(line)
    if match is None or (match.group(1)[0] == "`" and "`" in match.group(2)):
        return None  # a backtick fence's info string may not hold a backtick (CommonMark)
    return _Fence(match.group(1), index)


def _is_confirmed_header(lines: list[str], index: int, segments: list[str]) -> bool:
    """Is the next non-blank line a body line that names this header's term?"""
    following = _next_nonblank(lines, index + 1)
    return following is not None and header_segments(lines[following]) is None and _confirms(lines[following], segments)


def find_headers(lines: list[str], file: str, report: Report) -> list[int]:
    """Indices of the lines that start entries.

    Lines inside a code fence are code, never headers, with one exception: a
    fence still open at a CONFIRMED header (see `_is_confirmed_header`) was
    never closed, and ends there, reported as an error naming both lines.
    Without that rule one missing ```` ``` ```` would swallow every entry up
    to the next fence line, or to the end of the dump.
    """
    headers: list[int] = []
    fence: _Fence | None = None
    for index, line in enumerate(lines):
        if fence is not None:
            if fence.closed_by(line):
                fence = None
                continue
            segments = header_segments(line)
            if segments is None or not _is_confirmed_header(lines, index, segments):
                continue
            report.add(
                Severity.ERROR,
                "unclosed-fence",
                f"code fence opened on line {fence.index + 1} is never closed; it ends at the entry header"
                f" on line {index + 1}",
                Source(file, fence.index + 1),
            )
            fence = None
            headers.append(index)
            continue
        fence = _fence_opening(line, index)
        if fence is not None:
            continue
        segments = header_segments(line)
        if segments is None:
            continue
        following = _next_nonblank(lines, index + 1)
        if following is None or header_segments(lines[following]) is not None:
            # Last line, or followed by another header: a header with no body,
            # kept so that the normalizer rejects it with a reason.
            headers.append(index)
            continue
        if _confirms(lines[following], segments):
            headers.append(index)
    return headers


def split_entries(lines: list[str], file: str, report: Report) -> list[RawEntry]:
    """Cut decoded lines into raw entries; drop and report everything around them."""
    headers = find_headers(lines, file, report)
    if not headers:
        if any(line.strip() for line in lines):
            report.add(Severity.ERROR, "no-entries", "no entry header found in this file", Source(file, 1))
        else:
            report.add(Severity.WARNING, "empty-file", "file is empty", Source(file, 1))
        _report_chrome(lines, 0, len(lines), file, report)
        return []
    _report_chrome(lines, 0, headers[0], file, report)
    layout = _file_layout(lines, headers)
    entries: list[RawEntry] = []
    bounds = headers[1:] + [len(lines)]
    for start, end in zip(headers, bounds):
        first = _next_nonblank(lines, start + 1)
        if first is None or first >= end:
            body, body_line = [], start + 2
        elif layout is Layout.FLAT:
            # Scraped page: ONE body line; anything after it before the next header is chrome.
            body, body_line = [lines[first]], first + 1
            _report_chrome(lines, first + 1, end, file, report)
        else:
            body_end = end
            while not lines[body_end - 1].strip():
                body_end -= 1
            body, body_line = lines[first:body_end], first + 1
        _report_size(body, file, start + 1, report)
        entries.append(
            RawEntry(
                source=Source(file, start + 1),
                header=_visible_header(lines[start], Source(file, start + 1), report),
                body=body,
                body_line=body_line,
                layout=layout,
            )
        )
    return entries


def _visible_header(line: str, source: Source, report: Report) -> str:
    """The header line without invisible characters (see `glossweave.core.names`), reported."""
    header, removed = strip_invisible(line.strip())
    if removed:
        report.add(
            Severity.WARNING,
            "invisible-char",
            f"removed from the header: {', '.join(map(describe, removed))}",
            source,
        )
    return header


def reject_lookalike_names(entries: list[RawEntry], report: Report) -> list[RawEntry]:
    """The entries whose header names pose as no other name; the rest are rejected, as errors.

    Publishing `gрu` (Cyrillic р) beside `gpu` would make a spoof term with its
    own page, anchor and links; a maintainer who means the name can rename it.
    """
    kept: list[RawEntry] = []
    for entry in entries:
        posing = [(name, found) for name in header_segments(entry.header) or [] if (found := lookalikes(name))]
        if not posing:
            kept.append(entry)
            continue
        name, found = posing[0]
        letters = ", ".join(f"{describe(char)} looks like Latin {latin!r}" for char, latin in found)
        reason = f"name {name!r} mixes scripts ({letters})"
        report.add(Severity.ERROR, "lookalike-name", f"{reason}; entry not published", entry.source)
        report.rejected.append(Rejection(entry.source, reason, entry.header))
    return kept


def _file_layout(lines: list[str], headers: list[int]) -> Layout:
    """A scraped page puts a blank line after most headers; line dumps have none."""
    followed_by_blank = sum(1 for h in headers if h + 1 < len(lines) and not lines[h + 1].strip())
    return Layout.FLAT if followed_by_blank * 2 > len(headers) else Layout.LINES


def _report_size(body: list[str], file: str, line: int, report: Report) -> None:
    chars = sum(len(text) for text in body)
    if chars > MAX_ENTRY_CHARS or len(body) > MAX_ENTRY_LINES:
        report.add(
            Severity.WARNING,
            "large-entry",
            f"entry body is {chars:,} characters in {len(body):,} lines (limits {MAX_ENTRY_CHARS:,} and"
            f" {MAX_ENTRY_LINES:,}); published, but a flattened body this long is kept as one paragraph",
            Source(file, line),
        )


def _report_chrome(lines: list[str], start: int, end: int, file: str, report: Report) -> None:
    for index in range(start, end):
        text = lines[index].strip()
        if text:
            report.add(
                Severity.INFO,
                "page-chrome",
                f"dropped page chrome: {text[:80]!r}",
                Source(file, index + 1),
            )


def read_dump(path: Path, report: Report, data: bytes | None = None) -> list[RawEntry]:
    """Read one dump file (or its bytes, already read) into raw entries, counting them.

    Every entry found is counted as read; those rejected for look-alike names
    are in `report.rejected`, so the accounting still balances.
    """
    file = path.name
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as error:
            report.add(Severity.ERROR, "unreadable", f"cannot read file: {error.strerror}", Source(file, 1))
            report.entries_read[file] = 0
            return []
    entries = split_entries(decode_dump(data, file, report), file, report)
    report.entries_read[file] = len(entries)
    return reject_lookalike_names(entries, report)
