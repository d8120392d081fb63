"""Other projects link to our glossary with `glossweave.consumer` (issue 12).

Each test writes a new Sphinx project outside this repository and builds it in
its own process against our small test site: served on loopback, or as a
local copy with nothing served.
"""

from __future__ import annotations

import json
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from glossary_site import (
    ACCEPTANCE_CONF,
    BASE,
    SUMMARIES,
    build_site,
    free_port,
    inventory_uris,
    local_copy,
    sphinx_build,
    warnings_of,
    write_project,
)
from glossweave.assets import STATIC
from glossweave.previewsfile import SCHEMA
from glossweave.site import STATIC_DIR

# Every way into the glossary from reStructuredText: names, an alias, names the
# inventory loader drops (by name and by key), the explicit external role, a category.
INDEX = """\
Consumer
========

Names: :term:`GPU`, :term:`graphics processing unit`, :term:`Large Language Model`.

Dropped by the loader: :term:`top k 5 sampling`, :external+glossary:term:`adaptive kernel 915`,
:term:`the key <top-k-5-sampling>`.

External: :external+glossary:term:`llm`, :external:term:`KV Cache`.

Category: :external+glossary:glossary:category:`hardware`.

.. toctree::

   plain
"""
PLAIN = """\
Plain
=====

A page with no glossary reference at all.
"""


