"""The one list of Debian packages (.ci/debian-packages.txt) and `make test` on a machine without them.

The machine is simulated with folders of fake commands (a fake `dpkg-query`, a
fake `apt-get` that records its calls); nothing is installed or removed.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from debian_list import ROOT, debian_packages

LIST = """\
# comment line
[first]  # a group
alpha  alpha-cmd
beta                 # no command: dpkg-query is asked
[second]
gamma  gamma-a gamma-b
"""


def fake_commands(folder: Path, scripts: dict[str, str]) -> str:
    """Executable shell scripts in `folder`; returns it as a search path."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in scripts.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return str(folder)


@pytest.fixture
def packages(tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text(LIST)
    return debian_packages().read_list(listing)


def test_list_is_read_into_groups_with_their_commands(packages):
    Package = debian_packages().Package
    assert packages == [
        Package("alpha", "first", ("alpha-cmd",)),
        Package("beta", "first", ()),
        Package("gamma", "second", ("gamma-a", "gamma-b")),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [("alpha\n", "before any [group]"), ("[two words]\nalpha\n", "one word in brackets"), ("[open\nalpha\n", "one word in brackets")],
)
def test_malformed_list_names_its_line(tmp_path, text, message):
    listing = tmp_path / "list.txt"
    listing.write_text(text)
    with pytest.raises(ValueError, match=f"list.txt:1: .*{re.escape(message)}"):
        debian_packages().read_list(listing)


def test_a_package_with_commands_is_there_when_all_its_commands_are_found(tmp_path, packages):
    alpha, _, gamma = packages
    path = fake_commands(tmp_path / "bin", {"alpha-cmd": "", "gamma-a": ""})
    module = debian_packages()
    assert module.is_installed(alpha, path)
    assert not module.is_installed(gamma, path)  # gamma-b is missing
    assert not module.is_installed(alpha, str(tmp_path / "empty"))


def test_a_package_without_commands_is_asked_of_dpkg_query(tmp_path, packages):
    beta = packages[1]
    module = debian_packages()
    installed = fake_commands(tmp_path / "yes", {"dpkg-query": 'printf "install ok installed"'})
    absent = fake_commands(tmp_path / "no", {"dpkg-query": 'printf "unknown ok not-installed"; exit 1'})
    assert module.is_installed(beta, installed)
    assert not module.is_installed(beta, absent)
    assert module.is_installed(beta, str(tmp_path / "empty"))  # no dpkg to ask: not Debian


def test_without_root_it_says_what_to_install_and_installs_nothing(tmp_path, packages, monkeypatch):
    calls = tmp_path / "calls"
    monkeypatch.setenv("PATH", fake_commands(tmp_path / "sbin", {"apt-get": f'echo "$@" >> {calls}'}))
    out = io.StringIO()
    status = debian_packages().ensure(packages, path=str(tmp_path / "empty"), as_root=False, out=out)
    assert status == 0 and not calls.exists()
    assert out.getvalue() == (
        "Missing Debian packages: alpha gamma\n"
        "  The tests that need them are skipped. To install them, as root:\n"
        "  apt-get update && apt-get install -y --no-install-recommends alpha gamma\n"
    )


def test_as_root_it_updates_once_then_installs_only_what_is_missing(tmp_path, packages, monkeypatch):
    calls = tmp_path / "calls"
    monkeypatch.setenv("PATH", fake_commands(tmp_path / "sbin", {"apt-get": f'echo "$@" >> {calls}'}))
    path = fake_commands(tmp_path / "bin", {"gamma-a": "", "gamma-b": ""})
    assert debian_packages().ensure(packages, path=path, as_root=True, out=io.StringIO()) == 0
    assert calls.read_text().splitlines() == ["update -qq", "install -y -qq --no-install-recommends alpha"]


def test_as_root_a_failed_install_fails(tmp_path, packages, monkeypatch):
    monkeypatch.setenv("PATH", fake_commands(tmp_path / "sbin", {"apt-get": 'test "$1" = update'}))
    out = io.StringIO()
    assert debian_packages().ensure(packages, path=str(tmp_path / "empty"), as_root=True, out=out) == 1
    assert "apt-get install -y -qq --no-install-recommends alpha gamma failed with status 1" in out.getvalue()


def test_nothing_missing_runs_nothing(tmp_path, packages, monkeypatch):
    calls = tmp_path / "calls"
    monkeypatch.setenv("PATH", fake_commands(tmp_path / "sbin", {"apt-get": f'echo "$@" >> {calls}'}))
    path = fake_commands(tmp_path / "bin", {"alpha-cmd": "", "gamma-a": "", "gamma-b": ""})
    out = io.StringIO()
    assert debian_packages().ensure(packages, path=path, as_root=True, out=out) == 0
    assert out.getvalue() == "" and not calls.exists()


def test_tests_needing_missing_tools_are_skipped_with_the_packages_named(tmp_path):
    """The suite on a machine without the tools: the list's commands looked for in an empty folder."""
    env = {**os.environ, "GLOSSWEAVE_TOOL_PATH": str(tmp_path)}
    chosen = [
        "tests/browser/test_site_browser.py::test_landing_to_letter_to_term",
        "tests/site/test_book.py::test_latex_log_has_no_error_undefined_reference_or_missing_glyph",
        "tests/site/test_book.py::test_epubcheck_reports_nothing",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", *chosen],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "3 skipped" in run.stdout.splitlines()[-1]
    assert "needs the Debian packages chromium (as root: make test)" in run.stdout
    assert "needs the Debian packages latexmk, texlive-xetex, xindy, poppler-utils (as root: make test)" in run.stdout
    assert "needs the Debian packages openjdk-17-jre-headless (as root: make test)" in run.stdout
    # the closing summary names the packages that skipped a test, with the command that installs them
    assert "apt-get update && apt-get install -y --no-install-recommends latexmk texlive-xetex xindy poppler-utils chromium openjdk-17-jre-headless\n" in run.stdout


def test_ensure_takes_groups_and_refuses_an_unknown_one(capsys):
    assert debian_packages().main(["ensure", "no-such-group"]) == 2
    assert "no such group" in capsys.readouterr().err
