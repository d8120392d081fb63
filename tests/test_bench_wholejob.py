"""The whole-job benchmark's harness: tool shims, log and pdfinfo parsing, results.json's shape.

No timing is asserted here (that is `make bench`'s job): these tests check that
the harness records what ran, reads the tools' own reports right, and writes
the report the README's table is made from.
"""

from __future__ import annotations

import json
import os
import subprocess
from argparse import Namespace
from pathlib import Path

import jsonschema
import pytest

from benchmarks import run
from benchmarks.tooltrace import TRACE_ENV, engine_log, install_shims, log_figures, read_trace, trace_phases
from benchmarks.timing import tree_pss_kib, tree_rss_kib
from benchmarks.wholejob import engine_runs_by_document, latexmk_runs, pdf_pages

FIXTURES = Path(__file__).parent / "fixtures" / "bench"
SCHEMA = json.loads((Path(run.__file__).parent / "results.schema.json").read_text(encoding="utf-8"))


def test_latexmk_log_gives_each_rule_run_in_order_with_its_time():
    runs = latexmk_runs((FIXTURES / "latexmk-xelatex.log").read_text(encoding="utf-8"))
    assert [(r["rule"], r["run"]) for r in runs] == [
        ("pdflatex", 1),
        ("makeindex glossary.idx", 1),
        ("pdflatex", 2),
        ("makeindex glossary.idx", 2),
        ("pdflatex", 3),
    ]
    # the fixture's `-time` lines, in order
    assert [r["seconds"] for r in runs] == [53.39, 6.07, 56.37, 6.33, 62.89]


def test_latexmk_log_without_times_leaves_them_unknown():
    text = "\n".join(line for line in (FIXTURES / "latexmk-xelatex.log").read_text(encoding="utf-8").splitlines() if "time =" not in line)
    runs = latexmk_runs(text)
    assert len(runs) == 5
    assert all(r["seconds"] is None for r in runs)


def test_pdfinfo_page_count():
    assert pdf_pages((FIXTURES / "pdfinfo.txt").read_text(encoding="utf-8")) == 16
    assert pdf_pages("Title: Pages: 12 of them\nEncrypted: no\n") is None


def test_engine_log_is_named_by_job_name_or_tex_file(tmp_path):
    assert engine_log(["-interaction=nonstopmode", "-recorder", "glossary.tex"], tmp_path) == tmp_path / "glossary.log"
    assert engine_log(["-jobname=vol1", "book.tex"], tmp_path) == tmp_path / "vol1.log"
    assert engine_log(["--version"], tmp_path) is None


def test_log_figures_count_both_kinds_of_undefined_reference(tmp_path):
    log = tmp_path / "glossary.log"
    log.write_bytes(
        b"LaTeX Warning: Hyper reference `terms/a:term-a' on page 4 undefined on input line 9.\n"
        b"LaTeX Warning: Reference `terms/a:term-a' on page 4 undefined on input line 9.\n"
        b"LaTeX Warning: Citation `x' on page 5 undefined on input line 12.\n"
        b"LaTeX Warning: Label(s) may have changed. Rerun to get cross-references right.\n"
    )
    figures = log_figures(log)
    assert figures["undefined_refs"] == 2
    assert figures["asks_rerun"] is True
    assert figures["log_lines"] == 4
    log.write_bytes(b"Output written on glossary.pdf (3 pages).\n")
    assert log_figures(log)["asks_rerun"] is False


