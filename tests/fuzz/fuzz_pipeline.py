"""Atheris (libFuzzer) target: any bytes, as a dump, through the core and the site's renderer.

    python tests/fuzz/fuzz_pipeline.py -max_total_time=60 -timeout=10 <seed-folder>

Each input is written as the one dump of a corpus and built with
`build_glossary` (read, normalize, merge, link) in this process, then every sense is rendered
with the site's whitelisting renderer.  A crash, an accounting that does not
balance, output that is not inert (see inert.py) or an input taking longer
than `-timeout` seconds is a finding; libFuzzer then stops with a non-zero
status and writes the input as `crash-*` / `timeout-*`.  tests/test_fuzz_properties.py
runs this for a bounded time in CI.

The pipeline runs with one worker: 8 KiB of four-byte headers is 2,000 entries,
enough for it to fork a process pool, and libFuzzer's handlers, inherited by the
forked workers, report their exit as a finding ("fuzz target exited").  That the
forked path gives the serial result is tested in tests/test_pipeline.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["glossweave"]):
    from glossweave.core.pipeline import build_glossary
    from glossweave.site.safety import render_markdown

from inert import term_ref_stub, unsafe_nodes

FOLDER = Path(tempfile.mkdtemp(prefix="fuzz-corpus-"))


def test_one_input(data: bytes) -> None:
    (FOLDER / "fuzz.txt").write_bytes(data)
    glossary = build_glossary(FOLDER, workers=1)
    if not glossary.balances():
        raise AssertionError(f"accounting does not balance: {glossary.report.total_read} read")
    slugs = [term.slug for term in glossary.terms]
    for term in glossary.terms:
        for sense in term.senses:
            problems = unsafe_nodes(render_markdown(sense.markdown, sense.links, term_ref_stub(slugs)))
            if problems:
                raise AssertionError(f"{term.slug}: {problems}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
