"""The std domain clears only documents that own entries, and incremental builds stay right."""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.domains.std import StandardDomain

from glossweave.site.emit import term_docname
from glossweave.site.std_domain import IndexedStandardDomain

ROOTS = Path(__file__).parents[1] / "roots"


def test_only_documents_owning_entries_are_scanned_and_an_edit_rebuilds_cleanly(make_app, tmp_path, monkeypatch):
    scanned: list[str] = []
    upstream_clear = StandardDomain.clear_doc
    monkeypatch.setattr(StandardDomain, "clear_doc", lambda self, docname: (scanned.append(docname), upstream_clear(self, docname)))
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-site", src)
    app = make_app("html", srcdir=src)
    app.build()
    assert isinstance(app.env.domains.standard_domain, IndexedStandardDomain)
    assert app.warning.getvalue() == "" and scanned == []  # a clean build has nothing to clear

    dump = src / "corpus" / "000_small.txt"
    dump.write_text(dump.read_text().replace("a massively parallel processor", "a very parallel processor"))
    again = make_app("html", srcdir=src)
    again.build()
    assert term_docname("gpu") in scanned  # re-read, so its terms were cleared first
    warnings = [line for line in again.warning.getvalue().splitlines() if "is already registered" not in line]
    assert warnings == []  # no duplicate terms from a page read twice
    std = again.env.domains.standard_domain
    assert std._terms["gpu"][0] == term_docname("gpu") and std.objects[("term", "graphics processing unit")][0] == term_docname("gpu")
