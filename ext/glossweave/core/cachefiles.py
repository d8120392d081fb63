"""What the build caches have in common: keys that digest the code and data, and safe files.

A cache key must change whenever anything that made the cached result changes.
Digesting the package's own files (code and data, such as the TeX command list)
does that without a version number someone must remember to bump.  Cache files
are written whole or not at all (a temporary file, then `os.replace`), so a
build killed while writing leaves the previous entry or none; an entry that is
unreadable all the same (truncated by a full disk, garbage) is treated as a miss.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path


@cache
def tree_digest(folder: Path) -> str:
    """A digest of every file under `folder` (names and bytes), compiled bytecode aside; once per process."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader finds either the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
