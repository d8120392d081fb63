"""Typed, validated settings of the glossary site (the `glossary_*` values in conf.py).

Sphinx only checks a config value's type loosely and late; a wrong corpus path
or a misspelt link rule would surface as an obscure failure deep in a build.
`SiteConfig.from_sphinx` turns the raw values into one frozen dataclass at
`config-inited` and raises `ConfigError` with the offending setting's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from glossweave.core.linker import LinkRules

#: name → (default, description); all are "env" values: changing one re-reads every page.
CONFIG_VALUES: dict[str, tuple[object, str]] = {
    "glossary_corpus": ("docs/corpus", "folder of *.txt dumps, relative to conf.py"),
    "glossary_site_name": ("Glossary", "site name, used in page titles"),
    "glossary_link_rules": ({}, "LinkRules fields, e.g. {'min_length': 3}"),
    "glossary_node_modules": (None, "folder holding the mathjax npm packages, relative to conf.py; by default the nearest above conf.py"),
    "glossary_cache_dir": ("_build/.glossary-cache", "where parsed dumps are cached, relative to conf.py"),
    "glossary_book": (False, "emit the book's pages (included by the book's root from `_generated/book.md`) for LaTeX/PDF and ePub"),
    "glossary_overrides": ("", "the maintainers' identity overrides file (TOML), relative to conf.py; '' for none"),
}


@dataclass(frozen=True)
class SiteConfig:
    corpus: Path
    site_name: str
    link_rules: LinkRules
    node_modules: Path | None  # None: no MathJax found (glossweave.site.math warns once)
    cache_dir: Path
    book: bool
    overrides: Path | None

    @classmethod
    def from_sphinx(cls, config: Config, confdir: Path) -> SiteConfig:
        corpus = confdir / _text(config, "glossary_corpus")
        if not corpus.is_dir():
            raise ConfigError(f"glossary_corpus: {corpus} is not a folder")
        site_name = _text(config, "glossary_site_name").strip()
        if not site_name:
            raise ConfigError("glossary_site_name must not be empty")
        rules = config.glossary_link_rules
        if not isinstance(rules, Mapping):
            raise ConfigError(f"glossary_link_rules must be a dict, got {type(rules).__name__}")
        try:
            link_rules = LinkRules.from_mapping(rules)
        except (TypeError, ValueError) as error:
            raise ConfigError(f"glossary_link_rules: {error}") from error
        if config.glossary_node_modules is None:
            node_modules = find_node_modules(confdir)
        else:
            node_modules = confdir / _text(config, "glossary_node_modules")
            if not has_mathjax(node_modules):
                raise ConfigError(f"glossary_node_modules: no {MATHJAX_SCRIPT} under {node_modules} (run `npm ci`)")
        book = config.glossary_book
        if not isinstance(book, bool):
            raise ConfigError(f"glossary_book must be True or False, got {type(book).__name__}")
        overrides = _text(config, "glossary_overrides").strip()
        if overrides and not (confdir / overrides).is_file():
            raise ConfigError(f"glossary_overrides: {confdir / overrides} is not a file")
        cache_dir = confdir / _text(config, "glossary_cache_dir")
        return cls(corpus, site_name, link_rules, node_modules, cache_dir, book, confdir / overrides if overrides else None)


#: What a `node_modules` folder must hold to serve MathJax.
MATHJAX_SCRIPT = "mathjax/tex-chtml.js"


def has_mathjax(node_modules: Path) -> bool:
    return (node_modules / MATHJAX_SCRIPT).is_file()


def find_node_modules(confdir: Path) -> Path | None:
    """The nearest `node_modules` holding MathJax in conf.py's folder or above it, as node itself looks."""
    for folder in (confdir.resolve(), *confdir.resolve().parents):
        if has_mathjax(folder / "node_modules"):
            return folder / "node_modules"
    return None


def _text(config: Config, name: str) -> str:
    value = getattr(config, name)
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a string, got {type(value).__name__}")
    return value


def site_config(app: Sphinx) -> SiteConfig:
    """The validated settings of this build (computed once at config-inited)."""
    return app.config._glossary_site  # type: ignore[attr-defined]


def _validate(app: Sphinx, config: Config) -> None:
    config._glossary_site = SiteConfig.from_sphinx(config, Path(app.confdir))  # type: ignore[attr-defined]


def setup_config(app: Sphinx) -> None:
    for name, (default, description) in CONFIG_VALUES.items():
        types = frozenset({str, type(None)}) if default is None else frozenset({type(default)})  # None: "look for it"
        app.add_config_value(name, default, "env", types=types, description=description)
    app.connect("config-inited", _validate)
