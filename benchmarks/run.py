"""`make bench`: build synthetic glossaries of N entries and compare them with plain Sphinx.

For each size N (default 1,000, 4,000, 16,000) it writes a seeded synthetic
corpus and measures, in this one run, so that ratios compare like with like:

* the core pipeline alone: stage times, peak RSS, linker throughput (also at
  64,000 entries, and 1,000 vs 64,000 names over the same text);
* the whole job from clean in a throw-away checkout (`benchmarks.wholejob`):
  `make html`, `make latexpdf`, `make epub`, each with time, peak RSS, output
  size and phases (Sphinx's, each LaTeX pass, the index, the ePub zip), and
  the PDF's pages;
* `make html` again (after the book, whose letter pages differ from the
  site's), then a no-op `make html` and one after editing one entry;
* with `--jobs 1,auto`, also a clean HTML build at -j 1;
* the plain-Sphinx baseline of the same content: HTML, the LaTeX builder
  (.tex), the ePub builder, and (up to `--plain-pdf-max` entries) the PDF
  made from its .tex by the same latexmk.

Everything is built in `<out>/work`, never in docs/; `<out>/results.json` holds
every figure, `<out>/summary.md` the tables printed at the end.
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
from benchmarks.projects import checkout_project, plain_project, site_project
from benchmarks.timing import run_measured, write_json
from benchmarks.tooltrace import install_shims, read_trace, trace_phases
from benchmarks.wholejob import TARGETS as JOB_TARGETS
from benchmarks.wholejob import add_outputs, count_pages, make_env, run_target, whole_job
from glossweave.core.pipeline import build_glossary

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SPHINX_ARGS = ["-b", "html", "-c", ".", "docs", "_build/html", "-d", "_build/doctrees", "-n", "--keep-going"]
#: The plain book: the LaTeX builder, then the ePub builder on the same environment (as our book's are).
PLAIN_BOOK_ARGS = {
    builder: ["-b", builder, "-c", ".", "docs", f"_build/{builder}", "-d", "_build/doctrees-book", "-n", "--keep-going"]
    for builder in ("latex", "epub")
}
#: How `make latexpdf` runs latexmk, for the plain baseline's PDF.
LATEXMKOPTS = "-interaction=nonstopmode -halt-on-error"

#: Targets of issues 5 and 14 (ratios within one run).
TARGETS = {
    "whole_job_at_4000_s": 300.0,
    "whole_job_at_16000_s": 900.0,
    "whole_job_memory_at_16000_mib": 2048.0,
    "clean_vs_plain_at_4000": 1.0,
    "per_entry_cost_16000_vs_1000": 1.25,
    "edit_rebuild_at_4000_s": 5.0,
    "edit_vs_noop_at_4000": 2.0,
    "pipeline_at_64000_s": 10.0,
    "pipeline_rss_at_64000_mib": 1024.0,
    "html_rss_at_16000_mib": 2048.0,
}


def sphinx(project: Path, jobs: str, label: str, logs: Path, args: list[str] = SPHINX_ARGS) -> dict:
    """One sphinx-build in `project` through the phase-timing driver."""
    phases = logs / f"{label}.phases.json"
    log = logs / f"{label}.log"
    command = [PYTHON, "-m", "benchmarks.sphinx_build", str(phases), *args, "-j", jobs]
    result = run_measured(command, project, env={"PYTHONPATH": str(ROOT)}, log=log)
    if result["exit"] != 0:
        raise SystemExit(f"sphinx-build failed ({label}); see {log}")
    result["phases_s"] = json_load(phases)["phases_s"]
    return report_build(result, label, log)


def report_build(result: dict, label: str, log: Path) -> dict:
    """Split our pipeline from Sphinx's time, count warnings, print one line."""
    ours = sum(v for k, v in result.get("phases_s", {}).items() if k.startswith("glossary."))
    result["pipeline_s"] = round(ours, 3)
    result["sphinx_only_s"] = round(result["wall_s"] - ours, 3)
    result["warnings"] = sum("WARNING" in line for line in log.read_text(encoding="utf-8", errors="replace").splitlines())
    print(f"  {label:<28} {result['wall_s']:8.1f} s  {result['rss_mib']:7.0f} MiB  (pipeline {ours:.1f} s)", flush=True)
    return result


def make_html(project: Path, label: str, logs: Path) -> dict:
    """`make html` in a checkout (a no-op or incremental rebuild), measured like the whole job's."""
    result = run_target(project, "html", label, logs)
    if result["exit"] != 0:
        raise SystemExit(f"make html failed ({label}); see {result['log']}")
    return report_build(result, label, Path(result["log"]))


