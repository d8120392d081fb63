"""Deterministic synthetic corpus: N entries written as raw dumps, in both layouts.

Every synthetic entry is a real entry of `docs/corpus` under a new, unique name,
so the benchmark exercises the same text the site meets: damaged LaTeX (the
dumps' stripped backslashes are kept as they are), tables, code fences, bold
headings and bullet lists.  Names combine the real term with a prefix and/or a
suffix word ("Sparse Kalman filter calibration"), each entry mentions a few
other generated names (so the linker and the backlinks have realistic work),
and every fourth dump is a scraped page: chrome at the top, then one flattened
body line per entry with blank lines between, exactly like `002_…txt`.

Nothing here depends on the global random state or on dictionary order of the
environment: one `random.Random(seed)` drives every choice.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from glossweave.core.model import Layout
from glossweave.core.pipeline import build_glossary
from glossweave.core.slug import base_slug

REAL_CORPUS = Path(__file__).resolve().parent.parent / "docs" / "corpus"
ENTRIES_PER_DUMP = 50  # as in the real dumps
FLAT_EVERY = 4  # one dump in four is a scraped page, as in the real corpus

PREFIXES = """
adaptive sparse federated quantized hierarchical causal robust streaming contrastive
latent bayesian cryogenic plasma-assisted wafer-level multimodal distributed
self-supervised differentiable probabilistic low-rank mixed-precision asynchronous
physics-informed elastic speculative reversible stochastic incremental recursive
lightweight modular continual attention-guided kernelized spectral equivariant
in-situ photonic hybrid neuromorphic edge-native cross-lingual energy-aware
fault-tolerant curriculum-driven retrieval-augmented topology-aware
""".split()

SUFFIXES = """
calibration scheduling monitoring estimation alignment profiling inspection routing
compensation screening verification planning auditing tuning sharding caching
tracing forecasting benchmarking regularization pruning fusion recovery mapping
annealing metrology partitioning balancing orchestration diagnostics
""".split()

#: The page chrome of a scraped page, as in `002_…txt` (the reader drops and reports it).
FLAT_CHROME = [
    "← Back to AI Factory Chat",
    "",
    "AI Factory Glossary",
    "",
    "{total:,} technical terms and definitions",
    "",
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z All",
    "Showing page {page} of {pages} ({total:,} entries)",
    "",
]


@dataclass(frozen=True)
class Template:
    """A real entry to re-use: its term, display name, category and raw body lines."""

    key: str  # lower-case header term, parenthesised expansion removed
    display: str
    category: str
    body: tuple[str, ...]  # as in the dump: stripped backslashes and all
    layout: Layout


@dataclass(frozen=True)
class SyntheticEntry:
    key: str
    display: str
    header: str
    body: tuple[str, ...]  # physical lines of a line dump
    template_layout: Layout


def load_templates(corpus_dir: Path = REAL_CORPUS) -> list[Template]:
    """One template per published sense of the real corpus, in the pipeline's order."""
    templates = []
    for term in build_glossary(corpus_dir).terms:
        for sense in term.senses:
            entry = sense.entry
            key = re.sub(r"\s*\([^)]*\)", "", entry.header.term).strip()
            display = re.sub(r"\s*\([^)]*\)", "", entry.display_name).strip() or key
            templates.append(Template(key, display, sense.category, tuple(entry.raw.body), entry.raw.layout))
    return templates


def _name_space(template: Template, rng: random.Random) -> list[tuple[str, str]]:
    """Candidate (key, display) names built on `template`'s term, in a seeded order."""
    names = [(f"{p} {template.key}", f"{p.capitalize()} {template.display}") for p in PREFIXES]
    names += [(f"{template.key} {s}", f"{template.display} {s}") for s in SUFFIXES]
    names += [(f"{p} {template.key} {s}", f"{p.capitalize()} {template.display} {s}") for p in PREFIXES for s in SUFFIXES]
    rng.shuffle(names)
    return names


