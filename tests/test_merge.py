"""Merge stage: one concept one term, copies collapse, rewrites vs senses decided on evidence."""

from __future__ import annotations

from corpus_paths import fixture_text

from glossweave.core.merge import near_duplicates
from glossweave.core.model import Source
from glossweave.core.pipeline import build_glossary


def build(make_corpus, files: dict[str, str]):
    return build_glossary(make_corpus(files))


def by_name(glossary) -> dict:
    return {term.name: term for term in glossary.terms}


def test_copies_merge_and_record_every_source(make_corpus):
    glossary = build(make_corpus, {name: fixture_text(name) for name in ["copies_a.txt", "copies_b.txt"]})
    dropout = by_name(glossary)["Dropout"]
    first = dropout.senses[0]
    assert first.sources == [Source("copies_a.txt", 1), Source("copies_b.txt", 1)]
    assert (Source("copies_b.txt", 1), Source("copies_a.txt", 1)) in glossary.report.merged_copies


def test_the_line_dump_copy_is_kept_over_the_flattened_one(make_corpus):
    glossary = build(make_corpus, {name: fixture_text(name) for name in ["flattened_page.txt", "line_twin.txt"]})
    (sense,) = by_name(glossary)["Batch Norm"].senses
    assert sense.entry.source.file == "line_twin.txt"
    assert {s.file for s in sense.sources} == {"flattened_page.txt", "line_twin.txt"}


SAME_CONCEPT = (
    "grouped query attention, llm architecture\n"
    "**Grouped Query Attention** is **attention in which several query heads share one key and value head** - it shrinks the cache.\n"
    "grouped-query attention,gqa,kv heads\n"
    "**Grouped-Query Attention** lets query heads share key and value heads, trading a little quality for memory.\n"
    "grouped query attention (gqa),gqa,neural architecture\n"
    "**Grouped Query Attention (GQA)** groups query heads so that each group reads one shared key-value head.\n"
    "grouped query attentions,serving,memory\n"
    "**Grouped Query Attentions** cut the memory traffic of decoding with a shared key-value head per group.\n"
)


def test_one_concept_under_case_hyphen_plural_and_parenthesis_variants_is_one_term(make_corpus):
    glossary = build(make_corpus, {"a.txt": SAME_CONCEPT})
    (term,) = glossary.terms
    assert term.name == "Grouped Query Attention"  # the name most entries use
    assert set(term.aliases) == {"GQA", "Grouped-Query Attention", "Grouped Query Attentions"}
    assert len(term.definitions) == 4 and len(term.senses) == 1  # one meaning, three rewrites
    assert sorted(str(s) for s in term.sources) == ["a.txt:1", "a.txt:3", "a.txt:5", "a.txt:7"]
    assert glossary.balances()


def test_a_multi_word_alias_that_is_another_entrys_name_merges(make_corpus):
    glossary = build(
        make_corpus,
        {
            "a.txt": "ppo, reinforcement learning\n**PPO** (Proximal Policy Optimization) is a clipped policy-gradient method.\n"
            "proximal policy optimization, reinforcement learning\n**Proximal Policy Optimization** clips the policy ratio.\n"
        },
    )
    (term,) = glossary.terms
    assert term.name == "PPO" and "Proximal Policy Optimization" in term.aliases


def test_an_acronym_alias_merges_only_when_the_acronyms_entry_gives_the_expansion(make_corpus):
    text = (
        "latent dirichlet allocation (lda), nlp\n"
        "**Latent Dirichlet Allocation (LDA)** models documents as mixtures of topics.\n"
        "lda, machine learning\n"
        "**LDA** projects data onto the directions that best separate known classes.\n"
    )
    glossary = build(make_corpus, {"a.txt": text})
    assert sorted(term.name for term in glossary.terms) == ["LDA", "Latent Dirichlet Allocation (LDA)"]
    topic = by_name(glossary)["Latent Dirichlet Allocation (LDA)"]
    assert "LDA" not in topic.aliases and "LDA" in topic.keywords  # the name of another term
    assert any(d.code == "alias-is-term" for d in glossary.report.diagnostics)
    mentioned = text.replace("known classes.", "known classes; not Latent Dirichlet Allocation.")
    assert len(build(make_corpus, {"a.txt": mentioned}).terms) == 2  # mentioning it as a contrast is no evidence
    same = text.replace("**LDA** projects data onto the directions that best separate known classes.", "**LDA** is short for latent Dirichlet allocation, a topic model.")
    assert len(build(make_corpus, {"a.txt": same}).terms) == 1
    headed = text.replace("lda, machine learning", "lda, latent dirichlet allocation, nlp")
    assert len(build(make_corpus, {"a.txt": headed}).terms) == 1


def test_two_names_with_the_same_x_and_different_y_stay_apart(make_corpus):
    glossary = build(
        make_corpus,
        {
            "a.txt": "transformer (neural network), architecture\n**Transformer (neural network)** stacks attention layers.\n"
            "transformer (electrical), hardware\n**Transformer (electrical)** couples two circuits by induction.\n"
            "transformer, architecture\n**Transformer** is the attention architecture of modern language models.\n"
        },
    )
    assert len(glossary.terms) == 3


DIFFERENT_MEANINGS = (
    "annealing, process integration\n"
    "**Annealing** is a **thermal treatment that heats a wafer to repair implant damage and activate dopants** - furnaces or lamps restore the crystal lattice.\n"
    "- **Ramp**: rapid thermal processing reaches the target in seconds.\n"
    "annealing, optimization\n"
    "**Annealing** is a **search schedule that lowers a temperature parameter so a stochastic optimizer accepts fewer uphill moves over time** - it escapes poor local minima early.\n"
)


