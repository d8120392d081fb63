"""The ePub as a book a reader keeps: identity, cover, title page, language, navigation, code.

`BookBuilderMixin` is mixed into our ePub builder (`glossweave.site.epub`):
* **Identity:** unless `conf.py` sets one, the identifier is a URN UUID derived
  from the project's name (`uuid5`), so every build of the same project is the
  same book to a reader's library, and a different project another book.
* **Cover:** an SVG made at build time from the title and author (no network,
  no image library), set as the cover unless `epub_cover` names another.
* **Title page:** the root document's first page shows title, description,
  author and version (`glossary-title-page`, emitted into the book's root);
  its chapters are in the navigation document, not listed on it.
* **Language:** every XHTML document carries `lang` and `xml:lang`; Sphinx's
  ePub `<html>` tag has neither.
* **Navigation:** the index ends the navigation document, after the letters
  (whose terms are listed when `epub_tocscope` is "includehidden").
* **Code:** highlighted code wraps its long lines instead of being cut off
  (`epub_static/glossweave-epub.css`).
* **Only used files:** static files no page, style sheet or the cover uses (the
  theme's `plus.png`, a README screenshot in `html_static_path`) stay out.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
import uuid
from html import escape
from pathlib import Path
from typing import Any, NamedTuple

from docutils import nodes
from lxml import etree
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

from glossweave.site.compat import epub_builder_hooks

#: Namespace of our books' identifiers: fixed forever, so identifiers never change.
BOOK_NAMESPACE = uuid.UUID("e54e14ec-e404-4804-94be-af0649329db4")
#: Where the generated cover goes in the ePub.
COVER = "_static/glossweave-cover.svg"
#: Static files of the ePub only (the site's are in `static/`).
EPUB_STATIC = Path(__file__).parent / "epub_static"
EPUB_CSS = "glossweave-epub.css"

_REFERENCE = re.compile(r"""(?:\b(?:href|src)\s*=\s*"|url\(\s*['"]?|@import\s+['"])([^"'()#?\s]+)""")


def book_identifier(project: str) -> str:
    return f"urn:uuid:{uuid.uuid5(BOOK_NAMESPACE, project)}"


def cover_svg(title: str, author: str) -> str:
    """A plain typographic cover: the title in large type over a band, the author below."""
    lines = textwrap.wrap(title, 16, break_long_words=False) or [title]
    # a serif capital is about 0.62 em wide: the longest line fits the 480 units inside the frame
    size = min(64 if len(lines) <= 3 else 48, int(480 / (0.62 * max(len(line) for line in lines))))
    top = 330 - (len(lines) - 1) * size * 0.6
    text = "".join(
        f'<text x="300" y="{top + i * size * 1.2:.0f}" font-size="{size}" text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" width="600" height="900">'
        f"<title>{escape(title)}</title>"
        '<rect width="600" height="900" fill="#0b5e6b"/>'
        '<rect x="40" y="40" width="520" height="820" fill="none" stroke="#ffffff" stroke-width="3"/>'
        '<g fill="#ffffff" font-family="Georgia, \'DejaVu Serif\', serif" font-weight="bold">'
        f"{text}</g>"
        '<rect x="200" y="560" width="200" height="4" fill="#ffffff"/>'
        f'<text x="300" y="640" fill="#ffffff" font-family="Georgia, \'DejaVu Serif\', serif" font-size="30" text-anchor="middle">{escape(author)}</text>'
        "</svg>\n"
    )


def referenced_files(outdir: Path) -> set[str]:
    """Every file (relative to `outdir`) that a page or a style sheet there refers to."""
    found: set[str] = set()
    pending = [path for path in outdir.rglob("*") if path.suffix in (".xhtml", ".css")]
    seen: set[Path] = set()
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        folder = path.parent.relative_to(outdir).as_posix()
        for target in _REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace")):
            if "://" in target or target.startswith(("/", "data:", "mailto:")):
                continue
            name = posixpath.normpath(posixpath.join(folder, target))
            found.add(name)
            if name.endswith(".css"):
                pending.append(outdir / name)
    return found


def mark_cover_image(opf: Path, href: str) -> None:
    """EPUB 3 readers find the cover by the `cover-image` property of its manifest item (Sphinx writes EPUB 2's `<meta name="cover">` only)."""
    tree = etree.parse(str(opf))
    for item in tree.iterfind("{http://www.idpf.org/2007/opf}manifest/{http://www.idpf.org/2007/opf}item"):
        if item.get("href") == href:
            item.set("properties", " ".join([*item.get("properties", "").split(), "cover-image"]))
    tree.write(str(opf), xml_declaration=True, encoding="UTF-8")


class NavPoint(NamedTuple):
    """An entry of the navigation document, as Sphinx's template reads it."""

    text: str
    refuri: str
    children: list


class BookBuilderMixin:
    """See the module docstring; mixed into an `sphinx.builders.epub3.Epub3Builder`."""

    config: Config
    outdir: Path
    globalcontext: dict[str, Any]
    use_index: bool

    def prepare_writing(self, docnames: Any) -> None:
        super().prepare_writing(docnames)  # type: ignore[misc]
        lang = escape(self.config.epub_language)
        self.globalcontext["html_tag"] = (
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">'
        )

    def build_content(self) -> None:
        if self.config.epub_cover and self.config.epub_cover[0] == COVER:
            (self.outdir / COVER).parent.mkdir(parents=True, exist_ok=True)
            (self.outdir / COVER).write_text(cover_svg(self.config.epub_title, self.config.epub_author), encoding="utf-8")
        used = referenced_files(self.outdir) | {cover[0] for cover in [self.config.epub_cover] if cover}
        unused = [
            path.relative_to(self.outdir).as_posix()
            for path in self.outdir.rglob("*")
            if path.is_file() and path.suffix not in (".xhtml", ".opf", ".ncx", ".epub") and path.relative_to(self.outdir).parts[0] in ("_static", "_images")
        ]
        # The cover page of an earlier build into this folder is added again below, once (Sphinx would list it twice).
        cover_page = [getattr(self, "coverpage_name", "")] if self.config.epub_cover and self.config.epub_cover[1] else []
        self.config.epub_exclude_files = [*self.config.epub_exclude_files, *(name for name in unused if name not in used), *cover_page]
        super().build_content()  # type: ignore[misc]
        if self.config.epub_cover:
            mark_cover_image(self.outdir / "content.opf", self.config.epub_cover[0])

    def toc_metadata(self, level: int, navpoints: list) -> dict[str, Any]:
        """The NCX's `dtb:uid` is the book's identifier (Sphinx writes the OPF's id attribute, `epub_uid`,
        which EPUBCheck rejects as soon as the identifier is a real one)."""
        return {**super().toc_metadata(level, navpoints), "uid": escape(self.config.epub_identifier)}  # type: ignore[misc]

    def build_navlist(self, navnodes: list[dict[str, Any]]) -> list:
        navlist = super().build_navlist(navnodes)  # type: ignore[misc]
        if self.use_index:
            navlist.append(NavPoint("Index", "genindex" + self.out_suffix, []))  # type: ignore[attr-defined]
        return navlist


class TitlePageDirective(SphinxDirective):
    """`glossary-title-page`: description, author and version under the book root's title, in the ePub only.

    (The PDF has LaTeX's own title page.)
    """

    def run(self) -> list[nodes.Node]:
        config = self.config
        only = addnodes.only(expr="epub")
        lines = [("description", config.epub_description), ("author", config.epub_author), ("version", f"Version {config.version}" if config.version else "")]
        for kind, text in lines:
            if text and text != "unknown":  # Sphinx's default for an unset description
                only += nodes.paragraph(text, text, classes=[f"glossary-title-{kind}"])
        return [only]


def _book_defaults(app: Sphinx, config: Config) -> None:
    if config.epub_identifier == "unknown":  # Sphinx's default: nothing set in conf.py
        config.epub_identifier = book_identifier(config.project)
        config.epub_scheme = "uuid"
    if config.epub_uid == "unknown":
        config.epub_uid = "book-id"
    if not config.epub_cover:
        config.epub_cover = (COVER, "epub-cover.html")


def _epub_assets(app: Sphinx) -> None:
    if app.builder.name == "epub":
        epub_builder_hooks(type(app.builder))
        app.config.html_static_path = [*app.config.html_static_path, str(EPUB_STATIC)]
        app.add_css_file(EPUB_CSS)


def setup_ebook(app: Sphinx) -> None:
    app.add_directive("glossary-title-page", TitlePageDirective)
    app.connect("config-inited", _book_defaults)
    app.connect("builder-inited", _epub_assets)
