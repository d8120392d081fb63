"""Command-line tool for the people who maintain the corpus.

    glossweave check  CORPUS [--bib FILE]   accounting + every diagnostic as file:line
    glossweave export CORPUS [--out DIR]    DIR/glossary.json (and friends)
    glossweave stats  CORPUS                counts only

(`python -m glossweave` is the same.)

It uses the core alone, never Sphinx, so it runs in a second.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from glossweave.core.citations import Bibliography, citation_diagnostics
from glossweave.core.model import Glossary, Severity
from glossweave.core.pipeline import build_glossary
from glossweave.export.csvexport import write_csv
from glossweave.export.jsonexport import write_json
from glossweave.export.skos import write_skos
from glossweave.export.tbx import write_tbx


def accounting_lines(glossary: Glossary) -> list[str]:
    """The figures `make check` prints; the last line states whether they balance."""
    report = glossary.report
    width = max([len(name) for name in report.entries_read] + [5])
    lines = ["Entries read:"]
    lines += [f"  {name:<{width}}  {count:>6}" for name, count in report.entries_read.items()]
    lines.append(f"  {'total':<{width}}  {report.total_read:>6}")
    lines.append(f"Copies merged:     {len(report.merged_copies):>6}")
    lines.append(f"Terms published:   {len(glossary.terms):>6}")
    lines.append(f"Senses published:  {glossary.published_senses:>6}")
    lines.append(f"Entries rejected:  {len(report.rejected):>6}")
    lines += [f"  {rejection.source}: {rejection.reason}: {rejection.text[:80]!r}" for rejection in report.rejected]
    verdict = "balances" if glossary.balances() else "DOES NOT BALANCE"
    lines.append(
        f"Accounting: {report.total_read} read = {glossary.published_senses} published senses"
        f" + {len(report.merged_copies)} merged copies + {len(report.rejected)} rejected: {verdict}"
    )
    return lines


def link_lines(glossary: Glossary) -> list[str]:
    links = sum(len(sense.links) for term in glossary.terms for sense in term.senses)
    held = glossary.report.held_names
    lines = [f"Links made:        {links:>6}", f"Names held back:   {len(held):>6}"]
    lines += [f"  {name}" for name in held]
    return lines


def diagnostic_lines(glossary: Glossary) -> list[str]:
    diagnostics = sorted(
        glossary.report.diagnostics,
        key=lambda d: (d.source.file, d.source.line) if d.source else ("", 0),
    )
    counts = Counter(d.severity for d in diagnostics)
    lines = [
        f"Diagnostics: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info"
    ]
    lines += [f"  {diagnostic}" for diagnostic in diagnostics]
    return lines


def command_check(glossary: Glossary, out) -> int:
    for line in accounting_lines(glossary) + link_lines(glossary) + diagnostic_lines(glossary):
        print(line, file=out)
    return 1 if glossary.report.errors or not glossary.balances() else 0


def command_stats(glossary: Glossary, out) -> int:
    for line in accounting_lines(glossary):
        print(line, file=out)
    return 0 if glossary.balances() else 1


def command_export(glossary: Glossary, out_dir: Path, out) -> int:
    writers = [
        (write_json, "glossary.json"),
        (write_csv, "glossary.csv"),
        (write_tbx, "glossary.tbx"),
        (write_skos, "glossary.ttl"),
    ]
    for write, name in writers:
        path = write(glossary, out_dir / name)
        print(f"wrote {path} ({len(glossary.terms)} terms)", file=out)
    return 0


def main(argv: list[str] | None = None, out=sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="glossweave", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["check", "export", "stats"])
    parser.add_argument("corpus", type=Path, help="folder of *.txt dumps")
    parser.add_argument("--out", type=Path, default=Path("_build/export"), help="export folder (default: %(default)s)")
    parser.add_argument("--bib", type=Path, help="BibTeX file that corpus citations must match (check only)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"corpus folder not found: {args.corpus}")
    if args.bib is not None and not args.bib.is_file():
        parser.error(f"BibTeX file not found: {args.bib}")
    glossary = build_glossary(args.corpus)
    if args.command == "check":
        if args.bib is not None:
            glossary.report.diagnostics += citation_diagnostics(glossary, Bibliography.load(args.bib))
        return command_check(glossary, out)
    if args.command == "stats":
        return command_stats(glossary, out)
    return command_export(glossary, args.out, out)
