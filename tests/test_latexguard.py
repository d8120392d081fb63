"""The LaTeX layer on its own (glossweave.core.latexguard): tiny documents that attack TeX directly.

No whitelist and no formula check here: each document goes to latexmk with the
latexmkrc the book ships (Sphinx's, rendered for xelatex, plus our guard), as
`make latexpdf` runs it in `_build/latex`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import sphinx
from sphinx.util.fileutil import copy_asset_file

from glossweave.core.latexguard import AUXILIARY, PENDING, latexmkrc_guard, remove_auxiliary

pytestmark = pytest.mark.needs("latex")

#: Time limit of one TeX run in these tests; a hang would last forever, so the
#: harness gives latexmk far more than this before calling it hung.
LIMIT = 5
HANG = 120
SECRET = "glossweave-secret-7f3a9c"


@pytest.fixture
def book(tmp_path) -> Path:
    """A build folder like `_build/latex`, with a secret file one level up."""
    (tmp_path / "secret.tex").write_text(SECRET + "\n", encoding="utf-8")
    folder = tmp_path / "latex"
    folder.mkdir()
    template = Path(sphinx.__file__).parent / "texinputs" / "latexmkrc.jinja"
    copy_asset_file(template, folder, context={"latex_engine": "xelatex", "xindy_use": False})
    with (folder / "latexmkrc").open("a", encoding="utf-8") as rc:
        rc.write(latexmkrc_guard(LIMIT))
    return folder


def _document(body: str, preamble: str = "") -> str:
    return f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n"


def _latexmk(folder: Path, name: str = "book") -> subprocess.CompletedProcess:
    """`make all-pdf` of Sphinx's Makefile, in short: latexmk with the folder's latexmkrc."""
    return subprocess.run(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=folder, capture_output=True, text=True, timeout=HANG, env={**os.environ, "LATEXOPTS": ""},
    )  # fmt: skip


def _log(folder: Path, name: str = "book") -> str:
    return (folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")


def test_files_outside_the_folder_cannot_be_read(book):
    (book / "book.tex").write_text(
        _document(
            "\\newread\\probe\n"
            "\\openin\\probe=/etc/hostname \\ifeof\\probe\\typeout{ABSOLUTE-BLOCKED}\\else\\typeout{ABSOLUTE-READ}\\fi\n"
            "\\openin\\probe=../secret.tex \\ifeof\\probe\\typeout{PARENT-BLOCKED}\\else\\read\\probe to\\line\\typeout{PARENT-READ}\\fi\n"
            "\\IfFileExists{/etc/hostname}{\\typeout{INPUT-FOUND}}{\\typeout{INPUT-BLOCKED}}\n"
            "text"
        ),
        encoding="utf-8",
    )
    done = _latexmk(book)
    log = _log(book)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "ABSOLUTE-BLOCKED" in log and "PARENT-BLOCKED" in log and "INPUT-BLOCKED" in log, log[-2000:]
    assert SECRET not in log


def test_input_of_an_absolute_or_parent_path_fails_and_leaks_nothing(book):
    for target in ("/etc/hostname", "../secret"):
        (book / "book.tex").write_text(_document(f"before \\input{{{target}}} after"), encoding="utf-8")
        done = _latexmk(book)
        assert done.returncode != 0, target
        outputs = b"".join(path.read_bytes() for path in book.iterdir() if path.is_file())
        assert SECRET.encode() not in outputs
        assert Path("/etc/hostname").read_bytes().strip() not in outputs.replace(b"/etc/hostname", b"")


def test_no_shell_escape_and_no_writing_outside_the_folder(book):
    (book / "book.tex").write_text(
        _document(
            "\\immediate\\write18{touch pwned-shell}\n"
            "\\newwrite\\out \\immediate\\openout\\out=../pwned-out.tex \\immediate\\write\\out{x}\\immediate\\closeout\\out\n"
            "text"
        ),
        encoding="utf-8",
    )
    done = _latexmk(book)
    assert not (book / "pwned-shell").exists() and not (book.parent / "pwned-out.tex").exists(), done.stdout[-2000:]
    assert "runsystem(touch pwned-shell)...executed" not in _log(book)


def test_an_endless_macro_is_killed_and_the_next_run_succeeds(book):
    (book / "book.tex").write_text(_document("\\section{A}\\label{a} see \\ref{a}"), encoding="utf-8")
    assert _latexmk(book).returncode == 0
    (book / "book.tex").write_text(_document("\\section{A}\\label{a}\n\\def\\x{\\x}\\x"), encoding="utf-8")
    assert _latexmk(book).returncode != 0  # killed at the time limit (the harness would call it hung)
    assert not list(book.glob("*.aux")) and not (book / PENDING).exists()
    (book / "book.tex").write_text(_document("\\section{A}\\label{a} see \\ref{a}"), encoding="utf-8")
    assert _latexmk(book).returncode == 0 and (book / "book.pdf").is_file()


def test_a_run_killed_from_outside_does_not_poison_the_next(book):
    (book / "book.tex").write_text(_document("\\section{A}\\label{a} see \\ref{a}\n\\def\\x{\\x}\\x"), encoding="utf-8")
    process = subprocess.Popen(
        ["latexmk", "-pdf", "-dvi-", "-ps-", "-interaction=nonstopmode", "book.tex"],
        cwd=book, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + HANG
    while not (book / PENDING).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # as a CI job's timeout or Ctrl-C would
    process.wait()
    # what the killed run left: its marker, and an .aux cut off in the middle of a line
    assert (book / PENDING).exists()
    (book / "book.aux").write_text("\\relax\n\\@writefile{toc}{\\contentsline {section}{\\numberline {1}", encoding="utf-8")
    (book / "book.tex").write_text(_document("\\section{A}\\label{a} see \\ref{a}"), encoding="utf-8")
    done = _latexmk(book)
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_truncated_aux_alone_would_have_broken_the_next_run(book):
    """The guard is what makes the test above pass: without the marker, the cut .aux stops the build."""
    (book / "book.tex").write_text(_document("\\section{A}\\label{a} see \\ref{a}"), encoding="utf-8")
    (book / "book.aux").write_text("\\relax\n\\@writefile{toc}{\\contentsline {section}{\\numberline {1}", encoding="utf-8")
    assert _latexmk(book).returncode != 0


def test_remove_auxiliary_leaves_sources_and_the_pdf(tmp_path):
    names = [f"book.{suffix}" for suffix in AUXILIARY] + ["book.tex", "book.pdf", PENDING]
    for name in names:
        (tmp_path / name).write_text("x")
    remove_auxiliary(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf", "book.tex"]
