"""`glossary.json`: the documented, schema-checked export (schema beside this file)."""

from __future__ import annotations

import json
from pathlib import Path

from glossweave.core.model import Definition, Glossary, Term

SCHEMA_PATH = Path(__file__).with_name("glossary.schema.json")


def definition_record(definition: Definition, glossary: Glossary) -> dict:
    record = {"category": definition.category, "markdown": definition.markdown}
    if definition.category in glossary.domains:
        record["domain"] = glossary.domains[definition.category]
    record["sources"] = [{"file": source.file, "line": source.line} for source in definition.sources]
    return record


def term_record(term: Term, glossary: Glossary) -> dict:
    """One term as the schema describes it; plain data, no Sphinx markup."""
    return {
        "id": term.slug,
        "name": term.name,
        "aliases": list(term.aliases),
        "keywords": list(term.keywords),
        "related": list(term.related),
        "see_also": list(term.see_also),
        "categories": term.categories,
        "senses": [
            {
                **definition_record(sense, glossary),
                "other_definitions": [definition_record(other, glossary) for other in sense.others],
            }
            for sense in term.senses
        ],
    }


def glossary_document(glossary: Glossary) -> dict:
    return {"terms": [term_record(term, glossary) for term in glossary.terms]}


def write_json(glossary: Glossary, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(glossary_document(glossary), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