class Links(HTMLParser):
    """Every <a> of a page: href, title, classes and text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[dict] = []
        self._open: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attributes = dict(attrs)
            self._open = {
                "href": attributes.get("href"),
                "title": attributes.get("title"),
                "class": (attributes.get("class") or "").split(),
                "text": "",
            }
            self.links.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None


def glossary_links(page: Path, base: str) -> list[tuple[str, str | None, bool]]:
    """(href without the base, title, has the preview class) of the links into the glossary."""
    return [
        (link["href"][len(base) :], link["title"], "glossary-preview" in link["class"])
        for link in Links(page.read_text(encoding="utf-8")).links
        if link["href"] and link["href"].startswith(base)
    ]


def term(uris: dict[str, str], name: str, base: str) -> str:
    return uris[name][len(base) :]


def expected_index_links(site: Path, base: str) -> list[tuple[str, str | None, bool]]:
    """Hand-written summaries at the anchors objects.inv gives."""
    uris = inventory_uris(site / "objects.inv", base)
    gpu, llm, top = SUMMARIES["gpu"], SUMMARIES["large-language-model"], SUMMARIES["top-k-5-sampling"]
    return [
        (term(uris, "GPU", base), gpu, True),
        (term(uris, "graphics processing unit", base), gpu, True),
        (term(uris, "Large Language Model", base), llm, True),
        (term(uris, "top-k-5-sampling", base), top, True),  # the name, found through the previews file
        (term(uris, "adaptive-kernel-915", base), SUMMARIES["adaptive-kernel-915"], True),
        (term(uris, "top-k-5-sampling", base), top, True),
        (term(uris, "LLM", base), llm, True),
        (term(uris, "KV Cache", base), SUMMARIES["kv-cache"], True),
        (term(uris, "hardware", base), "(in Test Glossary v3.1)", False),  # a category: intersphinx's own title
    ]


def test_the_published_file_follows_its_schema_and_objects_inv(site):
    published = json.loads((site / "glossary-previews.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).iter_errors(published)) == []
    assert (published["project"], published["release"]) == ("Test Glossary", "3.1")
    uris = inventory_uris(site / "objects.inv", "")
    gpu = published["terms"]["term-gpu--graphics-processing-unit"]
    assert (gpu["name"], gpu["summary"], gpu["alias_of"], gpu["categories"]) == (
        "graphics processing unit",
        SUMMARIES["gpu"],
        "term-gpu",
        ["hardware"],
    )
    for anchor, entry in published["terms"].items():  # each at the place objects.inv gives it
        assert f"{entry['uri']}#{anchor}" in uris.values()
    assert published["terms"]["term-top-k-5-sampling"]["name"] == "Top K 5 Sampling"  # the name objects.inv loses
    assert {slug: c["uri"] for slug, c in published["categories"].items()}["hardware"] == uris["hardware"]
    assert ["MHA", "term-multi-head-attention"] in published["autolink"]["names"]
    assert published["autolink"]["rules"]["min_length"] == 3


def test_the_file_is_the_same_bytes_whatever_the_build(site, tmp_path):
    """Serial or -j 2, fresh or a rebuild that skips the pipeline: only the glossary decides the file."""
    parallel = tmp_path / "parallel"
    shutil.copytree(site.parent / "site", parallel, ignore=shutil.ignore_patterns("_generated", "_cache"))
    for options in (["-E"], []):
        run = sphinx_build(parallel, tmp_path / "html", "-q", "-j", "2", *options, python=sys.executable)
        assert run.returncode == 0, run.stderr
        assert (tmp_path / "html" / "glossary-previews.json").read_bytes() == (site / "glossary-previews.json").read_bytes()


def test_a_file_of_a_later_version_is_refused_with_one_warning(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    later = json.loads(inventory.with_name("glossary-previews.json").read_text())
    later["version"] = 2
    inventory.with_name("glossary-previews.json").write_text(json.dumps(later))
    conf = ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)) + "show_warning_types = True\n"
    project = write_project(tmp_path / "project", conf, {"index.rst": "T\n=\n\n:term:`GPU`\n"})
    run = sphinx_build(project, tmp_path / "html", "-n")
    assert run.returncode == 0, run.stderr
    assert [line.partition("WARNING: ")[2] for line in warnings_of(run)] == [
        f"glossary previews of 'glossary' unavailable; its links get no previews ({inventory.with_name('glossary-previews.json')}: "
        "not a previews file this version reads: version 2 is not supported (this reader knows version 1)) [glossweave.previews]"
    ]
    assert [preview for *_, preview in glossary_links(tmp_path / "html" / "index.html", BASE)] == [False]


def test_the_site_and_its_consumers_serve_the_same_preview_files(site, tmp_path):
    for name in ("glossary-previews.js", "glossary-previews.css"):
        assert (site / "_static" / name).read_bytes() == (STATIC / name).read_bytes()
    site_styles = STATIC_DIR / "glossary.css"  # our site's own, beside the shared ones
    assert "glossary-preview-tip" not in site_styles.read_text(encoding="utf-8")


def test_acceptance_served(site, serve, tmp_path):
    server = serve(site)
    project = write_project(
        tmp_path / "project", ACCEPTANCE_CONF.format(base=server.url, inventory=None), {"index.rst": INDEX, "plain.rst": PLAIN}
    )
    run = sphinx_build(project, tmp_path / "html", "-n", "-W", "--keep-going")
    assert run.returncode == 0, run.stderr
    assert glossary_links(tmp_path / "html" / "index.html", server.url) == expected_index_links(site, server.url)
    for name in ("glossary-previews.js", "glossary-previews.css"):
        assert (tmp_path / "html" / "_static" / name).read_bytes() == (STATIC / name).read_bytes()
    assert 'src="_static/glossary-previews.js' in (tmp_path / "html" / "index.html").read_text()
    assert len(server.asked_for("glossary-previews.json")) == 1


def test_acceptance_offline(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    project = write_project(
        tmp_path / "project",
        ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)),
        {"index.rst": INDEX, "plain.rst": PLAIN},
    )
    run = sphinx_build(project, tmp_path / "html", "-n", "-W", "--keep-going")
    assert run.returncode == 0, run.stderr
    assert glossary_links(tmp_path / "html" / "index.html", BASE) == expected_index_links(site, BASE)


def test_a_relative_inventory_path_and_a_local_base_uri(site, tmp_path):
    """Both relative to the project, as in `("../glossary/", "../glossary/objects.inv")`; links go up from subfolders."""
    local_copy(site, tmp_path / "glossary")
    conf = ACCEPTANCE_CONF.format(base="../glossary/", inventory="../glossary/objects.inv")
    project = write_project(tmp_path / "project", conf, {"index.rst": "Root\n====\n\n.. toctree::\n\n   sub/page\n"})
    (project / "sub").mkdir()
    (project / "sub" / "page.rst").write_text("Page\n====\n\n:term:`GPU` and :term:`top k 5 sampling`.\n")
    run = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    uris = inventory_uris(site / "objects.inv", "")
    links = glossary_links(tmp_path / "html" / "sub" / "page.html", "../../glossary/")
    assert links == [(uris["GPU"], SUMMARIES["gpu"], True), (uris["top-k-5-sampling"], SUMMARIES["top-k-5-sampling"], True)]


def test_an_ordinary_project_without_the_file_is_left_alone(site, tmp_path):
    folder = tmp_path / "plain-inventory"
    folder.mkdir()
    shutil.copy(site / "objects.inv", folder / "objects.inv")
    project = write_project(
        tmp_path / "project",
        ACCEPTANCE_CONF.format(base=BASE, inventory=str(folder / "objects.inv")),
        {"index.rst": "T\n=\n\n:term:`GPU`\n"},
    )
    run = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    assert glossary_links(tmp_path / "html" / "index.html", BASE) == [
        (inventory_uris(site / "objects.inv", "")["GPU"], "(in Test Glossary v3.1)", False)
    ]


def test_an_unreachable_site_costs_one_warning_and_the_build_goes_on(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/en/latest/"
    conf = ACCEPTANCE_CONF.format(base=url, inventory=None) + "intersphinx_timeout = 5\n"
    project = write_project(tmp_path / "project", conf, {"index.rst": "T\n=\n\nNo references.\n"})
    run = sphinx_build(project, tmp_path / "html")
    assert run.returncode == 0, run.stderr
    ours = [line for line in warnings_of(run) if "glossary previews" in line]
    assert (
        len(ours) == 1 and "glossary previews of 'glossary' unavailable" in ours[0] and url + "glossary-previews.json" in ours[0]
    )
    assert (tmp_path / "html" / "index.html").is_file()
    (project / "conf.py").write_text(conf + 'suppress_warnings = ["glossweave.previews"]\n')
    quiet = sphinx_build(project, tmp_path / "quiet")
    assert quiet.returncode == 0 and [line for line in warnings_of(quiet) if "glossary previews" in line] == []


def test_the_file_is_cached_like_an_inventory_and_fetched_with_intersphinx_settings(site, serve, tmp_path):
    server = serve(site)
    conf = ACCEPTANCE_CONF.format(base=server.url, inventory=None) + 'user_agent = "consumer-test/1.0"\n'
    project = write_project(tmp_path / "project", conf, {"index.rst": "T\n=\n\n:term:`GPU`\n"})
    first = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert first.returncode == 0, first.stderr
    assert server.asked_for("glossary-previews.json") == ["consumer-test/1.0"]
    server.stop()  # within intersphinx_cache_limit (5 days) nothing is fetched again
    (project / "index.rst").write_text("T\n=\n\n:term:`GPU`, edited.\n")
    again = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert again.returncode == 0, again.stderr
    assert len(server.asked_for("glossary-previews.json")) == 1
    assert glossary_links(tmp_path / "html" / "index.html", server.url)[0][1] == SUMMARIES["gpu"]


def test_parallel_and_serial_builds_give_the_same_pages(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    conf = ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)) + "glossary_autolink = True\n"
    pages = {
        "index.rst": INDEX + "   more\n",
        "plain.rst": PLAIN.replace("at all.", "at all, but it mentions a KV cache."),
        "more.rst": "More\n====\n\nMulti-head attention and :term:`mha`.\n",
    }
    project = write_project(tmp_path / "project", conf, pages)
    serial = sphinx_build(project, tmp_path / "serial", "-n", "-W")
    parallel = sphinx_build(project, tmp_path / "parallel", "-n", "-W", "-j", "2")
    assert serial.returncode == 0 and parallel.returncode == 0, serial.stderr + parallel.stderr
    for page in ("index.html", "plain.html", "more.html"):
        assert glossary_links(tmp_path / "parallel" / page, BASE) == glossary_links(tmp_path / "serial" / page, BASE)
    assert glossary_links(tmp_path / "parallel" / "plain.html", BASE)[0][1] == SUMMARIES["kv-cache"]


def test_a_rebuild_after_the_glossary_changed_updates_the_previews(tmp_path):
    site = build_site(tmp_path / "v1")
    inventory = local_copy(site, tmp_path / "offline")
    project = write_project(
        tmp_path / "project",
        ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)),
        {"index.rst": INDEX, "plain.rst": PLAIN},
    )
    first = sphinx_build(project, tmp_path / "html", "-n", "-W", "-j", "2")
    assert first.returncode == 0, first.stderr
    changed = build_site(tmp_path / "v2", edit=("a massively parallel processor", "a very parallel processor"))
    for name in ("objects.inv", "glossary-previews.json"):
        shutil.copy(changed / name, inventory.parent / name)
    again = sphinx_build(project, tmp_path / "html", "-n", "-W", "-j", "2")
    assert again.returncode == 0, again.stderr
    read_again = again.stdout.partition("reading sources")[2].partition("looking for now-outdated")[0]
    assert "index" in read_again and "plain" not in read_again  # only the page that refers to terms
    titles = {href: title for href, title, _ in glossary_links(tmp_path / "html" / "index.html", BASE)}
    new_summary = "GPU is a very parallel processor - It runs training and inference for a large language model quickly."
    assert titles[term(inventory_uris(changed / "objects.inv", BASE), "GPU", BASE)] == new_summary


MISTYPED = """\
Typos
=====

