"""The `glossary` domain's `category` objects, so intersphinx can resolve them here.

Our site publishes its categories in objects.inv as `glossary:category`.
Intersphinx resolves a reference only in a domain this project knows (else:
"domain for external cross-reference not found"), so the consumer registers a
`glossary` domain with that object type and role and no objects of its own:
`:external+glossary:glossary:category:`hardware`` and
`:glossary:category:`hardware`` then resolve through intersphinx, and by
category name as well through `glossweave.consumer.resolve`.
"""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import Domain, ObjType
from sphinx.errors import ExtensionError
from sphinx.roles import XRefRole


class ExternalGlossaryDomain(Domain):
    name = "glossary"
    label = "Glossary"
    object_types = {"category": ObjType("category", "category")}
    roles = {"category": XRefRole()}
    initial_data: dict[str, Any] = {}

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Nothing to merge: the objects are other projects'."""


def setup_categories(app: Sphinx) -> None:
    """Register the domain, unless this project is a glossary site itself and has the real one."""
    try:
        app.add_domain(ExternalGlossaryDomain)
    except ExtensionError:  # already registered
        pass
