"""pybtex plugins are found without scanning the installed packages at every lookup."""

from __future__ import annotations

import pybtex.plugin
import pytest

from glossweave.site.bibliography import register_pybtex_plugins


def test_registered_plugins_are_found_without_an_entry_point_scan(monkeypatch):
    expected = pybtex.plugin.find_plugin("pybtex.style.formatting", "alpha")
    register_pybtex_plugins()

    def no_scan(**kwargs):
        pytest.fail(f"entry points scanned for {kwargs}")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    assert pybtex.plugin.find_plugin("pybtex.style.formatting", "alpha") is expected
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext").__module__ == "pybtex.backends.plaintext"
