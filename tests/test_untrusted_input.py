"""Robust reading of an untrusted corpus (issue 6).

Every malformed input of the issue's list sits in a dump of its own beside a
good dump.  Each must be named by `make check` at the exact `file:line`, the
good dump and the rest of the bad one must still be published, and the
accounting (read = published + merged + rejected) must still balance: a
scraper accident costs one diagnostic, never the build or a silent loss.
"""

from __future__ import annotations

import io
import re

import pytest

from glossweave.cli import main as cli_main
from glossweave.core.pipeline import build_glossary
from glossweave.core.reader import MAX_ENTRY_CHARS, MAX_ENTRY_LINES
from glossweave.core.slug import MAX_SLUG_CHARS

GOOD = (
    "gpu, graphics processing unit, hardware\n"
    "**GPU** is **a massively parallel processor** - It runs training and inference.\n"
    "- **Throughput**: thousands of cores.\n"
    "kv cache, llm architecture\n"
    "**KV Cache** is **stored attention keys and values** - It speeds up decoding.\n"
)
GOOD_SLUGS = {"gpu", "kv-cache"}
BAD = "001_bad.txt"


def entry(term: str, *body: str) -> str:
    """A line-layout entry whose body opens with the term in bold, as the dumps do."""
    return "\n".join([f"{term}, general", f"**{term.title()}** is a test entry.", *body]) + "\n"


TABLE_ROWS = 10_000
HUGE = 1 << 20

