"""The previews file's reader and writer (glossweave.previewsfile) and its JSON Schema agree."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from glossweave.core.linker import LinkRules
from glossweave.previewsfile import FILENAME, SCHEMA, Category, Entry, PreviewsFile, PreviewsFileError

VALID = {
    "format": "glossweave-previews",
    "version": 1,
    "project": "Chip Words",
    "release": "2.1",
    "generator": "glossweave 0.2.0",
    "terms": {
        "term-wafer": {
            "name": "Wafer",
            "uri": "terms/wafer.html",
            "summary": "A thin slice of silicon.",
            "alias_of": None,
            "categories": ["fab"],
        },
        "term-wafer--substrate-disc": {
            "name": "substrate disc",
            "uri": "terms/wafer.html",
            "summary": "A thin slice of silicon.",
            "alias_of": "term-wafer",
            "categories": ["fab"],
        },
    },
    "categories": {"fab": {"name": "Fab", "uri": "categories/fab.html"}},
    "autolink": {"names": [["Wafer", "term-wafer"]], "rules": {"min_length": 4, "plurals": False}},
}


def validator():
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))


def test_the_schema_is_a_valid_schema_and_ships_in_the_package():
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA.read_text()))
    assert SCHEMA.parent.name == "glossweave" and FILENAME == "glossary-previews.json"


def test_a_valid_file_reads_field_by_field():
    assert list(validator().iter_errors(VALID)) == []
    read = PreviewsFile.from_json(json.dumps(VALID))
    assert (read.project, read.release, read.generator) == ("Chip Words", "2.1", "glossweave 0.2.0")
    assert read.entries["term-wafer--substrate-disc"] == Entry(
        "term-wafer--substrate-disc", "substrate disc", "terms/wafer.html", "A thin slice of silicon.", "term-wafer", ("fab",)
    )
    assert read.entries["term-wafer--substrate-disc"].key == "wafer--substrate-disc"
    assert read.categories == {"fab": Category("fab", "Fab", "categories/fab.html")}
    assert read.link_names == (("Wafer", "term-wafer"),)
    assert (read.link_rules.min_length, read.link_rules.plurals, read.link_rules.first_mention_only) == (4, False, True)


def test_writing_is_compact_sorted_and_reads_back_the_same():
    original = PreviewsFile(
        project="P",
        release="1",
        generator="g",
        entries={
            "term-b": Entry("term-b", "B", "b.html", "Bee.", None, ()),
            "term-a": Entry("term-a", "A", "a.html", "Ay.", None, ("x",)),
        },
        categories={"x": Category("x", "X", "x.html")},
        link_names=(("A", "term-a"),),
        link_rules=LinkRules(min_length=2, generic_words=["zeta", "alpha"]),
    )
    text = original.to_json()
    assert text.endswith("}\n") and "\n" not in text[:-1] and ", " not in text
    assert text.index('"term-a"') < text.index('"term-b"')
    assert '"generic_words":["alpha","zeta"]' in text
    assert list(validator().iter_errors(json.loads(text))) == []
    assert PreviewsFile.from_json(text) == original


def test_unknown_fields_are_ignored_so_newer_files_still_load():
    newer = copy.deepcopy(VALID)
    newer["mirrors"] = ["elsewhere"]
    newer["terms"]["term-wafer"]["pronunciation"] = "way-fer"
    newer["autolink"]["rules"]["stemming"] = True
    assert PreviewsFile.from_json(json.dumps(newer)).entries["term-wafer"].name == "Wafer"
    assert list(validator().iter_errors(newer)) == []


def broken(path: str, value) -> dict:
    """VALID with the value at a /-separated path replaced (or deleted, for value=...)."""
    data = copy.deepcopy(VALID)
    *parents, last = path.split("/")
    holder = data
    for key in parents:
        holder = holder[key]
    if value is ...:
        del holder[last]
    else:
        holder[last] = value
    return data


BAD = {
    "another format": (broken("format", "sphinx-previews"), "format"),
    "a later version": (broken("version", 2), "version 2"),
    "no terms": (broken("terms", ...), "file.terms"),
    "an absolute page": (broken("terms/term-wafer/uri", "https://evil.example/x.html"), "relative page URI"),
    "a script page": (broken("terms/term-wafer/uri", "javascript:alert(1)"), "relative page URI"),
    "a network path": (broken("terms/term-wafer/uri", "//evil.example/x.html"), "relative page URI"),
    "a page with a quote": (broken("terms/term-wafer/uri", 'a.html" onmouseover="x'), "relative page URI"),
    "an anchor that is no id": (broken("terms", {"term wafer": VALID["terms"]["term-wafer"]}), "anchor"),
    "an alias of nothing": (broken("terms/term-wafer--substrate-disc/alias_of", "term-chip"), "names no term"),
    "a summary that is no string": (broken("terms/term-wafer/summary", ["A", "B"]), "summary"),
    "an empty name": (broken("terms/term-wafer/name", " "), "name: empty"),
    "a category page elsewhere": (broken("categories/fab/uri", "http://x/c.html"), "relative page URI"),
    "an auto-link to no term": (broken("autolink/names", [["Chip", "term-chip"]]), "no term's anchor"),
    "an auto-link that is no pair": (broken("autolink/names", [["Wafer"]]), "pairs"),
    "a rule of the wrong type": (broken("autolink/rules/min_length", "four"), "min_length"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_reader_and_the_schema_refuse_the_same_damage(case):
    data, message = BAD[case]
    with pytest.raises(PreviewsFileError, match=message):
        PreviewsFile.from_json(json.dumps(data))
    if case != "an alias of nothing" and case != "an auto-link to no term":  # cross-references: beyond JSON Schema
        assert list(validator().iter_errors(data)) != []


def test_not_json_is_refused_with_the_reason():
    with pytest.raises(PreviewsFileError, match="not JSON"):
        PreviewsFile.from_json(b"<html>404</html>")
    with pytest.raises(PreviewsFileError, match="not JSON"):
        PreviewsFile.from_json(b"\xff\xfe{}")
