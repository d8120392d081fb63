"""Read stage: entries found in both layouts, chrome dropped and reported, bad bytes survived."""

from __future__ import annotations

from pathlib import Path

from corpus_paths import FIXTURE_DUMPS, fixture_text
from hypothesis import given, settings
from hypothesis import strategies as st

from glossweave.core.model import Layout, Report, Severity
from glossweave.core.reader import read_dump, split_entries


def read(name: str) -> tuple[list, Report]:
    report = Report()
    return read_dump(FIXTURE_DUMPS / name, report), report


def test_every_header_style_starts_an_entry_with_its_line():
    entries, _ = read("header_styles.txt")
    lines = fixture_text("header_styles.txt").splitlines()
    expected = [i + 1 for i, line in enumerate(lines) if line and line[0].isalpha() and "," in line and not line.startswith(("from ", "out ", "beams"))]
    assert [entry.source.line for entry in entries] == expected
    assert [entry.header.split(",")[0] for entry in entries] == [
        "attention sink", "mixture of experts (moe)", "LLM", "beam search", "gradient checkpointing",
    ]
    assert all(entry.layout is Layout.LINES for entry in entries)


def test_code_lines_with_commas_are_body_not_headers():
    entries, _ = read("header_styles.txt")
    beam = next(e for e in entries if e.header.startswith("beam search"))
    assert "from decoding import top, k" in beam.body
    checkpointing = entries[-1]
    assert "from torch.utils.checkpoint import checkpoint, checkpoint_sequential" in checkpointing.body


def test_scraped_page_entries_are_one_line_and_chrome_is_reported():
    entries, report = read("flattened_page.txt")
    assert [e.header for e in entries] == ["beam search, decoding", "batch norm, training techniques"]
    assert all(e.layout is Layout.FLAT and len(e.body) == 1 for e in entries)
    chrome = [d for d in report.diagnostics if d.code == "page-chrome"]
    text = fixture_text("flattened_page.txt").splitlines()
    assert {d.source.line for d in chrome} == {i + 1 for i, line in enumerate(text[:8]) if line.strip()}
    assert all(d.source.file == "flattened_page.txt" for d in chrome)


def test_invalid_utf8_control_bytes_bom_and_crlf_are_reported_and_survived(tmp_path: Path):
    dump = tmp_path / "bad.txt"
    dump.write_bytes(
        b"\xef\xbb\xbfalpha term, cat\r\n**Alpha Term** is \xff\xfe broken.\r\n"
        b"beta term, cat\r\n**Beta Term** has a NUL\x00 here.\r\n"
    )
    report = Report()
    entries = read_dump(dump, report)
    assert [e.header for e in entries] == ["alpha term, cat", "beta term, cat"]
    codes = {(d.code, d.source.line) for d in report.diagnostics}
    assert {("bom", 1), ("crlf", 1), ("encoding", 2), ("control-char", 4)} <= codes
    assert all(d.severity is Severity.ERROR for d in report.diagnostics if d.code in {"encoding", "control-char"})
    assert "\ufffd" in entries[0].body[0] and "\x00" not in entries[1].body[0]


def test_empty_file_and_file_without_entries_are_reported(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "prose.txt").write_text("Just some prose.\nNo headers here.\n")
    report = Report()
    assert read_dump(tmp_path / "empty.txt", report) == []
    assert read_dump(tmp_path / "prose.txt", report) == []
    assert {(d.source.file, d.code) for d in report.diagnostics} >= {("empty.txt", "empty-file"), ("prose.txt", "no-entries")}
    assert report.entries_read == {"empty.txt": 0, "prose.txt": 0}


def test_header_with_no_body_is_still_an_entry():
    report = Report()
    entries = split_entries(["orphan term, cat", "next term, cat", "**Next Term** is here."], "f.txt", report)
    assert [(e.header, e.body) for e in entries] == [("orphan term, cat", []), ("next term, cat", ["**Next Term** is here."])]


# --- properties --------------------------------------------------------------------

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
_name = st.lists(_word, min_size=1, max_size=3).map(" ".join)
_body_line = st.one_of(
    st.text(max_size=120).filter(lambda s: "\n" not in s and "\r" not in s).map(lambda s: "- " + s),
    st.text(max_size=120).filter(lambda s: "\n" not in s and "\r" not in s).map(lambda s: "**Note**: " + s + "."),
    st.just("| a | b |"),
    st.just("|---|---|"),
)


@st.composite
def dumps(draw):
    names = draw(st.lists(_name, min_size=1, max_size=8, unique=True))
    flat = draw(st.booleans())
    parts = []
    for name in names:
        category = draw(_name)
        lines = draw(st.lists(_body_line, max_size=5))
        opening = f"**{name.title()}** is **something** - described here."
        if flat:
            parts.append(f"{name}, {category}\n\n{' '.join([opening, *lines])}\n")
        else:
            parts.append("\n".join([f"{name}, {category}", opening, *lines]))
    return names, ("\n".join(parts) + "\n")


