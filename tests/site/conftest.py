"""Sphinx's testing fixtures for the site tests (hand-made terms are in handmade.py)."""

from sphinx.testing.fixtures import make_app, test_params  # noqa: F401  (fixtures for test_sphinx.py)
