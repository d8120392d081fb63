"""Find, fetch and cache the previews files of the projects in `intersphinx_mapping`.

A project is a glossary when the folder of its objects.inv also holds
`glossary-previews.json`: `<base URI>/glossary-previews.json` for a served
site, the same folder as a local objects.inv otherwise.  Each file is fetched
as intersphinx fetches inventories (its timeout, TLS settings and user agent)
and cached as intersphinx caches them: in the environment, keyed by location,
a served file re-fetched after `intersphinx_cache_limit` days (never when
negative), a local one re-read at every build.  A server's "not found" is
cached too, so a project that publishes no file (the Python docs, say) costs
one request per cache period, not one per build.

A file that cannot be fetched or read costs its project the previews and one
warning; the build goes on.  When the project's inventory loaded and holds no
glossary categories, the project is taken for an ordinary one and nothing is
said.
"""

from __future__ import annotations

import hashlib
import posixpath
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.ext.intersphinx import InventoryAdapter
from sphinx.util import logging
from sphinx.util import requests as sphinx_requests

from glossweave.consumer.glossaries import LinkedGlossary
from glossweave.previewsfile import FILENAME, PreviewsFile, PreviewsFileError

logger = logging.getLogger(__name__)

#: Larger than any real glossary's file (4,000 terms take well under a megabyte).
MAX_BYTES = 64 * 2**20


@dataclass
class CachedFile:
    project: str  # the intersphinx name it was fetched for
    fetched: int  # Unix time
    text: str | None  # None: the location answered that there is no such file


@dataclass
class ConsumerData:
    """What the consumer keeps in the environment (`env.glossweave_consumer`)."""

    cache: dict[str, CachedFile] = field(default_factory=dict)  # by location
    #: intersphinx name → (base URI of its links, location of its file) of this build's glossaries
    active: dict[str, tuple[str, str]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # intersphinx name → digest of its file
    term_docs: set[str] = field(default_factory=set)  # documents that refer to terms or categories


def consumer_data(env) -> ConsumerData:
    data = getattr(env, "glossweave_consumer", None)
    if data is None:
        data = env.glossweave_consumer = ConsumerData()
    return data


@dataclass(frozen=True)
class Project:
    name: str
    target_uri: str  # base of the links, as in intersphinx_mapping
    locations: tuple[str, ...]  # where its previews file may be, in intersphinx's order


class NotPublished(Exception):
    """The location answered, and it holds no previews file."""


def intersphinx_projects(config: Config) -> list[Project]:
    """The mapping as intersphinx normalised it at config-inited: {key: (name, (uri, locations))}."""
    projects = []
    for name, (target_uri, inventories) in config.intersphinx_mapping.values():
        locations = tuple(previews_location(target_uri, inventory) for inventory in inventories)
        projects.append(Project(name, target_uri, locations))
    return projects


def previews_location(target_uri: str, inventory: str | None) -> str:
    """Where the previews file is: beside the inventory (the site root for the default one)."""
    if inventory is None:
        return posixpath.join(target_uri, FILENAME)
    if "://" in inventory:
        parts = urlsplit(inventory)
        return urlunsplit(parts._replace(path=posixpath.join(posixpath.dirname(parts.path), FILENAME), query="", fragment=""))
    return str(Path(inventory).with_name(FILENAME))


def tls_verify_for(url: str, config: Config) -> bool | str:
    """`verify` for requests, from tls_verify and tls_cacerts (a path, or a path per host), as Sphinx does."""
    if not config.tls_verify:
        return False
    certs = config.tls_cacerts
    if not certs:
        return True
    if isinstance(certs, str):
        return certs
    return certs.get(urlsplit(url).netloc.rpartition("@")[2], True)


def fetch_url(url: str, config: Config) -> str:
    """The file at `url`, fetched with intersphinx's timeout, TLS settings and user agent."""
    headers = {"User-Agent": config.user_agent} if config.user_agent else {}
    with sphinx_requests.get(
        url, timeout=config.intersphinx_timeout, headers=headers, verify=tls_verify_for(url, config), stream=True
    ) as response:
        if response.status_code in (404, 410):
            raise NotPublished(url)
        response.raise_for_status()
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    if len(body) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 2**20} MiB")
    return body.decode("utf-8")


