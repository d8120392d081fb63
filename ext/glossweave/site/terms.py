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
from sphinx.writers.html5 import HTML5Translator

from glossweave.core.inventory import lost_by_loader
from glossweave.core.model import LinkSpan
from glossweave.site.bibliography import cite_ref
from glossweave.site.categories import category_ref
from glossweave.site.emit import TERM_PAGE_SUFFIX
from glossweave.site.safety import render_markdown

#: Link targets of citation spans carry this prefix (slugs never contain a colon).
CITE = "cite:"


def term_ref(name: str, children: list[nodes.Node], docname: str, classes: list[str] = ()) -> addnodes.pending_xref:
    """An explicit `:term:` reference to `name` showing `children`."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="term", reftarget=name, refexplicit=True, refwarn=True, refdoc=docname
    )
    ref += nodes.inline("", "", *children, classes=["xref", "std", "std-term", *classes])
    return ref


#: Class of a term link whose summary is printed beside it: it gets no preview (`glossweave.site.previews`).
SUMMARY_SHOWN = "glossary-summary-shown"


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
        """Name — summary lines.  The page repeats its terms' own text, so search leaves it out:
        a query finds the term once, on its own page."""
        self.env.metadata[self.env.docname]["nosearch"] = True
        items = nodes.bullet_list(classes=["glossary-index"])
        for entry in entries:
            para = nodes.paragraph()
            para += term_ref(entry["name"], [nodes.Text(entry["name"])], self.env.docname, classes=[SUMMARY_SHOWN])
            if entry["summary"]:
                para += nodes.Text(" — " + entry["summary"])
            items += nodes.list_item("", para)
        return items


class TermListDirective(JSONDirective):
    """`glossary-term-list`: name + one-line summary of each term in the payload."""

    def run(self) -> list[nodes.Node]:
        return [self.term_entries(self.data())]


class TermPage:
    """The body of one term page: other names, senses, related terms and backlinks.

    The page's heading is the term (the name is shown once): its section carries
    the anchor `term-<slug>`.  The name and every alias still go through Sphinx's
    own `make_glossary_term`, with an explicit node id, so they are std-domain
    terms like any other; the aliases are one line of real text, "Also called:
    a, b", each alias the target of its own anchor, and in the index each says
    "see <name>".
    """

    def __init__(self, env: BuildEnvironment, document: nodes.document, data: dict) -> None:
        self.env, self.document, self.data = env, document, data
        self.names: dict[str, str] = {slug: entry["name"] for slug, entry in data["names"].items()}

    def nodes(self) -> list[nodes.Node]:
        data, source = self.data, self.document["source"]
        name = make_glossary_term(self.env, [nodes.Text(data["name"])], None, source, 1, f"term-{data['slug']}", self.document)
        result: list[nodes.Node] = [*name.findall(addnodes.index)]  # the heading is the term; its index entry follows it
        aliases = [make_glossary_term(self.env, [nodes.Text(alias["name"])], None, source, 1, alias["id"], self.document) for alias in data["aliases"]]
        self.note_reachable_keys([name, *aliases])
        if aliases:
            result.append(self.also_called(aliases))
        senses = data["senses"]
        holder = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".", classes=["glossary-senses"])
        for sense in senses:
            body = self.sense(sense)
            if len(senses) > 1:
                holder += nodes.list_item("", *body)
            else:
                result += body
        if len(senses) > 1:
            result.append(holder)
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

    def also_called(self, aliases: list[nodes.term]) -> nodes.paragraph:
        """"Also called: a, b": each alias after the target of its anchor; its index entry sends readers to the name."""
        para = nodes.paragraph(classes=["glossary-aliases"])
        para += nodes.strong("", "Also called: ")
        for index, alias in enumerate(aliases):
            if index:
                para += nodes.Text(", ")
            entry = next(alias.findall(addnodes.index))
            entry["entries"] = [("see", f"{alias.astext()}; {self.data['name']}", alias["ids"][0], "", None)]
            para += nodes.target("", "", ids=alias["ids"])
            para += nodes.inline("", alias.astext(), entry, classes=["glossary-alias"])
        return para

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
        result = [badge, *body, sources("", nodes.paragraph("", ", ".join(sense["sources"])))]
        if sense.get("others"):
            # Rewrites of the same meaning: shown after the primary one, never numbered as senses.
            others = nodes.container(classes=["glossary-other-definitions"])
            others += nodes.rubric("", "Other definitions")
            for other in sense["others"]:
                others += nodes.container("", *self.sense(other), classes=["glossary-other-definition"])
            result.append(others)
        return result


class sources(nodes.General, nodes.Element):
    """Where a definition came from (`file:line`): for maintainers, so a closed "Sources"
    `<details>` on the site, and left out of the book."""


def visit_sources_html(self: HTML5Translator, node: sources) -> None:
    if self.builder.embedded:  # the ePub
        raise nodes.SkipNode
    self.body.append('<details class="glossary-sources"><summary>Sources</summary>\n')


def depart_sources_html(self: HTML5Translator, node: sources) -> None:
    self.body.append("</details>\n")


def skip_node(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode


def page_metadata(data: dict) -> dict:
    """What a term page's `<head>` and navigation need (`glossweave.site.navigation`), from its own payload."""
    categories = {sense["category_slug"]: sense["category"] for sense in data["senses"]}
    return {
        "orphan": True,  # reached from letter pages, in no toctree
        "glossary_summary": data["summary"],
        "glossary_sources": sorted({source.rpartition(":")[0] for sense in data["senses"] for source in sense["sources"]}),
        "glossary_nav": {**data["nav"], "name": data["name"], "categories": list(categories.items())},
    }


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
        env.metadata[env.docname].update(page_metadata(data))
        # The section is the term: its anchor is the term's.  MathJax typesets only our
        # math nodes, never a `\\(` in the text (MyST marks its pages alike).
        section = nodes.section(
            ids=[f"term-{data['slug']}"], names=[nodes.fully_normalize_name(data["name"])], classes=["tex2jax_ignore", "mathjax_ignore"]
        )
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
    app.add_node(
        sources,
        html=(visit_sources_html, depart_sources_html),
        **{builder: (skip_node, None) for builder in ("latex", "text", "man", "texinfo")},
    )
    app.add_source_suffix(TERM_PAGE_SUFFIX, "glossary-term-page")
    app.add_source_parser(TermPageParser)
    app.add_directive("glossary-term-list", TermListDirective)
    app.add_directive("glossary-category", CategoryDirective)
