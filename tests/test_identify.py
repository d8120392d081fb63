"""Identify stage: names from the body, header parts classified with reasons, categories filed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossweave.core.categories import OTHER_DOMAIN, CategoryFiling, CategoryScheme
from glossweave.core.headers import parse_header
from glossweave.core.identify import (
    _MD,
    _NOT_NAMES,
    _parsed_bold,
    abbreviates,
    identify_entry,
    IdentifyContext,
    name_from_body,
    name_key,
    opening_bold,
    readable_math,
    spell_symbols,
)
from glossweave.core.model import Layout, NameSource, RawEntry, Reason, Report, Role, Source
from glossweave.core.normalize import normalize_entry


def identity(header: str, *body: str, learned: tuple[str, ...] = ()):
    """Normalize and identify one entry, with `learned` as the corpus's spaced categories."""
    raw = RawEntry(Source("t.txt", 1), header, list(body), 2, Layout.LINES)
    entry = normalize_entry(raw, Report())
    return identify_entry(entry, IdentifyContext(CategoryFiling(CategoryScheme.load(), learned), {"llm": "LLM"}))


def roles(ident) -> dict[str, tuple[str, str]]:
    return {d.text: (d.role.value, d.reason.value) for d in ident.decisions}


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "line", "name", "source"),
    [
        ("grid search,tuning,sweep", "**Grid Search** is exhaustive.", "Grid Search", NameSource.BOLD),
        ("prefix tuning, nlp", "**A Prefix-Tuning method** is cheap.", "Prefix-Tuning method", NameSource.BOLD),
        ("a priori algorithm, data mining", "**A Priori Algorithm** mines sets.", "A Priori Algorithm", NameSource.BOLD),
        ("cosine schedule, training", "**Cosine Schedule (CS)**: the rate decays.", "Cosine Schedule (CS)", NameSource.BOLD),
        ("fp8 training, training", "FP8 training halves memory.", "FP8 training", NameSource.BODY),
        ("vit,patch,embedding,vision", "ViT patch embedding cuts images into tiles.", "ViT patch embedding", NameSource.BODY),
        ("llm routing, serving", "Requests are routed to models.", "LLM routing", NameSource.HEADER),
        ("why it works, misc", "**Why does it work?** Nobody knows.", "Why it works", NameSource.HEADER),
    ],
)
def test_the_name_comes_from_the_body(header, line, name, source):
    found = name_from_body(parse_header(header), line)
    ident = identity(header, line)
    assert (ident.name, ident.name_source) == (name, source) or found == (name, source)
    assert ident.name == name and ident.name_source is source


def test_math_in_a_bold_name_becomes_readable_text_and_spells_out_for_keys():
    ident = identity("l-infinity robustness, ai safety", "**$L_infty$ Robustness** is a bound on the largest change.")
    assert ident.name == "L∞ Robustness"
    assert spell_symbols(ident.name) == "L-infinity Robustness"
    assert roles(ident)["l-infinity robustness"] == ("alias", "variant")


@pytest.mark.parametrize(
    ("tex", "text"), [(r"L_\infty", "L∞"), ("L_2", "L2"), ("x^2", "x²"), (r"\alpha", "α"), ("W_{q}", "Wq")]
)
def test_readable_math(tex, text):
    assert readable_math(tex) == text


# A bold opening made of words, capitals, digits, hyphens and parentheses, and the rest of the line.
_WORD_CHARS = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=8)
# Headings such as **Summary** are not names (identify._NOT_NAMES); the property is about names.
_NAME = (
    st.lists(_WORD_CHARS, min_size=1, max_size=5)
    .map(" ".join)
    .filter(lambda words: words.casefold() not in _NOT_NAMES)
    .filter(lambda words: words.split()[0].casefold() not in ("a", "an", "the"))  # a leading article is dropped by design
    .flatmap(lambda words: st.sampled_from([words, words.replace(" ", "-", 1), f"{words} ({words.split()[0].upper()})"]))
)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(name=_NAME, verb=st.sampled_from([" is ", " are ", ": ", " — "]), header=st.sampled_from(["x y,z,w", "x, y, z", "x,y"]))
def test_property_the_display_name_is_the_opening_bold_phrase(name, verb, header):
    """Whenever a body opens with a bold phrase that names something, that phrase is the name."""
    ident = identity(header, f"**{name}**{verb}a thing that does things.")
    assert ident.name == name and ident.name_source is NameSource.BOLD


_LINE = st.text(alphabet="ab *_`$\\[]()<>&!~-:.\u00a0", max_size=24).map(lambda tail: "**" + tail)