def plain_pdf(latex_dir: Path, logs: Path) -> dict:
    """The plain baseline's PDF from its .tex: Sphinx's own latex Makefile and latexmk, as ours."""
    trace = logs / "plain-pdf.trace.jsonl"
    trace.unlink(missing_ok=True)
    env = make_env(install_shims(logs.parent / "shims"), trace)
    command = ["make", "--no-print-directory", "-C", str(latex_dir), "all-pdf", f"LATEXMKOPTS={LATEXMKOPTS}"]
    result = run_measured(command, latex_dir, env=env, log=logs / "plain-pdf.log", replace_env=True, sample_tree=True)
    result["tools"] = trace_phases(read_trace(trace))
    pdfs = sorted(latex_dir.glob("*.pdf"))
    result["pdf_pages"] = count_pages(pdfs[0]) if pdfs else None
    print(f"  {'plain pdf (latexmk)':<28} {result['wall_s']:8.1f} s  {result['rss_mib']:7.0f} MiB  {result['pdf_pages']} pages", flush=True)
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
    project = checkout_project(here / "site", corpus)
    result["job"] = whole_job(project, logs)
    result["site_jauto"] = report_build(result["job"]["html"], "site clean (make html)", Path(result["job"]["html"]["log"]))
    # The book's letter pages carry toctrees the site's do not, so the first `make html`
    # after the book re-emits and re-reads them: measured, then the real no-op.
    result["html_after_book"] = make_html(project, "site after the book", logs)
    result["noop_jauto"] = make_html(project, "site no-op", logs)
    edit_one_entry(project / "docs" / "corpus", 1)
    result["edit_jauto"] = make_html(project, "site edit one entry", logs)
    shutil.rmtree(project)
    if "1" in args.jobs:
        project = site_project(here / "site-j1", corpus)
        result["site_j1"] = sphinx(project, "1", "site clean -j 1", logs)
        shutil.rmtree(project)
    if count > args.plain_max:
        return result
    glossary = build_glossary(corpus)
    plain = plain_project(here / "plain", glossary)
    for jobs in args.jobs:
        shutil.rmtree(plain / "_build", ignore_errors=True)
        result[f"plain_j{jobs}"] = sphinx(plain, jobs, f"plain clean -j {jobs}", logs)
    shutil.rmtree(plain)
    book = plain_project(here / "plain-book", glossary, book=True)
    result["plain_latex"] = sphinx(book, "auto", "plain latex (.tex)", logs, PLAIN_BOOK_ARGS["latex"])
    if count <= args.plain_pdf_max:
        result["plain_pdf"] = plain_pdf(book / "_build" / "latex", logs)
    result["plain_epub"] = sphinx(book, "auto", "plain epub", logs, PLAIN_BOOK_ARGS["epub"])
    add_outputs(result["plain_epub"], book, "epub")
    shutil.rmtree(book)
    for jobs in args.jobs:
        result[f"ratio_j{jobs}"] = round(result[f"site_j{jobs}"]["wall_s"] / result[f"plain_j{jobs}"]["wall_s"], 3)
    result["ratios"] = job_ratios(result)
    return result


def job_ratios(result: dict) -> dict[str, float]:
    """The whole job against plain Sphinx on the same content, target by target (same run)."""
    job, ratios = result["job"], {}
    ratios["html"] = job["html"]["wall_s"] / result["plain_jauto"]["wall_s"]
    ratios["latex_writer"] = job["latexpdf"]["sphinx_s"] / result["plain_latex"]["wall_s"]
    ratios["epub"] = job["epub"]["wall_s"] / result["plain_epub"]["wall_s"]
    if "plain_pdf" in result:
        plain_latexpdf = result["plain_latex"]["wall_s"] + result["plain_pdf"]["wall_s"]
        ratios["latexpdf"] = job["latexpdf"]["wall_s"] / plain_latexpdf
        plain_job = result["plain_jauto"]["wall_s"] + plain_latexpdf + result["plain_epub"]["wall_s"]
        ratios["whole_job"] = job["total_s"] / plain_job
        ratios["publish"] = job["publish"]["wall_s"] / plain_job
    return {name: round(value, 3) for name, value in ratios.items()}


def evaluate(results: dict[int, dict], main_jobs: str) -> dict[str, dict]:
    """Each target of issue 5 that this run measured: value, limit, met."""
    found = {}

    def add(name: str, value: float | None) -> None:
        if value is not None:
            found[name] = {"value": round(value, 3), "limit": TARGETS[name], "met": value <= TARGETS[name]}

    site = {n: r[f"site_j{main_jobs}"] for n, r in results.items() if f"site_j{main_jobs}" in r}
    jobs = {n: r["job"] for n, r in results.items() if "job" in r}
    # the whole job as a hosted build runs it: `make publish` (.readthedocs.yaml)
    if 4000 in jobs:
        add("whole_job_at_4000_s", jobs[4000]["publish"]["wall_s"])
    if 16000 in jobs:
        add("whole_job_at_16000_s", jobs[16000]["publish"]["wall_s"])
        # what the build's processes hold together: PSS, each page shared after fork counted once
        add("whole_job_memory_at_16000_mib", jobs[16000]["tree_pss_mib"])
    if 4000 in site and f"ratio_j{main_jobs}" in results[4000]:
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


