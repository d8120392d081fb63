from pathlib import Path

import glossweave

REPO = Path(glossweave.__file__).resolve().parents[2]
extensions = ["glossweave"]
glossary_corpus = "corpus"
glossary_site_name = "Test Glossary"
glossary_node_modules = str(REPO / "node_modules")
glossary_cache_dir = "_cache"
exclude_patterns = ["corpus", "_generated/landing.md", "_cache"]
myst_enable_extensions = ["dollarmath"]
html_theme = "furo"
