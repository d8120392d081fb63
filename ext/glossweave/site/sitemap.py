"""`sitemap.xml`: the content pages, each with the date its content last changed.

Content pages are the documents of the site: the search page and the general
index are not documents, the 404 page is not content, and a site names its
other pages to leave out in `glossary_sitemap_excludes` (docname patterns).

A page's `lastmod` is the newest date among what it is made from, so that it
is the same in every build of the same sources (a reproducible build, and no
page "changes" for a crawler because it was rebuilt):
* a term page: the dumps its definitions come from;
* another generated page (letters, categories, the landing page): every dump;
* a hand-written page: its file and the files it includes.
A file's date is its last commit's time when git tracks it unchanged, else its
modification time; `SOURCE_DATE_EPOCH`, when set, caps every date.

The file is written at `build-finished` from the environment, so an
incremental or parallel build writes the same sitemap as a clean one.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from collections.abc import Iterable
from datetime import datetime, UTC
from pathlib import Path
from xml.sax.saxutils import escape

from sphinx.application import Sphinx
from sphinx.util import logging

from glossweave.core.pipeline import dump_files
from glossweave.site.config import site_config
from glossweave.site.emit import emitted_paths

logger = logging.getLogger(__name__)

FILENAME = "sitemap.xml"


def git_dates(paths: Iterable[Path]) -> dict[Path, int]:
    """Last commit time of each path git tracks without local changes (one `git log` for all)."""
    paths = [path.resolve() for path in paths]
    if not paths:
        return {}
    cwd = paths[0].parent

    def git(*args: str) -> str | None:
        try:
            run = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        return run.stdout if run.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None:
        return {}
    root = Path(top.strip())
    inside = {path.relative_to(root).as_posix(): path for path in paths if path.is_relative_to(root)}
    if not inside:
        return {}
    changed = git("-C", str(root), "status", "--porcelain", "--no-renames", "-z", "--", *inside)
    log = git("-C", str(root), "-c", "core.quotepath=off", "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", *inside)
    if changed is None or log is None:
        return {}
    dirty = {entry[3:] for entry in changed.split("\0") if entry}
    dates: dict[Path, int] = {}
    for commit in log.split("\0")[1:]:
        stamp, *names = commit.strip().splitlines()
        for name in names:
            if name in inside and name not in dirty:
                dates.setdefault(inside[name], int(stamp))
    return dates


def file_dates(paths: Iterable[Path]) -> dict[Path, int]:
    """The date of each file (see the module docstring), in seconds since the epoch."""
    paths = [path.resolve() for path in paths if path.is_file()]
    dates = {path: int(path.stat().st_mtime) for path in paths}
    dates.update(git_dates(paths))
    cap = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if cap.isdigit():
        dates = {path: min(date, int(cap)) for path, date in dates.items()}
    return dates


def page_inputs(app: Sphinx, docname: str, generated: set[str], dumps: dict[str, Path]) -> list[Path]:
    """The files a page is made from (see the module docstring)."""
    env = app.env
    source = Path(env.doc2path(docname, False)).as_posix()
    if source in generated:
        sources = env.metadata[docname].get("glossary_sources")
        return [dumps[name] for name in sources if name in dumps] if sources is not None else list(dumps.values())
    srcdir = Path(app.srcdir)
    files = [srcdir / source, *(srcdir / dep for dep in sorted(env.dependencies.get(docname, ())))]
    return [path for dep in files for path in ([*dumps.values()] if dep.relative_to(srcdir).as_posix() in generated else [dep])]


def sitemap(urls: dict[str, int | None]) -> str:
    """The sitemap document of `url → date` (seconds since the epoch), sorted by URL."""
    entries = "".join(
        f"  <url>\n    <loc>{escape(url)}</loc>\n"
        + (f"    <lastmod>{datetime.fromtimestamp(date, UTC):%Y-%m-%dT%H:%M:%SZ}</lastmod>\n" if date is not None else "")
        + "  </url>\n"
        for url, date in sorted(urls.items())
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n'


def content_pages(app: Sphinx) -> list[str]:
    excluded = [*app.config.glossary_sitemap_excludes, getattr(app.config, "notfound_pagename", "404")]
    return sorted(doc for doc in app.env.found_docs if not any(fnmatch.fnmatchcase(doc, pattern) for pattern in excluded))


def _write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.name not in ("html", "dirhtml"):
        return
    base = app.config.html_baseurl
    if not base:
        logger.info("glossary: no sitemap (html_baseurl is not set)")
        return
    srcdir = Path(app.srcdir)
    dumps = {path.name: path for path in dump_files(site_config(app).corpus)}
    generated = set(emitted_paths(srcdir))
    inputs = {doc: page_inputs(app, doc, generated, dumps) for doc in content_pages(app)}
    dates = file_dates({path for paths in inputs.values() for path in paths})
    base = base.rstrip("/") + "/"
    urls = {
        base + app.builder.get_target_uri(doc): max((dates[path.resolve()] for path in paths if path.resolve() in dates), default=None)
        for doc, paths in inputs.items()
    }
    (Path(app.outdir) / FILENAME).write_text(sitemap(urls), encoding="utf-8")


def setup_sitemap(app: Sphinx) -> None:
    app.add_config_value("glossary_sitemap_excludes", [], "html", types=frozenset({list, tuple}), description="docnames (fnmatch patterns) left out of sitemap.xml")
    app.connect("build-finished", _write_sitemap)
