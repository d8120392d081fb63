"""The site's `cite` domain gives upstream sphinxcontrib-bibtex's results, and formats a bibliography again only when its inputs change.

The test-bibliography root, plus a term citing both of its works (so one page's
bibliography has two entries in citation order): five bibliographies, four of them
filtered to their page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pybtex.style.formatting import BaseStyle
from sphinxcontrib.bibtex.domain import BibtexDomain, get_docnames

from glossweave.site import bibliography
from glossweave.site.bibtex_domain import IndexedBibtexDomain
from glossweave.site.emit import TERMS

ROOT = Path(__file__).parents[1] / "roots" / "test-bibliography"
BOTH_WORKS = """ensemble distillation, training
**Ensemble Distillation** follows Machanavajjhala et al. (2007) and Hinton et al. (2015).
"""


@pytest.fixture
def src(tmp_path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    (src / "corpus" / "001_cites_both.txt").write_text(BOTH_WORKS)
    return src


@pytest.fixture
def format_calls(monkeypatch) -> list[str]:
    """The keys of the entries pybtex formats, as they are formatted."""
    calls: list[str] = []
    format_entry = BaseStyle.format_entry

    def counted(self, label, entry, *args, **kwargs):
        calls.append(entry.key)
        return format_entry(self, label, entry, *args, **kwargs)

    monkeypatch.setattr(BaseStyle, "format_entry", counted)
    return calls


def build(make_app, src: Path, parallel: int = 1, warnings: str | None = None):
    """The app, after a build that warned of nothing, or (with `warnings`) of whatever it warned."""
    app = make_app("html", srcdir=src, parallel=parallel)
    app.build()
    if warnings is None:
        # A second app in one process re-registers Sphinx's own nodes; only that may warn.
        assert [line for line in app.warning.getvalue().splitlines() if "is already registered" not in line] == []
    return app


def rendered(items) -> list[tuple[str, str, str]]:
    return [(entry.key, formatted.label, formatted.text.render_as("text")) for entry, formatted, _ in items]


def citations_by_bibliography(domain: BibtexDomain) -> dict:
    by_bibliography: dict = {}
    for citation in domain.citations:
        by_bibliography.setdefault(citation.bibliography_key, []).append(
            (citation.entry, citation.formatted_entry, citation.tooltip_entry)
        )
    return by_bibliography


def assert_agrees_with_upstream(domain: BibtexDomain) -> None:
    """Each stage of the site's domain against upstream's own method, given the same input."""
    assert isinstance(domain, IndexedBibtexDomain)
    docnames = list(get_docnames(domain.env))
    config = domain.env.config
    citations = citations_by_bibliography(domain)
    for key in domain.bibliographies:
        assert list(domain.get_filtered_entries(key)) == list(BibtexDomain.get_filtered_entries(domain, key))
        assert list(domain.get_sorted_entries(key, docnames)) == list(BibtexDomain.get_sorted_entries(domain, key, docnames))
        upstream = BibtexDomain.get_formatted_entries(domain, key, docnames, config.bibtex_tooltips, config.bibtex_tooltips_style)
        assert rendered(citations.get(key, [])) == rendered(upstream)


@pytest.mark.parametrize("parallel", [1, 2], ids=["serial", "parallel"])
def test_the_site_domain_agrees_with_upstream(make_app, src, parallel):
    domain = build(make_app, src, parallel).env.domains["cite"]
    assert len(domain.bibliographies) == 5
    both = next(key for key in domain.bibliographies if key.docname.endswith("ensemble-distillation"))
    docnames = list(get_docnames(domain.env))
    assert [key for key, _ in domain.get_sorted_entries(both, docnames)] == [
        "machanavajjhala2007ldiversity",
        "hinton2015distilling",
    ]  # citation order, not .bib order
    assert_agrees_with_upstream(domain)


def test_a_rebuild_formats_again_only_what_changed(make_app, src, format_calls):
    build(make_app, src)
    assert sorted(set(format_calls)) == ["hinton2015distilling", "machanavajjhala2007ldiversity", "uncited2020"]

    format_calls.clear()
    html = (Path(build(make_app, src).outdir) / TERMS / "soft-labels.html").read_text()
    assert format_calls == []  # nothing changed: every bibliography reused
    assert "Distilling the knowledge in a neural network" in html

    bib = src / "refs.bib"
    bib.write_text(bib.read_text().replace("Distilling the Knowledge", "Distilling Knowledge"))
    app = build(make_app, src)
    assert "hinton2015distilling" in format_calls  # a new .bib: formatted again
    html = (Path(app.outdir) / TERMS / "soft-labels.html").read_text()
    assert "Distilling knowledge in a neural network" in html  # pybtex sets titles in sentence case
    assert_agrees_with_upstream(app.env.domains["cite"])


def test_a_rebuild_warns_as_upstream_does(make_app, src, monkeypatch):
    """A bibliography whose formatting warned is formatted again; a filter is evaluated once per entry."""
    bib = src / "refs.bib"
    bib.write_text(bib.read_text().replace("journal = {ACM Transactions on Knowledge Discovery from Data},", ""))
    (src / "filtered.md").write_text('---\norphan: true\n---\n\n# Filtered\n\n```{bibliography}\n:filter: key is "x"\n```\n')

    def rebuild_warnings() -> list[str]:
        build(make_app, src, warnings="")
        logged = build(make_app, src, warnings="").warning.getvalue()
        return sorted(re.sub(r"0x[0-9a-f]+", "0x…", logged).splitlines())  # the filter's AST node is named by address

    ours = rebuild_warnings()
    monkeypatch.setattr(bibliography, "bibtex_filter_visitor", lambda: None)  # upstream's own domain
    upstream = rebuild_warnings()
    assert ours == upstream
    assert sum("syntax error in :filter: expression" in line for line in ours) == 3  # one per .bib entry
    assert sum("missing journal in machanavajjhala2007ldiversity" in line for line in ours) == 4
