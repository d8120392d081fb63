"""Write the sources of the generated pages (no Sphinx needed).

A term page is a JSON payload, read by our own parser (`glossweave.site.terms`);
every other page is small MyST: a heading plus one of our directives whose
content is a JSON payload.  Corpus text therefore never meets the MyST parser
(see `glossweave.site.safety`): the JSON is ASCII-only with backticks escaped, so
the three-backtick fence around it cannot be closed early.  Everything a page shows
is in its own payload (including the names of the terms it links to), so a
page's file changes exactly when its rendering must, and `write_if_changed`
lets Sphinx's incremental build re-read only those pages.

Where the pages go, relative to the Sphinx source folder (docs/); a page's
docname is its published URL without `.html`:
  terms/<slug>.term.json  one orphan page per term
  letters/<key>.md        name + summary of every term under a letter
  categories/<slug>.md    the terms of one category
  bibliography.md         every work the definitions cite (site only)
  _generated/landing.md   included by docs/index.md: counts, A–Z bar, domain cards, toctrees
These folders are git-ignored and owned by the emitter, but a maintainer may
keep hand-written files there: the emitter records what it wrote
(`_generated/manifest.txt`, which `make clean` reads) and never overwrites or
deletes a file it did not write.

The book (LaTeX/PDF and ePub, `glossary_book = True`) reads the same pages in
one order from its own root, because those builders only take documents that
a toctree reaches from the root, and term pages are orphans on the site:
  _generated/book.md        included by docs/book.md, the root: about, the letters, categories
  _generated/about.md       front matter: what the book holds and how to read it
  _generated/categories.md  "Terms by category": the category pages as sections
and each letter page also gets a hidden toctree of its terms.  The site never
gets these toctrees: a global toctree of every term, rendered into the sidebar
of every page, is what makes a large Sphinx build quadratic.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from glossweave.core.citations import Bibliography, find_citations
from glossweave.core.categories import OTHER_DOMAIN, category_label
from glossweave.core.model import Definition, Glossary, Term
from glossweave.core.slug import alias_keys, assign_slugs
from glossweave.site.safety import escape_inline

#: Folders of generated pages, relative to the source folder; each is also the
#: start of its pages' URLs (`terms/<slug>.html`).
TERMS, LETTERS, CATEGORIES = "terms", "letters", "categories"
#: The page of every work cited (`bibliography.html`).
BIBLIOGRAPHY = "bibliography"
#: Generated files that are no page of their own URL (includes, the book's
#: front matter) and the emitter's records.
GENERATED = "_generated"
#: What the emitter wrote, one path (relative to the source folder) a line.
MANIFEST = f"{GENERATED}/manifest.txt"
#: Every name the emitter may write at the top of a source folder: leave them out
#: when copying a project (`shutil.ignore_patterns(*GENERATED_NAMES)`).
GENERATED_NAMES = (TERMS, LETTERS, CATEGORIES, f"{BIBLIOGRAPHY}.md", GENERATED)
#: File suffix of the term pages, read by `glossweave.site.terms.TermPageParser`.
TERM_PAGE_SUFFIX = ".term.json"


def term_docname(term_slug: str) -> str:
    return f"{TERMS}/{term_slug}"


def letter_docname(key: str) -> str:
    return f"{LETTERS}/{key}"


def category_docname(category_slug: str) -> str:
    return f"{CATEGORIES}/{category_slug}"


ALPHABET = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
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


def alias_ids(term: Term) -> dict[str, str]:
    """Each alias's anchor: it hangs off its term's anchor, so it stays unique and stable."""
    return {alias: f"term-{key}" for alias, key in alias_keys(term.slug, term.aliases).items()}


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
    kept: list[Path] = field(default_factory=list)  # hand-written files where a page would go


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
    """The cross-term facts pages need: backlinks, letters, categories, and the works cited."""

    def __init__(self, glossary: Glossary, bibliography: Bibliography | None = None) -> None:
        self.bibliography = bibliography
        self.terms = glossary.terms
        self.domains = glossary.domains
        self.by_slug = {term.slug: term for term in self.terms}
        self.links_to: dict[str, list[str]] = {}
        mentioned: dict[str, set[str]] = defaultdict(set)
        for term in self.terms:
            targets = {link.target for definition in term.definitions for link in definition.links}
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
        # categories that slug alike each keep a page (`make check` reports them as errors)
        self.category_slugs = assign_slugs(self.categories)
        # A reader's order: letter pages A–Z, 0–9, other, each by name; previous/next follow it.
        for terms in self.letters.values():
            terms.sort(key=lambda t: (t.name.casefold(), t.slug))
        self.alphabetical = [term for key in letter_keys(self) for term in self.letters[key]]
        self.position = {term.slug: index for index, term in enumerate(self.alphabetical)}

    def sort_key(self, slug_: str) -> tuple[str, str]:
        return (self.by_slug[slug_].name.casefold(), slug_)

    def entry(self, slug_: str) -> dict[str, str]:
        term = self.by_slug[slug_]
        return {"name": term.name, "summary": term.summary}


def navigation(model: SiteModel, term: Term) -> dict:
    """Where a term page leads: its letter, the letters that exist, its alphabetical neighbours.

    In the payload, so that a page is rewritten (and re-read) exactly when its
    neighbours or the A–Z bar change; no page looks at another while it is read.
    """
    index = model.position[term.slug]
    neighbours = [model.alphabetical[i] if 0 <= i < len(model.alphabetical) else None for i in (index - 1, index + 1)]
    previous, following = ({"slug": t.slug, "name": t.name} if t else None for t in neighbours)
    return {"letter": letter_key(term.name), "letters": letter_keys(model), "previous": previous, "next": following}


def term_page(model: SiteModel, term: Term) -> str:
    """The payload `glossweave.site.terms.TermPageParser` reads: everything the page shows.

    `related` holds the terms its keywords name, then the terms its definitions
    link to; `see_also` the near-duplicate terms kept apart from it.
    """
    related = list(dict.fromkeys([*term.related, *model.links_to[term.slug]]))
    mentioned = model.mentioned_in.get(term.slug, [])
    linked = {link.target for d in term.definitions for link in d.links if link.target in model.by_slug}
    data = {
        "slug": term.slug,
        "name": term.name,
        "summary": term.summary,
        "nav": navigation(model, term),
        "aliases": [{"name": alias, "id": anchor} for alias, anchor in alias_ids(term).items()],
        "keywords": term.keywords,
        "senses": [{**definition_payload(model, sense), "others": [definition_payload(model, d) for d in sense.others]} for sense in term.senses],
        # names and summaries of linked terms: a page's file changes when its link texts or previews must
        "names": {s: model.entry(s) for s in sorted(linked | set(related) | set(mentioned) | set(term.see_also))},
        "related": related,
        "see_also": term.see_also,
        "mentioned_in": mentioned,
    }
    return payload(data) + "\n"


def definition_payload(model: SiteModel, definition: Definition) -> dict:
    return {
        "category": category_label(definition.category),
        "category_slug": model.category_slugs[definition.category],
        "markdown": definition.markdown,
        "links": [[link.start, link.end, link.target] for link in definition.links if link.target in model.by_slug],
        "sources": [str(source) for source in definition.sources],
        "citations": citations(model, definition.markdown),
    }


def citations(model: SiteModel, markdown: str) -> list[list]:
    """[start, end, bib key] of each citation in `markdown` that matches one entry."""
    if model.bibliography is None:
        return []
    return [[c.start, c.end, c.key] for c in find_citations(markdown, model.bibliography) if c.key]


def toctree(docnames: list[str], *options: str) -> str:
    """A toctree directive; `options` are whole option lines such as `:hidden:`."""
    return "```{toctree}\n" + "".join(f"{option}\n" for option in options) + "\n" + "\n".join(docnames) + "\n```\n"


def letter_page(key: str, terms: list[Term], book: bool = False) -> str:
    entries = [{"name": t.name, "summary": t.summary} for t in terms]
    page = f"# {letter_label(key)}\n\n" + directive("glossary-term-list", entries)
    if book:
        page += "\n" + toctree([f"/{term_docname(t.slug)}" for t in terms], ":hidden:")
    return page


def category_page(category: str, category_slug: str, terms: list[Term]) -> str:
    data = {
        "slug": category_slug,
        "name": category_label(category),
        "terms": [{"name": t.name, "summary": t.summary} for t in terms],
    }
    return f"# {escape_inline(category_label(category))}\n\n" + directive("glossary-category", data)


def counts(model: SiteModel) -> str:
    definitions = sum(len(t.definitions) for t in model.terms)
    aliases = sum(len(t.aliases) for t in model.terms)
    domains = len(set(model.domains.get(c, OTHER_DOMAIN) for c in model.categories))
    return (
        f"**{len(model.terms)}** terms, **{definitions}** definitions, **{aliases}** aliases "
        f"in **{len(model.categories)}** categories of **{domains}** domain{'s' if domains != 1 else ''}."
    )


def domain_groups(model: SiteModel) -> list[tuple[str, list[str]]]:
    """(domain, its categories by name), the domains with most terms first and `Other` last."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for category in sorted(model.categories, key=str.casefold):
        grouped[model.domains.get(category, OTHER_DOMAIN)].append(category)

    def size(domain: str) -> int:
        return len({term.slug for category in grouped[domain] for term in model.categories[category]})

    order = sorted(grouped, key=lambda domain: (domain == OTHER_DOMAIN, -size(domain), domain.casefold()))
    return [(domain, grouped[domain]) for domain in order]