# (bad dump, file:line that must be named, text that must be on that line of `check`, slugs of the bad dump still published)
CASES = {
    "invalid-utf8": (b"alpha beta, general\n**Alpha Beta** is caf\xe9 \xff\xfe broken.\n", 2, "[encoding]", {"alpha-beta"}),
    "nul-byte": (b"alpha beta, general\n**Alpha Beta** is a\x00b.\n", 2, "[control-char]", {"alpha-beta"}),
    "escape-sequence": (b"alpha beta, general\n**Alpha Beta** is \x1b[31mred\x7f.\n", 2, "[control-char]", {"alpha-beta"}),
    "c1-control": ("alpha beta, general\n**Alpha Beta** is a\u0085b.\n".encode(), 2, "[control-char]", {"alpha-beta"}),
    "noncharacters": (
        "alpha beta, general\n**Alpha Beta** is a\ufffeb and c\uffffd and e\U0001fffef and g\ufdd0h.\n".encode(),
        2,
        "U+FDD0, U+FFFE, U+FFFF, U+1FFFE replaced with U+FFFD (noncharacters, which XML forbids) [noncharacter]",
        {"alpha-beta"},
    ),
    "lone-cr": (b"alpha beta, general\n**Alpha Beta** is a\rb.\n", 2, "U+000D replaced with U+FFFD", {"alpha-beta"}),
    "bom": (b"\xef\xbb\xbf" + entry("alpha beta").encode(), 1, "[bom]", {"alpha-beta"}),
    "crlf": (entry("alpha beta").replace("\n", "\r\n").encode(), 1, "[crlf]", {"alpha-beta"}),
    "empty-file": (b"", 1, "[empty-file]", set()),
    "blank-file": (b"\n  \n\t\n", 1, "[empty-file]", set()),
    "no-entries": (b"Some prose that was scraped,\nbut no glossary entry in it.\n", 1, "[no-entries]", set()),
    "header-without-body": (
        (entry("alpha beta") + "orphan term, general\n" + entry("gamma ray")).encode(),
        3,
        "header with no body",
        {"alpha-beta", "gamma-ray"},
    ),
    "header-without-body-at-end": ((entry("alpha beta") + "orphan term, general\n").encode(), 3, "header with no body", {"alpha-beta"}),
    "one-mb-entry-lines": (
        (entry("alpha beta", *["A line of prose about the term, long enough to count. " * 2] * (HUGE // 110)) + entry("gamma ray")).encode(),
        1,
        "[large-entry]",
        {"alpha-beta", "gamma-ray"},
    ),
    "one-mb-entry-flattened": (
        ("alpha beta, general\n\n**Alpha Beta** is " + "- a dash and 1. a number " * (HUGE // 25) + "\n\n"
         "gamma ray, general\n\n**Gamma Ray** is fine.\n").encode(),
        1,
        "[large-entry]",
        {"alpha-beta", "gamma-ray"},
    ),
    "ten-thousand-row-table": (
        entry("alpha beta", "| name | value |", "|---|---|", *[f"| row {i} | {i * i} |" for i in range(TABLE_ROWS)]).encode(),
        1,
        "[large-entry]",
        {"alpha-beta"},
    ),
    "unbalanced-dollar": (entry("alpha beta", "The loss $x + y is never closed.").encode(), 3, "[math-unclosed]", {"alpha-beta"}),
    "unbalanced-dollar-command": (
        entry("alpha beta", "The loss $\\frac{1}{2} is never closed.").encode(),
        3,
        "[math-unclosed]",
        {"alpha-beta"},
    ),
    "math-braces-nested-past-tex": (
        entry("alpha beta", "It reads $" + "{" * 300 + "x" + "}" * 300 + "$ in the book.").encode(),
        3,
        "[math-too-deep]",
        {"alpha-beta"},
    ),
    "math-fences-nested-past-tex": (
        entry("alpha beta", "It reads $" + "\\left(" * 300 + "x" + "\\right)" * 300 + "$ in the book.").encode(),
        3,
        "[math-too-deep]",
        {"alpha-beta"},
    ),
    "unclosed-fence": (
        (entry("alpha beta", "```python", "print('never closed')") + entry("gamma ray")).encode(),
        3,
        "error: code fence opened on line 3 is never closed; it ends at the entry header on line 5 [unclosed-fence]",
        {"alpha-beta", "gamma-ray"},
    ),
    "names-that-slug-alike": (
        (entry("résumé parsing") + entry("resume parsing")).encode(),
        1,
        "[slug-collision]",
        set(),
    ),
}


def run_check(corpus) -> tuple[int, str]:
    out = io.StringIO()
    code = cli_main(["check", str(corpus)], out=out)
    return code, out.getvalue()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_malformed_input_is_named_at_its_line_and_everything_else_builds(make_corpus, case):
    data, line, expected, still_published = case
    corpus = make_corpus({"000_good.txt": GOOD, BAD: data})
    glossary = build_glossary(corpus)
    assert glossary.balances()
    assert GOOD_SLUGS | still_published <= {term.slug for term in glossary.terms}
    _, text = run_check(corpus)
    named = [row for row in text.splitlines() if row.strip().startswith(f"{BAD}:{line}: ")]
    assert any(expected in row for row in named), f"no {expected} at {BAD}:{line} in:\n{text[:3000]}"
    assert re.search(r"^Accounting: .*: balances$", text, re.M)


def test_size_limits_are_what_the_large_cases_exceed():
    """The large cases above must really cross a limit, or they would test nothing."""
    assert HUGE > MAX_ENTRY_CHARS and TABLE_ROWS > MAX_ENTRY_LINES


def test_a_normal_entry_is_not_reported_as_large(make_corpus):
    glossary = build_glossary(make_corpus({"000_good.txt": GOOD}))
    assert not [d for d in glossary.report.diagnostics if d.code == "large-entry"]


def test_every_row_of_a_huge_table_is_published(make_corpus):
    text = entry("alpha beta", "| name | value |", "|---|---|", *[f"| row {i} | {i * i} |" for i in range(TABLE_ROWS)])
    (term,) = build_glossary(make_corpus({BAD: text})).terms
    markdown = term.senses[0].markdown
    assert f"| row {TABLE_ROWS - 1} | {(TABLE_ROWS - 1) ** 2} |" in markdown
    assert markdown.count("\n| row ") == TABLE_ROWS


def test_a_huge_flattened_entry_keeps_all_its_text(make_corpus):
    body = "- a dash and 1. a number " * (HUGE // 25)
    corpus = make_corpus({BAD: f"alpha beta, general\n\n**Alpha Beta** is {body}\n\ngamma ray, general\n\n**Gamma Ray** is fine.\n"})
    alpha = next(term for term in build_glossary(corpus).terms if term.slug == "alpha-beta")
    assert " ".join(alpha.senses[0].markdown.split()).endswith(" ".join(body.split()))


# --- names that slug alike, and non-Latin names ---------------------------------------

NON_LATIN = ["модель внимания", "注意力机制", "ε-greedy", "δ-privacy", "αβ pruning", "نموذج لغوي", "トークン化"]


@pytest.fixture
def fresh_corpus(tmp_path_factory):
    """Like `make_corpus`, but each call gets its own folder (no dump left over from the last)."""

    def make(files: dict[str, str]):
        folder = tmp_path_factory.mktemp("corpus")
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    return make


def _slugs(corpus) -> dict[str, str]:
    return {term.key: term.slug for term in build_glossary(corpus).terms}


def test_lookalike_names_get_distinct_readable_anchors(fresh_corpus):
    slugs = _slugs(fresh_corpus({BAD: "".join(entry(name) for name in ["c++", "c", "ε-net", "net"])}))
    assert slugs == {"c++": "c-plus-plus", "c": "c", "ε-net": "epsilon-net", "net": "net"}


def test_non_latin_names_get_stable_distinct_ascii_slugs(fresh_corpus):
    """A slug may depend only on its own name: not on neighbours, order, or which dump holds it."""
    alone = {name: _slugs(fresh_corpus({BAD: entry(name)}))[name] for name in NON_LATIN}
    together = _slugs(fresh_corpus({BAD: "".join(entry(name) for name in NON_LATIN)}))
    reversed_with_others = _slugs(
        fresh_corpus({"000_good.txt": GOOD, "002_x.txt": "".join(entry(name) for name in reversed(NON_LATIN))})
    )
    assert {name: together[name] for name in NON_LATIN} == alone
    assert {name: reversed_with_others[name] for name in NON_LATIN} == alone
    assert len(set(alone.values())) == len(NON_LATIN)
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in alone.values())
    assert alone["ε-greedy"] == "epsilon-greedy"


def test_a_very_long_non_latin_name_gets_a_slug_short_enough_for_a_file_name(fresh_corpus, tmp_path):
    """120 CJK characters spell out to 720 slug characters: too long for `terms/<slug>.term.json`."""
    from glossweave.site.emit import emit_site

    long_names = ["注意" * 60, "注意" * 59 + "机制"]
    glossary = build_glossary(fresh_corpus({BAD: "".join(entry(name) for name in long_names)}))
    slugs = [term.slug for term in glossary.terms]
    assert len(set(slugs)) == 2 and all(len(slug) <= MAX_SLUG_CHARS for slug in slugs)
    emit_site(glossary, tmp_path / "out")
    assert {path.name.removesuffix(".term.json") for path in (tmp_path / "out" / "terms").glob("*.term.json")} == set(slugs)


def test_characters_xml_forbids_never_reach_an_export(make_corpus, tmp_path):
    """U+FFFE made lxml raise in the TBX export: every export is written, and every XML one parses."""
    from lxml import etree

    hostile = "alpha beta, general\n**Alpha Beta** is a\ufffe b\uffff c\x00 d\x1b e\U0010ffff.\n"
    corpus = make_corpus({"000_good.txt": GOOD, BAD: hostile})
    assert cli_main(["export", str(corpus), "--out", str(tmp_path / "out")], out=io.StringIO()) == 0
    for path in (tmp_path / "out").iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\U0010ffff]", text), path.name
    etree.parse(str(tmp_path / "out" / "glossary.tbx"))


def test_an_entry_too_deep_for_python_costs_that_entry_never_the_build(make_corpus, monkeypatch):
    """Whatever recursive reader meets a hostile entry first, its RecursionError becomes a rejection."""
    from glossweave.core import pipeline

    normalize = pipeline.normalize_entry

    def recursing(raw, report):
        if raw.header.startswith("gpu"):
            raise RecursionError("maximum recursion depth exceeded")
        return normalize(raw, report)

    monkeypatch.setattr(pipeline, "normalize_entry", recursing)
    glossary = build_glossary(make_corpus({"000_good.txt": GOOD}))
    assert [term.slug for term in glossary.terms] == ["kv-cache"] and glossary.balances()
    (rejection,) = glossary.report.rejected
    assert (str(rejection.source), rejection.reason) == ("000_good.txt:1", "nested too deeply to read (Python's recursion limit)")
    assert [(str(d.source), d.severity.name) for d in glossary.report.diagnostics if d.code == "too-deep"] == [("000_good.txt:2", "ERROR")]
