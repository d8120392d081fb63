"""The whole publishing job, as a hosted-docs build runs it: `make html`, `make latexpdf`, `make epub`.

Each target runs through the project's own Makefile in a throw-away checkout
(`benchmarks.projects.checkout_project`), from clean, one after another, so
the figures are those of the commands a maintainer types.  Each is measured
for wall time, peak RSS (the largest process, and the sum over the process
tree, sampled) and output size, and split into phases:

* the Sphinx part, through the phase-timing driver (`benchmarks.sphinx_build`,
  passed as the Makefile's SPHINXBUILD): reading, resolving, writing, the
  LaTeX writer's assembly, the ePub's package files and zip;
* every LaTeX tool run (each engine pass, xdvipdfmx, the index), through the
  PATH shims of `benchmarks.tooltrace`, whatever latexmkrc decides to run;
* the PDF's page count, from pdfinfo (poppler-utils).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.timing import run_measured
from benchmarks.tooltrace import ENGINES, TRACE_ENV, engine_log, install_shims, read_trace, trace_phases

ROOT = Path(__file__).resolve().parent.parent
#: The targets of the whole job, each measured from clean, one after another.
TARGETS = ("html", "latexpdf", "epub")
#: The whole job as the hosted build runs it (.readthedocs.yaml): all three targets' outputs at once.
PUBLISH = "publish"
#: Variables an outer `make bench` hands down that would change the inner builds.
_MAKE_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


def pdf_pages(pdfinfo_output: str) -> int | None:
    """The page count in `pdfinfo`'s output (`Pages:          4665`), or None."""
    found = re.search(r"^Pages:\s+(\d+)\s*$", pdfinfo_output, re.MULTILINE)
    return int(found.group(1)) if found else None


_RULE_RUN = re.compile(r"^Run number (\d+) of rule '([^']+)'", re.MULTILINE)
_RULE_TIME = re.compile(r"^'([^']+)': time = ([\d.]+)", re.MULTILINE)


def latexmk_runs(output: str) -> list[dict]:
    """latexmk's own account of what it ran, from its output: each rule run in order.

    `seconds` is filled in when latexmk ran with `-time` (one `'rule': time = s`
    line per run, in the same order); otherwise it is None.  The tool shims
    time every run anyway; this is the cross-check that none ran unseen (an
    engine started by absolute path would escape the shims, not this count).
    """
    runs = [{"rule": rule, "run": int(number), "seconds": None} for number, rule in _RULE_RUN.findall(output)]
    times = _RULE_TIME.findall(output)
    if len(times) == len(runs):
        for run, (rule, seconds) in zip(runs, times):
            if rule == run["rule"]:
                run["seconds"] = float(seconds)
    return runs


def engine_runs_by_document(records: list[dict]) -> dict[str, int]:
    """How many times a TeX engine ran on each document (its .tex file's or job's name)."""
    counts: dict[str, int] = {}
    for record in records:
        if record["tool"] in ENGINES:
            log = engine_log(record["args"], Path("."))
            name = log.stem if log else "?"
            counts[name] = counts.get(name, 0) + 1
    return counts


def count_pages(pdf: Path) -> int | None:
    if shutil.which("pdfinfo") is None:
        return None
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    return pdf_pages(done.stdout) if done.returncode == 0 else None


def tree_bytes(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def make_env(shims: dict[str, str], trace: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _MAKE_ENV}
    env.update(shims)
    env[TRACE_ENV] = str(trace)
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_target(project: Path, target: str, label: str, logs: Path) -> dict:
    """`make <target>` in `project`, measured (see the module docstring)."""
    stem = label.replace(" ", "-")  # a make variable's value: no spaces in the path
    phases_file, trace, log = logs / f"{stem}.phases.json", logs / f"{stem}.trace.jsonl", logs / f"{stem}.log"
    phases_file.unlink(missing_ok=True)
    trace.unlink(missing_ok=True)
    shims = install_shims(logs.parent / "shims")
    driver = f"{sys.executable} -m benchmarks.sphinx_build {phases_file}"
    command = ["make", "--no-print-directory", target, f"SPHINXBUILD={driver}"]
    result = run_measured(command, project, env=make_env(shims, trace), log=log, replace_env=True, sample_tree=True)
    if phases_file.is_file():
        sphinx = json.loads(phases_file.read_text(encoding="utf-8"))
        result["sphinx_s"], result["phases_s"] = sphinx["in_process_s"], sphinx["phases_s"]
    records = read_trace(trace)
    result["tools"] = trace_phases(records)
    engine = [t for t in result["tools"] if t["name"].split()[0] in ENGINES]
    # Passes over the book: the most runs of one document (a formula check before the book is another document).
    result["latex_runs_by_document"] = engine_runs_by_document(records)
    result["latex_passes"] = max(result["latex_runs_by_document"].values(), default=0)
    result["latex_s"] = round(sum(t["seconds"] for t in engine), 3)
    result["index_s"] = round(sum(t["seconds"] for t in result["tools"] if t["name"].split()[0] in ("xindy", "makeindex")), 3)
    result["log"] = str(log)
    result["latexmk_runs"] = latexmk_runs(log.read_text(encoding="utf-8", errors="replace"))
    return result


def add_outputs(result: dict, project: Path, target: str) -> None:
    """Output size (and the PDF's pages) of `target`'s build in `project`."""
    build = project / "_build"
    html = [build / "html"] if target in ("html", PUBLISH) else []
    pdf = sorted((build / "latex").glob("*.pdf")) if target in ("latexpdf", PUBLISH) else []
    epub = sorted((build / "epub").glob("*.epub")) if target in ("epub", PUBLISH) else []
    outputs = [path for path in html + pdf + epub if path.exists()]
    result["output_bytes"] = sum(tree_bytes(path) for path in outputs)
    if pdf:
        result["pdf_pages"] = count_pages(pdf[0])


def whole_job(project: Path, logs: Path) -> dict:
    """Every target of the whole job from clean, one after another, and the job's totals; then `make publish` from clean."""
    job: dict = {}
    for target in (*TARGETS, PUBLISH):
        if target == PUBLISH:
            shutil.rmtree(project / "_build")
        started = time.perf_counter()
        result = run_target(project, target, f"job {target}", logs)
        add_outputs(result, project, target)
        job[target] = result
        print(
            f"  make {target:<10} {result['wall_s']:8.1f} s  {result['rss_mib']:7.0f} MiB "
            f"(tree {result['tree_rss_mib']:.0f}, PSS {result['tree_pss_mib']:.0f})  {result['output_bytes'] / 2**20:7.1f} MB"
            + (f"  {result.get('pdf_pages')} pages, {result['latex_passes']} passes" if target != "html" and "pdf_pages" in result else ""),
            flush=True,
        )
        if result["exit"] != 0:
            raise SystemExit(f"make {target} failed after {time.perf_counter() - started:.0f} s; see {result['log']}")
    job["total_s"] = round(sum(job[t]["wall_s"] for t in TARGETS), 3)
    job["rss_mib"] = max(job[t]["rss_mib"] for t in (*TARGETS, PUBLISH))
    job["tree_rss_mib"] = max(job[t]["tree_rss_mib"] for t in (*TARGETS, PUBLISH))
    job["tree_pss_mib"] = max(job[t]["tree_pss_mib"] for t in (*TARGETS, PUBLISH))
    return job
