"""Paths the core tests share: the real corpus and the fixture dumps (one per kind of damage).

A plain module rather than conftest.py, because tests/site has a conftest of its
own and `from conftest import …` would pick whichever was imported first.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DUMPS = Path(__file__).parent / "fixtures" / "dumps"
CORPUS = ROOT / "docs" / "corpus"
REFERENCES_BIB = ROOT / "docs" / "references.bib"  # the works the corpus cites


def fixture_text(name: str) -> str:
    return (FIXTURE_DUMPS / name).read_text(encoding="utf-8")