def letter_keys(model: SiteModel) -> list[str]:
    """The letter pages that exist, in A–Z order, then 0–9, then other."""
    return [k for k in [letter.lower() for letter in ALPHABET] + [DIGITS, OTHER] if k in model.letters]


def book_pages(model: SiteModel, title: str) -> dict[str, str]:
    """The root, front matter and category chapter of the book (see the module docstring)."""
    about = (
        "# About this glossary\n\n"
        f"{counts(model)}\n\n"
        "Terms are grouped by letter, one entry per term: its name, the other names "
        "it is also called by, and its definitions, numbered when the corpus has more "
        "than one, each with its category.  A term named in another's definition is "
        "a cross-reference to its entry, with the entry's page number in print.  "
        "The chapter *Terms by category* lists the terms of each category, and the "
        "index at the end lists every term and alias.\n"
    )
    chapters = [f"/{GENERATED}/about", *(f"/{letter_docname(k)}" for k in letter_keys(model)), f"/{GENERATED}/categories"]
    categories = [f"/{category_docname(model.category_slugs[c])}" for c in sorted(model.categories, key=str.casefold)]
    return {
        # a title page: the chapters are in the navigation, not listed on it
        f"{GENERATED}/book.md": f"# {escape_inline(title)}\n\n```{{glossary-title-page}}\n```\n\n" + toctree(chapters, ":hidden:", ":maxdepth: 1"),
        f"{GENERATED}/about.md": about,
        f"{GENERATED}/categories.md": "# Terms by category\n\n" + toctree(categories, ":maxdepth: 1"),
    }


