"""TBX-Basic export: structure of each conceptEntry, and validation against the RNG."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from lxml import etree

from glossweave.core.pipeline import build_glossary
from glossweave.export.labels import alternative_names
from glossweave.export.plaintext import plain_text
from glossweave.export.tbx import TBX_NS, XML_LANG, tbx_document, validation_errors, write_tbx

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "exports"
CORPUS = HERE.parent / "docs" / "corpus"
NS = {"t": TBX_NS}


@pytest.fixture(scope="module", params=[SMALL, CORPUS], ids=["small", "corpus"])
def glossary(request):
    return build_glossary(request.param)


def test_document_is_valid_tbx_basic(glossary):
    assert validation_errors(tbx_document(glossary)) == []


def test_written_file_parses_and_validates(glossary, tmp_path):
    document = etree.parse(str(write_tbx(glossary, tmp_path / "glossary.tbx")))
    assert validation_errors(document) == []


def test_one_concept_entry_per_term_with_the_slug_as_id(glossary):
    entries = tbx_document(glossary).getroot().findall(".//t:conceptEntry", NS)
    assert [entry.get("id") for entry in entries] == [term.slug for term in glossary.terms]


def test_entry_content_follows_the_term(glossary):
    entries = tbx_document(glossary).getroot().findall(".//t:conceptEntry", NS)
    for entry, term in zip(entries, glossary.terms, strict=True):
        assert [d.text for d in entry.findall("t:descrip[@type='subjectField']", NS)] == term.categories
        (lang_sec,) = entry.findall("t:langSec", NS)
        assert lang_sec.get(XML_LANG) == "en"
        definitions = [d.text for d in lang_sec.findall("t:descripGrp/t:descrip[@type='definition']", NS)]
        assert definitions == [plain_text(definition.markdown) for definition in term.definitions]
        term_secs = lang_sec.findall("t:termSec", NS)
        names = [sec.findtext("t:term", namespaces=NS) for sec in term_secs]
        statuses = [sec.findtext("t:termNote[@type='administrativeStatus']", namespaces=NS) for sec in term_secs]
        assert names == [term.name, *alternative_names(term)]
        assert statuses == ["preferredTerm-admn-sts"] + ["admittedTerm-admn-sts"] * (len(names) - 1)


def test_small_glossary_two_definitions_give_two_definitions_and_two_fields():
    """Gamma Delta is defined twice, in two categories of no known domain: one sense, rewritten.
    The longer text is the primary definition; TBX gives both, primary first."""
    document = tbx_document(build_glossary(SMALL))
    (entry,) = document.getroot().findall(".//t:conceptEntry[@id='gamma-delta']", NS)
    assert [d.text for d in entry.findall("t:descrip[@type='subjectField']", NS)] == ["data", "testing"]
    definitions = entry.findall(".//t:descrip[@type='definition']", NS)
    assert len(definitions) == 2
    assert "**" not in definitions[1].text and definitions[1].text.startswith("Gamma Delta is")
    assert [a.text for a in entry.findall(".//t:admin[@type='source']", NS)] == ["b.txt:1", "a.txt:5"]


def _broken(glossary, damage):
    document = copy.deepcopy(tbx_document(glossary))
    damage(document.getroot())
    return document


def _first(root, path):
    return root.find(path, NS)


BREAKAGES = {
    "term removed from a termSec": lambda root: _first(root, ".//t:termSec").remove(_first(root, ".//t:termSec/t:term")),
    "subjectField moved into langSec": lambda root: _first(root, ".//t:langSec").insert(
        0, _first(root, ".//t:conceptEntry/t:descrip[@type='subjectField']")
    ),
    "unknown administrativeStatus": lambda root: setattr(
        _first(root, ".//t:termNote[@type='administrativeStatus']"), "text", "favouriteTerm"
    ),
    "langSec without xml:lang": lambda root: _first(root, ".//t:langSec").attrib.pop(XML_LANG),
    "duplicate conceptEntry id": lambda root: _first(root, ".//t:body").append(copy.deepcopy(_first(root, ".//t:conceptEntry"))),
    "wrong dialect": lambda root: root.set("type", "TBX-Min"),
    "empty definition": lambda root: setattr(_first(root, ".//t:descrip[@type='definition']"), "text", "  "),
}


@pytest.mark.parametrize("damage", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_schema_rejects_a_broken_document(damage):
    glossary = build_glossary(SMALL)
    assert validation_errors(_broken(glossary, damage)) != []
