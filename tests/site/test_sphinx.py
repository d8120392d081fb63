"""Build the small test project with Sphinx and check what readers and other projects see."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sphobjinv

from glossweave.site.emit import CATEGORIES, TERMS

ROOTS = Path(__file__).parents[1] / "roots"


def build(make_app, tmp_path, **kwargs):
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-site", src)
    app = make_app("html", srcdir=src, **kwargs)
    app.build()
    return app


def inventory(app) -> dict[tuple[str, str], str]:
    inv = sphobjinv.Inventory(str(Path(app.outdir) / "objects.inv"))
    return {(obj.domain + ":" + obj.role, obj.name): obj.uri for obj in inv.objects}


def test_terms_aliases_and_categories_are_inventory_objects(make_app, tmp_path):
    app = build(make_app, tmp_path)
    assert app.warning.getvalue() == ""
    objects = inventory(app)
    assert objects[("std:term", "GPU")] == f"{TERMS}/gpu.html#term-gpu"
    assert objects[("std:term", "graphics processing unit")] == f"{TERMS}/gpu.html#term-gpu--graphics-processing-unit"
    assert objects[("std:term", "Top K 5 Sampling")].endswith("#term-top-k-5-sampling")
    assert objects[("glossary:category", "hardware")] == f"{CATEGORIES}/hardware.html"


def test_hand_written_pages_use_term_and_category_roles(make_app, tmp_path):
    app = build(make_app, tmp_path)
    html = (Path(app.outdir) / "index.html").read_text()
    assert f'href="{TERMS}/gpu.html#term-gpu"' in html
    assert f'href="{CATEGORIES}/hardware.html"' in html
    # the preview summary of the term is on the link
    assert 'title="GPU is a massively parallel processor' in html


def test_term_page_shows_senses_sources_links_and_backlinks(make_app, tmp_path):
    app = build(make_app, tmp_path)
    html = (Path(app.outdir) / TERMS / "gpu.html").read_text()
    assert "000_small.txt:1" in html
    assert 'href="large-language-model.html#term-large-language-model"' in html  # auto-link
    assert "Mentioned in" in html and "Related terms" in html
    assert "sd-badge" in html


def test_corpus_markup_is_escaped(make_app, tmp_path):
    app = build(make_app, tmp_path)
    html = (Path(app.outdir) / TERMS / "large-language-model.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html


def test_corpus_text_keeps_its_dashes_and_quotes_while_hand_written_pages_get_smart_quotes(make_app, tmp_path):
    app = build(make_app, tmp_path)
    term_page = (Path(app.outdir) / TERMS / "top-k-5-sampling.html").read_text()
    assert "&quot;sampler --top-k 5&quot; -- the flag's name." in term_page
    assert "\u201ctypeset\u201d \u2013 with smart quotes" in (Path(app.outdir) / "index.html").read_text()


def test_math_is_served_locally_and_only_where_needed(make_app, tmp_path):
    app = build(make_app, tmp_path)
    out = Path(app.outdir)
    with_math = (out / TERMS / "large-language-model.html").read_text()
    without = (out / TERMS / "top-k-5-sampling.html").read_text()
    assert '_static/mathjax/tex-chtml.js' in with_math and "cdn." not in with_math
    assert "tex-chtml.js" not in without
    assert (out / "_static/mathjax/tex-chtml.js").is_file()
    assert (out / "_static/mathjax/fonts/mathjax-newcm-font/chtml/woff2").is_dir()


def test_parallel_build_gives_the_same_inventory(make_app, tmp_path):
    serial = inventory(build(make_app, tmp_path / "serial"))
    parallel_app = build(make_app, tmp_path / "parallel", parallel=2)
    # A second app in one process re-registers Sphinx's own nodes; only that may warn.
    lines = parallel_app.warning.getvalue().splitlines()
    assert [line for line in lines if "is already registered" not in line] == []
    assert inventory(parallel_app) == serial


def test_a_rebuild_with_nothing_changed_skips_the_pipeline_but_keeps_previews(make_app, tmp_path):
    first = build(make_app, tmp_path)
    src = Path(first.srcdir)
    (src / "index.md").write_text((src / "index.md").read_text() + "\nOne more hand-written line.\n")
    again = make_app("html", srcdir=src)
    again.build()
    assert "nothing changed since the last build" in again.status.getvalue()
    index = (Path(again.outdir) / "index.html").read_text()
    assert "One more hand-written line." in index
    assert re.search(rf'class="glossary-preview reference internal" href="{TERMS}/gpu.html#term-gpu" title="GPU is', index)
    dump = src / "corpus" / "000_small.txt"
    dump.write_text(dump.read_text().replace("a massively parallel processor", "a very parallel processor"))
    edited = make_app("html", srcdir=src)
    edited.build()
    assert "nothing changed" not in edited.status.getvalue()
    assert "a very parallel processor" in (Path(edited.outdir) / TERMS / "gpu.html").read_text()


def test_bad_config_is_reported_by_name(make_app, tmp_path):
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match="glossary_link_rules"):
        build(make_app, tmp_path, confoverrides={"glossary_link_rules": {"min_length": 0}})
    with pytest.raises(ConfigError, match="glossary_corpus"):
        build(make_app, tmp_path / "2", confoverrides={"glossary_corpus": "missing"})
