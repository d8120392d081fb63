"""Hand-written dumps for the identity tests: every header form, in both layouts.

The entries are written for these tests in the corpus's styles (not copied from
it).  `as_lines` gives a line dump; `as_page` the scraped page: chrome, then for
each entry its header, a blank line and the whole body flattened onto one line.
`EXPECTED` says, by hand, what each concept must come out as.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTRIES: list[tuple[str, list[str]]] = [
    # spaced `term, category`
    ("cache coherence, hardware", [
        "**Cache Coherence** is the **guarantee that every core observes one order of writes to a shared line** - snooping or directories enforce it.",
        "- **Snooping**: each cache watches the bus.",
        "- **Directories**: a table records which caches hold a line.",
    ]),
    # spaced `term, alias, category`: an initialism, and a middle part that is no alias
    ("tensor processing unit, tpu, hardware", [
        "**Tensor Processing Unit** is an **accelerator built around a systolic matrix unit** - it trades flexibility for dense throughput.",
        "- **Matrix unit**: a grid of multiply-accumulate cells.",
    ]),
    ("l3 cache, l3, hardware", [
        "**L3 cache** is the **last on-die cache level, shared by all cores** - it absorbs misses before memory.",
    ]),
    # compact keyword list: none of its parts is a name or a category
    ("vector store hosting,managed,serverless,cloud,retrieval", [
        "**Vector Store Hosting** is a **managed service that keeps embedding indexes online for similarity search** - teams rent it instead of running their own index servers.",
        "- **Scaling**: shards grow with the collection.",
    ]),
    # compact: the title split at every space, capitals kept, then keywords
    ("flash,decoding,kernels,CUDA,warp,scheduling", [
        "**Flash Decoding Kernels** are **GPU kernels that split the key-value sequence across thread blocks during generation** - long prompts decode without idle cores.",
        "- **Split**: each block reduces a slice of the sequence.",
    ]),
    # compact `X (Y),y,x,category`: both halves are aliases, the last part a category the corpus uses
    ("state space model (ssm),ssm,state space model,llm architecture", [
        "**State Space Model (SSM)** is a **sequence layer that evolves a hidden state with learned linear dynamics** - its cost grows linearly with length.",
    ]),
    # the body gives another name as equivalent; the header's other parts are keywords
    ("weight tying,embedding sharing,output projection,regularization", [
        "**Weight Tying** (also known as **parameter sharing**) is the **reuse of one embedding matrix for the input tokens and the output projection** - it saves parameters.",
    ]),
    # `**X** (Y)` in the first sentence: the acronym's expansion
    ("gelu, activation functions", [
        "**GELU** (Gaussian Error Linear Unit) is an **activation that weights each input by the normal distribution's probability of it** - smooth where ReLU bends.",
    ]),
    # no bold name: the header term as the body writes it, acronyms kept
    ("moe routing, llm architecture", [
        "MoE routing sends each token to the few experts whose gate scores are highest, so compute per token stays flat as experts are added.",
    ]),
    # a lower-case header over a body that names the term otherwise
    ("rlhf reward model,preference data,pairwise ranking,llm training", [
        "**RLHF Reward Model** is a **network trained on human preference pairs to score model outputs** - the policy is then tuned to raise its score.",
    ]),
    # a different article under a header whose first part is another term's name
    ("speculative sampling,vllm,tgi,serving", [
        "**LLM Serving Engines**",
        "**vLLM** pages the key-value cache; **TGI** batches requests continuously.",
        "- **Throughput**: both batch many prompts at once.",
    ]),
    # copies of one concept under different headers: one term, the text twice
    ("speculative sampling, llm inference", [
        "**Speculative Sampling** is a **decoding method where a small draft model proposes tokens that the large model verifies in one pass** - accepted tokens come almost for free.",
        "- **Draft**: a cheap model guesses several tokens.",
        "- **Verify**: the large model keeps the longest agreeing prefix.",
    ]),
    ("speculative sampling overview,draft model,token verification", [
        "**Speculative Sampling** is **generation that lets a cheap draft model run ahead while the target model checks its guesses in parallel** - latency drops when the guesses are good.",
    ]),
    ("speculative sampling, llm inference", [
        "**Speculative Sampling** is a **decoding method where a small draft model proposes tokens that the large model verifies in one pass** - accepted tokens come almost for free.",
        "- **Draft**: a cheap model guesses several tokens.",
        "- **Verify**: the large model keeps the longest agreeing prefix.",
    ]),
    # `X` and `X (Y)` are one concept
    ("rotary position embedding, llm architecture", [
        "**Rotary Position Embedding** is the **encoding of token positions as rotations of query and key vectors** - relative offsets fall out of the dot product.",
    ]),
    ("rotary position embedding (rope),rope,neural architecture", [
        "**Rotary Position Embedding (RoPE)** rotates each pair of feature dimensions by an angle that grows with the position.",
    ]),
    # one word more: a near-duplicate kept apart
    ("rotary position embedding scaling, llm architecture", [
        "**Rotary Position Embedding Scaling** is the **stretching of rotation frequencies so a model reads contexts longer than it was trained on** - interpolation keeps angles in range.",
    ]),
]

#: The chrome a scraped page carries above its entries (the reader drops and reports it).
CHROME = ["← Back to Example Chat", "", "Example Glossary", "", "217 technical terms and definitions", "",
          "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z All", "Showing page 2 of 11 (217 entries)", ""]


def as_lines(entries: list[tuple[str, list[str]]] = ENTRIES) -> str:
    return "".join(f"{header}\n" + "".join(f"{line}\n" for line in body) for header, body in entries)


def as_page(entries: list[tuple[str, list[str]]] = ENTRIES) -> str:
    parts = list(CHROME)
    for header, body in entries:
        parts += [header, "", " ".join(body), ""]
    return "\n".join(parts)


@dataclass
class Expected:
    name: str
    aliases: set[str] = field(default_factory=set)
    keywords: set[str] = field(default_factory=set)
    categories: list[str] = field(default_factory=list)


EXPECTED = [
    Expected("Cache Coherence", categories=["hardware"]),
    Expected("Tensor Processing Unit", aliases={"TPU"}, categories=["hardware"]),
    Expected("L3 cache", keywords={"l3"}, categories=["hardware"]),
    Expected("Vector Store Hosting", keywords={"managed", "serverless", "cloud", "retrieval"}, categories=["general"]),
    Expected("Flash Decoding Kernels", keywords={"CUDA", "warp", "scheduling"}, categories=["general"]),
    Expected("State Space Model (SSM)", aliases={"SSM", "State Space Model"}, categories=["architecture"]),
    # "regularization" is no category anywhere in this corpus: a keyword
    Expected(
        "Weight Tying",
        aliases={"parameter sharing"},
        keywords={"embedding sharing", "output projection", "regularization"},
        categories=["general"],
    ),
    Expected("GELU", aliases={"Gaussian Error Linear Unit"}, categories=["activation functions"]),
    Expected("MoE routing", categories=["architecture"]),
    Expected(
        "RLHF Reward Model", keywords={"preference data", "pairwise ranking", "llm training"}, categories=["general"]
    ),
    Expected("LLM Serving Engines", keywords={"speculative sampling", "vllm", "tgi", "serving"}, categories=["general"]),
    Expected(
        "Speculative Sampling",
        keywords={"speculative sampling overview", "draft model", "token verification"},
        categories=["llm inference"],
    ),
    # the fuller name wins; "llm architecture" and "neural architecture" are one category
    Expected(
        "Rotary Position Embedding (RoPE)", aliases={"Rotary Position Embedding", "RoPE"}, categories=["architecture"]
    ),
    Expected("Rotary Position Embedding Scaling", categories=["architecture"]),
]
