"""sphinx-build with the time of each build phase recorded (run as a subprocess).

    python -m benchmarks.sphinx_build PHASES.json SPHINX-BUILD-ARGS...

The phases are Sphinx's own methods (wrapped, so the build itself is the
ordinary one): our pipeline and emitter at `builder-inited`, reading, pickling
the environment, resolving references, feeding and dumping the search index,
writing, and finishing (static files, search index dump); the LaTeX
builder's start of the book (its formulas checked, its root resolved) and the
loading and resolving of each page (the rest of its `write` is the
translator); the ePub's package document, navigation and zip (`build_epub`).  Only the main
process's figures are kept: with -j the workers' time shows up as the wall
time of the phase that waits for them.
"""

from __future__ import annotations

import contextlib
import pickle
import sys
import time
from pathlib import Path

from sphinx.builders import Builder
from sphinx.builders._epub_base import EpubBuilder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.cmd.build import build_main
from sphinx.environment import BuildEnvironment
from sphinx.search import IndexBuilder

from benchmarks.timing import timed_calls, write_json
from glossweave.site import generate
from glossweave.site.book_stream import StreamedLaTeXBuilder

#: (object whose attribute is wrapped, attribute names, phase-name prefix)
PHASES = (
    (generate, ("build_glossary", "emit_site"), "glossary."),
    (Builder, ("read", "write"), "sphinx."),
    (pickle, ("dump",), "sphinx.pickle_"),
    (BuildEnvironment, ("get_and_resolve_doctree",), "sphinx.resolve_"),
    (IndexBuilder, ("feed", "dump"), "sphinx.search_"),
    (StandaloneHTMLBuilder, ("finish",), "sphinx."),
    (StreamedLaTeXBuilder, ("assemble_doctree", "resolved_page"), "sphinx.latex_"),
    (EpubBuilder, ("build_content", "build_toc", "build_epub"), "sphinx.epub_"),
)


def main() -> int:
    out, args = Path(sys.argv[1]), sys.argv[2:]
    with contextlib.ExitStack() as stack:
        totals = [(prefix, stack.enter_context(timed_calls(owner, names))) for owner, names, prefix in PHASES]
        started = time.perf_counter()
        status = build_main(args)
        wall = time.perf_counter() - started
    phases = {prefix + name: round(seconds, 3) for prefix, timings in totals for name, seconds in timings.items()}
    write_json(out, {"in_process_s": round(wall, 3), "phases_s": phases, "exit": status})
    return status


if __name__ == "__main__":
    sys.exit(main())
