"""Time every LaTeX tool that `make latexpdf` runs, whoever runs it (latexmk, a guard, make).

The benchmark puts a folder of shims first on PATH: one small script per tool
(`xelatex`, `xindy`, …) that runs the real program, then appends one JSON line
to the trace file named by `$GLOSSWEAVE_TOOL_TRACE`: the tool, its arguments,
start and end (wall clock), exit code, its peak RSS, and for a TeX engine the
size and line count of the log it wrote and the undefined references it
reported.  So each LaTeX pass and each index run is a phase of its own, measured
the same way whatever latexmkrc or Makefile recipe decides how many to run.

    python -m benchmarks.tooltrace TOOL ARGS...   (what a shim runs)
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

#: The environment variable naming the trace file (JSON lines).
TRACE_ENV = "GLOSSWEAVE_TOOL_TRACE"
#: The programs a LaTeX build may run, each timed as a phase.
TOOLS = ("xelatex", "lualatex", "pdflatex", "xdvipdfmx", "xindy", "makeindex")
ENGINES = ("xelatex", "lualatex", "pdflatex")
#: The environment variable the shims find the real programs' PATH in.
REAL_PATH_ENV = "GLOSSWEAVE_REAL_PATH"
_UNDEFINED = re.compile(rb"^LaTeX Warning: (?:Hyper r|R)eference `", re.MULTILINE)
_RERUN = re.compile(rb"Rerun to get|Label\(s\) may have changed")


def install_shims(folder: Path) -> dict[str, str]:
    """Write one shim per tool into `folder`; the environment that puts them first on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    root = Path(__file__).resolve().parent.parent
    for tool in TOOLS:
        shim = folder / tool
        shim.write_text(
            f"#!/bin/sh\nPYTHONPATH={root} exec {sys.executable} -m benchmarks.tooltrace {tool} \"$@\"\n", encoding="utf-8"
        )
        shim.chmod(0o755)
    real_path = os.environ.get("PATH", "")
    return {"PATH": f"{folder}{os.pathsep}{real_path}", REAL_PATH_ENV: real_path}


def engine_log(args: list[str], cwd: Path) -> Path | None:
    """The .log a TeX engine run with `args` in `cwd` writes (its job name, else its .tex file's stem)."""
    for arg in args:
        if arg.startswith(("-jobname=", "--jobname=")):
            return cwd / f"{arg.split('=', 1)[1]}.log"
    sources = [arg for arg in args if arg.endswith(".tex")]
    return cwd / f"{Path(sources[-1]).stem}.log" if sources else None


def log_figures(log: Path) -> dict:
    """Bytes and lines of a TeX log, its undefined-reference warnings, and whether it asks for a rerun."""
    data = log.read_bytes()
    return {
        "log_bytes": len(data),
        "log_lines": data.count(b"\n"),
        "undefined_refs": len(_UNDEFINED.findall(data)),
        "asks_rerun": bool(_RERUN.search(data)),
    }


def run_tool(tool: str, args: list[str]) -> int:
    """Run the real `tool` with `args`, append its trace record, return its exit code."""
    real = shutil.which(tool, path=os.environ.get(REAL_PATH_ENV))
    if real is None:
        print(f"benchmarks.tooltrace: {tool} not found on PATH", file=sys.stderr)
        return 127
    started = time.time()
    status = subprocess.run([real, *args]).returncode
    record = {
        "tool": tool,
        "args": args,
        "start": started,
        "end": time.time(),
        "exit": status,
        "rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }
    log = engine_log(args, Path.cwd()) if tool in ENGINES else None
    if log is not None and log.is_file():
        record.update(log_figures(log))
    trace = os.environ.get(TRACE_ENV)
    if trace:
        with open(trace, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
    return status


def read_trace(path: Path) -> list[dict]:
    """The records of a trace file, in the order the tools finished."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def trace_phases(records: list[dict]) -> list[dict]:
    """One phase per tool run, in start order: `xelatex pass 1`, `xindy 1`, … with its seconds."""
    counts: dict[str, int] = {}
    phases = []
    for record in sorted(records, key=lambda r: r["start"]):
        counts[record["tool"]] = counts.get(record["tool"], 0) + 1
        kind = "pass" if record["tool"] in ENGINES else "run"
        phase = {"name": f"{record['tool']} {kind} {counts[record['tool']]}", "seconds": round(record["end"] - record["start"], 3)}
        phase.update({key: record[key] for key in ("exit", "rss_mib", "log_bytes", "log_lines", "undefined_refs", "asks_rerun") if key in record})
        phases.append(phase)
    return phases


if __name__ == "__main__":
    sys.exit(run_tool(sys.argv[1], sys.argv[2:]))
