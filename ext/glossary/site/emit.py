"""Write the MyST sources of the generated pages (no Sphinx needed).

Every page is small MyST: a heading plus one of our directives whose content
is a JSON payload.  Corpus text therefore never meets the MyST parser (see
`glossary.site.safety`): the JSON is ASCII-only with backticks escaped, so the
three-backtick fence around it cannot be closed early.  Everything a page shows
is in its own payload (including the names of the terms it links to), so a
page's file changes exactly when its rendering must, and `write_if_changed`
lets Sphinx's incremental build re-read only those pages.

Layout of the generated folder (docnames are `_generated/…`):
  terms/<slug>.md       one orphan page per term
  letters/<key>.md      name + summary of every term under a letter
  categories/<slug>.md  the terms of one category
  landing.md            included by docs/index.md: counts, A–Z bar, cards, toctrees
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from glossary.core.headers import category_label
from glossary.core.model import Glossary, Term
from glossary.core.slug import alias_key
from glossary.core.slug import base_slug as slug
from glossary.site.safety import escape_inline

GENERATED = "_generated"
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
DIGITS, OTHER = "0-9", "other"


def letter_key(name: str) -> str:
    """The letter page a name belongs to: `a`…`z`, `0-9`, or `other`."""
    for ch in unicodedata.normalize("NFKD", name):
        if ch.isascii() and ch.isalpha():
            return ch.lower()
        if ch.isdigit():
            return DIGITS
        if ch.isalpha():
            return OTHER
    return OTHER


def letter_label(key: str) -> str:
    return {DIGITS: "0–9", OTHER: "Other"}.get(key, key.upper())


def alias_id(term: Term, alias: str) -> str:
    """Alias anchors hang off their term's anchor, so they stay unique and stable."""
    return f"term-{alias_key(term.slug, alias)}"


def payload(data: object) -> str:
    """JSON that is safe inside a three-backtick MyST fence: ASCII, no backticks."""
    return json.dumps(data, ensure_ascii=True, sort_keys=True).replace("`", "\\u0060")


def directive(name: str, data: object) -> str:
    return f"```{{{name}}}\n{payload(data)}\n```\n"