@settings(derandomize=True, max_examples=500, deadline=None)
@given(line=_LINE)
def test_property_the_fast_bold_reader_agrees_with_markdown_it(line):
    """`opening_bold` reads plain bold without a parse; markdown-it must read it the same way."""
    fast = opening_bold(line)
    parsed = _parsed_bold(line)
    if fast is None:
        assert parsed is None or parsed[0] == "" or not line.startswith("**")
    else:
        assert parsed is not None and parsed[0] == fast[0]


def test_the_fast_bold_reader_is_what_markdown_it_renders():
    tokens = _MD.parseInline("**Grid Search** is")[0].children
    assert [t.type for t in tokens][:4] == ["text", "strong_open", "text", "strong_close"]
    assert opening_bold("**Grid Search** is") == ("Grid Search", 15)
    assert opening_bold("**A (B)**c") is None  # markdown-it: the closing run cannot close here


# --- aliases, keywords, categories ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "phrase", "expected"),
    [
        ("lga", "land grid array", True),
        ("LoRA", "Low-Rank Adaptation", True),
        ("LARS", "Layer-wise Adaptive Rate Scaling", True),
        ("KAN", "Kolmogorov-Arnold Networks", True),
        ("LA-ICP-MS", "Laser Ablation ICP-MS", True),
        ("LNNs", "Lagrangian Neural Networks", True),
        ("MoE", "Mixture of Experts", True),
        ("data", "distributed asynchronous training", False),
        ("cloud", "Lambda Labs", False),
        ("python", "LangFlow", False),
        ("open", "Label Studio", False),
        ("gpu cloud", "graphics processing unit cloud", False),
        ("DUV", "Deep Ultraviolet", True),  # a solid compound gives a letter from each part
        ("IRS", "Infrared Spectroscopy", True),
        ("MP", "Microprocessor", False),  # one word as written is no phrase, solid or not
        ("PS", "Postscript", False),
    ],
)
def test_initials(short, phrase, expected):
    assert abbreviates(short, phrase) is expected


def test_spaced_term_alias_category():
    ident = identity("thermal design power, tdp, hardware", "**Thermal Design Power** is the heat a cooler must remove.")
    assert roles(ident) == {
        "hardware": ("category", "spaced-last-part"),
        "thermal design power": ("name", "same-name"),
        "TDP": ("alias", "initials"),
    }
    assert ident.category == "hardware"


def test_a_middle_part_that_is_not_another_name_is_a_keyword():
    ident = identity("l3 cache, l3, hardware", "**L3 cache** is shared by all cores.")
    assert roles(ident)["l3"] == ("keyword", "broader-than-name")


def test_a_compact_keyword_list_gives_keywords_only():
    ident = identity("gpu rental,cloud,deep learning,compute", "**GPU Rental** is renting accelerators by the hour.")
    assert ident.names(Role.ALIAS) == [] and ident.category == ""
    assert ident.names(Role.KEYWORD) == ["cloud", "deep learning", "compute"]


def test_a_compact_last_part_is_a_category_only_when_the_corpus_uses_one():
    body = "**Plasma Probe** measures density."
    assert identity("plasma probe,metrology", body).category == "metrology"  # listed in categories.toml
    assert identity("plasma probe,pp,metrology", body).category == "metrology"  # `term,alias,category`
    assert identity("plasma probe,langmuir,plasma diagnostics", body).category == ""
    learned = identity("plasma probe,langmuir,plasma diagnostics", body, learned=("plasma diagnostics",))
    assert learned.category == "plasma diagnostics"


def test_a_keyword_list_files_under_its_last_part_only_when_a_spaced_header_does():
    """`deep learning` and `metrology` are listed in categories.toml; after a keyword they are keywords,
    unless this corpus's own `term, category` headers file under them."""
    body = "**Tensor Rental** is renting accelerators by the hour."
    rental = identity("tensor rental,cloud,compute,deep learning", body)
    assert rental.category == "" and "deep learning" in rental.names(Role.KEYWORD)
    probe = "**Plasma Probe** measures density."
    assert identity("plasma probe,langmuir,metrology", probe).category == ""
    assert identity("plasma probe,langmuir,metrology", probe, learned=("metrology",)).category == "metrology"
    qualified = identity("plasma probe (advanced),plasma probe,advanced,metrology", "**Plasma Probe (Advanced)** is.")
    assert qualified.category == "metrology"  # a qualifier is part of the name, not a keyword


def test_a_title_split_at_every_space_is_the_name():
    ident = identity("sparse,attention,kernels,GPU,triton,tiling", "**Sparse Attention Kernels** skip empty blocks.")
    assert [d.reason for d in ident.decisions if d.role is Role.NAME] == [Reason.SPLIT_TITLE] * 3
    assert ident.names(Role.KEYWORD) == ["GPU", "triton", "tiling"]


