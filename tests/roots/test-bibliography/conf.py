from pathlib import Path

import glossweave

REPO = Path(glossweave.__file__).resolve().parents[2]
extensions = ["glossweave", "sphinxcontrib.bibtex"]
glossary_corpus = "corpus"
glossary_site_name = "Bibliography Test"
glossary_node_modules = str(REPO / "node_modules")
glossary_cache_dir = "_cache"
exclude_patterns = ["corpus", "_generated/landing.md", "_cache"]
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "alpha"
bibtex_cite_id = "cite-{key}"
suppress_warnings = ["bibtex.duplicate_citation"]
html_theme = "basic"
