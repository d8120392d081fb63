"""Shared fixtures, and the skipping of tests whose Debian packages are missing.

A test that runs a tool from outside PyPI says so with `@pytest.mark.needs("group")`,
a group of .ci/debian-packages.txt.  When a package of the group is missing (see
.ci/debian_packages.py), the test is skipped with the packages named, and the run
ends with the command that installs them; `make test` as root installs them first.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


@cache
def debian_packages() -> ModuleType:
    """.ci/debian_packages.py (a script, not a package module: `make test` runs it before any venv exists)."""
    spec = importlib.util.spec_from_file_location("debian_packages", ROOT / ".ci" / "debian_packages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@cache
def missing_packages() -> tuple:
    return tuple(debian_packages().missing())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    groups = {package.group for package in debian_packages().read_list()}
    for item in items:
        needed = [group for mark in item.iter_markers("needs") for group in mark.args]
        unknown = sorted(set(needed) - groups)
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: needs({', '.join(unknown)}): no such group in .ci/debian-packages.txt")
        absent = [package.name for package in missing_packages() if package.group in needed]
        if absent:
            item.add_marker(pytest.mark.skip(reason=f"needs the Debian packages {', '.join(absent)} (as root: make test)"))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not missing_packages():
        return
    names = [package.name for package in missing_packages()]
    terminalreporter.section("missing Debian packages")
    terminalreporter.write_line(f"Tests that need {', '.join(names)} were skipped. To run them, as root:")
    terminalreporter.write_line(f"  {debian_packages().install_command(names)}")


@pytest.fixture
def make_corpus(tmp_path):
    """Write {file name: text or bytes} into a fresh corpus folder and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "corpus"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make
