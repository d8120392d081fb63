"""The link stage: one test per auto-linking rule of DESIGN.md, then properties.

Each rule test is written so that dropping the rule from the linker makes it fail.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossweave.core.linker import HeldName, HoldReason, Linker, LinkRules, measure_throughput
from glossweave.core.model import Block, BlockKind

NAMES = {
    "gpu": "gpu",
    "GPU": "gpu",
    "llm": "llm",
    "LLM": "llm",
    "llm pretraining data": "llm-pretraining-data",
    "pretraining": "pretraining",
    "loss": "loss",
    "dropout": "dropout",
    "llama 3": "llama-3",
    "lamb": "lamb",
    "LAMB": "lamb",
    "ai": "ai",
    "l2": "l2",
    "long": "long",
    "models": "model",
    "2024": "2024",
}


def para(*lines: str) -> Block:
    return Block(BlockKind.PARAGRAPH, list(lines))


def links(text, names=NAMES, own="", **rules):
    """(linked text, target) pairs for a paragraph, or for a list of blocks."""
    blocks = [para(text)] if isinstance(text, str) else text
    markdown = "\n\n".join(block.markdown() for block in blocks)
    return [(markdown[s.start : s.end], s.target) for s in Linker(names, LinkRules(**rules)).link(blocks, own)]


def starts(text, names=NAMES, own="", **rules):
    return [s.start for s in Linker(names, LinkRules(**rules)).link([para(text)], own)]


# --- whole words -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["eGPU", "GPU2", "my_GPU", "GPUx", "2GPU"])
def test_a_name_inside_a_longer_word_does_not_link(text):
    assert links(text) == []


def test_case_insensitive_whole_word_links():
    assert links("Apply Dropout, then dropout.") == [("Dropout", "dropout")]


def test_plural_links_the_whole_word():
    assert links("Two GPUs and three losses.") == [("GPUs", "gpu"), ("losses", "loss")]


def test_plural_rule_can_be_switched_off():
    assert links("Two GPUs and three losses.", plurals=False) == []


def test_hyphen_and_dot_between_word_characters_join_words():
    assert links("multi-GPU-node, GPU-based, x.GPU, Llama 3.1") == []


def test_hyphen_boundary_rule_links_inside_hyphenated_tokens():
    assert links("multi-GPU-node", hyphen_is_boundary=True) == [("GPU", "gpu")]


def test_punctuation_hyphen_and_sentence_dot_separate_words():
    assert links("GPU- and CPU-bound") == [("GPU", "gpu")]
    assert links("We use Llama 3.") == [("Llama 3", "llama-3")]


# --- choosing among matches ---------------------------------------------------------


def test_longest_match_wins():
    assert links("LLM pretraining data is big.") == [("LLM pretraining data", "llm-pretraining-data")]


def test_longest_match_wins_over_an_earlier_shorter_overlap():
    names = {"deep learning": "deep-learning", "learning rate schedule": "lrs"}
    assert links("a deep learning rate schedule", names) == [("learning rate schedule", "lrs")]


def test_an_exact_name_beats_a_plural_of_equal_length():
    assert links("GPUs", {"gpu": "gpu", "gpus": "gpus"}) == [("GPUs", "gpus")]


def test_only_the_first_mention_of_each_target_links_by_default():
    assert starts("GPU then GPU then LLM") == [0, 18]


def test_every_mention_links_when_first_mention_only_is_off():
    assert starts("GPU then GPU then LLM", first_mention_only=False) == [0, 9, 18]


def test_first_mention_is_counted_per_call_across_blocks():
    blocks = [para("A GPU."), Block(BlockKind.BULLET_LIST, ["- another GPU", "- an LLM"])]
    assert links(blocks) == [("GPU", "gpu"), ("LLM", "llm")]
    assert starts("A GPU.") == [2]


def test_spans_index_the_joined_markdown_of_all_blocks():
    blocks = [para("Intro."), Block(BlockKind.BULLET_LIST, ["- **Use**: dropout"])]
    (span,) = Linker(NAMES).link(blocks, "")
    assert (span.start, span.end) == (len("Intro.\n\n- **Use**: "), len("Intro.\n\n- **Use**: dropout"))


def test_offsets_survive_letters_whose_lower_case_is_longer():
    assert links("İstanbul GPU") == [("GPU", "gpu")]


# --- never link ---------------------------------------------------------------------


def test_own_definition_does_not_link_to_itself():
    assert links("A GPU runs an LLM.", own="gpu") == [("LLM", "llm")]


def test_a_mention_of_the_own_term_still_claims_its_text():
    text = "LLM pretraining data feeds an LLM"
    assert starts(text, own="llm-pretraining-data") == [text.rindex("LLM")]


def test_repeated_longer_mention_does_not_release_its_shorter_part():
    text = "LLM pretraining data, more LLM pretraining data"
    assert links(text) == [("LLM pretraining data", "llm-pretraining-data")]


def test_bold_display_name_opening_the_definition_does_not_link():
    assert starts("**GPU** is a chip; each GPU has cores.") == [len("**GPU** is a chip; each ")]


def test_bold_at_the_start_of_a_later_block_links():
    assert links([para("Intro."), para("**GPU** again")]) == [("GPU", "gpu")]


@pytest.mark.parametrize("kind", [BlockKind.HEADING, BlockKind.CODE])
def test_headings_and_code_blocks_do_not_link(kind):
    assert links([Block(kind, ["```", "GPU dropout", "```"])]) == []


@pytest.mark.parametrize(
    "excluded",
    [
        "`GPU`",
        "``a ` GPU``",
        "$GPU$",
        "$$GPU$$",
        "[the GPU](https://example.org)",
        "![GPU](gpu.png)",
        "<https://gpu.example>",
        '<span title="GPU">',
        "https://example.org/GPU",
        "www.GPU.org",
    ],
)
def test_inline_code_math_links_tags_and_urls_do_not_link(excluded):
    text = f"{excluded} then GPU"
    assert starts(text) == [len(text) - 3]


def test_display_math_over_several_lines_does_not_link():
    assert links([para("$$", "GPU", "$$")]) == []


def test_display_math_over_several_blocks_does_not_link():
    assert links([para("$$"), para("GPU"), para("$$"), para("then LLM")]) == [("LLM", "llm")]


def test_unclosed_dollars_are_text_and_link():
    assert starts("$$ GPU") == [3]


def test_a_reference_link_does_not_link_only_when_its_reference_is_defined():
    defined = [para("[the GPU][ref] then GPU"), para("[ref]: https://example.org")]
    assert [s.start for s in Linker(NAMES, LinkRules(first_mention_only=False)).link(defined, "")] == [len("[the GPU][ref] then ")]
    assert starts("[the GPU][ref] then LLM") == [len("[the "), len("[the GPU][ref] then ")]


@pytest.mark.parametrize(
    "text",
    [
        "see <https://example.org/a`b> then `GPU`",  # the backtick in the autolink pairs with nothing
        "see [the page](https://example.org/a`b) then $GPU$",
        "see ![x](https://example.org/a`b.png) then `GPU`",
    ],
)
def test_code_and_math_are_found_as_markdown_it_finds_them(text):
    assert starts(text) == []


def test_a_heading_markdown_it_sees_does_not_link():
    assert links([para("# GPU notes"), para("LLM")]) == [("LLM", "llm")]


def test_precomputed_regions_are_used():
    from glossweave.core.linker import unlinkable_regions

    blocks = [para("`GPU` and GPU")]
    assert list(unlinkable_regions(blocks)) == [0, 5]
    assert Linker(NAMES).link(blocks, "", unlinkable=[0, 13]) == []


def test_escaped_dollars_are_money_not_math():
    assert links(r"\$5 per GPU hour, \$9 per LLM") == [("GPU", "gpu"), ("LLM", "llm")]


def test_a_lone_dollar_is_text():
    assert links("costs $5 per GPU") == [("GPU", "gpu")]


def test_escaped_backtick_opens_no_code_span():
    assert links(r"\`GPU\`") == [("GPU", "gpu")]


# --- held-back names ----------------------------------------------------------------


def held(names=NAMES, **rules):
    return {h.name: h for h in Linker(names, LinkRules(**rules)).held}


def test_short_names_never_link_in_lower_case():
    assert links("l2 norm, L2 norm, ai and Ai") == []
    assert held()["l2"] == HeldName("l2", ("l2",), HoldReason.TOO_SHORT, links_in_capitals=False)


def test_short_names_with_two_letters_link_where_written_in_capitals():
    assert links("Modern AI") == [("AI", "ai")]
    assert held()["ai"].links_in_capitals


def test_acronym_names_link_only_in_capitals():
    assert links("a lamb, a Lamb, the LAMB optimizer") == [("LAMB", "lamb")]
    assert "lamb" not in held()


def test_min_length_is_a_rule():
    assert links("Dropout", min_length=8) == []
    assert held(min_length=8)["dropout"].reason is HoldReason.TOO_SHORT


def test_generic_words_and_their_plurals_are_held_back():
    assert links("long models") == []
    assert held()["long"].reason is held()["models"].reason is HoldReason.GENERIC


def test_generic_words_are_a_rule():
    assert links("Dropout", generic_words=["dropout"]) == []
    assert links("long", generic_words=[]) == [("long", "long")]


def test_names_without_letters_are_held_back():
    assert links("in 2024") == []
    assert held()["2024"].reason is HoldReason.NO_LETTERS


def test_names_with_markdown_syntax_are_held_back():
    assert held({"a|b": "x", "c*": "y"}).keys() == {"a|b", "c*"}
    assert {h.reason for h in held({"a|b": "x", "c*": "y"}).values()} == {HoldReason.MARKUP}


def test_a_name_claimed_by_two_terms_is_ambiguous_and_never_links():
    linker = Linker([("Lamb", "lamb-dish"), ("lamb", "lamb"), ("dropout", "dropout")])
    assert linker.held == [HeldName("lamb", ("lamb", "lamb-dish"), HoldReason.AMBIGUOUS, False)]
    assert linker.link([para("LAMB, lamb, dropout")], "") != []
    assert [s.target for s in linker.link([para("LAMB, lamb, dropout")], "")] == ["dropout"]


def test_names_that_differ_only_in_case_are_ambiguous_across_slugs():
    assert held({"Lamb": "dish", "LAMB": "optimizer"})["lamb"].slugs == ("dish", "optimizer")


def test_held_names_print_for_make_check():
    assert str(held()["ai"]) == "'ai' → ai: too short; links only when written in capitals"


def test_no_linkable_names_links_nothing():
    assert Linker({"l2": "l2"}).link([para("l2 GPU")], "") == []


def test_an_empty_name_is_a_caller_error():
    with pytest.raises(ValueError, match="empty name"):
        Linker({"  ": "x"})


# --- rule validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"min_length": 0}, "'min_length' must be a whole number >= 1, got 0"),
        ({"min_length": "3"}, "'min_length' must be a whole number >= 1"),
        ({"min_length": True}, "'min_length' must be a whole number >= 1"),
        ({"plurals": "yes"}, "'plurals' must be True or False"),
        ({"first_mention_only": 1}, "'first_mention_only' must be True or False"),
        ({"hyphen_is_boundary": None}, "'hyphen_is_boundary' must be True or False"),
        ({"generic_words": "long"}, "'generic_words' must be a list of words"),
        ({"generic_words": ["long", ""]}, "'generic_words' holds non-words"),
        ({"min_lenght": 3}, "unknown link rule\\(s\\) min_lenght; known rules: first_mention_only"),
    ],
)
def test_invalid_rules_raise_clear_errors(values, message):
    with pytest.raises(ValueError, match=message):
        LinkRules.from_mapping(values)


def test_generic_words_are_folded():
    assert "long" in LinkRules(generic_words=["  LONG "]).generic_words


# --- scale ----------------------------------------------------------------------------


class CountingAutomaton:
    """Wraps the automaton to record every text it is asked to scan."""

    def __init__(self, inner):
        self.inner = inner
        self.scanned: list[int] = []

    def iter(self, text):
        self.scanned.append(len(text))
        return self.inner.iter(text)


@pytest.mark.parametrize("extra_names", [0, 5000])
def test_linking_makes_one_automaton_pass_whatever_the_number_of_names(extra_names):
    names = dict(NAMES) | {f"filler term {i}": f"filler-{i}" for i in range(extra_names)}
    linker = Linker(names)
    linker._automaton = counter = CountingAutomaton(linker._automaton)
    blocks = [para("A GPU, `code`, $x$ and an LLM."), Block(BlockKind.CODE, ["GPU"]), para("dropout")]
    spans = linker.link(blocks, "")
    assert counter.scanned == [len("\n\n".join(b.markdown() for b in blocks))]
    assert [s.target for s in spans] == ["gpu", "llm", "dropout"]


def test_measure_throughput_links_the_given_entries():
    from glossweave.core.model import Entry, Header, Layout, NameSource, RawEntry, Source

    raw = RawEntry(Source("f.txt", 1), "x, general", ["GPU " * 100], 2, Layout.LINES)
    entry = Entry(raw, Header(["x", "general"], "spaced"), "X", NameSource.BOLD, [para("GPU " * 100)], "")
    assert measure_throughput(Linker(NAMES), [entry], rounds=1) > 0


# --- properties -----------------------------------------------------------------------

KINDS = st.sampled_from(list(BlockKind))
TRICKY = st.sampled_from(list("GPUgpulmsLAMB $$``\\[]()<>*-._!\n") + ["LLM pretraining data", "Llama 3", "http://"])
TEXT = st.lists(st.one_of(TRICKY, st.characters()), max_size=60).map("".join)


@given(st.lists(st.tuples(KINDS, st.lists(TEXT, min_size=1, max_size=3)), max_size=4), st.booleans())
def test_any_text_gives_sorted_disjoint_in_bounds_spans_of_names(raw_blocks, first_only):
    blocks = [Block(kind, lines) for kind, lines in raw_blocks]
    markdown = "\n\n".join(block.markdown() for block in blocks)
    spans = Linker(NAMES, LinkRules(first_mention_only=first_only)).link(blocks, "dropout")
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(markdown)
        assert span.target != "dropout"
        word = markdown[span.start : span.end].lower()
        assert any(word in (name, name + "s", name + "es") for name, slug in NAMES.items() if slug == span.target)
        previous_end = span.end


PROSE = st.sampled_from(["GPU", "LLM", "dropout", "pretraining", "and", " ", ", ", "-", "."])
INNER = st.lists(st.sampled_from(["GPU", "dropout", " ", "x", "LLM pretraining data"]), min_size=1, max_size=4)
PROTECTED = st.tuples(st.sampled_from(["`{}`", "``{}``", "${}$", "$${}$$", "[{}](https://x.org)"]), INNER).map(
    lambda wrap: wrap[0].format("".join(wrap[1]))
)


# Prose between protected pieces is never empty: two code spans side by side would
# merge their backticks into one longer run, which CommonMark reads differently.
@given(st.lists(st.tuples(st.lists(PROSE, min_size=1, max_size=4), PROTECTED), max_size=6))
def test_spans_never_enter_math_code_or_links(pieces):
    text, protected = "", []
    for prose, inline in pieces:
        text += "".join(prose)
        protected.append((len(text), len(text) + len(inline)))
        text += inline
    spans = Linker(NAMES, LinkRules(first_mention_only=False)).link([para("Intro."), para(text)], "")
    offset = len("Intro.\n\n")
    for span in spans:
        assert all(span.end - offset <= a or span.start - offset >= b for a, b in protected)


# The oracle: the site's renderer itself.  Every span must come out as a term
# reference, and none inside what markdown-it made code, math, a link or a heading.

from docutils import nodes  # noqa: E402
from hypothesis import settings  # noqa: E402

from glossweave.site.safety import render_markdown  # noqa: E402

_NOT_PROSE_NODES = (nodes.literal, nodes.math, nodes.reference, nodes.literal_block, nodes.math_block, nodes.rubric)
MARKDOWNISH = st.lists(
    st.sampled_from(["GPU", "LLM", "dropout", " ", "`", "``", "$", "$$", "[", "](", ")", "](https://x.org/`)", "<", ">",
                     "<https://a`b>", "!", "\\", "*", "_", "|", "|---|", "\n", "# ", "- ", "    ", "\t", "~~~", "&amp;"]),
    max_size=40,
).map("".join)


@settings(max_examples=300)
@given(st.lists(MARKDOWNISH, min_size=1, max_size=3))
def test_every_link_renders_in_prose(texts):
    blocks = [para(text) for text in texts]
    markdown = "\n\n".join(block.markdown() for block in blocks)
    spans = Linker(NAMES, LinkRules(first_mention_only=False)).link(blocks, "")
    refs = []

    def make_term_ref(target, children):
        ref = nodes.inline("", "", *children, classes=["term-ref"])
        refs.append(ref)
        return ref

    render_markdown(markdown, spans, make_term_ref)
    assert len(refs) == len(spans), (markdown, spans)
    for ref in refs:
        parent = ref.parent
        while parent is not None:
            assert not isinstance(parent, _NOT_PROSE_NODES), (markdown, ref)
            parent = parent.parent


@settings(max_examples=300)
@given(st.lists(MARKDOWNISH, min_size=1, max_size=4))
def test_blocks_read_alone_give_the_regions_of_the_whole(texts):
    from glossweave.core.linker import unlinkable_regions
    from glossweave.core.markdown import Document

    blocks = [para(text) for text in texts]
    whole = Document("\n\n".join(block.markdown() for block in blocks))
    assert list(unlinkable_regions(blocks)) == list(unlinkable_regions(blocks, whole))
