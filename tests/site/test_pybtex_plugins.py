"""pybtex plugins are found without scanning the installed packages at every lookup, and a project's own stay its own."""

from __future__ import annotations

from types import SimpleNamespace

import pybtex.plugin
import pytest
from pybtex.style.formatting.plain import Style as PlainStyle

from glossweave.site.bibliography import register_pybtex_plugins, use_bibtex


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    """pybtex's runtime registry as a fresh process has it: empty."""
    monkeypatch.setattr(pybtex.plugin, "_RUNTIME_PLUGINS", {})


def test_registered_plugins_are_found_without_an_entry_point_scan(monkeypatch):
    expected = pybtex.plugin.find_plugin("pybtex.style.formatting", "alpha")
    register_pybtex_plugins()

    def no_scan(**kwargs):
        pytest.fail(f"entry points scanned for {kwargs}")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "alpha") is expected
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext").__module__ == "pybtex.backends.plaintext"


def test_a_style_the_project_registered_under_a_stock_name_is_kept():
    class HouseStyle(PlainStyle):
        pass

    pybtex.plugin.register_plugin("pybtex.style.formatting", "alpha", HouseStyle, force=True)  # as a conf.py would
    register_pybtex_plugins()
    register_pybtex_plugins()  # a second build in the same process
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "alpha") is HouseStyle
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "plain") is PlainStyle


def test_nothing_is_registered_without_sphinxcontrib_bibtex():
    use_bibtex(SimpleNamespace(extensions={"glossweave": object()}), None)
    assert pybtex.plugin._RUNTIME_PLUGINS == {}


def test_with_sphinxcontrib_bibtex_the_plugins_are_registered(monkeypatch):
    monkeypatch.setattr("glossweave.site.bibliography.bibtex_filter_visitor", lambda: None)  # no domain to add to a fake app
    use_bibtex(SimpleNamespace(extensions={"glossweave": object(), "sphinxcontrib.bibtex": object()}), None)
    assert pybtex.plugin._RUNTIME_PLUGINS["pybtex.style.formatting"]["plain"] is PlainStyle
