"""Each private-API guard of glossweave.site.compat, and its fallback with the private path taken away.

A fallback must give the same site (slower, never wrong) and log exactly one
`glossary.compat` warning.  Builds use the small test roots; "already
registered" lines come from several apps in one process and are ignored.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import furo
import pytest
import sphinxcontrib.bibtex.domain
from sphinx.domains.std import StandardDomain

from glossweave.site import compat, memory
from glossweave.site.bibtex_domain import IndexedBibtexDomain
from glossweave.site.emit import CATEGORIES, GENERATED, LETTERS, TERMS
from glossweave.site.epub import flag_mathml_pages

ROOTS = Path(__file__).parents[1] / "roots"


@pytest.fixture(autouse=True)
def fresh_compat(monkeypatch):
    """Each test starts with no warning given and nothing detected yet."""
    monkeypatch.setattr(compat, "_warned", set())
    compat.bibtex_filter_visitor.cache_clear()
    compat.furo_skips_navigation_without_toctree.cache_clear()
    yield
    compat.bibtex_filter_visitor.cache_clear()
    compat.furo_skips_navigation_without_toctree.cache_clear()


class Recorder:
    """Stands in for compat's logger outside a build."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warning(self, message: str, *args, **kwargs) -> None:
        assert kwargs == {"type": "glossary", "subtype": "compat"}
        self.warnings.append(message % args)


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(compat, "logger", recorder)
    return recorder


def build(make_app, tmp_path: Path, root: str = "test-site", builder: str = "html", **confoverrides):
    src = tmp_path / f"{root}-{builder}"
    shutil.copytree(ROOTS / root, src)
    if builder == "latex":  # the book: its root reaches every term page (as conf.py's `-t book`)
        (src / "book.md").write_text("```{include} _generated/book.md\n```\n")
        confoverrides = {
            "root_doc": "book",
            "glossary_book": True,
            "include_patterns": ["book.md", f"{GENERATED}/**", f"{TERMS}/**", f"{LETTERS}/**", f"{CATEGORIES}/**"],
            "latex_documents": [("book", "book.tex", "Book", "Authors", "manual")],
            **confoverrides,
        }
    app = make_app(builder, srcdir=src, confoverrides=confoverrides)
    app.build()
    return app


def warnings(app) -> list[str]:
    return [line for line in app.warning.getvalue().splitlines() if "is already registered" not in line]


def compat_warnings(app) -> list[str]:
    return [line for line in warnings(app) if "[glossary.compat]" in line]


