"""A small site with everything a reader meets (tests/site/test_reader_*.py): the repository's
templates and static files, OpenGraph, the 404 page, a bibliography, and the book (`-t book`)."""

from pathlib import Path

import glossweave
from glossweave.site.emit import CATEGORIES, GENERATED, LETTERS, TERMS

REPO = Path(glossweave.__file__).resolve().parents[2]
project = "Reader Test Glossary"
author = "Reader Tests"
copyright = "2025, Reader Tests"
version = release = "1.0"
extensions = ["glossweave", "sphinxext.opengraph", "notfound.extension", "sphinxcontrib.bibtex"]
glossary_corpus = "corpus"
glossary_site_name = project
glossary_node_modules = str(REPO / "node_modules")
glossary_cache_dir = "_cache"
glossary_overrides = "overrides.toml"
glossary_sitemap_excludes = ["notes"]
root_doc = "index"
exclude_patterns = ["corpus", "_cache", "overrides.toml", f"{GENERATED}/landing.md", f"{GENERATED}/book.md"]
myst_enable_extensions = ["dollarmath"]
suppress_warnings = ["bibtex.duplicate_citation", "myst.header"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "glossweave-alpha"
bibtex_reference_style = "author_year"
bibtex_cite_id = "cite-{key}"

html_theme = "furo"
html_title = project
templates_path = [str(REPO / "_templates")]
html_static_path = [str(REPO / "_static")]
html_favicon = str(REPO / "_static" / "favicon.svg")
html_sidebars = {f"{TERMS}/*": ["sidebar/brand.html", "sidebar/search.html", "glossary/term-nav.html"]}
html_baseurl = "https://reader.example.org/en/latest/"
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}
notfound_urls_prefix = "/en/latest/"

latex_engine = "xelatex"
latex_show_pagerefs = True
latex_show_urls = "footnote"
latex_table_style = ["booktabs"]
epub_description = "Terms of distributed training, for the tests."
epub_contributor = "The test corpus"
epub_tocscope = "includehidden"

if tags.has("book"):  # noqa: F821
    root_doc = "book"
    glossary_book = True
    pygments_style = "sphinx"
    include_patterns = ["book.md", f"{GENERATED}/**", f"{TERMS}/**", f"{LETTERS}/**", f"{CATEGORIES}/**"]
else:
    exclude_patterns += ["book.md"]
