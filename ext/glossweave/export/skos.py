"""`glossary.ttl`: the glossary as a SKOS concept scheme in Turtle (rdflib).

Mapping: one `skos:ConceptScheme`; one `skos:Concept` per term with

* `skos:prefLabel` — the display name, once, tagged `@en`;
* `skos:altLabel` — each true alias not equal (case-folded) to the name, which
  keeps SKOS's rule that altLabel and prefLabel are disjoint; keywords are
  never labels;
* `skos:definition` — one per definition (senses and their other
  definitions), plain text of its Markdown;
* `skos:inScheme`, and `skos:topConceptOf` since the glossary is flat;
* `skos:related` — every other term one of its keywords names, and every
  other term the auto-linker linked from one of its definitions.
  `skos:related` is symmetric in SKOS; both directions are written so
  consumers without an RDF reasoner see them too.

Concept IRIs are `<namespace><slug>`.  The namespace defaults to the site's
base URL (`GLOSSARY_BASEURL`, the variable conf.py reads) plus `id/`, so ids
are stable across corpus updates exactly as the slugs are.
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef

from glossweave.core.model import Glossary
from glossweave.export.labels import alternative_names
from glossweave.export.plaintext import plain_text

LANGUAGE = "en"


def default_namespace() -> str:
    base = os.environ.get("GLOSSARY_BASEURL", "https://glossary.example.org/en/latest/")
    return base.rstrip("/") + "/id/"


def skos_graph(glossary: Glossary, namespace: str | None = None, title: str = "Glossary") -> Graph:
    ns = Namespace(namespace or default_namespace())
    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("term", ns)
    scheme = URIRef(ns)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, Literal(title, lang=LANGUAGE)))
    for term in glossary.terms:
        concept = ns[term.slug]
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, scheme))
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))
        graph.add((concept, SKOS.prefLabel, Literal(term.name, lang=LANGUAGE)))
        for alias in alternative_names(term):
            graph.add((concept, SKOS.altLabel, Literal(alias, lang=LANGUAGE)))
        for definition in term.definitions:
            graph.add((concept, SKOS.definition, Literal(plain_text(definition.markdown), lang=LANGUAGE)))
        linked = [link.target for definition in term.definitions for link in definition.links]
        for target in dict.fromkeys([*term.related, *linked]):
            if target != term.slug:
                graph.add((concept, SKOS.related, ns[target]))
                graph.add((ns[target], SKOS.related, concept))
    return graph


def write_skos(glossary: Glossary, path: Path, namespace: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    skos_graph(glossary, namespace).serialize(destination=str(path), format="turtle", encoding="utf-8")
    return path
