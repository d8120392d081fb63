"""Another project that links to the glossary's terms through intersphinx (tests/site/test_intersphinx.py).

The mapping is the README's snippet, except that the test points it at a local
objects.inv through GLOSSARY_INVENTORY instead of fetching the published one.
"""

import os

project = "Consumer"
extensions = ["sphinx.ext.intersphinx", "myst_parser"]
intersphinx_mapping = {
    "glossary": ("https://glossary.example.org/en/latest/", os.environ.get("GLOSSARY_INVENTORY")),
}
html_theme = "basic"
