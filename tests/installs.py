"""Installing the package as its users do, for the tests: a wheel of the working tree, fresh virtual environments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(command: list[str | Path], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run `command` as a user would (no PYTHONPATH, no active venv); fail with its output when it fails."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
    return done


def build_wheel(out: Path) -> Path:
    """The wheel of the working tree, built as pip builds it (the pinned hatchling, without isolation)."""
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", out, ROOT], ROOT)
    (built,) = out.glob("glossweave-*.whl")
    return built


def fresh_venv(home: Path, *requirements: str | Path) -> Path:
    """A new virtual environment at `home/venv` with `requirements` (pip arguments) installed; its bin folder."""
    run([sys.executable, "-m", "venv", home / "venv"], home)
    run([home / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", *requirements], home)
    return home / "venv" / "bin"
