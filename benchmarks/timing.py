"""Timing helpers shared by the benchmark runners.

Stages are timed by wrapping the very functions the pipeline calls (in the
namespace of the module that calls them), so the benchmark measures exactly
the production code path instead of a re-implementation of it that could drift.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def timed_calls(module: object, names: Sequence[str]) -> Iterator[dict[str, float]]:
    """Accumulate the wall time of `module.<name>` calls into the yielded dict."""
    totals = dict.fromkeys(names, 0.0)
    originals = {name: getattr(module, name) for name in names}

    def wrap(name: str, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] += time.perf_counter() - started

        return timed

    for name, function in originals.items():
        setattr(module, name, wrap(name, function))
    try:
        yield totals
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def run_measured(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> dict:
    """Run `command`; its wall time, exit code and peak RSS (largest process, MiB).

    `os.wait4` gives the rusage of this one child (with its own reaped children,
    such as Sphinx's -j workers), unlike RUSAGE_CHILDREN, which mixes every
    child this process ever waited for.
    """
    out = log.open("wb") if log else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log:
            out.close()
    return {"wall_s": round(wall, 3), "rss_mib": round(usage.ru_maxrss / 1024, 1), "exit": process.returncode}


def self_peak_rss_mib() -> float:
    """This process's peak RSS so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
