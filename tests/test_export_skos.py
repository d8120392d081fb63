"""SKOS export: parses with rdflib, follows SKOS label rules, related stays in the scheme."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef

from glossweave.core.pipeline import build_glossary
from glossweave.export.plaintext import plain_text
from glossweave.export.skos import skos_graph, write_skos

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "exports"
CORPUS = HERE.parent / "docs" / "corpus"
NAMESPACE = "https://example.org/glossary/id/"


@pytest.fixture(scope="module", params=[SMALL, CORPUS], ids=["small", "corpus"])
def glossary(request):
    return build_glossary(request.param)


@pytest.fixture(scope="module")
def graph(glossary, tmp_path_factory):
    """The graph as a consumer sees it: written as Turtle, then parsed back."""
    path = write_skos(glossary, tmp_path_factory.mktemp("skos") / "glossary.ttl", NAMESPACE)
    return Graph().parse(path, format="turtle")


def label_violations(graph: Graph) -> list[str]:
    """SKOS integrity conditions S14 (one prefLabel per language) and S13 (alt ∩ pref = ∅)."""
    problems = []
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        pref = list(graph.objects(concept, SKOS.prefLabel))
        per_language = Counter(label.language for label in pref)
        problems += [f"{concept}: {n} prefLabels @{lang}" for lang, n in per_language.items() if n > 1]
        problems += [f"{concept}: {label} is pref and alt" for label in set(pref) & set(graph.objects(concept, SKOS.altLabel))]
    return problems


def related_outside_scheme(graph: Graph) -> list[tuple]:
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    return [(s, o) for s, o in graph.subject_objects(SKOS.related) if o not in concepts or s not in concepts]


def test_every_term_is_a_concept_of_the_scheme(glossary, graph):
    (scheme,) = graph.subjects(RDF.type, SKOS.ConceptScheme)
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts == {URIRef(NAMESPACE + term.slug) for term in glossary.terms}
    assert all((concept, SKOS.inScheme, scheme) in graph for concept in concepts)


def test_labels_and_definitions_follow_the_terms(glossary, graph):
    for term in glossary.terms:
        concept = URIRef(NAMESPACE + term.slug)
        assert list(graph.objects(concept, SKOS.prefLabel)) == [Literal(term.name, lang="en")]
        alt = {label.casefold() for label in map(str, graph.objects(concept, SKOS.altLabel))}
        assert alt == {alias.casefold() for alias in term.aliases} - {term.name.casefold()}
        assert len(list(graph.objects(concept, SKOS.definition))) == len({plain_text(d.markdown) for d in term.definitions})


def test_skos_label_rules_hold(graph):
    assert label_violations(graph) == []


def test_related_comes_from_keywords_and_auto_links_and_stays_in_the_scheme(glossary, graph):
    assert related_outside_scheme(graph) == []
    for term in glossary.terms:
        targets = {link.target for d in term.definitions for link in d.links} | set(term.related)
        targets -= {term.slug}
        concept = URIRef(NAMESPACE + term.slug)
        assert {URIRef(NAMESPACE + t) for t in targets} <= set(graph.objects(concept, SKOS.related))


def test_small_glossary_related_both_ways():
    graph = skos_graph(build_glossary(SMALL), NAMESPACE)
    alpha, gamma = URIRef(NAMESPACE + "alpha-beta"), URIRef(NAMESPACE + "gamma-delta")
    assert (alpha, SKOS.related, gamma) in graph and (gamma, SKOS.related, alpha) in graph


def test_checks_catch_a_broken_graph():
    """The rule checks above must be able to fail: break each rule once."""
    graph = skos_graph(build_glossary(SMALL), NAMESPACE)
    alpha = URIRef(NAMESPACE + "alpha-beta")
    graph.add((alpha, SKOS.prefLabel, Literal("Another", lang="en")))
    graph.add((alpha, SKOS.altLabel, Literal("Alpha Beta", lang="en")))
    graph.add((alpha, SKOS.related, URIRef(NAMESPACE + "no-such-term")))
    assert len(label_violations(graph)) == 2
    assert related_outside_scheme(graph) == [(alpha, URIRef(NAMESPACE + "no-such-term"))]