def read_file(path: Path) -> str:
    try:
        with path.open("rb") as file:
            body = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise NotPublished(str(path)) from None
    if len(body) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 2**20} MiB")
    return body.decode("utf-8")


def without_password(location: str) -> str:
    """A location fit for a log line: no password of basic auth."""
    parts = urlsplit(location)
    if parts.password is None:
        return location
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{parts.netloc.rpartition('@')[2]}"))


def load_project(app: Sphinx, project: Project, data: ConsumerData, now: int) -> LinkedGlossary | None:
    """The project's glossary, from the cache or its first location that answers; None when it has none.

    When no location answers, an expired copy in the cache is kept, as
    intersphinx keeps an expired inventory.
    """
    limit = app.config.intersphinx_cache_limit
    expired_before = now - limit * 86400 if limit >= 0 else 0
    failures: list[str] = []
    stale: str | None = None  # cache key of an expired copy to fall back on
    for location in project.locations:
        remote = "://" in location
        key = location if remote else str(Path(app.srcdir) / location)
        cached = data.cache.get(key)
        if not remote or cached is None or cached.fetched < expired_before:
            try:
                text = fetch_url(location, app.config) if remote else read_file(Path(key))
            except NotPublished:
                text = None
            except (OSError, ValueError) as error:  # requests' errors are OSErrors; bad UTF-8 a ValueError
                failures.append(f"{without_password(location)}: {error}")
                if stale is None and cached is not None and cached.text is not None:
                    stale = key
                continue
            cached = data.cache[key] = CachedFile(project.name, now, text)
        glossary = _glossary(project, location, cached, failures)
        if glossary is not None:
            data.active[project.name] = (project.target_uri, key)
            return glossary
    glossary = None if stale is None else _glossary(project, stale, data.cache[stale], failures)
    if failures and (glossary is not None or _may_be_glossary(app, project.name)):
        outcome = (
            f"kept the copy fetched on {time.strftime('%Y-%m-%d', time.gmtime(data.cache[stale].fetched))}"
            if glossary is not None
            else "its links get no previews"
        )
        logger.warning(
            "glossary previews of %r unavailable; %s (%s)",
            project.name,
            outcome,
            "; ".join(failures),
            type="glossweave",
            subtype="previews",
        )
    if glossary is not None:
        data.active[project.name] = (project.target_uri, stale)
    return glossary


def _glossary(project: Project, location: str, cached: CachedFile, failures: list[str]) -> LinkedGlossary | None:
    if cached.text is None:
        return None
    try:
        return LinkedGlossary(project.name, project.target_uri, PreviewsFile.from_json(cached.text))
    except PreviewsFileError as error:
        failures.append(f"{without_password(location)}: not a previews file this version reads: {error}")
        return None


def _may_be_glossary(app: Sphinx, name: str) -> bool:
    """False when intersphinx loaded the project's inventory and it holds no glossary categories."""
    inventory = InventoryAdapter(app.env).named_inventory.get(name)
    return inventory is None or "glossary:category" in inventory


def load_glossaries(app: Sphinx) -> dict[str, LinkedGlossary]:
    """Every intersphinx project that publishes a previews file, by intersphinx name; updates the cache."""
    data = consumer_data(app.env)
    now = int(time.time())
    projects = intersphinx_projects(app.config)
    glossaries = {}
    data.active = {}
    for project in projects:
        glossary = load_project(app, project, data, now)
        if glossary is not None:
            glossaries[project.name] = glossary
    # forget what no project reads any more (intersphinx does the same with its inventories)
    wanted = {loc if "://" in loc else str(Path(app.srcdir) / loc) for project in projects for loc in project.locations}
    for key in set(data.cache) - wanted:
        del data.cache[key]
    return glossaries


def restore_glossaries(env) -> dict[str, LinkedGlossary]:
    """This build's glossaries again, from the environment alone (no fetching): for a process that has none."""
    data = consumer_data(env)
    glossaries = {}
    for name, (target_uri, key) in data.active.items():
        glossaries[name] = LinkedGlossary(name, target_uri, PreviewsFile.from_json(data.cache[key].text))
    return glossaries


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
