"""Shared fixtures of the core tests: small corpora built in tmp_path."""

from __future__ import annotations

import pytest


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
