"""Slugs: stable, readable, independent of build order and of the other names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from glossweave.core.slug import assign_slugs, base_slug


def test_readable_slugs():
    assert base_slug("L-Diversity") == "l-diversity"
    assert base_slug("kNN-LM (k-Nearest Neighbor Language Model)") == "knn-lm-k-nearest-neighbor-language-model"
    assert base_slug("ε-net") == "epsilon-net"
    assert base_slug("C++") == "c-plus-plus"
    assert base_slug("Straße") == "strasse"
    assert base_slug("日本") == "u65e5-u672c"


def test_non_latin_names_get_stable_distinct_slugs():
    slugs = assign_slugs(["注意力", "变换器"])
    assert len(set(slugs.values())) == 2
    assert assign_slugs(["变换器", "注意力"]) == slugs


def test_collisions_are_disambiguated_without_moving_the_literal_name():
    slugs = assign_slugs(["net", "Net!", "ε-net", "epsilon net"])
    assert slugs["net"] == "net"
    assert slugs["Net!"] != "net" and slugs["Net!"].startswith("net-")
    assert len(set(slugs.values())) == 4


def test_c_and_cplusplus_do_not_collide():
    slugs = assign_slugs(["c", "c++", "c#"])
    assert slugs == {"c": "c", "c++": "c-plus-plus", "c#": "c-sharp"}


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=30, unique=True))
def test_slugs_are_unique_valid_and_order_independent(names):
    slugs = assign_slugs(names)
    assert len(set(slugs.values())) == len(names)
    assert all(s and all(c.isalnum() and c.isascii() or c == "-" for c in s) for s in slugs.values())
    assert assign_slugs(list(reversed(names))) == slugs