def job_table(results: dict[int, dict]) -> str:
    """The whole job (clean, one target after another) as the README shows it."""
    head = [
        "entries",
        "make html s (× plain)",
        "make latexpdf s: Sphinx + passes + index (× plain)",
        "PDF pages",
        "make epub s (× plain)",
        "one after another s (× plain)",
        "make publish s (× plain)",
        "peak RSS MiB (tree RSS, tree PSS)",
        "no-op / edit s",
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def ratio(r: dict, name: str) -> str:
        return f" ({r['ratios'][name]:.2f}×)" if name in r.get("ratios", {}) else ""

    for count, r in sorted(results.items()):
        if "job" not in r:
            continue
        job, pdf = r["job"], r["job"]["latexpdf"]
        passes = f"{pdf.get('sphinx_s', 0):.0f} + {pdf['latex_passes']}×{pdf['latex_s'] / max(pdf['latex_passes'], 1):.0f} + {pdf['index_s']:.0f}"
        cells = [
            f"{count:,}",
            f"{job['html']['wall_s']:.1f}{ratio(r, 'html')}",
            f"{pdf['wall_s']:.1f}: {passes}{ratio(r, 'latexpdf')}",
            f"{pdf.get('pdf_pages')}",
            f"{job['epub']['wall_s']:.1f}{ratio(r, 'epub')}",
            f"{job['total_s']:.1f}{ratio(r, 'whole_job')}",
            f"**{job['publish']['wall_s']:.1f}**{ratio(r, 'publish')}",
            f"{job['rss_mib']:.0f} ({job['tree_rss_mib']:.0f}, {job['tree_pss_mib']:.0f})",
            f"{r['noop_jauto']['wall_s']:.1f} / {r['edit_jauto']['wall_s']:.1f}",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


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
            plain = [f"{r[f'plain_j{j}']['wall_s']:.1f}", f"{r[f'ratio_j{j}']:.2f}×"] if f"plain_j{j}" in r else ["–", "–"]
            cells += [f"{s['wall_s']:.1f} ({s['pipeline_s']:.1f} / {s['sphinx_only_s']:.1f})", *plain]
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
        "job_table": job_table(results),
        "job_targets": list(JOB_TARGETS),
        "link_mb_per_s_by_names": scaling["link_mb_per_s_by_names"],
        "total_s": round(time.perf_counter() - started, 1),
    }
    write_json(args.out / "results.json", report)
    (args.out / "summary.md").write_text(summary(report), encoding="utf-8")
    return report


def summary(report: dict) -> str:
    """The readable report: both tables and every target, met or missed."""
    lines = ["# make bench", "", "## Whole job (clean, one target after another)", "", report["job_table"], ""]
    lines += ["## HTML and pipeline", "", report["table"], "", "## Targets", ""]
    for name, target in report["targets"].items():
        lines.append(f"- {'met' if target['met'] else 'MISSED'} {name}: {target['value']} (limit {target['limit']})")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,4000,16000", help="sizes built with Sphinx")
    parser.add_argument("--pipeline-sizes", default="64000", help="extra sizes run through the pipeline only")
    parser.add_argument("--jobs", default="auto", help="-j values of the clean HTML builds (auto: make html's); 1 adds -j 1")
    parser.add_argument("--plain-max", type=int, default=10**9, help="largest size built by plain Sphinx too (ratios need it)")
    parser.add_argument("--plain-pdf-max", type=int, default=4000, help="largest size whose plain baseline is also made a PDF")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bench")
    args = parser.parse_args()
    args.out = args.out.resolve()  # the builds run in their own project folders, and write their phases here
    args.sizes = [int(n) for n in args.sizes.split(",") if n]
    args.jobs = sorted(set(args.jobs.split(",")) | {"auto"}, key=lambda jobs: jobs == "auto")  # `make html`'s last
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
    print("\n" + report["job_table"] + "\n\n" + report["table"] + "\n")
    for name, target in report["targets"].items():
        print(f"{'met   ' if target['met'] else 'MISSED'} {name}: {target['value']} (limit {target['limit']})")
    print(f"\nlink MB/s by number of names, same text: {scaling['link_mb_per_s_by_names']}")
    print(f"written {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