def landing_page(model: SiteModel) -> str:
    """Counts, A–Z bar, one card per domain listing its categories, and the (letters + categories) toctrees."""
    keys = [letter.lower() for letter in ALPHABET] + [DIGITS, OTHER]
    bar = " ".join(
        f"{{doc}}`{letter_label(k)} </{letter_docname(k)}>`" if k in model.letters else letter_label(k)
        for k in keys
        if k in model.letters or k not in (DIGITS, OTHER)
    )
    cards = []
    for domain, categories in domain_groups(model):
        count = len({term.slug for category in categories for term in model.categories[category]})
        links = "".join(
            f"- [{escape_inline(category_label(c))}](/{category_docname(model.category_slugs[c])}.md) ({len(model.categories[c])})\n"
            for c in categories
        )
        cards.append(f":::{{grid-item-card}} {escape_inline(domain)}\n\n{count} term{'s' if count != 1 else ''}:\n\n{links}:::\n")
    letters = "\n".join(f"/{letter_docname(k)}" for k in letter_keys(model))
    categories = "\n".join(f"/{category_docname(model.category_slugs[c])}" for c in sorted(model.categories, key=str.casefold))
    return (
        f"{counts(model)}\n\n"
        f"```{{rst-class}} glossary-az\n```\n\n{bar}\n\n"
        "::::{grid} 1 2 2 2\n:gutter: 2\n\n" + "\n".join(cards) + "::::\n\n"
        f"```{{toctree}}\n:hidden:\n:caption: A–Z\n\n{letters}\n```\n\n"
        f"```{{toctree}}\n:hidden:\n:caption: Categories\n\n{categories}\n```\n"
    ) + ("\n" + toctree([f"/{BIBLIOGRAPHY}"], ":caption: Works cited") if model.bibliography else "")


