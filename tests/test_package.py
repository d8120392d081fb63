"""The distribution: what `pip install glossweave` gets, and a project outside this repository using it.

The fast test builds the wheel and reads it.  The slow ones install the package
into a fresh virtual environment in tmp (the pinned versions as constraints, so
pip takes them from its cache), run the console script from outside the
repository, and build a new Sphinx project whose conf.py names only the
extension and its corpus folder.
"""

from __future__ import annotations

import email
import re
import zipfile
from pathlib import Path

import pytest

import glossweave
from glossweave.site.emit import TERMS
from installs import ROOT, build_wheel, fresh_venv, run

DATA_FILES = [
    "glossweave/core/data/tex_commands.txt",
    "glossweave/core/texcheck.mjs",
    "glossweave/core/gen_tex_commands.mjs",
    "glossweave/export/glossary.schema.json",
    "glossweave/export/schemas/tbx-basic.rng",
    "glossweave/site/static/glossary.css",
    "glossweave/static/glossary-previews.js",
    "glossweave/static/glossary-previews.css",
    "glossweave/glossary-previews.schema.json",
]
DUMP = """widget, widgets, gadgets
**Widget** is **a small gadget** - A widget sits on a sprocket.
sprocket, toothed wheel, gadgets
**Sprocket** is **a toothed wheel** - It turns a widget; its pitch is $p = \\frac{d}{n}$.
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_carries_the_package_and_its_data_and_nothing_of_the_repository(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = email.message_from_bytes(archive.read(f"glossweave-{glossweave.__version__}.dist-info/METADATA"))
        entry_points = archive.read(f"glossweave-{glossweave.__version__}.dist-info/entry_points.txt").decode()
    assert [name for name in DATA_FILES if name not in names] == []
    assert {name.split("/")[0] for name in names} == {"glossweave", f"glossweave-{glossweave.__version__}.dist-info"}
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert metadata["Name"] == "glossweave" and metadata["Version"] == glossweave.__version__
    requirements = metadata.get_all("Requires-Dist")
    assert any(requirement.startswith("sphinx<10,>=") for requirement in requirements), requirements
    assert "glossweave = glossweave.cli:main" in entry_points


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    """A fresh virtual environment with the wheel installed from it, outside the repository (the pins as constraints)."""
    return fresh_venv(tmp_path_factory.mktemp("venv"), "-c", ROOT / "requirements.txt", wheel).parent


@pytest.mark.slow
def test_installed_package_imports_from_outside_the_repository_with_its_data(venv, tmp_path):
    probe = (
        "import glossweave, importlib.resources as r; from glossweave.core.texcommands import DATA_FILE;"
        "print(glossweave.__file__); print(glossweave.__version__);"
        "print(all(r.files('glossweave').joinpath(n.split('/', 1)[1]).is_file() for n in " + repr(DATA_FILES) + "))"
    )
    location, version, data = run([str(venv / "bin" / "python"), "-c", probe], tmp_path).stdout.split()
    assert Path(location).is_relative_to(venv) and not Path(location).is_relative_to(ROOT)
    assert version == glossweave.__version__ and data == "True"


@pytest.mark.slow
def test_the_console_script_answers(venv, tmp_path):
    help_text = run([str(venv / "bin" / "glossweave"), "--help"], tmp_path).stdout
    assert "usage: glossweave" in help_text and "{check,export,stats}" in help_text
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "terms.txt").write_text(DUMP)
    stats = run([str(venv / "bin" / "glossweave"), "stats", str(corpus)], tmp_path).stdout
    assert re.search(r"^Published: 2 terms\b", stats, re.M) and re.search(r"^Accounting: 2 read = .*: balances$", stats, re.M)
    run([str(venv / "bin" / "glossweave"), "export", str(corpus), "--out", str(tmp_path / "out")], tmp_path)
    assert (tmp_path / "out" / "glossary.json").is_file()


@pytest.mark.slow
def test_a_new_project_with_only_the_extension_and_a_corpus_builds_a_glossary_site(venv, tmp_path):
    project = tmp_path / "project"
    (project / "dumps").mkdir(parents=True)
    (project / "dumps" / "terms.txt").write_text(DUMP)
    (project / "conf.py").write_text('extensions = ["glossweave"]\nglossary_corpus = "dumps"\n')
    (project / "index.md").write_text("# Our glossary\n\n```{include} _generated/landing.md\n```\n")
    done = run([str(venv / "bin" / "sphinx-build"), "-b", "html", "-n", ".", "_build/html"], project)
    # no node_modules anywhere above tmp: the one warning says math is not typeset
    warnings = [line for line in done.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and "[glossary.mathjax]" in warnings[0], done.stderr
    out = project / "_build" / "html"
    widget = (out / TERMS / "widget.html").read_text()
    assert 'id="term-widget"' in widget and "a small gadget" in widget
    assert 'href="sprocket.html#term-sprocket"' in widget  # the mention is linked
    assert (out / "_static" / "glossary.css").is_file() and (out / "_static" / "glossary-previews.js").is_file()
    inventory = run([str(venv / "bin" / "python"), "-m", "sphinx.ext.intersphinx", str(out / "objects.inv")], project).stdout
    assert "widget" in inventory and "sprocket" in inventory
    assert not (project / "_build" / "html" / "_static" / "mathjax").exists()