def test_different_domains_and_few_shared_words_are_two_numbered_senses(make_corpus):
    (term,) = build(make_corpus, {"a.txt": DIFFERENT_MEANINGS}).terms
    assert [sense.category for sense in term.senses] == ["process integration", "optimization"]
    assert all(not sense.others for sense in term.senses)


def test_one_domain_is_one_meaning_however_differently_worded(make_corpus):
    text = DIFFERENT_MEANINGS.replace("annealing, process integration", "annealing, machine learning")
    (term,) = build(make_corpus, {"a.txt": text}).terms
    assert len(term.senses) == 1 and len(term.senses[0].others) == 1


def test_different_domains_but_the_same_words_is_one_meaning(make_corpus):
    text = (
        "edge tpu, hardware\n"
        "**Edge TPU** is a **small accelerator that runs quantized neural networks on devices at low power**.\n"
        "edge tpu, edge ai\n"
        "**Edge TPU** is a **small accelerator that runs quantized neural network models on devices, at very low power**.\n"
    )
    (term,) = build(make_corpus, {"a.txt": text}).terms
    assert len(term.senses) == 1 and len(term.senses[0].others) == 1


def test_the_best_definition_comes_first(make_corpus):
    text = (
        "dropout,neurons,regularizer\nDropout zeroes units.\n"
        "dropout, regularization\n**Dropout** is **randomly zeroing activations during training**.\n- **Rate**: 0.1 to 0.5.\n"
    )
    (term,) = build(make_corpus, {"a.txt": text}).terms
    assert term.senses[0].sources == [Source("a.txt", 3)]
    assert term.senses[0].others[0].sources == [Source("a.txt", 1)]
    assert term.senses[0].others[0].category == "regularization"  # it had none; its term's is used


def test_an_alias_claimed_by_two_terms_is_given_to_neither_and_reported(make_corpus):
    text = (
        "gated linear unit, glu, architecture\n**Gated Linear Unit** multiplies two projections.\n"
        "global load unit, glu, hardware\n**Global Load Unit** fetches operands for a core.\n"
    )
    glossary = build(make_corpus, {"a.txt": text})
    assert all("GLU" not in term.aliases for term in glossary.terms)
    assert all("GLU" in term.keywords for term in glossary.terms)
    (warning,) = [d for d in glossary.report.diagnostics if d.code == "alias-conflict"]
    assert "'GLU' is claimed by 2 terms" in warning.message


def test_a_keyword_that_names_another_term_is_a_related_link(make_corpus):
    text = (
        "vllm, serving\n**vLLM** is a serving engine with paged attention.\n"
        "inference server,vllm,throughput\n**Inference Server** answers model requests over the network.\n"
    )
    glossary = build(make_corpus, {"a.txt": text})
    assert by_name(glossary)["Inference Server"].related == ["vllm"]


def test_near_duplicates_differ_in_stop_words_endings_or_one_word():
    names = ["Log Quantization", "Knowledge Distillation", "Knowledge Distillation for Edge", "LoRA for Diffusion", "LoRA Diffusion", "Beam Search", "Beam Searches"]
    found = {(names[a], names[b]) for a, b, _ in near_duplicates(names)}
    assert found == {
        ("Knowledge Distillation", "Knowledge Distillation for Edge"),
        ("LoRA for Diffusion", "LoRA Diffusion"),
        ("Beam Search", "Beam Searches"),
    }


def test_near_duplicates_get_see_also_both_ways_and_a_review_line(make_corpus):
    text = (
        "prefix caching, serving\n**Prefix Caching** reuses a prompt's cache.\n"
        "prefix caching for agents, ai agents\n**Prefix Caching for Agents** keeps tool prompts cached.\n"
    )
    glossary = build(make_corpus, {"a.txt": text})
    plain, agents = by_name(glossary)["Prefix Caching"], by_name(glossary)["Prefix Caching for Agents"]
    assert plain.see_also == [agents.slug] and agents.see_also == [plain.slug]
    assert glossary.report.near_duplicates == [(plain.slug, agents.slug, "one word more")]


def test_a_name_with_an_acronym_for_some_of_its_words_is_the_same_concept(make_corpus):
    text = (
        "large language model serving, llm inference\n"
        "**Large Language Model Serving** is running a trained model behind an endpoint.\n"
        "llm serving,vllm,batching,throughput\n"
        "**LLM Serving** answers prompts for many users from one deployment.\n"
        "llm routing,gateway,fallback\n"
        "**LLM Routing** sends each prompt to the cheapest model that can answer it.\n"
    )
    glossary = build(make_corpus, {"a.txt": text})
    assert {term.name for term in glossary.terms} == {"Large Language Model Serving", "LLM Routing"}
    (serving,) = [term for term in glossary.terms if term.name == "Large Language Model Serving"]
    assert "LLM Serving" in serving.aliases and len(serving.senses) == 1


def test_an_acronym_that_stands_for_two_names_joins_neither_shortened_name(make_corpus):
    text = (
        "latent dirichlet allocation (lda), nlp\n**Latent Dirichlet Allocation (LDA)** models topics.\n"
        "linear discriminant analysis (lda), machine learning\n**Linear Discriminant Analysis (LDA)** separates classes.\n"
        "lda topics,topic model\n**LDA Topics** are the word distributions a topic model learns.\n"
    )
    assert len(build(make_corpus, {"a.txt": text}).terms) == 3
