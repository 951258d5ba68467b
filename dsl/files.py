"""Finding routine files and writing output files safely."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

SUFFIX = ".stretch"
_SKIPPED_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv"}


class MissingPath(Exception):
    """A path named on the command line that does not exist."""


def discover(paths: list[Path]) -> list[Path]:
    """Routine files named directly, plus every ``*.stretch`` file under named folders,
    in a stable (sorted) order without duplicates."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
                for name in sorted(files):
                    if name.endswith(SUFFIX):
                        found.setdefault(Path(root) / name)
        elif path.exists() or str(path) == "-":
            found.setdefault(path)
        else:
            raise MissingPath(str(path))
    return list(found)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never a mix.

    The data goes to a temporary file in the same folder, is flushed to disk, and then
    replaces the target in one rename. If anything fails, the old file is untouched.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
