"""Shared fixtures, Hypothesis's settings, and the skipping of tests whose Debian packages are missing.

A test that runs a tool from outside PyPI says so with `@pytest.mark.needs("group")`,
a group of .ci/debian-packages.txt.  When a package of the group is missing (see
.ci/debian_packages.py), the test is skipped with the packages named, and the run
ends with the command that installs them; `make test` as root installs them first.

Hypothesis runs derandomized: the same examples on every run and every machine,
so a property fails for a reason in the code, never for the draw
(`HYPOTHESIS_PROFILE=explore` searches afresh, with random seeds).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest
from debian_list import debian_packages
from hypothesis import settings



def _as_from_a_shell() -> None:
    """Run the tools the tests start (make, sphinx-build) as a user at a shell would.

    Under `make test` (and so in CI) pytest inherits MAKELEVEL and MAKEFLAGS, so a
    `make` a test runs would print `make[1]:` and join the outer jobserver; a CI
    that sets FORCE_COLOR would put ANSI codes into every Sphinx message a test reads.
    """
    for name in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "FORCE_COLOR"):
        os.environ.pop(name, None)
    os.environ["NO_COLOR"] = "1"


_as_from_a_shell()

settings.register_profile("deterministic", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


def _without_mined_constants() -> None:
    """Keep derandomized examples independent of which test files ran first.

    Hypothesis also draws strings and numbers mined from every local module
    imported so far, so a derandomized property saw other examples in the
    whole suite than alone (a name `THE AA` appeared only in the full run).
    Under the deterministic profile that pool is empty.  Tests only; feature-
    detected, so a Hypothesis without the pool runs as before.
    """
    try:
        from hypothesis.internal.conjecture import providers
    except ImportError:  # pragma: no cover - a Hypothesis that moved its internals
        return
    if callable(getattr(providers, "_get_local_constants", None)) and callable(getattr(providers, "Constants", None)):
        providers._get_local_constants = providers.Constants


if os.environ.get("HYPOTHESIS_PROFILE", "deterministic") == "deterministic":
    _without_mined_constants()

#: Debian packages whose absence skipped a collected test (named again at the end of the run).
SKIPPED_FOR: set[str] = set()


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
            SKIPPED_FOR.update(absent)
            item.add_marker(pytest.mark.skip(reason=f"needs the Debian packages {', '.join(absent)} (as root: make test)"))


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    names = [package.name for package in missing_packages() if package.name in SKIPPED_FOR]
    if not names:
        return
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
