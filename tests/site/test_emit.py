"""The emitter writes a page only when its text changed, and each page carries what it shows."""

from __future__ import annotations

import json
import re

from handmade import glossary, sense, term

from glossweave.site.emit import GENERATED, category_docname, emit_site, letter_key


def corpus(gpu_text: str = "**GPU** is a parallel processor.", llm_text: str = "A model trained on a GPU."):
    return glossary(
        term("gpu", "GPU", sense("hardware", gpu_text), aliases=["graphics processing unit"]),
        term("llm", "LLM", sense("ai models", llm_text, links=[("GPU", "gpu")])),
        term("kaizen", "Kaizen", sense("manufacturing operations", "Small steps.")),
    )


def payload(path):
    """A page's payload: a term page is all payload, other pages hold it in a directive."""
    if path.name.endswith(".term.json"):
        return json.loads(path.read_text())
    return json.loads(re.search(r"```\{glossary-[a-z-]+\}\n(.*)\n```", path.read_text(), re.S).group(1))


def test_first_emit_writes_every_page(tmp_path):
    result = emit_site(corpus(), tmp_path)
    rel = sorted(p.relative_to(tmp_path).as_posix() for p in result.written)
    assert "terms/gpu.term.json" in rel and "letters/g.md" in rel and "categories/hardware.md" in rel and "_generated/landing.md" in rel
    assert payload(tmp_path / "terms/gpu.term.json")["mentioned_in"] == ["llm"]
    assert payload(tmp_path / "terms/llm.term.json")["related"] == ["gpu"]


def test_editing_one_entry_rewrites_only_the_pages_it_affects(tmp_path):
    emit_site(corpus(), tmp_path)
    result = emit_site(corpus(llm_text="A model trained on a GPU, at scale."), tmp_path)
    # the LLM page, the letter and category pages that show its summary line, and
    # the GPU page, whose "Mentioned in" link to LLM previews that summary
    assert sorted(p.relative_to(tmp_path).as_posix() for p in result.written) == [
        "categories/ai-models.md",
        "letters/l.md",
        "terms/gpu.term.json",
        "terms/llm.term.json",
    ]
    assert result.removed == []


def test_editing_a_body_but_not_its_summary_rewrites_one_page(tmp_path):
    emit_site(corpus(), tmp_path)
    result = emit_site(corpus(gpu_text="**GPU** is a parallel processor.\n\nMore detail."), tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in result.written] == ["terms/gpu.term.json"]


def test_no_change_writes_nothing(tmp_path):
    emit_site(corpus(), tmp_path)
    result = emit_site(corpus(), tmp_path)
    assert result.written == [] and result.removed == []


def test_a_vanished_term_loses_its_page(tmp_path):
    emit_site(corpus(), tmp_path)
    smaller = corpus()
    smaller.terms = [t for t in smaller.terms if t.slug != "kaizen"]
    result = emit_site(smaller, tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in result.removed} == {
        "terms/kaizen.term.json",
        "letters/k.md",
        "categories/manufacturing-operations.md",
    }


def test_corpus_text_stays_data_in_a_term_page(tmp_path):
    hostile = "```\n````{raw} html\n<script>x</script>\n````\n:::"
    emit_site(glossary(term("x", "X", sense("misc", hostile))), tmp_path)
    assert payload(tmp_path / "terms/x.term.json")["senses"][0]["markdown"] == hostile


def test_a_summary_cannot_close_the_fence_of_a_list_page(tmp_path):
    hostile = "``` ```` ~~~ :::"
    emit_site(glossary(term("x", "X", sense("misc", hostile))), tmp_path)
    text = (tmp_path / "letters/x.md").read_text()
    assert text.count("`") == 6  # only our own fence
    assert payload(tmp_path / "letters/x.md") == [{"name": "X", "summary": hostile}]


def test_letter_keys():
    assert [letter_key(n) for n in ["kaizen", "Élan", "3D NAND", "ε-net", "(x)"]] == ["k", "e", "0-9", "other", "x"]


def test_a_term_page_carries_keywords_other_definitions_related_and_see_also(tmp_path):
    from handmade import other

    rental = term(
        "gpu-rental",
        "GPU Rental",
        sense("hardware", "**GPU Rental** is hiring cards.", others=[other("cloud computing", "Renting GPUs by the hour.", line=9)]),
        keywords=["cloud", "gpu"],
        related=["gpu"],
        see_also=["gpu"],
    )
    emit_site(glossary(rental, term("gpu", "GPU", sense("hardware", "A processor."))), tmp_path)
    data = payload(tmp_path / "terms/gpu-rental.term.json")
    assert data["keywords"] == ["cloud", "gpu"] and data["related"] == ["gpu"] and data["see_also"] == ["gpu"]
    (sense_data,) = data["senses"]
    assert [o["markdown"] for o in sense_data["others"]] == ["Renting GPUs by the hour."]
    assert sense_data["others"][0]["category"] == "Cloud Computing" and sense_data["others"][0]["sources"] == ["000_test.txt:9"]
    assert data["names"]["gpu"]["name"] == "GPU"


def test_the_landing_page_has_one_card_per_domain_listing_its_categories(tmp_path):
    domains = {"hardware": "Hardware & systems", "etch": "Semiconductor manufacturing", "lithography": "Semiconductor manufacturing"}
    emit_site(
        glossary(
            term("gpu", "GPU", sense("hardware", "A processor.")),
            term("dry-etch", "Dry Etch", sense("etch", "Plasma removes material.")),
            term("euv", "EUV", sense("lithography", "Short light.")),
            term("misc", "Misc", sense("odd things", "Unfiled.")),
            domains=domains,
        ),
        tmp_path,
    )
    landing = (tmp_path / GENERATED / "landing.md").read_text()
    cards = re.findall(r":::\{grid-item-card\} (.*)", landing)
    assert cards == ["Semiconductor manufacturing", "Hardware \\& systems", "Other"]  # most terms first, Other last
    etch, lithography = category_docname("etch"), category_docname("lithography")
    assert f"- [Etch](/{etch}.md) (1)\n- [Lithography](/{lithography}.md) (1)" in landing
    assert "2 terms" in landing and "of **3** domains" in landing
