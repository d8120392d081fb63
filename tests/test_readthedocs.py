"""The hosted docs (issue 4, item 6): .readthedocs.yaml builds html, pdf and epub.

Read the Docs itself cannot run here, so the fast tests hold the file to what
this project has (the Debian packages of .ci/debian-packages.txt, make targets that exist), and
the slow one runs its jobs, in order, in a copy of the tracked files with a
fresh .venv and node_modules, and checks each output folder Read the Docs uploads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from debian_list import debian_packages

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
JOBS = CONFIG["build"]["jobs"]
MAKEFILE = (ROOT / "Makefile").read_text()
FORMATS = ["html", *CONFIG["formats"]]


def commands() -> list[str]:
    return JOBS["install"] + [command for fmt in FORMATS for command in JOBS["build"][fmt]]


def test_every_format_is_built_by_its_own_job():
    assert CONFIG["version"] == 2 and set(CONFIG["formats"]) == {"pdf", "epub"}
    for fmt in FORMATS:
        assert any(f"$READTHEDOCS_OUTPUT/{fmt}" in command for command in JOBS["build"][fmt]), fmt


def test_apt_packages_are_the_latex_group_of_the_one_list():
    """Read the Docs brings Python and node itself; it needs the packages of `make latexpdf`."""
    latex = [package.name for package in debian_packages().read_list() if package.group == "latex"]
    assert sorted(CONFIG["build"]["apt_packages"]) == sorted(latex) != []


def test_make_targets_exist_and_other_programs_are_installed():
    for command in commands():
        for step in command.split("&&"):
            words = [w for w in step.split() if "=" not in w or w.startswith("-")]
            if words[0] == "make":
                # Read the targets from the Makefile: `make -n` would still run the
                # recursive $(MAKE) of latexpdf, which needs a built _build/latex.
                for target in [w for w in words[1:] if not w.startswith("-")]:
                    assert re.search(rf"^{re.escape(target)}\s*:", MAKEFILE, re.M), (command, target)
            else:
                assert shutil.which(words[0]), command


@pytest.mark.slow
@pytest.mark.needs("latex")
def test_the_jobs_build_all_three_formats_from_a_fresh_checkout(tmp_path):
    project, output = tmp_path / "project", tmp_path / "output"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, tracked.split("\0")):
        if (ROOT / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
    env = {**os.environ, "READTHEDOCS_OUTPUT": str(output), "READTHEDOCS_CANONICAL_URL": "https://glossary.readthedocs.io/en/latest/"}
    env.pop("PYTHONPATH", None)
    for command in commands():
        run = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True, check=False)
        assert run.returncode == 0, (command, run.stdout[-2000:], run.stderr[-2000:])
    assert (output / "html" / "index.html").is_file()
    assert 'href="https://glossary.readthedocs.io/en/latest/' in (output / "html" / "index.html").read_text()
    assert [p.name for p in (output / "pdf").iterdir()] == ["glossary.pdf"]
    assert [p.suffix for p in (output / "epub").iterdir()] == [".epub"]
