"""Timing helpers shared by the benchmark runners.

Stages are timed by wrapping the very functions the pipeline calls (in the
namespace of the module that calls them), so the benchmark measures exactly
the production code path instead of a re-implementation of it that could drift.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

#: GNU time, for the peak RSS of a command (see `run_measured`).
TIME = "/usr/bin/time"


@contextlib.contextmanager
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

    The RSS comes from /usr/bin/time, which forks the command from its own
    small process.  A child forked straight from this process would report at
    least OUR peak RSS: Linux carries the parent's high-water mark across fork
    and exec, so every small build would read as big as the benchmark driver.
    With -j, the figure is the largest single process (workers share pages).
    """
    with tempfile.TemporaryDirectory() as scratch:
        rss_file = Path(scratch) / "rss"
        timed = [TIME, "-f", "%M", "-o", str(rss_file), *command]
        with log.open("wb") if log else contextlib.nullcontext(subprocess.DEVNULL) as out:
            started = time.perf_counter()
            process = subprocess.run(timed, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
            wall = time.perf_counter() - started
        rss_kib = int(rss_file.read_text().split()[-1])
    return {"wall_s": round(wall, 3), "rss_mib": round(rss_kib / 1024, 1), "exit": process.returncode}


def self_peak_rss_mib() -> float:
    """This process's peak RSS so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
