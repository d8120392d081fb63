"""What a reader meets (issue 13), on a small site built three ways: HTML, LaTeX and ePub.

The project is tests/roots/test-reader: four terms of one hand-made dump (A, P, P, Z),
the repository's templates and static files, OpenGraph, the 404 page, works cited.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from latex_source import styled_phrases
from lxml import html as lxml_html
from sphinx.testing.util import SphinxTestApp

from glossweave.site.emit import BIBLIOGRAPHY, CATEGORIES, LETTERS, TERMS
from glossweave.site.search import SCORER

ROOT = Path(__file__).parents[1] / "roots" / "test-reader"
BASE = "https://reader.example.org/en/latest/"
NAMES = ["Activation Checkpointing", "Pipeline Bubble", "Pipeline Parallelism", "Zero Redundancy Optimizer"]
SLUGS = ["activation-checkpointing", "pipeline-bubble", "pipeline-parallelism", "zero-redundancy-optimizer"]


def build(tmp_path_factory, builder: str, tags: tuple[str, ...] = ()) -> Path:
    src = tmp_path_factory.mktemp(builder) / "src"
    shutil.copytree(ROOT, src)
    app = SphinxTestApp(builder, srcdir=src, tags=list(tags))
    try:
        app.build()
        assert [line for line in app.warning.getvalue().splitlines() if "is already registered" not in line] == []
    finally:
        app.cleanup()
    return Path(app.outdir)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory, "html")


def page(site: Path, rel: str):
    return lxml_html.fromstring((site / rel).read_bytes())


# --- URLs ---------------------------------------------------------------------


def test_pages_are_published_at_clean_urls(site):
    assert sorted(p.name for p in (site / TERMS).glob("*.html")) == [f"{slug}.html" for slug in SLUGS]
    assert sorted(p.name for p in (site / LETTERS).glob("*.html")) == ["a.html", "p.html", "z.html"]
    assert (site / CATEGORIES / "distributed-training.html").is_file() and (site / f"{BIBLIOGRAPHY}.html").is_file()
    built = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
    hrefs = [href for p in site.rglob("*.html") for href in re.findall(r'href="([^"]*)"', p.read_text())]
    assert [name for name in built + hrefs if "_generated" in name] == []


def test_term_anchors_are_unchanged(site):
    bubble = page(site, f"{TERMS}/pipeline-bubble.html")
    assert bubble.get_element_by_id("term-pipeline-bubble").tag == "section"
    assert bubble.get_element_by_id("term-pipeline-bubble--bubble-overhead") is not None


# --- navigation ---------------------------------------------------------------


def test_breadcrumb_leads_home_and_to_the_letter(site):
    bubble = page(site, f"{TERMS}/pipeline-bubble.html")
    (crumbs,) = bubble.xpath('//nav[@aria-label="Breadcrumb"]')
    assert [(a.text_content(), a.get("href")) for a in crumbs.iter("a")] == [("Home", "../index.html"), ("P", "../letters/p.html")]
    assert crumbs.xpath('.//*[@aria-current="page"]')[0].text_content() == "Pipeline Bubble"


def test_previous_and_next_follow_the_alphabet_across_letters(site):
    def neighbours(slug):
        doc = page(site, f"{TERMS}/{slug}.html")
        return {rel: [link.get("href") for link in doc.xpath(f'//head/link[@rel="{rel}"]')] for rel in ("prev", "next")}

    assert neighbours("activation-checkpointing") == {"prev": [], "next": ["pipeline-bubble.html"]}
    assert neighbours("pipeline-bubble") == {"prev": ["activation-checkpointing.html"], "next": ["pipeline-parallelism.html"]}
    assert neighbours("zero-redundancy-optimizer") == {"prev": ["pipeline-parallelism.html"], "next": []}
    footer = page(site, f"{TERMS}/pipeline-bubble.html").xpath('//div[@class="related-pages"]/a')
    assert [(a.get("class"), a.get("href")) for a in footer] == [("next-page", "pipeline-parallelism.html"), ("prev-page", "activation-checkpointing.html")]


def test_sidebar_offers_letters_neighbours_and_categories(site):
    (nav,) = page(site, f"{TERMS}/zero-redundancy-optimizer.html").xpath('//aside[contains(@class, "sidebar-drawer")]//nav[@aria-label="Glossary"]')
    links = {a.text_content().strip(): a.get("href") for a in nav.iter("a")}
    assert links["Home"] == "../index.html" and links["All terms in Z"] == "../letters/z.html"
    assert links["Previous: Pipeline Parallelism"] == "pipeline-parallelism.html" and not any(k.startswith("Next:") for k in links)
    assert {k: v for k, v in links.items() if len(k) == 1} == {"A": "../letters/a.html", "P": "../letters/p.html", "Z": "../letters/z.html"}
    assert nav.xpath('.//a[@aria-current]')[0].text_content() == "Z"
    assert len(nav.xpath('.//ul[@class="glossary-nav-az"]/li')) == 26  # missing letters shown, not linked
    assert links["Distributed Training"] == "../categories/distributed-training.html"
    assert [h.text_content() for h in nav.iter("h2")] == ["Browse", "A–Z", "Category"]


def test_no_global_toctree_is_rendered_into_term_pages(site):
    text = (site / TERMS / "pipeline-bubble.html").read_text()
    assert "toctree-l1" not in text


# --- reading comfort ------------------------------------------------------------


def test_the_name_is_shown_once_and_aliases_are_one_line_of_text(site):
    bubble = page(site, f"{TERMS}/pipeline-bubble.html")
    article = bubble.xpath("//article")[0]
    assert [h.text_content().rstrip("¶") for h in article.iter("h1")] == ["Pipeline Bubble"]
    assert article.xpath(".//dt") == []
    (aliases,) = article.xpath('.//p[@class="glossary-aliases"]')
    assert aliases.text_content() == "Also called: bubble overhead"
    parallel = page(site, f"{TERMS}/pipeline-parallelism.html").xpath('//p[@class="glossary-aliases"]')[0]
    assert parallel.text_content() == "Also called: layer pipelining"


def test_sources_are_a_closed_details(site):
    bubble = page(site, f"{TERMS}/pipeline-bubble.html")
    (details,) = bubble.xpath('//details[@class="glossary-sources"]')
    assert details.get("open") is None
    assert details.xpath("./summary")[0].text_content() == "Sources"
    assert "000_reader.txt:" in details.text_content()
    assert "Source:" not in bubble.text_content()


def test_letter_pages_do_not_preview_the_summary_beside_the_link(site):
    letter = page(site, f"{LETTERS}/p.html")
    links = letter.xpath('//ul[contains(@class, "glossary-index")]//a')
    assert [a.text_content() for a in links] == ["Pipeline Bubble", "Pipeline Parallelism"]
    assert [a for a in links if a.get("title") or "glossary-preview" in a.get("class", "")] == []
    # term links elsewhere keep their preview
    bubble = page(site, f"{TERMS}/pipeline-bubble.html")
    assert bubble.xpath('//article//a[contains(@class, "glossary-preview")]')[0].get("title").startswith("Pipeline Parallelism is")


# --- metadata -------------------------------------------------------------------


def meta(doc, attribute: str, name: str) -> list[str]:
    return [m.get("content") for m in doc.xpath(f'//head/meta[@{attribute}="{name}"]')]


def test_descriptions_are_the_summary_and_term_pages_are_articles(site):
    bubble = page(site, f"{TERMS}/pipeline-bubble.html")
    summary = "Pipeline Bubble is idle device time in a Pipeline Parallelism schedule - It shrinks as the number of micro-batches grows (Narayanan et al., 2021)."
    assert meta(bubble, "name", "description") == [summary]
    assert meta(bubble, "property", "og:description") == [summary]
    assert meta(bubble, "property", "og:type") == ["article"]
    assert meta(page(site, "index.html"), "property", "og:type") == ["website"]


def test_every_page_has_one_viewport_a_favicon_and_one_title_form(site):
    titles = {}
    for rel in ["index.html", f"{TERMS}/pipeline-bubble.html", f"{LETTERS}/p.html", "search.html", "genindex.html", "404.html", "notes.html"]:
        doc = page(site, rel)
        assert len(meta(doc, "name", "viewport")) == 1, rel
        (icon,) = doc.xpath('//head/link[contains(@rel, "icon")]')
        assert icon.get("href").endswith("_static/favicon.svg")
        titles[rel] = doc.xpath("//head/title")[0].text_content()
    assert (site / "_static" / "favicon.svg").read_text().startswith("<svg")
    assert titles == {
        "index.html": "Reader Test Glossary",
        f"{TERMS}/pipeline-bubble.html": "Pipeline Bubble — Reader Test Glossary",
        f"{LETTERS}/p.html": "P — Reader Test Glossary",
        "search.html": "Search — Reader Test Glossary",
        "genindex.html": "Index — Reader Test Glossary",
        "404.html": "Page not found — Reader Test Glossary",
        "notes.html": "Maintainer notes — Reader Test Glossary",
    }


def test_sitemap_lists_content_pages_only_each_with_lastmod(site):
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [(u.findtext("s:loc", namespaces=ns), u.findtext("s:lastmod", namespaces=ns)) for u in root.findall("s:url", ns)]
    locs = [loc for loc, _ in urls]
    assert locs == sorted(locs)
    assert set(locs) == {
        BASE + path
        for path in [
            "index.html", "bibliography.html", "letters/a.html", "letters/p.html", "letters/z.html",
            "categories/distributed-training.html", "categories/memory-optimization.html",
            *(f"terms/{slug}.html" for slug in SLUGS),
        ]
    }
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", lastmod or "") for _, lastmod in urls)


# --- 404 ------------------------------------------------------------------------


def test_the_404_page_links_home_under_the_sub_path(site):
    doc = page(site, "404.html")
    links = {a.text_content(): a.get("href") for a in doc.xpath("//article//a")}
    assert links["home page"] == "/en/latest/index.html" and links["notes"] == "/en/latest/notes.html"


# --- search ---------------------------------------------------------------------


def test_only_term_pages_and_hand_written_pages_are_searchable(site):
    index = json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)", (site / "searchindex.js").read_text().strip(), re.S).group(1))
    lists = {i for i, name in enumerate(index["docnames"]) if name.startswith((LETTERS + "/", CATEGORIES + "/"))}
    assert len(lists) == 5
    assert [index["titles"][i] for i in lists] == [""] * 5
    found = {i for files in [*index["terms"].values(), *index["titleterms"].values()] for i in (files if isinstance(files, list) else [files])}
    assert found & lists == set()
    assert {index["docnames"][i] for i in found} >= {f"{TERMS}/{slug}" for slug in SLUGS}
    assert [kind for kind in index["objnames"].values() if kind[0] == "glossary"] == []  # categories: objects.inv only
    assert "exactName" in (site / "_static" / "language_data.js").read_text()


def test_the_scorer_knows_where_term_pages_are():
    scorer = SCORER.read_text()
    assert f"/^{TERMS}\\/([^/]+)$/" in scorer


# --- PDF (the LaTeX source) ------------------------------------------------------------


@pytest.fixture(scope="module")
def tex(tmp_path_factory) -> str:
    out = build(tmp_path_factory, "latex", ("book",))
    (main,) = out.glob("*.tex")
    return main.read_text(encoding="utf-8")


def test_page_references_stay_outside_bold_and_italic_phrases(tex):
    groups = styled_phrases(tex)
    linked = [group for group in groups if "sphinxtermref" in group]
    assert linked, "the corpus has a term link in a bold phrase"
    assert [group for group in groups if "autopageref" in group] == []
    assert r"schedule} (\autopageref*{\detokenize{terms/pipeline-parallelism:term-pipeline-parallelism}})" in tex
    assert tex.count(r"\sphinxtermref{") == len(re.findall(r"\\autopageref\*\{\\detokenize\{terms/", tex))


def test_aliases_are_labelled_and_send_the_index_to_their_term(tex):
    assert r"\sphinxstylestrong{Also called: }" in tex
    assert r"|see{Pipeline Bubble}" in tex and r"bubble overhead@\spxentry{bubble overhead}|see{Pipeline Bubble}" in tex


def test_table_columns_are_as_wide_as_their_longest_word(tex):
    spec = re.search(r"\\begin\{tabular\}\[t\]\{(.*)\}\n", tex).group(1)
    widths = [int(w) for w in re.findall(r"\\X\{(\d+)\}\{100\}", spec)]
    assert len(widths) == 2 and widths[0] >= 100 * len("Microbatchscheduler") / 90
    assert r"\hyphenpenalty=10000" in spec and r"\raggedright" in spec


def test_bibliography_is_sorted_and_prints_each_id_once(tex):
    assert re.findall(r"\\bibitem\[([^\]]+)\]", tex) == ["CXZG16", "NSC+21", "RRRH20"]
    bibliography = tex[tex.index(r"\begin{sphinxthebibliography}") : tex.index(r"\end{sphinxthebibliography}")]
    assert "footnote" not in bibliography and "arXiv preprint" not in bibliography
    for shown in ["arXiv:1604.06174", "arXiv:2104.04473", "doi:10.1109/SC41405.2020.00024"]:
        assert bibliography.count("{" + shown + "}") == 1, shown


def test_blank_pages_carry_no_running_head(tex):
    assert r"\usepackage{emptypage}" in tex


# --- ePub -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def epub(tmp_path_factory) -> Path:
    return build(tmp_path_factory, "epub", ("book",))


def epub_files(out: Path) -> dict[str, bytes]:
    (book,) = out.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_epub_identifier_is_a_stable_uuid_urn_of_the_project(epub, tmp_path_factory):
    def identifier(out: Path) -> str:
        opf = epub_files(out)["content.opf"].decode()
        uid = re.search(r'unique-identifier="([^"]+)"', opf).group(1)
        return re.search(rf'<dc:identifier id="{uid}">([^<]+)</dc:identifier>', opf).group(1)

    first = identifier(epub)
    assert first.startswith("urn:uuid:") and uuid.UUID(first.removeprefix("urn:uuid:")).version == 5
    assert identifier(build(tmp_path_factory, "epub", ("book",))) == first
    ncx = epub_files(epub)["toc.ncx"].decode()
    assert f'<meta name="dtb:uid" content="{first}"/>' in ncx


def test_epub_metadata_cover_and_title_page(epub):
    files = epub_files(epub)
    opf = files["content.opf"].decode()
    assert "<dc:description>Terms of distributed training, for the tests.</dc:description>" in opf
    assert "<dc:contributor>The test corpus</dc:contributor>" in opf
    manifest = ElementTree.fromstring(files["content.opf"]).iterfind("{http://www.idpf.org/2007/opf}manifest/{http://www.idpf.org/2007/opf}item")
    (cover,) = [item.get("href") for item in manifest if "cover-image" in item.get("properties", "").split()]
    assert cover.endswith(".svg")
    ElementTree.fromstring(files[cover])  # well-formed SVG
    assert b"Reader Test Glossary" in files[cover]
    assert "epub-cover.xhtml" in opf
    title = lxml_html.fromstring(files["book.xhtml"])
    assert [p.text_content() for p in title.xpath('//p[starts-with(@class, "glossary-title-")]')] == [
        "Terms of distributed training, for the tests.", "Reader Tests", "Version 1.0",
    ]
    assert title.xpath("//li") == []  # the chapters are in the navigation, not listed on the title page


def test_every_epub_document_declares_its_language(epub):
    documents = {name: data.decode() for name, data in epub_files(epub).items() if name.endswith(".xhtml")}
    assert len(documents) > 10
    assert [name for name, text in documents.items() if not re.search(r'<html[^>]* lang="en" xml:lang="en"', text)] == []


def test_epub_navigation_lists_each_letters_terms_and_the_index(epub):
    nav = lxml_html.fromstring(epub_files(epub)["nav.xhtml"])
    entries = [a.text_content() for a in nav.xpath("//nav//a")]
    for name in NAMES:
        assert name in entries
    assert entries.index("P") < entries.index("Pipeline Bubble") < entries.index("Pipeline Parallelism") < entries.index("Z")
    assert entries[-1] == "Index"


def test_epub_code_is_highlighted_and_wraps(epub):
    files = epub_files(epub)
    page_text = files[f"{TERMS}/activation-checkpointing.xhtml"].decode()
    assert '<span class="n">checkpoint</span>' in page_text
    pygments = files["_static/pygments.css"].decode()
    assert ".highlight .k " in pygments or ".highlight .k{" in pygments  # a real style, not "none"
    css = files["_static/glossweave-epub.css"].decode()
    assert "pre-wrap" in css and "glossweave-epub.css" in page_text


def test_epub_ships_only_files_it_uses(epub):
    names = set(epub_files(epub))
    assert not {"_static/plus.png", "_static/minus.png", "_static/screenshot-term-page.png", "_static/favicon.svg"} & names
    assert [name for name in names if name.endswith(".js")] == []
