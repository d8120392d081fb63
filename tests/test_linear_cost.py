"""Linear cost on the quadratic-time inputs of issue 10 §6, by counting work at 1x and 4x.

The work is the number of function calls the pipeline makes (cProfile's count,
which includes calls into C), never a time: it does not depend on the machine or
its neighbours.  Linear work grows about 4x at 4x input; the inputs here grew
12-16x before (8,000 categories took 109 s, 8,000 names with the same initials
34 s).  The generators are in tests/fixtures/hostile/generated.py.

Work done inside one call into C (a regular expression backtracking over a long
formula) is one call here: counts prove Python-level loops linear, and the time of
the rest belongs to `make bench`.
"""

from __future__ import annotations

import cProfile
import importlib.util
import pstats
from pathlib import Path

import pytest

from glossweave.core.pipeline import build_glossary

_SPEC = importlib.util.spec_from_file_location("generated", Path(__file__).parent / "fixtures" / "hostile" / "generated.py")
generated = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generated)

#: Linear work at 4x input, with room for what does not grow with it.
LINEAR = 5.0

pytestmark = pytest.mark.slow


def calls(make_corpus, text: str) -> int:
    corpus = make_corpus({"000_generated.txt": text})
    profile = cProfile.Profile()
    profile.enable()
    glossary = build_glossary(corpus, workers=1)
    profile.disable()
    assert glossary.balances()
    return sum(stats[1] for stats in pstats.Stats(profile).stats.values())


def growth(make_corpus, generate, size: int) -> float:
    calls(make_corpus, generate(1))  # first use of lazy imports and caches, counted in neither
    return calls(make_corpus, generate(4 * size)) / calls(make_corpus, generate(size))


def test_a_hyphen_joined_formula_costs_linear_work(make_corpus):
    assert growth(make_corpus, generated.hyphen_joined_formula, 4) < LINEAR


def test_distinct_categories_cost_linear_work(make_corpus):
    assert growth(make_corpus, generated.distinct_categories, 200) < LINEAR


def test_names_with_the_same_initials_cost_linear_work(make_corpus):
    assert growth(make_corpus, generated.same_initials, 200) < LINEAR