def unique_names(templates: list[Template], count: int, seed: int, layouts: list[Layout] | None = None):
    """`count` (template index, key, display) triples with unique keys and slugs.

    Entries cycle through the real terms (not their senses: a term with six
    senses would otherwise run out of names six times sooner), then through
    that term's senses allowed for the entry's dump layout (a line dump needs a
    multi-line template; a page takes any).
    """
    rng = random.Random(f"names-{seed}")
    groups: dict[str, list[int]] = {}
    for index, template in enumerate(templates):
        groups.setdefault(template.key, []).append(index)
    spaces = {key: _name_space(templates[members[0]], rng) for key, members in groups.items()}
    cursors = dict.fromkeys(groups, 0)
    line_keys = [key for key, members in groups.items() if any(templates[i].layout is Layout.LINES for i in members)]
    all_keys = list(groups)
    used: set[str] = set()
    chosen = []
    for index in range(count):
        lines_only = bool(layouts) and layouts[index] is Layout.LINES
        pool = line_keys if lines_only else all_keys
        term = pool[index % len(pool)]
        options = [i for i in groups[term] if not lines_only or templates[i].layout is Layout.LINES]
        template = options[(index // len(pool)) % len(options)]
        while True:
            if cursors[term] >= len(spaces[term]):
                raise ValueError(f"name space of {term!r} exhausted at {index} entries")
            key, display = spaces[term][cursors[term]]
            cursors[term] += 1
            slug = base_slug(key)
            if key not in used and slug not in used:
                used.update((key, slug))
                chosen.append((template, key, display))
                break
    return chosen


def dump_layouts(count: int) -> list[Layout]:
    """The layout of each entry's dump: every FLAT_EVERY-th dump is a scraped page."""
    return [
        Layout.FLAT if (index // ENTRIES_PER_DUMP) % FLAT_EVERY == FLAT_EVERY - 1 else Layout.LINES
        for index in range(count)
    ]


def _renamer(template: Template, display: str):
    """Replace the template's own name (display or key, whole words, any case) by `display`."""
    names = sorted({template.display, template.key}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.IGNORECASE)
    return lambda line: pattern.sub(lambda _m: display, line)


def generate_entries(count: int, seed: int = 0, templates: list[Template] | None = None) -> list[SyntheticEntry]:
    """The `count` synthetic entries for `seed` (see the module docstring)."""
    templates = templates if templates is not None else load_templates()
    layouts = dump_layouts(count)
    names = unique_names(templates, count, seed, layouts)
    rng = random.Random(f"mentions-{seed}")
    entries = []
    for template_index, key, display in names:
        template = templates[template_index]
        rename = _renamer(template, display)
        body = [rename(line) for line in template.body]
        if display not in body[0]:
            # "Laser annealing uses …" names its term only through an inflection,
            # which a prefixed name no longer matches: open with the name, as most entries do.
            body[0] = f"**{display}**: {body[0]}"
        others = [names[rng.randrange(count)] for _ in range(5)]
        mention = [o[2] if rng.random() < 0.5 else o[1] for o in others if o[1] != key]
        if mention:
            body[0] += f" It builds on {mention[0]} and is often compared with {mention[-1]}."
        if len(mention) > 2:
            related = f"- **Related Methods**: {', '.join(mention[1:-1])}."
            # After the opening line, where a bullet cannot split a table or a code fence.
            body.insert(1, related) if len(body) > 1 else body.append(related)
        spaced = rng.random() < 0.7
        header = f"{key}, {template.category}" if spaced else f"{key},{template.category}"
        entries.append(SyntheticEntry(key, display, header, tuple(body), template.layout))
    return entries


def dump_text(entries: list[SyntheticEntry], layout: Layout, page: int, pages: int, total: int) -> str:
    """One dump: line-structured, or a scraped page with its chrome and flattened bodies."""
    if layout is Layout.LINES:
        return "".join(f"{e.header}\n" + "".join(line + "\n" for line in e.body) for e in entries)
    chrome = "\n".join(line.format(page=page, pages=pages, total=total) for line in FLAT_CHROME)
    return chrome + "\n" + "\n\n".join(f"{e.header}\n\n{' '.join(e.body)}" for e in entries)


def write_corpus(out_dir: Path, count: int, seed: int = 0, templates: list[Template] | None = None) -> list[Path]:
    """Write `count` entries as `NNNNN_synthetic.txt` dumps of ENTRIES_PER_DUMP entries each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.txt"):
        stale.unlink()
    entries = generate_entries(count, seed, templates)
    layouts = dump_layouts(count)
    pages = -(-count // ENTRIES_PER_DUMP)
    paths = []
    for page in range(pages):
        chunk = slice(page * ENTRIES_PER_DUMP, (page + 1) * ENTRIES_PER_DUMP)
        path = out_dir / f"{page:05d}_synthetic.txt"
        path.write_text(dump_text(entries[chunk], layouts[chunk.start], page + 1, pages, count), encoding="utf-8")
        paths.append(path)
    return paths


def edit_one_entry(corpus_dir: Path, round_: int = 1) -> Path:
    """Change one word of one definition in the middle dump (as a maintainer's fix would).

    `round_` makes repeated edits differ, so each one really changes the text.
    """
    dumps = sorted(corpus_dir.glob("*.txt"))
    path = dumps[len(dumps) // 2]
    text = path.read_text(encoding="utf-8")
    edited, found = re.subn(r"\*\* is (?:an? |the )?\*\*", f"** is (revision {round_}) **", text, count=1)
    if not found:
        raise ValueError(f"no definition opening found to edit in {path}")
    path.write_text(edited, encoding="utf-8")
    return path