def test_the_header_term_that_is_not_a_form_of_the_name_is_a_keyword():
    ident = identity("serving frameworks,vllm,tgi", "**LLM Serving Engines**", "vLLM pages memory.")
    assert roles(ident)["serving frameworks"] == ("keyword", "header-term-not-name")


def test_names_the_body_gives():
    ident = identity(
        "covariate shift,domain adaptation",
        "**Covariate shift** (also called **input drift** or **feature shift**) is a change in the inputs.",
    )
    assert ident.names(Role.ALIAS) == ["input drift", "feature shift"]
    paren = identity("swiglu activation, architecture", "**SwiGLU** (Swish-Gated Linear Unit) is a gated activation.")
    assert roles(paren)["Swish-Gated Linear Unit"] == ("alias", "body-parenthesis")
    plain = identity("bpe, nlp", "**BPE** (2016 onwards) merges frequent pairs.")
    assert plain.names(Role.ALIAS) == []


def test_both_halves_of_a_name_in_parentheses_are_aliases_unless_it_qualifies():
    ident = identity("direct preference optimization (dpo),dpo,alignment", "**Direct Preference Optimization (DPO)** skips the reward model.")
    assert ident.names(Role.ALIAS) == ["Direct Preference Optimization", "DPO"]
    advanced = identity("beam search (advanced), decoding", "**Beam Search (Advanced)** prunes more.")
    assert advanced.names(Role.ALIAS) == []


def test_abbreviated_and_shortened_spellings_are_aliases():
    ident = identity("attention sink, attn sink, llm architecture", "**Attention Sink** soaks up attention.")
    assert roles(ident)["attn sink"] == ("alias", "shortened")


@pytest.mark.parametrize(
    "header, body, alias",
    [
        ("kv cache, key-value cache, inference serving", "**KV Cache** keeps past keys.", "key-value cache"),
        ("batch normalization, batchnorm, neural architectures", "**Batch Normalization** rescales.", "batchnorm"),
        ("llm pretraining, large language model pretraining, training", "**LLM Pretraining** comes first.", "large language model pretraining"),
        ("multi-head attention, mha, neural architectures", "**Multi-Head Attention** splits heads.", "MHA"),
    ],
)
def test_words_abbreviated_or_run_together_make_an_alias(header, body, alias):
    assert roles(identity(header, body))[alias][0] == "alias"


@pytest.mark.parametrize(
    "header, body, keyword",
    [
        ("kv cache, cache, inference serving", "**KV Cache** keeps past keys.", "cache"),
        ("batch normalization, batch, neural architectures", "**Batch Normalization** rescales.", "batch"),
        ("label smoothing, soft labels, regularization", "**Label Smoothing** softens targets.", "soft labels"),
        ("lambda labs, cloud, compute", "**Lambda Labs** rents GPUs.", "cloud"),
    ],
)
def test_a_part_sharing_only_some_words_or_none_stays_a_keyword(header, body, keyword):
    assert roles(identity(header, body))[keyword][0] == "keyword"


def test_an_alias_is_spelled_as_the_body_writes_it_and_initials_in_capitals():
    body = identity("low-rank adaptation, lora, fine-tuning", "**Low-Rank Adaptation** is what LoRA stands for.")
    assert body.names(Role.ALIAS) == ["LoRA"]
    upper = identity("land grid array, lga, packaging", "**Land grid array** uses flat pads.")
    assert upper.names(Role.ALIAS) == ["LGA"]


def test_name_keys_fold_case_hyphens_plurals_and_articles_but_not_plus_or_sharp():
    assert name_key("Large Language Model Pre-training") == name_key("large language model pretraining")
    assert name_key("Lagrangian Neural Networks") == name_key("lagrangian neural network")
    assert name_key("The Transformer") == name_key("transformer")
    assert name_key("C++") != name_key("C") and name_key("F#") != name_key("F")


# --- categories -----------------------------------------------------------------------------------


def test_categories_are_filed_into_a_small_vocabulary_and_domains():
    filing = CategoryFiling(CategoryScheme.load(), ["failure analysis advanced", "llm architecture", "etch"])
    assert filing.file("LLM Architecture")[0] == "architecture"
    assert filing.file("neural architecture")[0] == "architecture"
    assert filing.file("failure analysis advanced") == ("failure analysis", "qualifier 'advanced' dropped")
    assert filing.file("advanced packaging")[0] == "packaging"
    assert filing.domain("etch")[0] == "Semiconductor manufacturing"
    assert filing.domain("architecture")[0] == "AI & machine learning"
    assert filing.domain("wafer bonding")[0] == "Semiconductor manufacturing"  # by its word "wafer"
    assert filing.domain("underwater basket weaving")[0] == OTHER_DOMAIN