def pages(app) -> dict[str, str]:
    out = Path(app.outdir)
    return {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*.html")}


# --- Sphinx's doctree caches ---------------------------------------------------------


def test_doctree_caches_are_found_on_sphinx_s_environment(make_app, tmp_path, recorder):
    app = build(make_app, tmp_path)
    assert isinstance(compat.doctree_write_cache(app.env), dict)
    assert isinstance(compat.pickled_doctree_cache(app.env), dict)
    assert recorder.warnings == []


def test_without_the_doctree_caches_nothing_is_bounded_or_dropped_and_one_warning_says_so(recorder):
    env = SimpleNamespace()  # an environment without the private caches
    app = SimpleNamespace(env=env)
    for _ in range(3):
        memory._bound_write_cache(app, None)
        memory._drop_loaded_pickle(app, None, "page")
    assert recorder.warnings == [
        "glossary: bounding the doctree cache is not available in the installed version "
        "(BuildEnvironment._write_doc_doctree_cache); every doctree is kept until it is written",
        "glossary: dropping loaded doctree pickles is not available in the installed version "
        "(BuildEnvironment._pickled_doctree_cache); Sphinx keeps them to the end",
    ]


# --- the std domain's data layout -------------------------------------------------------


def test_std_domain_owners_are_the_documents_of_its_entries(recorder):
    data = {
        "version": 2,
        "objects": {("term", "gpu"): ("terms/gpu", "term-gpu")},
        "labels": {"genindex": ("genindex", "", "Index")},
        "terms": {"gpu": ("terms/gpu", "term-gpu")},
    }
    assert compat.std_domain_owners(data) == {"terms/gpu", "genindex"}
    assert set(data) == {
        "version",
        "objects",
        "labels",
        "terms",
        "progoptions",
        "anonlabels",
    }  # as upstream's clear_doc leaves it
    assert recorder.warnings == []


@pytest.mark.parametrize(
    ("data", "named"),
    [({"future": {}}, "future"), ({"terms": {"gpu": ["terms/gpu", "term-gpu"]}}, "terms entries ['terms/gpu', 'term-gpu']")],
)
def test_an_unknown_std_domain_layout_is_none(recorder, data, named):
    assert compat.std_domain_owners(data) is None
    (warning,) = recorder.warnings
    assert named in warning and "every document is cleared by Sphinx's own scan" in warning


def test_a_new_std_domain_store_makes_every_document_cleared_by_upstream(make_app, tmp_path, monkeypatch):
    cleared: list[str] = []
    upstream_clear_doc = StandardDomain.clear_doc

    def counted(self, docname):
        cleared.append(docname)
        upstream_clear_doc(self, docname)

    monkeypatch.setattr(StandardDomain, "clear_doc", counted)
    indexed = build(make_app, tmp_path / "indexed")
    cleared_by_index = len(cleared)
    cleared.clear()
    monkeypatch.setitem(StandardDomain.initial_data, "future_store", {})
    fallback = build(make_app, tmp_path / "fallback")
    read = len(fallback.env.found_docs)
    assert cleared_by_index < read <= len(cleared)  # a clean build's documents own nothing yet
    assert len(compat_warnings(fallback)) == 1 and "future_store" in compat_warnings(fallback)[0]
    assert compat_warnings(indexed) == []
    assert pages(fallback) == pages(indexed)


# --- sphinxcontrib-bibtex's domain -------------------------------------------------------


def bibtex_build(make_app, tmp_path):
    app = build(make_app, tmp_path, "test-bibliography")
    return app, type(app.env.domains["cite"])


def test_the_indexed_bibtex_domain_is_used_while_upstream_s_is_as_known(make_app, tmp_path):
    app, domain = bibtex_build(make_app, tmp_path)
    assert domain is IndexedBibtexDomain and compat_warnings(app) == []


def test_a_changed_filter_visitor_makes_upstream_s_domain_build_the_same_site(make_app, tmp_path, monkeypatch):
    indexed, _ = bibtex_build(make_app, tmp_path / "indexed")
    compat.bibtex_filter_visitor.cache_clear()
    upstream_visitor = sphinxcontrib.bibtex.domain._FilterVisitor

    class ChangedVisitor(upstream_visitor):  # upstream's own code keeps working with it
        def __init__(self, entry, docname, cited_docnames, strict=False):
            super().__init__(entry, docname, cited_docnames)

    monkeypatch.setattr(sphinxcontrib.bibtex.domain, "_FilterVisitor", ChangedVisitor)
    fallback, domain = bibtex_build(make_app, tmp_path / "fallback")
    assert domain is sphinxcontrib.bibtex.domain.BibtexDomain
    (warning,) = compat_warnings(fallback)
    assert (
        "_FilterVisitor(entry, docname, cited_docnames) changed" in warning
        and "sphinxcontrib-bibtex's own domain is used" in warning
    )
    assert pages(fallback) == pages(indexed)


def test_without_the_filter_visitor_or_an_upstream_method_upstream_s_domain_is_used(monkeypatch, recorder):
    monkeypatch.delattr(sphinxcontrib.bibtex.domain, "_FilterVisitor")
    assert compat.bibtex_filter_visitor() is None
    monkeypatch.undo()
    compat.bibtex_filter_visitor.cache_clear()

    def get_sorted_entries(self, bibliography_key, docnames, new_option=False):
        raise AssertionError("never called")

    monkeypatch.setattr(sphinxcontrib.bibtex.domain.BibtexDomain, "get_sorted_entries", get_sorted_entries)
    assert compat.bibtex_filter_visitor() is None
    monkeypatch.undo()
    compat.bibtex_filter_visitor.cache_clear()
    monkeypatch.delattr(sphinxcontrib.bibtex.domain.BibtexDomain, "citation_refs")
    assert compat.bibtex_filter_visitor() is None
    assert len(recorder.warnings) == 1  # one warning for the feature, however often it is asked
    assert "cannot import name '_FilterVisitor'" in recorder.warnings[0]


# --- Furo's navigation tree -----------------------------------------------------------------


def navigation_listener(app) -> bool:
    from glossweave.site.sidebar import _skip_unshown_navigation

    return any(listener.handler is _skip_unshown_navigation for listener in app.events.listeners["html-page-context"])


def test_furo_s_unshown_navigation_is_skipped_while_furo_checks_for_it(make_app, tmp_path):
    app = build(make_app, tmp_path)
    assert navigation_listener(app) and compat_warnings(app) == []


def test_when_furo_stops_checking_it_renders_every_tree_and_the_pages_are_the_same(make_app, tmp_path, monkeypatch):
    skipped = build(make_app, tmp_path / "skipped")

    def navigation_tree_without_the_check(context):  # a Furo that calls `toctree` unconditionally
        return furo.get_navigation_tree(context["toctree"](collapse=False, titles_only=True, maxdepth=-1, includehidden=True))

    monkeypatch.setattr(furo, "_compute_navigation_tree", navigation_tree_without_the_check)
    compat.furo_skips_navigation_without_toctree.cache_clear()  # a new process would ask again
    rendered = build(make_app, tmp_path / "rendered")
    assert not navigation_listener(rendered)
    (warning,) = compat_warnings(rendered)
    assert "furo._compute_navigation_tree: KeyError('toctree')" in warning and "Furo renders them" in warning
    assert pages(rendered) == pages(skipped)


def test_other_themes_keep_their_toctree(make_app, tmp_path):
    app = build(make_app, tmp_path, html_theme="alabaster")
    assert not navigation_listener(app)
    assert warnings(app) == []
    assert f'href="{LETTERS}/g.html"' in (Path(app.outdir) / "index.html").read_text()


# --- the LaTeX writer's labels ----------------------------------------------------------------

PAGE_REF = (
    r"\sphinxtermref{\DUrole{xref}{\DUrole{std}{\DUrole{std-term}{GPU}}}}}} (\autopageref*{\detokenize{"
    + TERMS
    + "/gpu:term-gpu}})"
)


def test_the_label_is_read_back_from_the_writer_s_output(recorder):
    body = ["text ", r"{\hyperref[\detokenize{doc:anchor}]{", r"\sphinxtermref{", "Term", "}}}"]
    assert compat.last_reference_label(body) == r"\detokenize{doc:anchor}"
    assert recorder.warnings == []


def test_term_references_get_the_page_of_the_writer_s_label(make_app, tmp_path):
    app = build(make_app, tmp_path, builder="latex", latex_show_pagerefs=True)
    tex = next(Path(app.outdir).glob("*.tex")).read_text()
    assert PAGE_REF in tex and compat_warnings(app) == []


def test_when_the_writer_s_output_is_unknown_terms_print_no_page(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr(compat, "_HYPERREF", re.compile(r"(?!)"))  # a writer whose references look different
    app = build(make_app, tmp_path, builder="latex", latex_show_pagerefs=True)
    tex = next(Path(app.outdir).glob("*.tex")).read_text()
    assert r"\sphinxtermref{" in tex and r"(\autopageref*{\detokenize{" + TERMS + "/" not in tex
    (warning,) = compat_warnings(app)
    assert "terms print no page" in warning


# --- the ePub's package document ------------------------------------------------------------

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="a" href="a.xhtml" media-type="application/xhtml+xml" />
    <item id="b" href="sub/b.xhtml" media-type="application/xhtml+xml"/>
    <item id="c" href="c.xhtml" media-type="application/xhtml+xml" properties="scripted"/>
    <item id="css" href="math.css" media-type="text/css" />
  </manifest>
</package>
"""


def test_pages_with_mathml_are_flagged_in_the_package_document(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "nav.xhtml").write_text("<html>contents</html>")
    (tmp_path / "a.xhtml").write_text("<html><math><mi>x</mi></math></html>")
    (tmp_path / "sub" / "b.xhtml").write_text("<html>no formula</html>")
    (tmp_path / "c.xhtml").write_text("<html><math><mn>1</mn></math></html>")
    (tmp_path / "math.css").write_text("<math> is not a page")
    opf = tmp_path / "content.opf"
    opf.write_text(OPF)
    flag_mathml_pages(opf)
    items = dict(re.findall(r'<item id="(\w+)"[^>]*?(?: properties="([^"]*)")?\s*/>', opf.read_text()))
    assert items == {"nav": "nav", "a": "mathml", "b": "", "c": "scripted mathml", "css": ""}


# --- the book's LaTeX: hyperref's element and the transforms' application ------------------


def test_the_book_loads_bookmark_after_sphinx_s_own_hyperref_lines(make_app, tmp_path, recorder):
    app = build(make_app, tmp_path, builder="latex")
    tex = (Path(app.outdir) / "book.tex").read_text(encoding="utf-8")
    hyperref, bookmark, urlstyle = (
        tex.index("\\usepackage{hyperref}"),
        tex.index("\\usepackage{bookmark}"),
        tex.index("\\urlstyle{same}"),
    )
    assert hyperref < urlstyle < bookmark < tex.index("\\begin{document}")
    assert compat_warnings(app) == []


def test_without_sphinx_s_default_hyperref_element_it_is_left_alone_and_one_warning_says_so(monkeypatch, recorder):
    from sphinx.builders.latex import constants

    monkeypatch.delitem(constants.DEFAULT_SETTINGS, "hyperref")
    assert compat.latex_element_default("hyperref") is None
    assert compat.latex_element_default("hyperref") is None
    assert recorder.warnings == [
        "glossary: extending the LaTeX element 'hyperref' is not available in the installed version "
        "(sphinx.builders.latex.constants.DEFAULT_SETTINGS['hyperref']); it is left as it is"
    ]


def test_a_transform_reaches_its_application_through_the_environment_else_the_deprecated_way(recorder):
    app, deprecated = object(), object()
    assert compat.transform_app(SimpleNamespace(env=SimpleNamespace(_app=app), app=deprecated)) is app
    assert recorder.warnings == []
    assert compat.transform_app(SimpleNamespace(env=SimpleNamespace(), app=deprecated)) is deprecated
    assert len(recorder.warnings) == 1 and "BuildEnvironment._app" in recorder.warnings[0]


def test_without_sphinx_parallel_the_few_changed_pages_are_read_with_the_j_given(recorder):
    app = SimpleNamespace(parallel=4)
    assert compat.set_jobs(app, 1) == 4 and app.parallel == 1
    assert recorder.warnings == []
    gone = SimpleNamespace()
    assert compat.set_jobs(gone, 1) is None and compat.set_jobs(gone, 1) is None
    assert not hasattr(gone, "parallel")
    assert len(recorder.warnings) == 1 and "Sphinx.parallel" in recorder.warnings[0]
