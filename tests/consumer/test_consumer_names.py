"""Which glossary name a mistyped or varied `:term:` meant (glossweave.consumer.names, no Sphinx)."""

from __future__ import annotations

from glossweave.consumer.names import Name, NameIndex, fold, loose, number_forms, one_meaning

NAMES = [
    Name("GPU", "term-gpu", "gpu"),
    Name("graphics processing unit", "term-gpu--graphics-processing-unit", "gpu"),
    Name("CPU", "term-cpu", "cpu"),
    Name("Multi-Head Attention", "term-mha", "mha"),
    Name("KV Cache", "term-kv-cache", "kv"),
    Name("batch", "term-batch", "batch"),
    Name("Transformers", "term-transformers", "transformers"),
    Name("Memory Hierarchy", "term-memory-hierarchy", "mem"),
    Name("Memory Hierarchies", "term-memory-hierarchies", "mem2"),
    Name("Tensor Core", "glossary-a", "tc-a"),
    Name("tensor core", "glossary-b", "tc-b"),
]
INDEX = NameIndex(NAMES)


def names(found: list[Name]) -> list[str]:
    return [name.name for name in found]


def test_fold_and_loose_ignore_what_a_reader_would_not_notice():
    assert fold("  Multi-Head\tAttention ") == "multi-head attention"
    assert loose("Multi-Head Attention") == loose("multihead attention") == loose("multi_head  attention") == "multiheadattention"
    assert loose("multi–head attention") == "multiheadattention"  # an en dash typed for the hyphen


def test_number_forms_cover_the_common_english_plurals():
    assert {"gpu", "gpus"} <= number_forms("gpus") and "gpus" in number_forms("gpu")
    assert "batch" in number_forms("batches") and "batches" in number_forms("batch")
    assert "cache" in number_forms("caches")
    assert "hierarchy" in number_forms("hierarchies") and "hierarchies" in number_forms("hierarchy")
    assert "days" in number_forms("day") and "daies" not in number_forms("day")  # a vowel before the y


def test_exact_is_sphinx_term_matching():
    assert names(INDEX.exact("gpu")) == ["GPU"]
    assert names(INDEX.exact("Graphics  Processing Unit")) == ["graphics processing unit"]
    assert INDEX.exact("GPUs") == []


def test_variants_add_the_plural_of_the_last_word_exact_first():
    assert names(INDEX.variants("GPUs")) == ["GPU"]
    assert names(INDEX.variants("kv caches")) == ["KV Cache"]
    assert names(INDEX.variants("batches")) == ["batch"]
    assert names(INDEX.variants("transformer")) == ["Transformers"]
    assert names(INDEX.variants("memory hierarchy")) == ["Memory Hierarchy", "Memory Hierarchies"]
    assert INDEX.variants("multihead attention") == []  # spacing is a suggestion, never resolved


def test_one_meaning_counts_terms_not_names():
    assert one_meaning(INDEX.variants("GPUs")).target == "term-gpu"
    both = [NAMES[0], NAMES[1]]  # a term and its alias: one meaning
    assert one_meaning(both) is NAMES[0]
    assert one_meaning(INDEX.variants("memory hierarchy")) is None  # two terms
    assert one_meaning(INDEX.exact("tensor core")) is None  # the same name in two glossaries
    assert one_meaning([]) is None


def test_suggestions_rank_variants_then_spacing_then_typos():
    assert names(INDEX.suggest("GPUs")) == ["GPU"]
    assert names(INDEX.suggest("multihead attention")) == ["Multi-Head Attention"]
    assert names(INDEX.suggest("multi head attentions")) == ["Multi-Head Attention"]
    assert names(INDEX.suggest("grafics processing unit")) == ["graphics processing unit"]
    assert names(INDEX.suggest("GUP")) == ["GPU"]  # a swapped pair of letters is one edit
    assert names(INDEX.suggest("memory hierarchy")) == ["Memory Hierarchy", "Memory Hierarchies"]


def test_suggestions_stay_close():
    assert INDEX.suggest("quantum annealing") == []
    assert INDEX.suggest("XY") == []  # two letters: no typo allowance, or every acronym would match
    assert names(INDEX.suggest("kv")) == []


def test_suggestions_are_limited_and_each_name_once():
    index = NameIndex(Name(f"term{n}", f"t{n}", n) for n in range(10))
    assert len(index.suggest("term", limit=3)) == 3
    found = INDEX.suggest("gpu")  # matched as variant, spacing and typo: named once
    assert names(found) == ["GPU", "CPU"]
