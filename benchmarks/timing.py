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
import threading
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


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _proc_kib(pid: int, file: str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_kib(pid: int, file: str, field: str) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _proc_kib(current, file, field)
        stack.extend(_children(current))
    return total


def tree_rss_kib(pid: int) -> int:
    """RSS summed over `pid` and its descendants (pages shared after fork count once per process)."""
    return _tree_kib(pid, "status", "VmRSS:")


def tree_pss_kib(pid: int) -> int:
    """PSS summed over `pid` and its descendants: each shared page counted once, split among its sharers.

    This is the memory the tree really holds (what a build machine's limit
    sees); the RSS sum counts a page a -j worker shares with its parent twice.
    """
    return _tree_kib(pid, "smaps_rollup", "Pss:")


class TreeSampler:
    """Samples the summed RSS and PSS of a process tree every `interval` seconds; their peaks afterwards."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval, self.peak_kib, self.peak_pss_kib, self.pid = interval, 0, 0, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, pid: int) -> None:
        self.pid = pid
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))
            self.peak_pss_kib = max(self.peak_pss_kib, tree_pss_kib(self.pid))

    def stop(self) -> tuple[float, float]:
        """The peaks, in MiB: summed RSS, summed PSS."""
        self._stop.set()
        self._thread.join()
        return round(self.peak_kib / 1024, 1), round(self.peak_pss_kib / 1024, 1)


def run_measured(
    command: Sequence[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    replace_env: bool = False,
    sample_tree: bool = False,
) -> dict:
    """Run `command`; its wall time, exit code and peak RSS (largest process, MiB).

    The RSS comes from /usr/bin/time, which forks the command from its own
    small process.  A child forked straight from this process would report at
    least OUR peak RSS: Linux carries the parent's high-water mark across fork
    and exec, so every small build would read as big as the benchmark driver.
    With -j, the figure is the largest single process (workers share pages);
    `sample_tree` adds `tree_rss_mib` and `tree_pss_mib`, the largest sums
    of RSS and of PSS over the whole process tree seen while it ran.  `env` is added to ours, or is the whole
    environment with `replace_env`.
    """
    with tempfile.TemporaryDirectory() as scratch:
        rss_file = Path(scratch) / "rss"
        timed = [TIME, "-f", "%M", "-o", str(rss_file), *command]
        environment = dict(env or {}) if replace_env else {**os.environ, **(env or {})}
        with log.open("wb") if log else contextlib.nullcontext(subprocess.DEVNULL) as out:
            sampler = TreeSampler() if sample_tree else None
            started = time.perf_counter()
            process = subprocess.Popen(timed, cwd=cwd, env=environment, stdout=out, stderr=subprocess.STDOUT)
            if sampler:
                sampler.start(process.pid)
            returncode = process.wait()
            wall = time.perf_counter() - started
        rss_kib = int(rss_file.read_text().split()[-1])
    result = {"wall_s": round(wall, 3), "rss_mib": round(rss_kib / 1024, 1), "exit": returncode}
    if sampler:
        tree_rss, tree_pss = sampler.stop()
        result["tree_rss_mib"] = max(tree_rss, result["rss_mib"])
        result["tree_pss_mib"] = tree_pss
    return result


def self_peak_rss_mib() -> float:
    """This process's peak RSS so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
