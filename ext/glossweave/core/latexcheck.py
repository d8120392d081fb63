"""Know that every formula typesets before the book is built: one TeX run for all of them, cached by content.

Why: formulas the whitelist passes can still stop LaTeX (``x^2^3``, ``a \\over b
\\over c``, ``\\left(`` alone, a bare ``\\frac``, ``\\hline``, 1,000 nested
``\\sqrt{``), and one such formula used to stop the whole book.  MathJax's
verdict is not LaTeX's, so the book's own engine and preamble decide.

The caller hands over each formula as the LaTeX writer emits it (``\\(…\\)``,
a display environment) and the book's preamble.  They are typeset into boxes
that are never shipped, one document for all, under `glossweave.core.latexguard`
(no shell, no outside files, time limits), with ``-halt-on-error``.  TeX runs
on a pseudo-terminal, so its output arrives line by line: a marker before and
after each formula tells which one an error (or a hang) belongs to.  That one
is recorded as failing with TeX's message, and the run starts again after it;
so n failing formulas cost n + 1 runs, and a good corpus one.

Verdicts are cached by a digest of the engine, the preamble, this package's
code and the formula, in one file written atomically (`glossweave.core.cachefiles`):
only formulas never seen with this preamble are typeset.
"""

from __future__ import annotations

import hashlib
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from .cachefiles import tree_digest, write_atomically
from .latexguard import hardened_env, time_limit

#: Seconds one formula may take once the preamble is loaded (a formula takes milliseconds).
FORMULA_TIME_LIMIT = 15
CACHE_NAME = "latexcheck.json"
_START, _END = "GLOSSWEAVE-FORMULA-START", "GLOSSWEAVE-FORMULA-END"
_MARK = re.compile(rf"({_START}|{_END}) (\d+)")


class LatexCheckUnavailable(RuntimeError):
    """The engine is not installed, or its preamble does not compile: formulas cannot be judged."""


def check_formulas(
    snippets: Sequence[str],
    head: str,
    work_dir: Path,
    *,
    engine: str = "xelatex",
    cache_dir: Path | None = None,
    texinputs: Sequence[Path] = (),
) -> list[str | None]:
    """Per snippet, TeX's error message when it does not typeset after `head`, else None.

    `head` is everything the book has before ``\\begin{document}``; `texinputs`
    are folders searched for its packages (before TeX's own).  Raises
    `LatexCheckUnavailable` when `engine` is missing or `head` alone fails.
    """
    context = hashlib.sha256(f"{engine}\0{head}\0{tree_digest(Path(__file__).parent)}".encode()).hexdigest()
    keys = [hashlib.sha256(f"{context}\0{snippet}".encode()).hexdigest() for snippet in snippets]
    cache_file = cache_dir / CACHE_NAME if cache_dir else None
    known = _read_cache(cache_file)
    todo = sorted({key: snippet for key, snippet in zip(keys, snippets) if key not in known}.items())
    if todo:
        if shutil.which(engine) is None:
            raise LatexCheckUnavailable(f"{engine} is not on PATH")
        verdicts = _typeset_all([snippet for _, snippet in todo], head, work_dir, engine, texinputs)
        known.update({key: verdict for (key, _), verdict in zip(todo, verdicts)})
        if cache_file is not None:
            write_atomically(cache_file, json.dumps(known).encode())
    return [known[key] for key in keys]


def _read_cache(path: Path | None) -> dict[str, str | None]:
    """The cached verdicts; an unreadable cache is a miss (every formula is typeset again)."""
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, (str, type(None))) for v in data.values()):
        return {}
    return data


def _typeset_all(snippets: list[str], head: str, work_dir: Path, engine: str, texinputs: Sequence[Path]) -> list[str | None]:
    verdicts: list[str | None] = [None] * len(snippets)
    start = 0
    while start < len(snippets):
        failed, message = _run(snippets, start, head, work_dir, engine, texinputs)
        if failed is None:
            break
        verdicts[failed] = message
        start = failed + 1
    return verdicts


def _document(snippets: list[str], start: int, head: str) -> str:
    body = "".join(
        f"\\typeout{{{_START} {index}}}\\setbox0\\vbox{{\\hsize=\\linewidth {snippets[index]}\\par}}\\typeout{{{_END} {index}}}\n"
        for index in range(start, len(snippets))
    )
    return f"{head}\n\\begin{{document}}\n{body}\\typeout{{{_END} {len(snippets)}}}\n\\end{{document}}\n"


def _run(
    snippets: list[str], start: int, head: str, work_dir: Path, engine: str, texinputs: Sequence[Path]
) -> tuple[int | None, str]:
    """Typeset snippets[start:]; return the first that failed (or hung) and TeX's message, or (None, "")."""
    work_dir.mkdir(parents=True, exist_ok=True)
    for leftover in work_dir.glob("check.*"):
        leftover.unlink()
    (work_dir / "check.tex").write_text(_document(snippets, start, head), encoding="utf-8")
    env = hardened_env()
    env["TEXINPUTS"] = os.pathsep.join([".", *map(str, texinputs), ""])
    primary, secondary = pty.openpty()  # a terminal: TeX writes each line as it goes
    no_output = "-no-pdf" if engine == "xelatex" else "-draftmode"
    process = subprocess.Popen(
        [engine, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", no_output, "check.tex"],
        cwd=work_dir, env=env, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary, start_new_session=True,
    )  # fmt: skip
    os.close(secondary)
    output, scanned, current = "", 0, None
    deadline = time.monotonic() + time_limit()
    try:
        while True:
            ready, _, _ = select.select([primary], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:  # out of time: the formula being typeset hangs (or the preamble does)
                if current is None:
                    raise LatexCheckUnavailable(f"{engine} did not get through the preamble in {time_limit()} s")
                return current, f"TeX did not finish this formula in {FORMULA_TIME_LIMIT} s (killed)"
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: TeX ended
                break
            if not chunk:
                break
            output += chunk.decode("utf-8", "replace")
            complete = output.rfind("\n") + 1  # markers are read on whole lines only
            for mark in _MARK.finditer(output, scanned, complete):
                current = int(mark.group(2)) if mark.group(1) == _START else None
                deadline = time.monotonic() + FORMULA_TIME_LIMIT
            scanned = max(scanned, complete)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(primary)
    if f"{_END} {len(snippets)}" in output:
        return None, ""
    if current is None:
        raise LatexCheckUnavailable(f"the book's preamble does not compile with {engine}:\n{output[-2000:]}")
    found = re.search(r"^! (.+?)\r?$", output, re.M)
    return current, found.group(1).strip() if found else "TeX stopped on this formula"
