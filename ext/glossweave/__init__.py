"""Glossary site: a corpus pipeline (`glossweave.core`, no Sphinx) and a thin Sphinx layer.

Sphinx loads this package as the extension named in `conf.py`; the command-line
tool (`python -m glossweave`) uses only the core.
"""

__version__ = "0.2.0"


def setup(app):
    """Sphinx entry point; imported lazily so the core stays free of Sphinx."""
    from glossweave.site import setup as setup_site

    return setup_site(app)
