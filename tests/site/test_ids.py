"""Ids unique on every page (issue 10 §4): alias anchors, and categories that slug alike."""

from __future__ import annotations

import io
import json
import re

from handmade import glossary, sense, term
from hypothesis import given, settings
from hypothesis import strategies as st

from glossweave.cli import main as cli_main
from glossweave.core.pipeline import build_glossary
from glossweave.core.slug import alias_keys, assign_slugs, disambiguated
from glossweave.site.emit import GENERATED, alias_ids, site_pages


def test_aliases_that_slug_alike_get_distinct_keys_and_the_literal_one_keeps_its_own():
    keys = alias_keys("ab-testing", ["a/b", "a-b", "split test"])
    assert keys["a-b"] == "ab-testing--a-b"
    assert keys["split test"] == "ab-testing--split-test"
    assert keys["a/b"] == f"ab-testing--{disambiguated('a/b')}" and keys["a/b"] != keys["a-b"]
    assert list(keys) == ["a/b", "a-b", "split test"], "the aliases keep their order"


def test_an_alias_alone_keeps_the_anchor_it_always_had():
    assert alias_keys("gpu", ["graphics processing unit"]) == {"graphics processing unit": "gpu--graphics-processing-unit"}


def test_a_name_spelled_like_another_names_disambiguated_slug_still_gets_its_own():
    tricky = disambiguated("net!")  # the literal name `net-<hash of net!>`
    slugs = assign_slugs(["net", "net!", tricky])
    assert slugs["net"] == "net" and slugs[tricky] == tricky
    assert len(set(slugs.values())) == 3 and slugs["net!"].startswith("net-")


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["a/b", "a-b", "a b", "A-B", "a_b", "ab", "a--b", "a-b-", "α-b", "a+b", "a plus b"]),
                unique=True, min_size=1))
def test_alias_keys_are_unique_whatever_aliases_a_term_has(aliases):
    keys = alias_keys("term", aliases)
    assert len(set(keys.values())) == len(aliases)
    assert alias_keys("term", list(reversed(aliases))) == keys


def test_a_term_page_never_repeats_an_id():
    gpu = term("gpu", "GPU", sense("hardware", "**GPU** is a chip."), aliases=["a/b", "a-b", "a b", "gpu!"])
    page = json.loads(site_pages(glossary(gpu))["terms/gpu.term.json"])
    ids = [f"term-{page['slug']}", *(alias["id"] for alias in page["aliases"])]
    assert len(ids) == len(set(ids)) == 5
    assert [alias["id"] for alias in page["aliases"]] == list(alias_ids(gpu).values())


# --- categories that slug alike --------------------------------------------------------


def _entry(term_name: str, category: str) -> str:
    return f"{term_name}, {category}\n**{term_name.title()}** is **a test entry** - filed under {category}.\n"


DUMP = _entry("alpha beta", "ai/ml") + _entry("gamma ray", "ai ml") + _entry("delta wave", "ai/ml") + _entry("kappa", "physics")


def test_categories_that_slug_alike_are_reported_as_an_error(make_corpus):
    corpus = make_corpus({"000_cats.txt": DUMP})
    out = io.StringIO()
    assert cli_main(["check", str(corpus)], out=out) == 1
    (row,) = [row for row in out.getvalue().splitlines() if "[category-slug-collision]" in row]
    assert row.strip().startswith("000_cats.txt:1: error: 2 categories slug alike as 'ai-ml'; each keeps its own page:")
    assert f"'ai ml' → categories/{disambiguated('ai ml')}" in row and f"'ai/ml' → categories/{disambiguated('ai/ml')}" in row


def test_categories_that_slug_alike_both_keep_a_page_with_all_their_terms(make_corpus):
    pages = site_pages(build_glossary(make_corpus({"000_cats.txt": DUMP})))

    def listed(category: str) -> tuple[str, list[str]]:
        text = pages[f"categories/{disambiguated(category)}.md"]
        data = json.loads(re.search(r"```\{glossary-category\}\n(.*)\n```", text, re.S).group(1))
        return data["slug"], [entry["name"] for entry in data["terms"]]

    assert listed("ai/ml") == (disambiguated("ai/ml"), ["Alpha Beta", "Delta Wave"])
    assert listed("ai ml") == (disambiguated("ai ml"), ["Gamma Ray"])
    assert "categories/physics.md" in pages and "categories/ai-ml.md" not in pages
    gamma = json.loads(pages["terms/gamma-ray.term.json"])
    assert gamma["senses"][0]["category_slug"] == disambiguated("ai ml")
    landing = pages[f"{GENERATED}/landing.md"]
    assert f"categories/{disambiguated('ai/ml')}" in landing and f"categories/{disambiguated('ai ml')}" in landing


def test_aliases_that_slug_alike_are_reported(make_corpus):
    # two aliases that slug alike though a character, not a hyphen or space, tells them apart
    dump = "split testing, a/b testing, a-b testing, experimentation\n**Split Testing** (also called **a/b testing** or **a-b testing**) is **comparing two variants**.\n"
    out = io.StringIO()
    cli_main(["check", str(make_corpus({"000_ab.txt": dump}))], out=out)
    (row,) = [row.strip() for row in out.getvalue().splitlines() if "[alias-slug-collision]" in row]
    assert row == (f"000_ab.txt:1: warning: aliases slug alike; anchors disambiguated: 'a/b testing' → "
                   f"term-split-testing--{disambiguated('a/b testing')}, 'a-b testing' → "
                   f"term-split-testing--{disambiguated('a-b testing')}"
                   " [alias-slug-collision]")


def test_hyphen_and_space_spellings_get_their_own_anchors_without_a_report(make_corpus):
    dump = "a/b testing, a-b testing, a b testing, experimentation\n**A/B Testing** is **comparing two variants**.\n"
    folder = make_corpus({"000_ab.txt": dump})
    out = io.StringIO()
    cli_main(["check", str(folder)], out=out)
    assert "alias-slug-collision" not in out.getvalue()
    (term,) = build_glossary(folder).terms
    keys = alias_keys(term.slug, term.aliases)
    assert sorted(keys) == ["a b testing", "a-b testing"] and len(set(keys.values())) == 2
