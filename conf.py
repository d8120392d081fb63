"""Sphinx configuration of the glossary site (`make html` runs `sphinx-build -c . docs …`)."""

import os
from urllib.parse import urlsplit

import glossweave  # installed by `make setup` (editable), or `pip install glossweave`
from glossweave.site.emit import CATEGORIES, GENERATED, LETTERS, TERMS  # where the emitter writes

project = "AI & Semiconductor Glossary"
author = "Glossary maintainers"
copyright = "2025, Glossary maintainers"
release = version = glossweave.__version__  # the ePub needs a version

extensions = [
    "glossweave",  # loads myst_parser, sphinx_design and sphinx.ext.mathjax itself; writes sitemap.xml
    "sphinxext.opengraph",
    "notfound.extension",
    "sphinxcontrib.bibtex",  # works cited in definitions (glossweave.site.bibliography)
]

# --- the glossary extension -------------------------------------------------
glossary_corpus = "docs/corpus"
glossary_site_name = project
glossary_link_rules = {"first_mention_only": True, "min_length": 3, "plurals": True}
glossary_node_modules = "node_modules"
glossary_cache_dir = "_build/.glossary-cache"
glossary_overrides = "docs/overrides.toml"  # identity decisions the maintainers overrule (README)

# --- bibliography -----------------------------------------------------------
bibtex_bibfiles = ["docs/references.bib"]  # relative to conf.py
bibtex_default_style = "glossweave-alpha"  # alpha's labels (Hin15), the same on every page; each id printed once
bibtex_reference_style = "author_year"
bibtex_cite_id = "cite-{key}"  # stable anchors for entries, not a build-order counter
# Each citing term page lists its own works, so an entry cited from two pages (and
# the bibliography page) is in several bibliographies by design; a citation links
# to the one on its own page.
suppress_warnings = ["bibtex.duplicate_citation"]

# --- sources ----------------------------------------------------------------
root_doc = "index"
# included, not pages; the last is for upstream maintainers
exclude_patterns = ["corpus", f"{GENERATED}/landing.md", f"{GENERATED}/book.md", "upstream-patches.md"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
suppress_warnings += ["myst.header"]  # term pages start at a level-1 heading only

# --- the book: `make latexpdf` and `make epub` build with `-t book` ----------
# LaTeX and ePub take only the documents a toctree reaches from the root; the
# book's root reaches every term page (glossweave.site.emit), the site's does not.
# The root sits at the top of docs/: the ePub's contents are relative to it.
if tags.has("book"):  # noqa: F821  (Sphinx puts `tags` into conf.py's namespace)
    root_doc = "book"
    glossary_book = True
    pygments_style = "sphinx"  # code in colour (the ePub theme's default is none)
    # the site's hand-written pages are not in the book; its front matter is in _generated
    include_patterns = ["book.md", f"{GENERATED}/*.md", f"{TERMS}/**", f"{LETTERS}/**", f"{CATEGORIES}/**"]
else:
    exclude_patterns += ["book.md", f"{GENERATED}/**"]  # the site has no page in _generated, only includes

# --- ePub (identifier, cover, title page: glossweave.site.ebook) --------------
epub_description = (
    "Definitions of machine-learning, AI and semiconductor-manufacturing terms, "
    "with their other names and cross-references between them."
)
epub_contributor = "Corpus authors (the dumps in docs/corpus)"
epub_tocscope = "includehidden"  # the navigation lists each letter's terms

# --- LaTeX / PDF --------------------------------------------------------------
latex_engine = "xelatex"
latex_documents = [(root_doc, "glossary.tex", project.replace("&", r"\&"), author, "manual")]  # titles are LaTeX
latex_show_pagerefs = True  # a cross-reference prints its target's page
latex_show_urls = "footnote"
latex_table_style = ["booktabs", "colorrows"]
latex_elements = {
    "papersize": "a4paper",
    "fncychap": "",  # plain chapter heads: a letter is a chapter, not "Chapter 3"
    # no section numbers (a term is found by name), letters and chapters only in the contents;
    # index entries are terms, set like text, not in Sphinx's code font for Python objects
    "preamble": r"\setcounter{secnumdepth}{-1}\setcounter{tocdepth}{0}\def\sphinxstyleindexentry#1{#1}",
    # long code lines and long unbreakable words in code wrap instead of overflowing
    "sphinxsetup": "verbatimwrapslines=true, verbatimforcewraps=true, verbatimmaxunderfull=2",
}

# --- HTML -------------------------------------------------------------------
# Furo: maintained, light/dark switch and a mobile layout out of the box, and a
# sidebar we can make lean (no global toctree of terms) per page pattern.
html_theme = "furo"
html_title = glossary_site_name
html_static_path = ["_static"]
templates_path = ["_templates"]
html_copy_source = False
html_show_sourcelink = False
html_favicon = "_static/favicon.svg"
# Term pages: no navigation tree (see glossweave.site.sidebar) but their own
# navigation (glossweave.site.navigation), which Furo also shows as the mobile menu.
html_sidebars = {
    f"{TERMS}/*": ["sidebar/brand.html", "sidebar/search.html", "glossary/term-nav.html"],
}

# The public address; a sub-path such as /en/latest/ works (links are relative).
html_baseurl = os.environ.get("GLOSSARY_BASEURL", "https://glossary.example.org/en/latest/")
glossary_sitemap_excludes = ["threat-model"]  # for maintainers, not readers
ogp_site_url = html_baseurl
ogp_site_name = glossary_site_name
notfound_urls_prefix = urlsplit(html_baseurl).path
ogp_social_cards = {"enable": False}  # cards need matplotlib; the theme logo is enough
