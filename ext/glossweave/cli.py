"""Command-line tool for the people who maintain the corpus.

    glossweave check  CORPUS [--bib FILE]   accounting, grouped diagnostics (file:line), identity review
    glossweave export CORPUS [--out DIR]    DIR/glossary.json (and friends)
    glossweave stats  CORPUS                counts only

(`python -m glossweave` is the same.)

`check` takes `--terms` (every term's identity decisions), `--links` (every
link made), `--full` (every note, ungrouped) and `--json` (all of it, for
tools).  `--overrides` names the maintainers' overrides file; by default the
`overrides.toml` beside the corpus folder (`docs/overrides.toml` for
`docs/corpus`), when it exists.  It uses the core alone, never Sphinx, so it
runs in a second.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from glossweave.core.citations import Bibliography, citation_diagnostics
from glossweave.core.model import Glossary
from glossweave.core.pipeline import build_glossary
from glossweave.core.review import diagnostic_lines, identity_lines, link_lines, review_data, term_lines
from glossweave.core.texcheck import formula_diagnostics
from glossweave.export.csvexport import write_csv
from glossweave.export.jsonexport import write_json
from glossweave.export.skos import write_skos
from glossweave.export.tbx import write_tbx


#: The overrides file read when `--overrides` is not given: this name, beside the corpus folder.
OVERRIDES_NAME = "overrides.toml"
#: Dumps listed one per line in the accounting; more are summed up on one line.
LISTED_DUMPS = 10


def accounting_lines(glossary: Glossary) -> list[str]:
    """The figures `make check` prints; the last line states whether they balance."""
    report = glossary.report
    lines = []
    if len(report.entries_read) <= LISTED_DUMPS:
        width = max([len(name) for name in report.entries_read] + [5])
        lines.append("Entries read:")
        lines += [f"  {name:<{width}}  {count:>6}" for name, count in report.entries_read.items()]
    else:
        lines.append(f"Entries read: {len(report.entries_read)} dumps")
    others = glossary.published_definitions - glossary.published_senses
    lines.append(
        f"Published: {len(glossary.terms)} terms, {glossary.published_senses} senses, {others} other definitions"
        f" (rewrites of a sense); {sum(len(t.aliases) for t in glossary.terms)} aliases,"
        f" {sum(len(t.keywords) for t in glossary.terms)} keywords"
    )
    if report.rejected:
        lines.append(f"Entries rejected: {len(report.rejected)}")
        lines += [f"  {rejection.source}: {rejection.reason}: {rejection.text[:80]!r}" for rejection in report.rejected]
    verdict = "balances" if glossary.balances() else "DOES NOT BALANCE"
    lines.append(
        f"Accounting: {report.total_read} read = {glossary.published_definitions} published definitions"
        f" ({glossary.published_senses} senses + {others} other) + {len(report.merged_copies)} merged copies"
        f" + {len(report.rejected)} rejected: {verdict}"
    )
    return lines


def held_lines(glossary: Glossary) -> list[str]:
    links = sum(len(d.links) for term in glossary.terms for d in term.definitions)
    held = glossary.report.held_names
    lines = [f"Links made: {links} (--links lists each: page, phrase, target)"]
    if held:
        lines.append(f"Names held back from linking ({len(held)}):")
        lines += [f"  {name}" for name in held]
    return lines


def command_check(glossary: Glossary, out, *, as_json: bool = False, terms: bool = False, links: bool = False, full: bool = False) -> int:
    if as_json:
        json.dump(review_data(glossary), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        lines = accounting_lines(glossary) + held_lines(glossary) + diagnostic_lines(glossary, full) + identity_lines(glossary)
        lines += (["Terms:"] + term_lines(glossary)) if terms else []
        lines += (["Links:"] + link_lines(glossary)) if links else []
        for line in lines:
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
    parser.add_argument(
        "--overrides", type=Path, default=None, help=f"identity overrides file (TOML); default: {OVERRIDES_NAME} beside the corpus folder"
    )
    parser.add_argument("--json", action="store_true", help="check: everything as JSON, for tools")
    parser.add_argument("--terms", action="store_true", help="check: every term's identity decisions")
    parser.add_argument("--links", action="store_true", help="check: every link made (page, phrase, target)")
    parser.add_argument("--full", action="store_true", help="check: every note on its own line, none summed up")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"corpus folder not found: {args.corpus}")
    if args.bib is not None and not args.bib.is_file():
        parser.error(f"BibTeX file not found: {args.bib}")
    beside = args.corpus.parent / OVERRIDES_NAME
    overrides = args.overrides if args.overrides is not None else (beside if beside.is_file() else None)
    if overrides is not None and not overrides.is_file():
        parser.error(f"overrides file not found: {overrides}")
    glossary = build_glossary(args.corpus, overrides=overrides)
    if args.command == "check":
        if args.bib is not None:
            glossary.report.diagnostics += citation_diagnostics(glossary, Bibliography.load(args.bib))
        glossary.report.diagnostics += formula_diagnostics(glossary)
        return command_check(glossary, out, as_json=args.json, terms=args.terms, links=args.links, full=args.full)
    if args.command == "stats":
        return command_stats(glossary, out)
    return command_export(glossary, args.out, out)
