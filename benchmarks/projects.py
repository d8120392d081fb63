"""Throw-away Sphinx projects for the benchmark, so it never touches the real docs/.

* `site_project`: our site as `make html` builds it (conf.py, pyproject.toml, docs/ without its
  corpus and generated pages, _static/, _templates/; the extension is the installed
  package), with the synthetic dumps as its docs/corpus.  node_modules is linked,
  not copied (MathJax only).
* `checkout_project`: the same, plus everything else of the repository linked in
  (Makefile, requirements, .venv, ext/, …), so `make html`, `make latexpdf` and
  `make epub` run there exactly as in a clone, on the synthetic corpus.
* `plain_project`: the baseline the issue asks for, the SAME content built by
  plain Sphinx without our extension: one page per term (its repaired Markdown,
  mentions as ordinary Markdown links), a page per letter listing the terms,
  the same theme and the same lean sidebar on term pages.  Term pages are
  orphans, as ours are: furo renders the global toctree into every page, and a
  toctree of every term would make the baseline quadratic and the ratio flattering.
  With `book=True` (for the LaTeX and ePub builders, which take only what a
  toctree reaches) each letter page has a hidden toctree of its terms instead,
  as our book's letters do, and the LaTeX engine is ours (xelatex, xindy).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from glossweave.core.model import Glossary, Term
from glossweave.site.emit import GENERATED_NAMES, letter_key, letter_label

REPO = Path(__file__).resolve().parent.parent
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")

PLAIN_CONF = '''"""Plain-Sphinx baseline written by benchmarks/projects.py: no glossary extension."""
project = "Plain baseline"
extensions = ["myst_parser", "sphinx.ext.mathjax"]
myst_enable_extensions = ["dollarmath", "colon_fence"]
suppress_warnings = ["myst.header", "myst.xref_missing"]
html_theme = "furo"
html_copy_source = False
html_show_sourcelink = False
html_sidebars = {"terms/*": ["sidebar/brand.html", "sidebar/search.html"]}
'''
PLAIN_BOOK_CONF = '''
latex_engine = "xelatex"
latex_documents = [("index", "glossary.tex", "Plain baseline", "Bench", "manual")]
'''
#: Top-level entries of the repository a checkout links to rather than copies or replaces.
_NOT_LINKED = {".git", "_build", "docs", "conf.py", "pyproject.toml", "_static", "_templates", "node_modules"}


def site_project(root: Path, corpus: Path) -> Path:
    """A copy of our site at `root`, reading the dumps in `corpus`; returns `root`."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in ("conf.py", "pyproject.toml"):  # conf.py reads the release from pyproject.toml
        shutil.copy2(REPO / name, root / name)
    for folder in ("_static", "_templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder, ignore=_IGNORE)
    shutil.copytree(REPO / "docs", root / "docs", ignore=shutil.ignore_patterns("corpus", "__pycache__", *GENERATED_NAMES))
    shutil.copytree(corpus, root / "docs" / "corpus")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


def checkout_project(root: Path, corpus: Path) -> Path:
    """`site_project` plus links to the rest of the repository (Makefile, .venv, …); returns `root`."""
    site_project(root, corpus)
    for entry in sorted(REPO.iterdir()):
        if entry.name not in _NOT_LINKED and not entry.name.startswith(".pytest") and not entry.name.startswith(".hypothesis"):
            (root / entry.name).symlink_to(entry)
    return root


def _linked_markdown(markdown: str, links, target_docs: dict[str, str]) -> str:
    """`markdown` with each link span turned into a plain Markdown link to its term page."""
    pieces, position = [], 0
    for link in links:
        if link.target not in target_docs:
            continue
        pieces += [markdown[position : link.start], f"[{markdown[link.start : link.end]}]({target_docs[link.target]})"]
        position = link.end
    return "".join(pieces) + markdown[position:]


def _term_page(term: Term, target_docs: dict[str, str], book: bool) -> str:
    body = "\n\n".join(
        f"**{sense.category}**\n\n" + _linked_markdown(sense.markdown, sense.links, target_docs) for sense in term.senses
    )
    front = "" if book else "---\norphan: true\n---\n\n"
    return f"{front}# {term.name}\n\n{body}\n"


def plain_project(root: Path, glossary: Glossary, book: bool = False) -> Path:
    """The baseline project for `glossary`'s terms at `root` (see the module docstring); returns `root`."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "docs" / "terms").mkdir(parents=True)
    (root / "conf.py").write_text(PLAIN_CONF + (PLAIN_BOOK_CONF if book else ""), encoding="utf-8")
    target_docs = {term.slug: f"{term.slug}.md" for term in glossary.terms}
    letters: dict[str, list[Term]] = defaultdict(list)
    for term in glossary.terms:
        (root / "docs" / "terms" / f"{term.slug}.md").write_text(_term_page(term, target_docs, book), encoding="utf-8")
        letters[letter_key(term.name)].append(term)
    for key, terms in letters.items():
        items = "".join(f"- [{t.name}](terms/{t.slug}.md) — {t.summary}\n" for t in terms)
        if book:
            items += "\n```{toctree}\n:hidden:\n\n" + "".join(f"terms/{t.slug}\n" for t in terms) + "```\n"
        (root / "docs" / f"letter-{key}.md").write_text(f"# {letter_label(key)}\n\n{items}", encoding="utf-8")
    toctree = "\n".join(f"letter-{key}" for key in sorted(letters))
    (root / "docs" / "index.md").write_text(f"# Glossary\n\n```{{toctree}}\n:caption: A–Z\n\n{toctree}\n```\n", encoding="utf-8")
    return root
