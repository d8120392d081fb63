"""The core pipeline alone (no Sphinx): stage timings, linker throughput, link scaling.

Run as a subprocess by `benchmarks.run` so that its peak RSS is its own:
    python -m benchmarks.pipeline_bench CORPUS_DIR OUT.json [--scaling-names 1000,64000]

Stages are the functions `build_glossary` calls (wrapped, not re-implemented).
`--scaling-names` links the SAME text (this corpus's senses) with linkers of
1,000 and 64,000 names; the corpus's own names are always among them, so both
find the same mentions and only the automaton's size differs.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from benchmarks.corpus import load_templates, unique_names
from benchmarks.timing import self_peak_rss_mib, timed_calls, write_json
from glossweave.core import pipeline
from glossweave.core.linker import Linker, measure_throughput
from glossweave.core.slug import base_slug

STAGES = ("read_dumps", "normalize_dumps", "identify_entries", "merge_entries", "link_terms")


def cpu_seconds() -> dict[str, float]:
    """CPU time so far of this process, and of its children once reaped (the pipeline's workers)."""
    main, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"main": main.ru_utime + main.ru_stime, "workers": workers.ru_utime + workers.ru_stime}


def stage_timings(corpus_dir: Path) -> tuple[dict, pipeline.Glossary]:
    """Wall seconds of the run and of each stage, and CPU seconds of the run.

    On a shared machine wall time also says how busy the others were; CPU time
    is what to compare between runs.
    """
    with timed_calls(pipeline, STAGES) as stages:
        started, started_cpu = time.perf_counter(), cpu_seconds()
        glossary = pipeline.build_glossary(corpus_dir)
        total, cpu = time.perf_counter() - started, cpu_seconds()
    return {
        "total_s": round(total, 3),
        "stages_s": {name: round(seconds, 3) for name, seconds in stages.items()},
        "cpu_s": {side: round(seconds - started_cpu[side], 3) for side, seconds in cpu.items()},
        "terms": len(glossary.terms),
        "balances": glossary.balances(),
    }, glossary


def link_scaling(glossary: pipeline.Glossary, name_counts: list[int]) -> dict[str, float]:
    """MB/s over the same senses for linkers of each size in `name_counts`."""
    own, _ = pipeline.link_names(glossary.terms)
    senses = [sense.entry.blocks for term in glossary.terms for sense in term.senses]
    filler = [key for _, key, _ in unique_names(load_templates(), max(name_counts), seed=1)]
    own_keys = {name.casefold() for name, _ in own}
    filler = [key for key in filler if key not in own_keys]
    result = {}
    for count in name_counts:
        extra = [(key, "x-" + base_slug(key)) for key in filler[: max(0, count - len(own_keys))]]
        linker = Linker(own + extra)
        result[str(len(own_keys) + len(extra))] = round(measure_throughput(linker, senses), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scaling-names", default="", help="comma-separated linker sizes, e.g. 1000,64000")
    args = parser.parse_args()
    result, glossary = stage_timings(args.corpus)
    result["rss_after_pipeline_mib"] = self_peak_rss_mib()
    linker = Linker(pipeline.link_names(glossary.terms)[0])
    senses = [sense.entry.blocks for term in glossary.terms for sense in term.senses]
    result["text_mb"] = round(sum(len(s.markdown.encode()) for t in glossary.terms for s in t.senses) / 1e6, 3)
    result["link_mb_per_s"] = round(measure_throughput(linker, senses), 3)
    if args.scaling_names:
        result["link_mb_per_s_by_names"] = link_scaling(glossary, [int(n) for n in args.scaling_names.split(",")])
    write_json(args.out, result)


if __name__ == "__main__":
    main()
