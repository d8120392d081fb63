"""`glossary.json`: the documented, schema-checked export (schema beside this file)."""

from __future__ import annotations

import json
from pathlib import Path

from glossweave.core.model import Glossary, Term

SCHEMA_PATH = Path(__file__).with_name("glossary.schema.json")


def term_record(term: Term) -> dict:
    """One term as the schema describes it; plain data, no Sphinx markup."""
    return {
        "id": term.slug,
        "name": term.name,
        "aliases": list(term.aliases),
        "categories": term.categories,
        "senses": [
            {
                "category": sense.category,
                "markdown": sense.markdown,
                "sources": [{"file": source.file, "line": source.line} for source in sense.sources],
            }
            for sense in term.senses
        ],
    }


def glossary_document(glossary: Glossary) -> dict:
    return {"terms": [term_record(term) for term in glossary.terms]}


def write_json(glossary: Glossary, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(glossary_document(glossary), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
