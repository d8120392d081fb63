#!/usr/bin/env python3
"""The Debian packages of .ci/debian-packages.txt: which are missing, and installing them.

    python3 .ci/debian_packages.py ensure [GROUP...]   as root: apt-get update once, then install
                                                      what is missing; otherwise: say what to install
    python3 .ci/debian_packages.py missing            the missing packages, one a line

`make test` and `.ci/run` call `ensure` (`make setup`, `ensure tools`); tests/conftest.py imports this file to
skip the tests whose group of packages is missing, with the reason.  Only the
standard library: it runs before the virtual environment exists.

A package counts as there when its commands are found on the search path, so a
tool installed some other way counts too; one without commands is asked of
dpkg-query, and counts as there where there is no dpkg to ask.  The search path
is `$GLOSSWEAVE_TOOL_PATH` when set, else `$PATH`: pointing it at an empty
folder shows how the project behaves on a machine without the tools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LIST = Path(__file__).with_name("debian-packages.txt")
TOOL_PATH = "GLOSSWEAVE_TOOL_PATH"


@dataclass(frozen=True)
class Package:
    name: str
    group: str
    commands: tuple[str, ...]


def read_list(path: Path = LIST) -> list[Package]:
    """The packages of `path`, in order; see the header of .ci/debian-packages.txt for the format."""
    packages: list[Package] = []
    group = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0].startswith("["):
            if len(words) != 1 or not words[0].endswith("]"):
                raise ValueError(f"{path}:{number}: a group is one word in brackets: {line!r}")
            group = words[0][1:-1]
        elif not group:
            raise ValueError(f"{path}:{number}: package {words[0]!r} before any [group]")
        else:
            packages.append(Package(words[0], group, tuple(words[1:])))
    return packages


def search_path() -> str:
    return os.environ.get(TOOL_PATH, os.environ.get("PATH", os.defpath))


def is_installed(package: Package, path: str | None = None) -> bool:
    path = search_path() if path is None else path
    if package.commands:
        return all(shutil.which(command, path=path) for command in package.commands)
    dpkg_query = shutil.which("dpkg-query", path=path)
    if dpkg_query is None:
        return True  # not Debian: nothing to ask, and nothing apt-get could install
    status = subprocess.run([dpkg_query, "-W", "-f=${Status}", package.name], capture_output=True, text=True, check=False)
    return status.stdout.endswith(" installed")


def missing(packages: list[Package] | None = None, path: str | None = None) -> list[Package]:
    return [package for package in (read_list() if packages is None else packages) if not is_installed(package, path)]


def install_command(names: list[str]) -> str:
    return "apt-get update && apt-get install -y --no-install-recommends " + " ".join(names)


def ensure(packages: list[Package] | None = None, path: str | None = None, as_root: bool | None = None, out=sys.stdout) -> int:
    """Install the missing packages when root (the exit status of apt-get), else say what they are (0)."""
    names = [package.name for package in missing(packages, path)]
    if not names:
        return 0
    if as_root is None:
        as_root = os.geteuid() == 0
    if not as_root:
        print(
            f"Missing Debian packages: {' '.join(names)}\n"
            f"  The tests that need them are skipped. To install them, as root:\n  {install_command(names)}",
            file=out,
            flush=True,
        )
        return 0
    print(f"Installing Debian packages: {' '.join(names)}", file=out, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *names]):
        done = subprocess.run(command, env=env, check=False)
        if done.returncode:
            print(f"{' '.join(command)} failed with status {done.returncode}", file=out)
            return done.returncode
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["ensure"]:
        packages = read_list()
        unknown = set(argv[1:]) - {package.group for package in packages}
        if unknown:
            print(f"no such group in {LIST}: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        return ensure([package for package in packages if package.group in argv[1:]] if argv[1:] else packages)
    if argv == ["missing"]:
        for package in missing():
            print(package.name)
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
