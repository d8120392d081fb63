"""Shared fixtures of the core tests (small corpora built in tmp_path), and Hypothesis's settings.

Hypothesis runs derandomized: the same examples on every run and every
machine, so a property fails for a reason in the code, never for the draw
(`HYPOTHESIS_PROFILE=explore` searches afresh, with random seeds).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("deterministic", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture
def make_corpus(tmp_path):
    """Write {file name: text or bytes} into a fresh corpus folder and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "corpus"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return make