@dataclass
class EmitResult:
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    unchanged: int = 0


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` unless the file already holds it; True when written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


class SiteModel:
    """The cross-term facts pages need: backlinks, letters and categories."""

    def __init__(self, glossary: Glossary) -> None:
        self.terms = glossary.terms
        self.by_slug = {term.slug: term for term in self.terms}
        self.links_to: dict[str, list[str]] = {}
        mentioned: dict[str, set[str]] = defaultdict(set)
        for term in self.terms:
            targets = {link.target for sense in term.senses for link in sense.links}
            targets = {t for t in targets if t in self.by_slug and t != term.slug}
            self.links_to[term.slug] = sorted(targets, key=self.sort_key)
            for target in targets:
                mentioned[target].add(term.slug)
        self.mentioned_in = {slug_: sorted(refs, key=self.sort_key) for slug_, refs in mentioned.items()}
        self.letters: dict[str, list[Term]] = defaultdict(list)
        self.categories: dict[str, list[Term]] = defaultdict(list)
        for term in self.terms:
            self.letters[letter_key(term.name)].append(term)
            for category in term.categories:
                self.categories[category].append(term)

    def sort_key(self, slug_: str) -> tuple[str, str]:
        return (self.by_slug[slug_].name.casefold(), slug_)

    def entry(self, slug_: str) -> dict[str, str]:
        term = self.by_slug[slug_]
        return {"name": term.name, "summary": term.summary}


def term_page(model: SiteModel, term: Term) -> str:
    related = model.links_to[term.slug]
    mentioned = model.mentioned_in.get(term.slug, [])
    linked = {link.target for sense in term.senses for link in sense.links if link.target in model.by_slug}
    data = {
        "slug": term.slug,
        "name": term.name,
        "aliases": [{"name": alias, "id": alias_id(term, alias)} for alias in term.aliases],
        "senses": [
            {
                "category": category_label(sense.category),
                "category_slug": slug(sense.category),
                "markdown": sense.markdown,
                "links": [[link.start, link.end, link.target] for link in sense.links if link.target in model.by_slug],
                "sources": [str(source) for source in sense.sources],
            }
            for sense in term.senses
        ],
        # names and summaries of linked terms: a page's file changes when its link texts or previews must
        "names": {s: model.entry(s) for s in sorted(linked | set(related) | set(mentioned))},
        "related": related,
        "mentioned_in": mentioned,
    }
    return f"---\norphan: true\n---\n\n# {escape_inline(term.name)}\n\n" + directive("glossary-term", data)


def letter_page(key: str, terms: list[Term]) -> str:
    entries = [{"name": t.name, "summary": t.summary} for t in terms]
    return f"# {letter_label(key)}\n\n" + directive("glossary-term-list", entries)


def category_page(category: str, terms: list[Term]) -> str:
    data = {
        "slug": slug(category),
        "name": category_label(category),
        "terms": [{"name": t.name, "summary": t.summary} for t in terms],
    }
    return f"# {escape_inline(category_label(category))}\n\n" + directive("glossary-category", data)


def landing_page(model: SiteModel) -> str:
    """Counts, A–Z bar, category cards and the (letters + categories) toctrees."""
    senses = sum(len(t.senses) for t in model.terms)
    aliases = sum(len(t.aliases) for t in model.terms)
    keys = [letter.lower() for letter in LETTERS] + [DIGITS, OTHER]
    bar = " ".join(
        f"{{doc}}`{letter_label(k)} </{GENERATED}/letters/{k}>`" if k in model.letters else letter_label(k)
        for k in keys
        if k in model.letters or k not in (DIGITS, OTHER)
    )
    cards = []
    for category in sorted(model.categories, key=str.casefold):
        count = len(model.categories[category])
        cards.append(
            f":::{{grid-item-card}} {escape_inline(category_label(category))}\n"
            f":link: /{GENERATED}/categories/{slug(category)}\n:link-type: doc\n\n"
            f"{count} term{'s' if count != 1 else ''}\n:::\n"
        )
    letters = "\n".join(f"/{GENERATED}/letters/{k}" for k in (k for k in keys if k in model.letters))
    categories = "\n".join(f"/{GENERATED}/categories/{slug(c)}" for c in sorted(model.categories, key=str.casefold))
    return (
        f"**{len(model.terms)}** terms, **{senses}** definitions, **{aliases}** aliases "
        f"in **{len(model.categories)}** categories.\n\n"
        f"```{{rst-class}} glossary-az\n```\n\n{bar}\n\n"
        "::::{grid} 1 2 3 3\n:gutter: 2\n\n" + "\n".join(cards) + "::::\n\n"
        f"```{{toctree}}\n:hidden:\n:caption: A–Z\n\n{letters}\n```\n\n"
        f"```{{toctree}}\n:hidden:\n:caption: Categories\n\n{categories}\n```\n"
    )


def site_pages(glossary: Glossary) -> dict[str, str]:
    """Relative path → MyST text of every generated page."""
    model = SiteModel(glossary)
    pages = {f"terms/{term.slug}.md": term_page(model, term) for term in model.terms}
    pages.update({f"letters/{key}.md": letter_page(key, terms) for key, terms in model.letters.items()})
    pages.update({f"categories/{slug(c)}.md": category_page(c, terms) for c, terms in model.categories.items()})
    pages["landing.md"] = landing_page(model)
    return pages


def emit_site(glossary: Glossary, out_dir: Path) -> EmitResult:
    """Bring `out_dir` in line with `glossary`, touching only files whose text changed."""
    result = EmitResult()
    pages = site_pages(glossary)
    for rel, text in pages.items():
        path = out_dir / rel
        if write_if_changed(path, text):
            result.written.append(path)
        else:
            result.unchanged += 1
    for path in sorted(out_dir.rglob("*.md")) if out_dir.exists() else []:
        if path.relative_to(out_dir).as_posix() not in pages:
            path.unlink()
            result.removed.append(path)
    return result