def site_pages(glossary: Glossary, book_title: str | None = None, bibliography: Bibliography | None = None) -> dict[str, str]:
    """Path (relative to the source folder) → text of every generated page; with `book_title`, the book's too.

    With a `bibliography`, citations are linked, and the site gets a page of every
    work; the book has no such page, since its term pages carry their entries.
    """
    model = SiteModel(glossary, bibliography)
    book = book_title is not None
    pages = {f"{term_docname(term.slug)}{TERM_PAGE_SUFFIX}": term_page(model, term) for term in model.terms}
    pages.update({f"{letter_docname(key)}.md": letter_page(key, terms, book) for key, terms in model.letters.items()})
    pages.update(
        {f"{category_docname(model.category_slugs[c])}.md": category_page(c, model.category_slugs[c], terms) for c, terms in model.categories.items()}
    )
    pages[f"{GENERATED}/landing.md"] = landing_page(model)
    if book:
        pages.update(book_pages(model, book_title))
    elif bibliography:
        # out of search, as lists of terms are: the citing terms are what a query should find
        pages[f"{BIBLIOGRAPHY}.md"] = "---\nnosearch: true\n---\n\n# Bibliography\n\nThe works the definitions cite.\n\n```{bibliography}\n:all:\n```\n"
    return pages


def emitted_paths(src_dir: Path) -> list[str]:
    """The files the emitter wrote into `src_dir` and still owns (from its manifest)."""
    try:
        return (src_dir / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def emit_site(
    glossary: Glossary, src_dir: Path, book_title: str | None = None, bibliography: Bibliography | None = None
) -> EmitResult:
    """Bring the generated pages under `src_dir` in line with `glossary`, touching only files whose text changed.

    A file the emitter did not write (it is not in the manifest) is a maintainer's:
    it is never overwritten or deleted, and is reported in `EmitResult.kept`,
    unless it already holds exactly the page's text (a manifest lost with its
    folder's files kept), which the emitter then owns again.
    """
    result = EmitResult()
    pages = site_pages(glossary, book_title, bibliography)
    owned = set(emitted_paths(src_dir))
    for rel, text in pages.items():
        path = src_dir / rel
        if rel not in owned and path.exists() and path.read_text(encoding="utf-8", errors="replace") != text:
            result.kept.append(path)
        elif write_if_changed(path, text):
            result.written.append(path)
        else:
            result.unchanged += 1
    for rel in sorted(owned - pages.keys()):
        (src_dir / rel).unlink(missing_ok=True)
        result.removed.append(src_dir / rel)
    mine = sorted(rel for rel in pages if src_dir / rel not in result.kept)
    write_if_changed(src_dir / MANIFEST, "".join(f"{rel}\n" for rel in mine))
    return result
