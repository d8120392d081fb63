"""Identify and merge do linear work: counted at 1x and 4x input, never timed.

The work counted is every call of a function of the identity modules
(`sys.setprofile` call events): a quadratic loop calls something per pair
(a key, a comparison, an overlap), so its calls multiply by 16 at 4x input.
The inputs are the shapes that were quadratic: thousands of distinct
categories, thousands of names with the same initials, and many names one
word longer than one common name (a near-duplicate hub).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import glossweave.core.categories as categories
import glossweave.core.identify as identify
import glossweave.core.merge as merge
from glossweave.core.categories import CategoryFiling, CategoryScheme
from glossweave.core.headers import learned_categories
from glossweave.core.model import Layout, RawEntry, Report, Source
from glossweave.core.normalize import normalize_entry

WATCHED = {Path(module.__file__).resolve() for module in (identify, merge, categories)}
SMALL = 200


def _word(index: int) -> str:
    """A distinct lower-case word for each index (letters only: digits would read as plurals or versions)."""
    letters = ""
    index += 26 * 26
    while index:
        index, digit = divmod(index, 26)
        letters += chr(ord("a") + digit)
    return letters


def distinct_categories(count: int) -> list[tuple[str, str]]:
    return [(f"term {_word(i)}, field {_word(i)}", f"**Term {_word(i).title()}** is a thing.") for i in range(count)]


def same_initials(count: int) -> list[tuple[str, str]]:
    return [(f"adaptive batch c{_word(i)}, training", f"**Adaptive Batch C{_word(i)}** is a thing.") for i in range(count)]


def one_word_more(count: int) -> list[tuple[str, str]]:
    hub = [("attention pooling, architecture", "**Attention Pooling** is a thing.")]
    return hub + [(f"attention pooling {_word(i)}, architecture", f"**Attention Pooling {_word(i).title()}** is a thing.") for i in range(count)]


def entries_of(rows: list[tuple[str, str]]):
    report = Report()
    raws = [RawEntry(Source("s.txt", 2 * i + 1), header, [body], 2 * i + 2, Layout.LINES) for i, (header, body) in enumerate(rows)]
    return [normalize_entry(raw, report) for raw in raws], [header for header, _ in rows]


def counting_calls(action) -> int:
    """Calls of functions of the watched modules while `action()` runs."""
    count = 0

    def profiler(frame, event, arg):
        nonlocal count
        if event == "call" and frame.f_code.co_filename in WATCHED_NAMES:
            count += 1

    sys.setprofile(profiler)
    try:
        action()
    finally:
        sys.setprofile(None)
    return count


WATCHED_NAMES = {str(path) for path in WATCHED} | {module.__file__ for module in (identify, merge, categories)}


def work(rows: list[tuple[str, str]]) -> int:
    """Calls into the identity modules to identify and merge `rows`."""
    entries, headers = entries_of(rows)
    for cached in (identify.name_key, identify.split_halves, identify.spell_symbols):
        cached.cache_clear()

    def identify_and_merge():
        filing = CategoryFiling(CategoryScheme.load(), learned_categories(headers))
        identify.identify_entries(entries, filing)
        terms = merge.merge_entries(entries, Report(), filing)
        assert len(terms) >= len(rows) - 1

    return counting_calls(identify_and_merge)


@pytest.mark.parametrize("shape", [distinct_categories, same_initials, one_word_more], ids=lambda f: f.__name__)
def test_four_times_the_input_is_at_most_four_and_a_half_times_the_work(shape):
    small, large = work(shape(SMALL)), work(shape(4 * SMALL))
    assert large <= 4.5 * small, f"{shape.__name__}: {small} → {large} lines ({large / small:.2f}x)"


def test_the_counter_sees_quadratic_work():
    """The measure must be able to fail: a pairwise loop over a watched function is caught."""

    def pairwise(count):
        names = [{_word(i)} for i in range(count)]
        return counting_calls(lambda: [merge.overlap(a, b) for a in names for b in names])

    assert pairwise(4 * 40) > 4.5 * pairwise(40)
