"""`make check` / `make export`: the accounting printed, file:line diagnostics, exit codes."""

from __future__ import annotations

import io
import json

from corpus_paths import CORPUS, fixture_text

from glossweave.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_check_on_the_corpus_accounts_for_every_file_and_succeeds():
    code, text = run("check", str(CORPUS))
    assert code == 0
    for path in CORPUS.glob("*.txt"):
        assert path.name in text
    assert "balances" in text and "DOES NOT BALANCE" not in text
    assert "Links made:" in text and "Names held back:" in text
    assert "002_a7764215455b8de7.txt:1: info: dropped page chrome" in text


def test_check_fails_on_errors_and_names_file_and_line(make_corpus):
    corpus = make_corpus({"a.txt": fixture_text("money.txt"), "b.txt": b"bad term, cat\n**Bad Term** is \xff.\n"})
    code, text = run("check", str(corpus))
    assert code == 1
    assert "b.txt:2: error: invalid UTF-8" in text
    assert "Entries rejected:       0" in text


def test_rejected_entries_are_listed_with_reason(make_corpus):
    corpus = make_corpus({"a.txt": "lonely term, cat\n\nother term, cat\n\n**Other Term** is here.\n"})
    code, text = run("check", str(corpus))
    assert "a.txt:1: header with no body: 'lonely term, cat'" in text
    assert "2 read = 1 published senses + 0 merged copies + 1 rejected: balances" in text


def test_export_writes_json(tmp_path):
    code, text = run("export", str(CORPUS), "--out", str(tmp_path))
    assert code == 0
    document = json.loads((tmp_path / "glossary.json").read_text())
    assert len(document["terms"]) > 50


def test_check_reports_citations_missing_from_the_bibliography(make_corpus, tmp_path):
    corpus = make_corpus({"a.txt": "dropout, regularization\n**Dropout** is **zeroing units** (Srivastava et al., 2014).\n"})
    empty_bib = tmp_path / "empty.bib"
    empty_bib.write_text("")
    code, text = run("check", str(corpus), "--bib", str(empty_bib))
    assert "a.txt:2: warning:" in text and "Srivastava" in text
    assert code == 0  # a missing citation is a warning, not an error
