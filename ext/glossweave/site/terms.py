"""Term pages and term lists: real std-domain glossary terms with stable anchors.

A term page is the emitter's JSON payload in a `<slug>.term.json` file, read by
`TermPageParser`.  The name and every alias go through Sphinx's own
`make_glossary_term`, with an explicit node id (`term-<slug>`, aliases
`term-<slug>--<alias>`), so `:term:`, MyST `{term}`, objects.inv and
intersphinx work and ids never depend on build order.  The directives
`glossary-term-list` and `glossary-category` render the compact
"name — summary" lists of letter and category pages.  None of them keeps data
of its own in the environment: the std domain (which merges parallel reads
itself) holds the terms.
"""

from __future__ import annotations

import json

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import make_glossary_term
from sphinx.environment import BuildEnvironment
from sphinx.parsers import RSTParser
from sphinx.util.docutils import SphinxDirective

from glossweave.core.inventory import lost_by_loader
from glossweave.core.model import LinkSpan
from glossweave.site.bibliography import cite_ref
from glossweave.site.categories import category_ref
from glossweave.site.emit import TERM_PAGE_SUFFIX
from glossweave.site.safety import render_markdown

#: Link targets of citation spans carry this prefix (slugs never contain a colon).
CITE = "cite:"


def term_ref(name: str, children: list[nodes.Node], docname: str) -> addnodes.pending_xref:
    """An explicit `:term:` reference to `name` showing `children`."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="term", reftarget=name, refexplicit=True, refwarn=True, refdoc=docname
    )
    ref += nodes.inline("", "", *children, classes=["xref", "std", "std-term"])
    return ref


class JSONDirective(SphinxDirective):
    """A directive whose whole content is one JSON payload written by the emitter.

    Its page shows corpus text, which is technical: `--source` is a command-line
    flag and `"` a straight quote in code-like prose, so the page opts out of
    smart quotes (which made `--source` an en dash).  Hand-written pages keep them.
    """

    has_content = True

    def data(self):
        self.state.document.settings.smart_quotes = False
        return json.loads("\n".join(self.content))

    def term_entries(self, entries: list[dict[str, str]]) -> nodes.bullet_list:
        items = nodes.bullet_list(classes=["glossary-index"])
        for entry in entries:
            para = nodes.paragraph()
            para += term_ref(entry["name"], [nodes.Text(entry["name"])], self.env.docname)
            if entry["summary"]:
                para += nodes.Text(" — " + entry["summary"])
            items += nodes.list_item("", para)
        return items


class TermListDirective(JSONDirective):
    """`glossary-term-list`: name + one-line summary of each term in the payload."""

    def run(self) -> list[nodes.Node]:
        return [self.term_entries(self.data())]


class TermPage:
    """The body of one term page: the definition list entry, senses, related and backlinks.

    The name and every alias go through Sphinx's own `make_glossary_term`, with
    an explicit node id, so they are std-domain terms like any other.
    """

    def __init__(self, env: BuildEnvironment, document: nodes.document, data: dict) -> None:
        self.env, self.document, self.data = env, document, data
        self.names: dict[str, str] = {slug: entry["name"] for slug, entry in data["names"].items()}

    def nodes(self) -> list[nodes.Node]:
        data, source = self.data, self.document["source"]
        terms = [make_glossary_term(self.env, [nodes.Text(data["name"])], None, source, 1, f"term-{data['slug']}", self.document)]
        for alias in data["aliases"]:
            term = make_glossary_term(self.env, [nodes.Text(alias["name"])], None, source, 1, alias["id"], self.document)
            term["classes"].append("glossary-alias")
            terms.append(term)
        self.note_reachable_keys(terms)
        definition = nodes.definition()
        senses = data["senses"]
        holder = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["glossary-senses"])
        for sense in senses:
            body = self.sense(sense)
            if len(senses) > 1:
                holder += nodes.list_item("", *body)
            else:
                definition += body
        if len(senses) > 1:
            definition += holder
        item = nodes.definition_list_item("", *terms, definition)
        result: list[nodes.Node] = [nodes.definition_list("", item, classes=["glossary", "glossary-entry"])]
        if data.get("keywords"):
            # Plain text on the page, so the site's search finds the term by its keywords.
            para = nodes.paragraph(classes=["glossary-keywords"])
            para += nodes.strong("", "Keywords: ")
            para += nodes.Text(", ".join(data["keywords"]))
            result.append(para)
        for title, slugs in (("Related terms", data["related"]), ("See also", data.get("see_also", [])), ("Mentioned in", data["mentioned_in"])):
            if slugs:
                para = nodes.paragraph(classes=["glossary-" + title.lower().replace(" ", "-")])
                para += nodes.strong("", title + ": ")
                for index, slug in enumerate(slugs):
                    if index:
                        para += nodes.Text(", ")
                    para += term_ref(self.names[slug], [nodes.Text(self.names[slug])], self.env.docname)
                result.append(para)
        return result

    def note_reachable_keys(self, terms: list[nodes.term]) -> None:
        """Give each name intersphinx would drop a second, space-free name: its anchor's key.

        See `glossweave.core.inventory`; `make check` names the key, and README
        tells other projects to link such terms through it.
        """
        std = self.env.domains.standard_domain
        for term in terms:
            if lost_by_loader(term.astext()):
                node_id = term["ids"][0]
                std.note_object("term", node_id.removeprefix("term-"), node_id, location=term)

    def sense(self, sense: dict) -> list[nodes.Node]:
        badge = nodes.paragraph(classes=["glossary-sense-meta"])
        badge += category_ref(sense["category_slug"], sense["category"], self.env.docname)
        links = [LinkSpan(start, end, target) for start, end, target in sense["links"]]
        cited = [LinkSpan(start, end, CITE + key) for start, end, key in sense.get("citations", [])]

        def make_ref(target: str, children: list[nodes.Node]) -> nodes.Element:
            if target.startswith(CITE):
                return cite_ref(target.removeprefix(CITE), children, self.env, self.document)
            return term_ref(self.names[target], children, self.env.docname)

        body = render_markdown(sense["markdown"], links + cited, make_ref, self.env.docname)
        sources = nodes.paragraph(classes=["glossary-sources"])
        sources += nodes.Text("Source: " + ", ".join(sense["sources"]))
        result = [badge, *body, sources]
        if sense.get("others"):
            # Rewrites of the same meaning: shown after the primary one, never numbered as senses.
            others = nodes.container(classes=["glossary-other-definitions"])
            others += nodes.rubric("", "Other definitions")
            for other in sense["others"]:
                others += nodes.container("", *self.sense(other), classes=["glossary-other-definition"])
            result.append(others)
        return result


class TermPageParser(RSTParser):
    """Reads a term page, `<slug>.term.json`: the emitter's payload, straight to nodes.

    Term pages are nearly all of a site, and their text needs no markup parser:
    the title and body come from the payload.  Read as MyST (a heading and a
    directive around the payload) each page paid MyST's setup, front matter and
    rendering, a tenth of a clean build.  The only markup is the bibliography
    of a citing page: sphinxcontrib-bibtex's directive, on a fixed rST snippet
    with no corpus text in it, which is why this is an rST parser.
    """

    supported = ("glossary-term-page",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env: BuildEnvironment = document.settings.env
        data = json.loads(inputstring)
        document.settings.smart_quotes = False  # see JSONDirective
        env.metadata[env.docname]["orphan"] = True  # reached from letter pages, in no toctree
        # MathJax typesets only our math nodes, never a `\\(` in the text (MyST marks its pages alike)
        section = nodes.section(names=[nodes.fully_normalize_name(data["name"])], classes=["tex2jax_ignore", "mathjax_ignore"])
        document.note_implicit_target(section, section)
        section += nodes.title(data["name"], data["name"])
        section += TermPage(env, document, data).nodes()
        document += section
        if any(sense.get("citations") for sense in data["senses"]):
            super().parse(PAGE_BIBLIOGRAPHY, document)
            section.extend(document.children[1:])  # the page's bibliography belongs to its section
            del document.children[1:]


#: The works a term page cites.  LaTeX gathers every entry at the end of the book,
#: so there the heading would stand over nothing.
PAGE_BIBLIOGRAPHY = """\
.. only:: not latex

   .. rubric:: References

.. bibliography::
   :filter: docname in docnames
"""


class CategoryDirective(JSONDirective):
    """`glossary-category`: registers the page as its category's target, lists its terms."""

    def run(self) -> list[nodes.Node]:
        data = self.data()
        self.env.domains["glossary"].note_category(data["slug"], data["name"], self.env.docname)
        return [self.term_entries(data["terms"])]


def setup_terms(app: Sphinx) -> None:
    app.add_source_suffix(TERM_PAGE_SUFFIX, "glossary-term-page")
    app.add_source_parser(TermPageParser)
    app.add_directive("glossary-term-list", TermListDirective)
    app.add_directive("glossary-category", CategoryDirective)
