"""The project's .ci/debian_packages.py, for the tests (a plain module, not conftest.py: see corpus_paths.py)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


@cache
def debian_packages() -> ModuleType:
    """.ci/debian_packages.py (a script, not a package module: `make test` runs it before any venv exists)."""
    spec = importlib.util.spec_from_file_location("debian_packages", ROOT / ".ci" / "debian_packages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
