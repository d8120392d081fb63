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
    assert report.entries_read["x.txt"] == len(entries)
    assert all(entry.source.line >= 1 and entry.body_line > entry.source.line for entry in entries)
