"""The LaTeX writer without its per-table template compile.

Sphinx's LaTeX translator renders every table through a Jinja template, and
builds a new `LaTeXRenderer` (a new Jinja environment, so a new compile of the
template) for each one.  A book of a few thousand corpus tables spent a
large share of its writer time compiling the same three templates again.
`LaTeXTranslator.render` here keeps one renderer per LaTeX engine, whose Jinja
environment caches each compiled template; a project template of the same
name (`templates_path`) still goes through Sphinx's own lookup.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.template import LaTeXRenderer
from sphinx.writers.latex import LaTeXTranslator as SphinxLaTeXTranslator


@cache
def shared_renderer(latex_engine: str) -> LaTeXRenderer:
    """One renderer (one Jinja environment, its compiled templates cached) per engine."""
    return LaTeXRenderer(latex_engine=latex_engine)


class LaTeXTranslator(SphinxLaTeXTranslator):
    def render(self, template_name: str, variables: dict[str, Any]) -> str:
        own = [self.builder.confdir / folder for folder in self.config.templates_path]
        legacy = template_name.removesuffix(".jinja") + "_t"
        if any((folder / name).exists() for folder in own for name in (template_name, legacy)):
            return super().render(template_name, variables)
        return shared_renderer(self.config.latex_engine).render(template_name, variables)


def setup_latex_speed(app: Sphinx) -> None:
    app.set_translator("latex", LaTeXTranslator)
