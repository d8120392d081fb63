"""`glossary.tbx`: TBX-Basic (ISO 30042:2019, DCA style) for terminology tools.

Mapping, one `conceptEntry` per term:

* `conceptEntry/@id` is the term's slug, the same stable id as the site's
  `term-<slug>` anchor and the JSON `id`;
* one `descrip type="subjectField"` per category of the term (TBX-Basic puts
  subject fields at concept level, and a term filed under two categories
  belongs to both fields);
* one `langSec xml:lang="en"` holding a `descripGrp` per DEFINITION (each
  sense's primary definition, then its other definitions): the definition as
  plain text (TBX tools show text as is, so no Markdown) and an
  `admin type="source"` naming the dump and line it came from, in the site's
  order;
* a `termSec` for the display name, marked `preferredTerm-admn-sts`, then one
  per true alias, marked `admittedTerm-admn-sts`.  Keywords are not terms and
  are left out.

`validation_errors` checks a document against `schemas/tbx-basic.rng`, a
RELAX NG grammar of TBX-Basic whose origin is noted in its header.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from glossweave.core.model import Glossary, Term
from glossweave.export.labels import alternative_names
from glossweave.export.plaintext import plain_text

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "tbx-basic.rng"
LANGUAGE = "en"


def _element(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    child = etree.SubElement(parent, f"{{{TBX_NS}}}{tag}", attributes)
    child.text = text
    return child


def _term_sec(lang_sec: etree._Element, name: str, status: str) -> None:
    term_sec = _element(lang_sec, "termSec")
    _element(term_sec, "term", name)
    _element(term_sec, "termNote", f"{status}-admn-sts", type="administrativeStatus")


def concept_entry(body: etree._Element, term: Term) -> etree._Element:
    entry = _element(body, "conceptEntry", id=term.slug)
    for category in term.categories:
        _element(entry, "descrip", category, type="subjectField")
    lang_sec = _element(entry, "langSec", **{XML_LANG: LANGUAGE})
    for definition in term.definitions:
        group = _element(lang_sec, "descripGrp")
        _element(group, "descrip", plain_text(definition.markdown), type="definition")
        _element(group, "admin", ", ".join(str(source) for source in definition.sources), type="source")
    _term_sec(lang_sec, term.name, "preferredTerm")
    for alias in alternative_names(term):
        _term_sec(lang_sec, alias, "admittedTerm")
    return entry


def tbx_document(glossary: Glossary, title: str = "Glossary") -> etree._ElementTree:
    root = etree.Element(f"{{{TBX_NS}}}tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: LANGUAGE}, nsmap={None: TBX_NS})
    file_desc = _element(_element(root, "tbxHeader"), "fileDesc")
    _element(_element(file_desc, "titleStmt"), "title", title)
    _element(_element(file_desc, "sourceDesc"), "p", "Exported by `python -m glossweave export` from the corpus dumps.")
    body = _element(_element(root, "text"), "body")
    for term in glossary.terms:
        concept_entry(body, term)
    return etree.ElementTree(root)


def validation_errors(document: etree._ElementTree) -> list[str]:
    """Why `document` is not valid TBX-Basic; empty when it is."""
    schema = etree.RelaxNG(etree.parse(str(SCHEMA_PATH)))
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def write_tbx(glossary: Glossary, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tbx_document(glossary).write(str(path), encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return path
