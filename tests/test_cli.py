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
    assert "Links made:" in text
    assert "002_a7764215455b8de7.txt:1: info: dropped page chrome" in text


def test_check_on_the_corpus_fits_two_screens_and_groups_repeated_notes():
    code, text = run("check", str(CORPUS))
    lines = text.splitlines()
    assert len(lines) <= 110
    # 21 notes of one repair are one line, with the count and the first places
    (repair,) = [line for line in lines if "'L_infty' -> 'L_\\\\infty'" in line]
    assert repair.startswith("  000_58544aebc881fe90.txt:60: info: math repaired:") and "×21 (also 000_58544aebc881fe90.txt:61" in repair
    for section in ["Names not from an opening bold phrase", "Aliases (", "Categories filed under another", "Near-duplicates kept apart"]:
        assert any(line.startswith(section) for line in lines), section


def test_check_is_quiet_when_everything_is_fine(make_corpus):
    corpus = make_corpus({"a.txt": "beam search, decoding\n**Beam Search** keeps the best partial sequences.\n"})
    code, text = run("check", str(corpus))
    assert code == 0
    assert text.splitlines() == [
        "Entries read:",
        "  a.txt       1",
        "Published: 1 terms, 1 senses, 0 other definitions (rewrites of a sense); 0 aliases, 0 keywords",
        "Accounting: 1 read = 1 published definitions (1 senses + 0 other) + 0 merged copies + 0 rejected: balances",
        "Links made: 0 (--links lists each: page, phrase, target)",
        "Diagnostics: 0 errors, 0 warnings, 0 info",
        "Domains (1):",
        "  Other: Decoding",
    ]


def test_check_terms_links_and_json(make_corpus):
    corpus = make_corpus(
        {
            "a.txt": "gpu rental,cloud,gpu,compute\n**GPU Rental** is hiring a GPU by the hour.\n"
            "gpu, graphics processing unit, hardware\n**GPU** is a parallel processor.\n"
        }
    )
    _, terms = run("check", str(corpus), "--terms")
    assert "GPU [term-gpu] — name: the body's opening bold phrase, a.txt:3" in terms
    assert "  alias 'graphics processing unit': expansion" in terms
    assert "  keyword 'cloud': keyword" in terms and "  related: gpu" in terms
    _, links = run("check", str(corpus), "--links")
    assert "a.txt:1: gpu-rental: 'GPU' → gpu (GPU)" in links
    _, text = run("check", str(corpus), "--json")
    data = json.loads(text)
    rental = next(term for term in data["terms"] if term["slug"] == "gpu-rental")
    assert [(k["text"], k["reason"]) for k in rental["keywords"]] == [("cloud", "keyword"), ("gpu", "broader-than-name"), ("compute", "keyword")]
    assert rental["related"] == ["gpu"] and rental["name_source"] == "bold-phrase"
    assert data["links"] == [{"page": "gpu-rental", "phrase": "GPU", "target": "gpu", "target_name": "GPU", "source": "a.txt:1"}]
    assert data["accounting"]["balances"] is True


def test_check_fails_on_errors_and_names_file_and_line(make_corpus):
    corpus = make_corpus({"a.txt": fixture_text("money.txt"), "b.txt": b"bad term, cat\n**Bad Term** is \xff.\n"})
    code, text = run("check", str(corpus))
    assert code == 1
    assert "b.txt:2: error: invalid UTF-8" in text
    assert "Entries rejected" not in text


def test_rejected_entries_are_listed_with_reason(make_corpus):
    corpus = make_corpus({"a.txt": "lonely term, cat\n\nother term, cat\n\n**Other Term** is here.\n"})
    code, text = run("check", str(corpus))
    assert "a.txt:1: header with no body: 'lonely term, cat'" in text
    assert "2 read = 1 published definitions (1 senses + 0 other) + 0 merged copies + 1 rejected: balances" in text


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
