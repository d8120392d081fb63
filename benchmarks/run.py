"""`make bench`: build synthetic glossaries of N entries and compare them with plain Sphinx.

For each size N (default 1,000, 4,000, 16,000) it writes a seeded synthetic
corpus and measures, in this one run, so that ratios compare like with like:

* the core pipeline alone: stage times, peak RSS, linker throughput (also at
  64,000 entries, and 1,000 vs 64,000 names over the same text);
* a clean HTML build of our site at -j 1 and -j auto: wall time, peak RSS,
  our pipeline+emitter vs Sphinx, and Sphinx's phases;
* a no-op rebuild and a rebuild after editing one entry (both -j values);
* the plain-Sphinx baseline of the same content at the same -j values.

Everything is built in `<out>/work`, never in docs/; `<out>/results.json` holds
every figure and the table printed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

from benchmarks.corpus import edit_one_entry, load_templates, write_corpus
from benchmarks.projects import plain_project, site_project
from benchmarks.timing import run_measured, write_json
from glossweave.core.pipeline import build_glossary

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SPHINX_ARGS = ["-b", "html", "-c", ".", "docs", "_build/html", "-d", "_build/doctrees", "-n", "--keep-going"]

#: Targets of issue 5 (ratios within one run).
TARGETS = {
    "clean_vs_plain_at_4000": 1.0,
    "per_entry_cost_16000_vs_1000": 1.25,
    "edit_rebuild_at_4000_s": 5.0,
    "edit_vs_noop_at_4000": 2.0,
    "pipeline_at_64000_s": 10.0,
    "pipeline_rss_at_64000_mib": 1024.0,
    "html_rss_at_16000_mib": 2048.0,
}


def sphinx(project: Path, jobs: str, label: str, logs: Path) -> dict:
    """One sphinx-build in `project` through the phase-timing driver."""
    phases = logs / f"{label}.phases.json"
    log = logs / f"{label}.log"
    command = [PYTHON, "-m", "benchmarks.sphinx_build", str(phases), *SPHINX_ARGS, "-j", jobs]
    result = run_measured(command, project, env={"PYTHONPATH": str(ROOT)}, log=log)
    if result["exit"] != 0:
        raise SystemExit(f"sphinx-build failed ({label}); see {log}")
    details = json_load(phases)
    result["phases_s"] = details["phases_s"]
    ours = sum(v for k, v in details["phases_s"].items() if k.startswith("glossary."))
    result["pipeline_s"] = round(ours, 3)
    result["sphinx_s"] = round(result["wall_s"] - ours, 3)
    result["warnings"] = sum("WARNING" in line for line in log.read_text(encoding="utf-8", errors="replace").splitlines())
    print(f"  {label:<28} {result['wall_s']:8.1f} s  {result['rss_mib']:7.0f} MiB  (pipeline {ours:.1f} s)", flush=True)
    return result


def json_load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def pipeline_only(corpus: Path, out: Path, scaling: str | None) -> dict:
    command = [PYTHON, "-m", "benchmarks.pipeline_bench", str(corpus), str(out)]
    if scaling:
        command += ["--scaling-names", scaling]
    result = run_measured(command, ROOT, env={"PYTHONPATH": str(ROOT)})
    if result["exit"] != 0:
        raise SystemExit(f"pipeline benchmark failed on {corpus}")
    details = json_load(out)
    details["process_wall_s"], details["rss_mib"] = result["wall_s"], result["rss_mib"]
    print(
        f"  pipeline                     {details['total_s']:8.1f} s  {details['rss_mib']:7.0f} MiB  "
        f"(link {details['link_mb_per_s']:.1f} MB/s over {details['text_mb']:.1f} MB)",
        flush=True,
    )
    return details


def bench_size(count: int, args, templates, work: Path) -> dict:
    """Every measurement for one corpus size (see the module docstring)."""
    print(f"N = {count:,}", flush=True)
    here = work / str(count)
    shutil.rmtree(here, ignore_errors=True)
    logs = here / "logs"
    logs.mkdir(parents=True)
    corpus = here / "corpus"
    write_corpus(corpus, count, args.seed, templates)
    result: dict = {"entries": count, "pipeline": pipeline_only(corpus, logs / "pipeline.json", None)}
    if count not in args.sizes:
        return result
    for jobs in args.jobs:
        project = site_project(here / "site", corpus)
        result[f"site_j{jobs}"] = sphinx(project, jobs, f"site clean -j {jobs}", logs)
    # The tree of the last clean build (-j auto, as `make html`) is rebuilt in place.
    for round_, jobs in enumerate(args.jobs, start=1):
        result[f"noop_j{jobs}"] = sphinx(project, jobs, f"site no-op -j {jobs}", logs)
        edit_one_entry(project / "docs" / "corpus", round_)
        result[f"edit_j{jobs}"] = sphinx(project, jobs, f"site edit one entry -j {jobs}", logs)
    shutil.rmtree(project)
    plain = plain_project(here / "plain", build_glossary(corpus))
    for jobs in args.jobs:
        shutil.rmtree(plain / "_build", ignore_errors=True)
        result[f"plain_j{jobs}"] = sphinx(plain, jobs, f"plain clean -j {jobs}", logs)
    shutil.rmtree(plain)
    for jobs in args.jobs:
        result[f"ratio_j{jobs}"] = round(result[f"site_j{jobs}"]["wall_s"] / result[f"plain_j{jobs}"]["wall_s"], 3)
    return result


def evaluate(results: dict[int, dict], main_jobs: str) -> dict[str, dict]:
    """Each target of issue 5 that this run measured: value, limit, met."""
    found = {}

    def add(name: str, value: float | None) -> None:
        if value is not None:
            found[name] = {"value": round(value, 3), "limit": TARGETS[name], "met": value <= TARGETS[name]}

    site = {n: r[f"site_j{main_jobs}"] for n, r in results.items() if f"site_j{main_jobs}" in r}
    if 4000 in site:
        add("clean_vs_plain_at_4000", results[4000][f"ratio_j{main_jobs}"])
        add("edit_rebuild_at_4000_s", results[4000][f"edit_j{main_jobs}"]["wall_s"])
        add("edit_vs_noop_at_4000", results[4000][f"edit_j{main_jobs}"]["wall_s"] / results[4000][f"noop_j{main_jobs}"]["wall_s"])
    if 1000 in site and 16000 in site:
        add("per_entry_cost_16000_vs_1000", (site[16000]["wall_s"] / 16000) / (site[1000]["wall_s"] / 1000))
    if 16000 in site:
        add("html_rss_at_16000_mib", max(results[16000][f"site_j{j}"]["rss_mib"] for j in ("1", main_jobs) if f"site_j{j}" in results[16000]))
    if 64000 in results:
        add("pipeline_at_64000_s", results[64000]["pipeline"]["total_s"])
        add("pipeline_rss_at_64000_mib", results[64000]["pipeline"]["rss_mib"])
    return found


def table(results: dict[int, dict], jobs: list[str]) -> str:
    """The Markdown table `make bench` prints (and the README shows)."""
    head = ["entries", "pipeline s (RSS MiB)", "link MB/s"]
    for j in jobs:
        head += [f"site -j {j} s (ours / Sphinx)", f"plain -j {j} s", f"ratio -j {j}"]
    head += ["no-op s", "edit one s", "site RSS MiB"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for count, r in sorted(results.items()):
        p = r["pipeline"]
        cells = [f"{count:,}", f"{p['total_s']:.1f} ({p['rss_mib']:.0f})", f"{p['link_mb_per_s']:.1f}"]
        if f"site_j{jobs[-1]}" not in r:
            rows.append("| " + " | ".join(cells + ["–"] * (len(head) - 3)) + " |")
            continue
        for j in jobs:
            s = r[f"site_j{j}"]
            cells += [f"{s['wall_s']:.1f} ({s['pipeline_s']:.1f} / {s['sphinx_s']:.1f})", f"{r[f'plain_j{j}']['wall_s']:.1f}", f"{r[f'ratio_j{j}']:.2f}×"]
        last = jobs[-1]
        cells += [f"{r[f'noop_j{last}']['wall_s']:.1f}", f"{r[f'edit_j{last}']['wall_s']:.1f}", f"{max(r[f'site_j{j}']['rss_mib'] for j in jobs):.0f}"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def write_report(results: dict[int, dict], scaling: dict, args, started: float) -> dict:
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "seed": args.seed,
        "jobs": args.jobs,
        "results": {str(n): r for n, r in results.items()},
        "targets": evaluate(results, args.jobs[-1]),
        "table": table(results, args.jobs),
        "link_mb_per_s_by_names": scaling["link_mb_per_s_by_names"],
        "total_s": round(time.perf_counter() - started, 1),
    }
    write_json(args.out / "results.json", report)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,4000,16000", help="sizes built with Sphinx")
    parser.add_argument("--pipeline-sizes", default="64000", help="extra sizes run through the pipeline only")
    parser.add_argument("--jobs", default="1,auto", help="-j values of the clean builds; the last one is rebuilt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench")
    args = parser.parse_args()
    args.out = args.out.resolve()  # the builds run in their own project folders, and write their phases here
    args.sizes = [int(n) for n in args.sizes.split(",") if n]
    args.jobs = args.jobs.split(",")
    extra = [int(n) for n in args.pipeline_sizes.split(",") if n]
    templates = load_templates()
    started = time.perf_counter()
    scaling_corpus = args.out / "work" / "link-scaling"
    write_corpus(scaling_corpus, 1000, args.seed, templates)
    scaling = pipeline_only(scaling_corpus, args.out / "work" / "link-scaling.json", "1000,64000")
    results: dict[int, dict] = {}
    # Pipeline-only sizes first: they are quick, and a long run is saved after every size.
    for count in sorted(set(extra) - set(args.sizes)) + sorted(args.sizes):
        results[count] = bench_size(count, args, templates, args.out / "work")
        write_report(results, scaling, args, started)
    report = write_report(results, scaling, args, started)
    print("\n" + report["table"] + "\n")
    for name, target in report["targets"].items():
        print(f"{'met   ' if target['met'] else 'MISSED'} {name}: {target['value']} (limit {target['limit']})")
    print(f"\nlink MB/s by number of names, same text: {scaling['link_mb_per_s_by_names']}")
    print(f"written {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
