"""Citations in definitions become links to bibliography entries (issue 4, item 4: the site part).

A small root (tests/roots/test-bibliography): two terms cite the same work, one
cites a work that is in the .bib and one that is not, one cites nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from glossweave.site.emit import BIBLIOGRAPHY, TERMS

ROOT = Path(__file__).parents[1] / "roots" / "test-bibliography"


@pytest.fixture(params=[1, 2], ids=["serial", "parallel"])
def site(request, make_app, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    app = make_app("html", srcdir=src, parallel=request.param)
    app.build()
    # A second app in one process re-registers Sphinx's own nodes; only that may warn.
    assert [line for line in app.warning.getvalue().splitlines() if "is already registered" not in line] == []
    return Path(app.outdir)


def citation_links(html: str) -> list[tuple[str, str]]:
    """(href, cited words) of every citation link on a page."""
    return re.findall(r'<a class="reference internal" href="([^"]*)"[^>]*><span class="glossary-citation">([^<]*)</span></a>', html)


def entries(html: str) -> list[str]:
    return re.findall(r'<div class="citation" id="([^"]+)"', html)


def test_cited_words_link_to_the_entry_on_their_own_page(site):
    terms = site / TERMS
    kd = (terms / "knowledge-distillation.html").read_text()
    assert citation_links(kd) == [("#cite-hinton2015distilling", "Hinton et al., 2015")]
    soft = (terms / "soft-labels.html").read_text()
    assert citation_links(soft) == [("#cite-hinton2015distilling", "Hinton et al. (2015)")]
    ldiv = (terms / "l-diversity.html").read_text()
    assert citation_links(ldiv) == [
        ("#cite-machanavajjhala2007ldiversity", "Machanavajjhala et al. (2007), &quot;L-Diversity: Privacy Beyond K-Anonymity.&quot;")
    ]
    assert "Smith et al. (2019)" in ldiv  # unmatched: plain text (make check reports it)


def test_each_citing_page_lists_exactly_its_works(site):
    terms = site / TERMS
    assert entries((terms / "knowledge-distillation.html").read_text()) == ["cite-hinton2015distilling"]
    assert entries((terms / "l-diversity.html").read_text()) == ["cite-machanavajjhala2007ldiversity"]
    dropout = (terms / "dropout.html").read_text()
    assert entries(dropout) == [] and "References" not in dropout


def test_the_bibliography_page_lists_every_work_and_is_in_the_navigation(site):
    page = (site / f"{BIBLIOGRAPHY}.html").read_text()
    assert sorted(entries(page)) == ["cite-hinton2015distilling", "cite-machanavajjhala2007ldiversity", "cite-uncited2020"]
    assert f'href="{BIBLIOGRAPHY}.html"' in (site / "index.html").read_text()
