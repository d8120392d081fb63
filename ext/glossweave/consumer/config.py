"""The consumer's settings: none is needed; each turns on something a project may want.

Checked at `config-inited` (after intersphinx normalised its mapping), so a
wrong value fails the build at once with the setting's name, not deep in a
build.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from glossweave.core.linker import LinkRules

#: name → (default, types, description); "env": changing one re-reads every page.
CONFIG_VALUES: dict[str, tuple[object, frozenset[type], str]] = {
    "glossary_resolve_variants": (
        False,
        frozenset({bool}),
        "resolve a :term: that no glossary has to the glossary name it is a case or plural variant of, when only one term fits",
    ),
    "glossary_autolink": (
        False,
        frozenset({bool, list, tuple}),
        "link the first mention of each glossary term in this project's pages: True for every glossary, or a list of intersphinx names",
    ),
    "glossary_autolink_rules": (
        {},
        frozenset({dict}),
        "LinkRules fields that override the glossary's own rules for auto-linking, e.g. {'min_length': 4}",
    ),
}


@dataclass(frozen=True)
class ConsumerConfig:
    resolve_variants: bool
    autolink: frozenset[str] | None  # intersphinx names to auto-link from; None: all glossaries; empty: off
    autolink_rules: Mapping[str, object]  # overrides, already checked against LinkRules

    def autolinks(self, project: str) -> bool:
        return self.autolink is None or project in self.autolink


def consumer_config(config: Config) -> ConsumerConfig:
    """The checked settings; raises ConfigError naming the setting at fault."""
    variants = config.glossary_resolve_variants
    if not isinstance(variants, bool):
        raise ConfigError(f"glossary_resolve_variants must be True or False, got {variants!r}")
    autolink = config.glossary_autolink
    if isinstance(autolink, bool):
        chosen = None if autolink else frozenset()
    elif isinstance(autolink, list | tuple) and all(isinstance(name, str) for name in autolink):
        unknown = sorted(set(autolink) - set(config.intersphinx_mapping))
        if unknown:
            raise ConfigError(f"glossary_autolink names projects that are not in intersphinx_mapping: {', '.join(unknown)}")
        chosen = frozenset(autolink)
    else:
        raise ConfigError(f"glossary_autolink must be True, False or a list of intersphinx names, got {autolink!r}")
    rules = config.glossary_autolink_rules
    if not isinstance(rules, Mapping):
        raise ConfigError(f"glossary_autolink_rules must be a dict, got {type(rules).__name__}")
    try:
        LinkRules.from_mapping(rules)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"glossary_autolink_rules: {error}") from None
    return ConsumerConfig(variants, chosen, dict(rules))


def _check(app: Sphinx, config: Config) -> None:
    consumer_config(config)


def setup_consumer_config(app: Sphinx) -> None:
    for name, (default, types, description) in CONFIG_VALUES.items():
        app.add_config_value(name, default, "env", types=types, description=description)
    app.connect("config-inited", _check, priority=810)  # after intersphinx normalises its mapping (800)
