"""The supported Sphinx range (pyproject.toml), at both ends, from the package registry.

Oldest: every dependency at the lower bound pyproject.toml declares
(.ci/oldest-supported.txt).  Newest: whatever the registry's newest versions
within the ranges are today, the canary for upgrades that users make before we
do.  Each installs the wheel into a fresh virtual environment and builds the
test projects with `-W -n`: the small site (Furo) and the bibliography
(sphinxcontrib-bibtex), serially and with `-j 2`.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from glossweave.site.emit import TERMS
from installs import ROOT, build_wheel, fresh_venv, run

OLDEST = ROOT / ".ci" / "oldest-supported.txt"
ROOTS = ROOT / "tests" / "roots"
#: What the test projects use beside the extension (the docs extra's, at any supported version).
THEME_AND_BIBTEX = ["furo", "sphinxcontrib-bibtex"]


def pinned(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found[name.lower()] = version
    return found


def test_the_oldest_pins_are_pyproject_s_lower_bounds():
    dependencies = [Requirement(text) for text in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    lower = {r.name.lower(): Version(next(s.version for s in r.specifier if s.operator == ">=")) for r in dependencies}
    assert {name: Version(version) for name, version in pinned(OLDEST).items()} == lower


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.mark.slow
@pytest.mark.parametrize("end", ["oldest", "newest"])
def test_the_test_projects_build_clean(end, wheel, tmp_path):
    constraints = ["-c", OLDEST] if end == "oldest" else []
    bin_dir = fresh_venv(tmp_path, *constraints, wheel, *THEME_AND_BIBTEX)
    version = run([bin_dir / "python", "-c", "import sphinx; print(sphinx.__version__)"], tmp_path).stdout.strip()
    if end == "oldest":
        assert version == pinned(OLDEST)["sphinx"]
    node_modules = f"glossary_node_modules={ROOT / 'node_modules'}"
    for root in ("test-site", "test-bibliography"):
        for jobs in ("1", "2"):
            src = tmp_path / f"{root}-{jobs}"
            shutil.copytree(ROOTS / root, src)
            done = run([bin_dir / "sphinx-build", "-b", "html", "-W", "--keep-going", "-n", "-q", "-j", jobs, "-D", node_modules, ".", "_build"], src)
            assert done.stderr == "", (version, root, done.stderr)
            assert list((src / "_build" / TERMS).glob("*.html")), (version, root)