@settings(max_examples=150, deadline=None)
@given(dumps())
def test_reader_never_loses_an_entry(dump):
    names, text = dump
    report = Report()
    entries = split_entries(text.split("\n")[:-1], "gen.txt", report)
    assert [entry.header.split(",")[0] for entry in entries] == names


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=2000))
def test_reader_never_crashes_on_arbitrary_bytes(raw):
    report = Report()
    entries = read_dump(Path("x.txt"), report, raw)
    assert report.entries_read["x.txt"] == len(entries) + len(report.rejected)
    assert all(entry.source.line >= 1 and entry.body_line > entry.source.line for entry in entries)


# --- unclosed code fences ------------------------------------------------------------


def _fence_errors(report: Report) -> list[tuple[int, str]]:
    return [(d.source.line, d.message) for d in report.diagnostics if d.code == "unclosed-fence" and d.severity is Severity.ERROR]


def test_an_unclosed_fence_ends_at_the_next_confirmed_header_and_names_both_lines():
    lines = [
        "alpha beta, general",
        "**Alpha Beta** is an entry whose code block is never closed.",
        "```python",
        "print('no closing fence')",
        "gamma ray, physics",
        "**Gamma Ray** is the entry right after it.",
        "delta wave, physics",
        "**Delta Wave** is one entry further on.",
    ]
    report = Report()
    entries = split_entries(lines, "f.txt", report)
    assert [e.header for e in entries] == ["alpha beta, general", "gamma ray, physics", "delta wave, physics"]
    assert entries[0].body == lines[1:4]
    assert _fence_errors(report) == [(3, "code fence opened on line 3 is never closed; it ends at the entry header on line 5")]


def test_a_header_confirmed_by_a_mention_also_ends_an_unclosed_fence():
    lines = [
        "alpha beta, general",
        "**Alpha Beta** opens a fence.",
        "~~~",
        "code",
        "label studio, annotation",
        "Annotation tools like Label Studio give a labelling interface.",
    ]
    report = Report()
    assert [e.header for e in split_entries(lines, "f.txt", report)] == ["alpha beta, general", "label studio, annotation"]
    assert [line for line, _ in _fence_errors(report)] == [3]


def test_a_flattened_page_with_a_stray_fence_keeps_the_entries_after_it():
    lines = [
        "alpha beta, general", "", "**Alpha Beta** is the first entry.", "```",
        "gamma ray, physics", "", "**Gamma Ray** is the second entry.", "",
        "delta wave, physics", "", "**Delta Wave** is the third entry.",
    ]
    report = Report()
    entries = split_entries(lines, "page.txt", report)
    assert [e.header for e in entries] == ["alpha beta, general", "gamma ray, physics", "delta wave, physics"]
    assert all(e.layout is Layout.FLAT for e in entries)
    assert [line for line, _ in _fence_errors(report)] == [4]


def test_header_shaped_lines_inside_a_closed_fence_stay_code():
    """Only a confirmed header ends a fence: log lines that look like headers are code."""
    lines = [
        "alpha beta, general",
        "**Alpha Beta** logs its training.",
        "```text",
        "epoch one, loss high",
        "epoch two, loss lower",
        "```",
        "gamma ray, physics",
        "**Gamma Ray** follows.",
    ]
    report = Report()
    entries = split_entries(lines, "f.txt", report)
    assert [e.header for e in entries] == ["alpha beta, general", "gamma ray, physics"]
    assert "epoch two, loss lower" in entries[0].body
    assert _fence_errors(report) == []


def test_a_fence_closes_only_as_commonmark_closes_it():
    """An info string, a shorter run or the other character does not close a fence, so a
    confirmed header inside ends it instead (and is reported)."""
    for closer in ("```python", "``", "~~~"):
        lines = [
            "alpha beta, general", "**Alpha Beta** has code.", "````", "x = 1", closer,
            "gamma ray, physics", "**Gamma Ray** follows.",
        ]
        report = Report()
        assert [e.header for e in split_entries(lines, "f.txt", report)] == ["alpha beta, general", "gamma ray, physics"]
        assert [line for line, _ in _fence_errors(report)] == [3], closer
    closed = ["alpha beta, general", "**Alpha Beta** has code.", "```", "x = 1", "`````", "gamma ray, physics", "**Gamma Ray** follows."]
    report = Report()
    assert len(split_entries(closed, "f.txt", report)) == 2 and _fence_errors(report) == []


@settings(max_examples=150, deadline=None)
@given(dumps(), st.data())
def test_an_unclosed_fence_anywhere_loses_no_entry(dump, data):
    names, text = dump
    lines = text.split("\n")[:-1]
    # anywhere but between a header and its first body line (a body must confirm its header)
    headers = {index for index, line in enumerate(lines) if line.split(",")[0] in names}
    places = [at for at in range(1, len(lines) + 1) if at - 1 not in headers and not (lines[at - 1] == "" and at - 2 in headers)]
    at = data.draw(st.sampled_from(places), label="fence after line")
    lines.insert(at, data.draw(st.sampled_from(["```", "~~~", "```python", "````"]), label="fence"))
    report = Report()
    entries = split_entries(lines, "gen.txt", report)
    assert [entry.header.split(",")[0] for entry in entries] == names
