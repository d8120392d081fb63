"""What identity looks like on the site: names in objects.inv, keywords searchable, rewrites and near-duplicates shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sphobjinv

from glossweave.site.emit import CATEGORIES, TERMS

ROOTS = Path(__file__).parents[1] / "roots"
DUMP = (
    "gpu rental,cloud,deep learning,compute\n"
    "**GPU Rental** is hiring accelerators by the hour from a provider.\n"
    "gpu rental, hardware\n"
    "**GPU Rental** lets a team pay for accelerator time instead of buying cards.\n"
    "gpu rental for startups, hardware\n"
    "**GPU Rental for Startups** trades commitment for price.\n"
)
OVERRIDES = '[[aliases]]\nterm = "GPU Rental"\nadd = ["accelerator leasing"]\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path_factory.mktemp("identity") / "src"
    shutil.copytree(ROOTS / "test-site", src)
    (src / "corpus" / "001_identity.txt").write_text(DUMP, encoding="utf-8")
    (src / "overrides.toml").write_text(OVERRIDES, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, confoverrides={"glossary_overrides": "overrides.toml"})
    try:
        app.build()
        assert app.warning.getvalue() == ""
    finally:
        app.cleanup()
    return Path(app.outdir)


def test_objects_inv_holds_names_and_true_aliases_never_keywords(site):
    names = {obj.name for obj in sphobjinv.Inventory(str(site / "objects.inv")).objects if obj.role == "term"}
    assert {"GPU Rental", "accelerator leasing", "GPU Rental for Startups"} <= names
    assert names.isdisjoint({"cloud", "deep learning", "compute"})


def test_the_term_page_shows_keywords_other_definitions_and_see_also(site):
    html = (site / TERMS / "gpu-rental.html").read_text()
    assert "Keywords: </strong>cloud, deep learning, compute" in html
    assert "Other definitions" in html and html.count('class="glossary-other-definition ') == 1
    assert "See also" in html and 'href="gpu-rental-for-startups.html#term-gpu-rental-for-startups"' in html


def test_search_finds_a_term_by_its_keyword(site):
    index = (site / "searchindex.js").read_text()
    assert '"cloud"' in index


def test_the_landing_page_groups_categories_into_domains(site):
    html = (site / "index.html").read_text()
    assert "Hardware &amp; systems" in html
    assert f'href="{CATEGORIES}/hardware.html"' in html


def build_with_overrides(tmp_path, rules: str):
    """The test site built with `rules` as its overrides file."""
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-site", src)
    (src / "overrides.toml").write_text(rules, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, confoverrides={"glossary_overrides": "overrides.toml"})
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_a_broken_overrides_file_is_a_build_warning_at_its_line(tmp_path):
    app = build_with_overrides(tmp_path, '[[rename]]\nterm = "GPU"\nname = "Graphics Processor"\nmood = "bold"\n')
    assert "overrides.toml:4: WARNING: [[rename]] unknown key 'mood'; allowed: term, name [glossary.override-invalid]" in app.warning.getvalue()


def test_a_missing_overrides_file_is_a_configuration_error(tmp_path):
    from sphinx.errors import ConfigError
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-site", src)
    with pytest.raises(ConfigError, match="glossary_overrides: .*missing.toml is not a file"):
        SphinxTestApp("html", srcdir=src, confoverrides={"glossary_overrides": "missing.toml"})


def test_a_stale_override_is_noted_but_does_not_stop_the_site(tmp_path):
    """`make check` warns about a rule that matches nothing; the build only notes it."""
    app = build_with_overrides(tmp_path, '[[rename]]\nterm = "no such term"\nname = "X"\n')
    assert app.warning.getvalue() == ""
    assert "overrides.toml:1: [[rename]] term = 'no such term', name = 'X' matches nothing in the corpus" in app.status.getvalue()