:term:`GPUs`, :term:`multihead attention`, :term:`grafics processing unit`, :term:`Lama 3`,
:external+glossary:term:`kv caches`, :term:`quantum annealing`.
"""


def test_a_mistyped_term_is_told_the_glossary_names_it_meant(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    conf = (
        ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)) + "show_warning_types = True  # Sphinx 7's default is False\n"
    )
    project = write_project(tmp_path / "project", conf, {"index.rst": MISTYPED})
    run = sphinx_build(project, tmp_path / "html", "-n", "--keep-going")
    where = f"{project / 'index.rst'}:4: WARNING: "
    assert sorted(line.removeprefix(where) for line in warnings_of(run)) == sorted(
        [
            "term not in glossary: 'GPUs'; did you mean 'GPU' (glossary)? [ref.term]",
            "term not in glossary: 'multihead attention'; did you mean 'Multi-Head Attention' (glossary)? [ref.term]",
            "term not in glossary: 'grafics processing unit'; did you mean 'graphics processing unit' (glossary, alias of 'GPU')? [ref.term]",
            "term not in glossary: 'Lama 3'; did you mean 'Llama 3' (glossary)? [ref.term]",
            "external std:term reference target not found: kv caches; did you mean 'KV Cache' (glossary)? [ref.term]",
            "term not in glossary: 'quantum annealing' [ref.term]",  # nothing close: Sphinx's own warning
        ]
    )
    (project / "conf.py").write_text((project / "conf.py").read_text() + 'suppress_warnings = ["ref.term"]\n')
    quiet = sphinx_build(project, tmp_path / "quiet", "-n", "-W")
    assert quiet.returncode == 0, quiet.stderr


def test_variants_resolve_when_asked_and_only_when_unambiguous(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    conf = (
        ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory))
        + "glossary_resolve_variants = True\nshow_warning_types = True\n"
    )
    project = write_project(
        tmp_path / "project", conf, {"index.rst": "V\n=\n\n:term:`GPUs`, :term:`kv caches`, :term:`multihead attention`.\n"}
    )
    run = sphinx_build(project, tmp_path / "html", "-n", "--keep-going")
    uris = inventory_uris(site / "objects.inv", BASE)
    assert glossary_links(tmp_path / "html" / "index.html", BASE) == [
        (term(uris, "GPU", BASE), SUMMARIES["gpu"], True),
        (term(uris, "KV Cache", BASE), SUMMARIES["kv-cache"], True),
    ]
    assert (
        [line.partition("WARNING: ")[2] for line in warnings_of(run)]
        == [
            "term not in glossary: 'multihead attention'; did you mean 'Multi-Head Attention' (glossary)? [ref.term]"  # spacing: never resolved
        ]
    )


def test_categories_resolve_by_slug_and_by_name(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    pages = {
        "index.rst": "C\n=\n\n:external+glossary:glossary:category:`hardware`, :glossary:category:`Architecture`,\n"
        ":external+glossary:glossary:category:`Inference Serving`.\n"
    }
    project = write_project(tmp_path / "project", ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)), pages)
    run = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    uris = inventory_uris(site / "objects.inv", BASE)
    links = Links((tmp_path / "html" / "index.html").read_text()).links
    found = [(link["href"], link["text"]) for link in links if link["href"].startswith(BASE)]
    assert found == [
        (uris["hardware"], "Hardware"),
        (uris["architecture"], "Architecture"),  # `neural architectures` is filed under it
        (uris["inference-serving"], "Inference Serving"),
    ]


MYST = """\
# A MyST page

