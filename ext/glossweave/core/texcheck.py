"""Parse formulas with a real TeX-math parser: MathJax 4 under node.

Why: a damaged formula such as ``frac{1}{2}`` renders silently as letters, and
MathJax hides its own errors by default.  ``texcheck.mjs`` runs MathJax with the
packages the site enables, without ``noerrors``/``noundefined`` and with
``formatError`` throwing, so each formula comes back with MathJax's own message
("Undefined control sequence \\foo", "Missing close brace") or None.

One node process handles a whole batch: loading MathJax costs ~0.2 s, a
formula well under a millisecond.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .model import BlockKind, Diagnostic, Glossary, Severity, Source
from .texcommands import MATHJAX_TEX_PACKAGES
from .texmath import iter_math

SCRIPT = Path(__file__).with_name("texcheck.mjs")


class TexCheckUnavailable(RuntimeError):
    """node or the MathJax package is missing, so formulas cannot be validated."""


def validate(formulas: list[str], *, display: bool = False, timeout: float = 120.0) -> list[str | None]:
    """Return, per formula, MathJax's error message or None when it parses.

    `display` parses every formula as display math (environments such as
    ``aligned`` behave the same either way; the flag exists for callers that
    keep ``$$`` spans apart).  Raises `TexCheckUnavailable` when node or
    ``node_modules/@mathjax/src`` cannot be found, rather than reporting every
    formula as broken.
    """
    if not formulas:
        return []
    node = shutil.which("node")
    if node is None:
        raise TexCheckUnavailable("node is not on PATH")
    payload = json.dumps(
        {"packages": list(MATHJAX_TEX_PACKAGES), "formulas": [{"tex": f, "display": display} for f in formulas]}
    )
    proc = subprocess.run(
        [node, str(SCRIPT)],
        input=payload.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise TexCheckUnavailable(proc.stderr.decode("utf-8", "replace").strip()[-2000:])
    results = json.loads(proc.stdout)
    if len(results) != len(formulas):
        raise TexCheckUnavailable(f"texcheck.mjs answered {len(results)} results for {len(formulas)} formulas")
    return results


def published_formulas(glossary: Glossary) -> list[tuple[Source, str, bool]]:
    """(dump line, TeX, display?) of every formula on a published page, in order, as it renders.

    Each block is read by the site's grammar (`glossweave.core.texmath.iter_math`),
    and a formula's line is its block's first line plus the lines before it in the block.
    """
    found = []
    for term in glossary.terms:
        for definition in term.definitions:
            entry = definition.entry
            for block in entry.blocks:
                if block.kind is BlockKind.CODE:
                    continue
                text = block.markdown()
                for span in iter_math(text):
                    line = (block.line or entry.source.line) + text.count("\n", 0, span.start)
                    found.append((Source(entry.source.file, line), span.tex, span.display))
    return found


def formula_diagnostics(glossary: Glossary) -> list[Diagnostic]:
    """A warning at its line for every published formula MathJax cannot parse.

    The site shows MathJax's error in the formula's place, and the book sets
    the formula as text (`glossweave.core.latexcheck`); either way its author
    should repair it.  Without node or MathJax, one note says the check did not run.
    """
    formulas = published_formulas(glossary)
    try:
        verdicts = validate([tex for _, tex, _ in formulas])
    except TexCheckUnavailable as missing:
        return [Diagnostic(Severity.INFO, "math-unchecked", f"formulas not validated with MathJax: {missing}")]
    return [
        Diagnostic(Severity.WARNING, "math-invalid", f"MathJax cannot typeset this formula ({error}); the book sets what LaTeX rejects as text: {tex[:80]!r}", source)
        for (source, tex, _), error in zip(formulas, verdicts)
        if error is not None
    ]