def test_shims_trace_every_tool_run_whoever_starts_it(tmp_path):
    """A fake xelatex, found through the shims as latexmk would find it, is run and traced."""
    real = tmp_path / "real"
    real.mkdir()
    fake = real / "xelatex"
    fake.write_text('#!/bin/sh\necho "LaTeX Warning: Reference \\`x\' on page 1 undefined" > "${1%.tex}.log"\nexit 3\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{real}{os.pathsep}{os.environ['PATH']}"}
    trace = tmp_path / "trace.jsonl"
    shim_env = install_shims(tmp_path / "shims")
    shim_env["PATH"] = f"{tmp_path / 'shims'}{os.pathsep}{env['PATH']}"
    shim_env["GLOSSWEAVE_REAL_PATH"] = env["PATH"]
    work = tmp_path / "work"
    work.mkdir()
    for _ in range(2):
        done = subprocess.run(["sh", "-c", "xelatex book.tex"], cwd=work, env={**env, **shim_env, TRACE_ENV: str(trace)})
        assert done.returncode == 3  # the real program's exit code comes through
    records = read_trace(trace)
    assert [(r["tool"], r["args"], r["exit"]) for r in records] == [("xelatex", ["book.tex"], 3)] * 2
    phases = trace_phases(records)
    assert [p["name"] for p in phases] == ["xelatex pass 1", "xelatex pass 2"]
    assert all(p["undefined_refs"] == 1 for p in phases)


def test_trace_phases_number_runs_per_tool_in_start_order():
    records = [
        {"tool": "xindy", "start": 20.0, "end": 26.0, "exit": 0, "rss_mib": 13.0},
        {"tool": "xelatex", "start": 0.0, "end": 20.0, "exit": 0, "rss_mib": 300.0},
        {"tool": "xelatex", "start": 26.0, "end": 50.5, "exit": 0, "rss_mib": 301.0},
    ]
    phases = trace_phases(records)
    assert [(p["name"], p["seconds"]) for p in phases] == [("xelatex pass 1", 20.0), ("xindy run 1", 6.0), ("xelatex pass 2", 24.5)]


def test_passes_are_counted_per_document():
    records = [
        {"tool": "xelatex", "args": ["-interaction=batchmode", "formulas.tex"]},
        {"tool": "xelatex", "args": ["-recorder", "glossary.tex"]},
        {"tool": "xindy", "args": ["-o", "glossary.ind", "glossary.idx"]},
        {"tool": "xelatex", "args": ["-recorder", "glossary.tex"]},
    ]
    assert engine_runs_by_document(records) == {"formulas": 1, "glossary": 2}


def test_tree_rss_counts_the_children_too():
    child = subprocess.Popen(["sleep", "5"])
    try:
        own = tree_rss_kib(child.pid)
        assert own > 0
        assert tree_rss_kib(os.getpid()) > own  # this process and its sleeping child
    finally:
        child.kill()
        child.wait()


def test_tree_pss_counts_a_page_shared_after_fork_once():
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child shares every page of this process and sits until the pipe closes
        os.close(writer)
        os.read(reader, 1)
        os._exit(0)
    try:
        os.close(reader)
        both_rss, both_pss = tree_rss_kib(os.getpid()), tree_pss_kib(os.getpid())
        own_rss = tree_rss_kib(pid)
        assert 0 < both_pss < both_rss  # the RSS sum counts the shared pages twice
        assert both_rss - both_pss > own_rss / 2
    finally:
        os.close(writer)
        os.waitpid(pid, 0)


def _build(wall: float, **extra) -> dict:
    return {"wall_s": wall, "rss_mib": 100.0, "exit": 0, **extra}


def _target(wall: float, **extra) -> dict:
    base = {"tree_rss_mib": 150.0, "tree_pss_mib": 120.0, "output_bytes": 1000, "tools": [], "latex_passes": 0, "latex_s": 0.0, "index_s": 0.0, "latexmk_runs": []}
    return _build(wall, **{**base, **extra})


def _size_result(count: int) -> dict:
    pass_ = {"name": "xelatex pass 1", "seconds": 50.0, "exit": 0}
    latexpdf = _target(200.0, sphinx_s=60.0, pdf_pages=4665, tools=[pass_] * 2, latex_passes=2, latex_s=100.0, index_s=6.0)
    publish = _target(280.0, pdf_pages=4665, tools=[pass_] * 2, latex_passes=2, latex_s=100.0, index_s=6.0)
    job = {"html": _target(90.0, phases_s={"glossary.build_glossary": 5.0}), "latexpdf": latexpdf, "epub": _target(40.0), "publish": publish}
    job.update(total_s=330.0, rss_mib=400.0, tree_rss_mib=700.0, tree_pss_mib=500.0)
    result = {
        "entries": count,
        "pipeline": {"total_s": 3.0, "rss_mib": 200.0, "link_mb_per_s": 40.0},
        "job": job,
        "site_jauto": {**job["html"], "pipeline_s": 5.0, "sphinx_only_s": 85.0},
        "html_after_book": _build(12.0),
        "noop_jauto": _build(2.0),
        "edit_jauto": _build(4.0),
        "plain_jauto": _build(100.0),
        "plain_latex": _build(50.0),
        "plain_pdf": _build(250.0, pdf_pages=4000),
        "plain_epub": _build(80.0),
    }
    result["ratio_jauto"] = 0.9
    result["ratios"] = run.job_ratios(result)
    return result


def test_results_json_has_the_documented_shape(tmp_path):
    results = {4000: _size_result(4000)}
    args = Namespace(seed=0, jobs=["auto"], out=tmp_path)
    report = run.write_report(results, {"link_mb_per_s_by_names": {}}, args, 0.0)
    written = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(written, SCHEMA)
    # the whole job is `make publish`, as the hosted build runs it, not the targets one after another
    assert written["targets"]["whole_job_at_4000_s"] == {"value": 280.0, "limit": 300.0, "met": True}
    assert written["targets"]["edit_vs_noop_at_4000"]["met"] is True
    # ratios are the job's figures over plain Sphinx's of the same run
    assert written["results"]["4000"]["ratios"] == {
        "html": 0.9,
        "latex_writer": 1.2,
        "epub": 0.5,
        "latexpdf": 0.667,
        "whole_job": 0.688,
        "publish": 0.583,
    }
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert report["job_table"] in summary
    assert "| 4,000 | 90.0 (0.90×) | 200.0: 60 + 2×50 + 6 (0.67×) | 4665 | 40.0 (0.50×) | 330.0 (0.69×) | **280.0** (0.58×) |" in summary
    assert "met whole_job_at_4000_s" in summary


def test_a_size_without_plain_baseline_has_no_ratios(tmp_path):
    result = _size_result(16000)
    for key in ("plain_jauto", "plain_latex", "plain_pdf", "plain_epub", "ratios", "ratio_jauto"):
        del result[key]
    args = Namespace(seed=0, jobs=["auto"], out=tmp_path)
    report = run.write_report({16000: result}, {"link_mb_per_s_by_names": {}}, args, 0.0)
    jsonschema.validate(json.loads((tmp_path / "results.json").read_text(encoding="utf-8")), SCHEMA)
    assert "| 16,000 | 90.0 | 200.0: 60 + 2×50 + 6 | 4665 | 40.0 | 330.0 | **280.0** |" in report["job_table"]
    assert report["targets"]["whole_job_at_16000_s"]["met"] is True


@pytest.mark.parametrize("broken", ["pages", "exit", "ratios", "publish"])
def test_the_schema_rejects_an_incomplete_job(broken):
    result = _size_result(4000)
    if broken == "pages":
        del result["job"]["latexpdf"]["pdf_pages"]
    elif broken == "publish":
        del result["job"]["publish"]
    elif broken == "exit":
        result["job"]["epub"]["exit"] = 2
    else:
        del result["ratios"]
    report = {
        "machine": {"cpus": 2, "python": "3.11", "platform": "linux"},
        "seed": 0,
        "jobs": ["auto"],
        "results": {"4000": result},
        "targets": {},
        "table": "",
        "job_table": "",
        "job_targets": ["html", "latexpdf", "epub"],
        "total_s": 1.0,
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, SCHEMA)