{term}`GPU`, {external+glossary:term}`llm` and {term}`Top K 5 Sampling`.
"""


def test_myst_term_roles_get_previews(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    conf = ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)).replace(
        '"glossweave.consumer"]', '"glossweave.consumer", "myst_parser"]'
    )
    project = write_project(tmp_path / "project", conf, {"index.md": MYST})
    run = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    titles = [title for _, title, preview in glossary_links(tmp_path / "html" / "index.html", BASE) if preview]
    assert titles == [SUMMARIES["gpu"], SUMMARIES["large-language-model"], SUMMARIES["top-k-5-sampling"]]


AUTOLINK_PAGE = """\
GPU clusters
============

A GPU cluster runs a KV cache; another GPU and the KV cache again. A :term:`large language model`
uses multi-head attention; so does the Large Language Model below. Code: ``KV cache``, math :math:`GPU`,
and `a KV cache link <https://example.org/>`_.

.. code-block:: text

   Multi-Head Attention in a code block

.. glossary::

   Batch Normalization
      Our own definition, which mentions a KV cache.

Later: batch normalization (ours) and MHA.
"""


def test_autolinking_links_first_mentions_with_the_sites_rules(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    conf = ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)) + "glossary_autolink = ['glossary']\n"
    project = write_project(tmp_path / "project", conf, {"index.rst": AUTOLINK_PAGE})
    run = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    uris = inventory_uris(site / "objects.inv", BASE)
    links = [
        (link["text"], link["href"], "glossary-autolink" in link["class"])
        for link in Links((tmp_path / "html" / "index.html").read_text()).links
        if link["href"].startswith(BASE)
    ]
    assert links == [
        ("GPU", uris["GPU"], True),  # not in the heading; "GPU cluster" is no term
        ("KV cache", uris["KV Cache"], True),
        ("large language model", uris["Large Language Model"], False),  # by hand, so never again
        ("multi-head attention", uris["Multi-Head Attention"], True),
    ]  # and never: code, math, other links, a code block, our own glossary and its term, a term's alias once it is linked


def test_autolinking_rules_can_be_overridden(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    conf = (
        ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory))
        + "glossary_autolink = True\nglossary_autolink_rules = {'first_mention_only': False}\n"
    )
    page = "R\n=\n\nA GPU, a GPU and GPUs; multi-head attention.\n"
    project = write_project(tmp_path / "project", conf, {"index.rst": page})
    run = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    texts = [
        link["text"] for link in Links((tmp_path / "html" / "index.html").read_text()).links if link["href"].startswith(BASE)
    ]
    assert texts == ["GPU", "GPU", "GPUs", "multi-head attention"]


def test_autolinking_is_off_by_default(site, tmp_path):
    inventory = local_copy(site, tmp_path / "offline")
    project = write_project(
        tmp_path / "project", ACCEPTANCE_CONF.format(base=BASE, inventory=str(inventory)), {"index.rst": AUTOLINK_PAGE}
    )
    run = sphinx_build(project, tmp_path / "html", "-n", "-W")
    assert run.returncode == 0, run.stderr
    assert [
        link["text"] for link in Links((tmp_path / "html" / "index.html").read_text()).links if link["href"].startswith(BASE)
    ] == ["large language model"]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("glossary_autolink = ['elsewhere']", "glossary_autolink names projects that are not in intersphinx_mapping: elsewhere"),
        ("glossary_autolink_rules = {'min_lenght': 2}", "glossary_autolink_rules: unknown link rule(s) min_lenght"),
    ],
)
def test_bad_settings_are_reported_by_name(tmp_path, setting, message):
    project = write_project(
        tmp_path / "project", ACCEPTANCE_CONF.format(base=BASE, inventory=None) + setting + "\n", {"index.rst": "T\n=\n"}
    )
    run = sphinx_build(project, tmp_path / "html")
    assert run.returncode != 0 and message in run.stderr
