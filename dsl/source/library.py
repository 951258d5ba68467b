"""Where sessions and programmes find what they name.

A reference is a path (``do "calf-wall-stretch.stretch"``), relative to the folder of the
file that writes it, or an id (``do calf-wall``): the ``id:`` of a routine or session in
the *library*. The library is every ``.stretch`` file under some folders: the folders a
``stretch lint`` run was given (its roots), else the folder of the file itself and every
folder under it (a file checked alone, compiled, or open in an editor), and always the
folders the project's configuration lists as ``library``.

Finding ids does not parse every file: an ``id:`` is a top-level setting, so it stands at
the first indentation of its file (an exercise's ``id:`` stands deeper), and a regular
expression finds it. The file a reference resolves to is then parsed by whoever reads it,
so a file that only looked as if it had the id is still read as it is.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from dsl.model.plans import Reference

MAX_LIBRARY_FILES = 50_000
"""Files looked at when finding ids, at most (a library folder pointed at a whole disk
stops there, instead of walking for ever)."""

_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
_FIRST_INDENTED = re.compile(r"^([ \t]+)[^\s#]", re.MULTILINE)
_ID = re.compile(r"^([ \t]+)id[ \t]*:[ \t]*([A-Za-z][A-Za-z0-9'-]*)[ \t]*(?:#.*)?$",
                 re.MULTILINE)
_READ_AT_MOST = 1_000_000
"""Bytes of a file read to find its id (a library file is a few kilobytes)."""


Problem = Literal["missing-file", "unknown-id", "duplicate-id"]


class Resolution(NamedTuple):
    """Where a reference leads: the file (None when it leads nowhere) or the problem.
    ``candidates`` are the files that share a duplicate id, or the ids or file names
    closest to a missing one (for "did you mean")."""

    path: Path | None
    problem: Problem | None = None
    candidates: tuple[str, ...] = ()


def sniff_id(text: str) -> str | None:
    """The top-level ``id:`` of a file's text, or None."""
    first = _FIRST_INDENTED.search(text)
    if first is None:
        return None
    indent = first.group(1)
    for found in _ID.finditer(text):
        if found.group(1) == indent:
            return found.group(2)
    return None


class Library:
    """The folders ids are looked up in (absolute, in order, each once)."""

    def __init__(self, folders: tuple[str, ...]) -> None:
        seen: list[str] = []
        for folder in folders:
            folder = os.path.normpath(os.path.abspath(folder))
            if folder not in seen:
                seen.append(folder)
        self.folders = tuple(seen)

    @classmethod
    def for_file(cls, path: str | Path, library: tuple[str, ...] = (),
                 roots: tuple[str, ...] = ()) -> Library:
        """The library a file's references resolve in: ``roots`` (a lint run's folders),
        or else the file's own folder tree; then the configured ``library`` folders."""
        own = roots or ((os.path.dirname(os.path.abspath(path)) if str(path) != "-"
                         else os.getcwd()),)
        return cls((*own, *library))

    def ids(self) -> dict[str, tuple[str, ...]]:
        """Every id in the library and the files that declare it (sorted paths)."""
        return _index(self.folders)

    def resolve(self, reference: Reference, from_file: str | Path) -> Resolution:
        """The file ``reference`` (written in ``from_file``) leads to, or why none."""
        if reference.is_path:
            base = (os.path.dirname(os.path.abspath(from_file)) if str(from_file) != "-"
                    else os.getcwd())
            target = Path(os.path.normpath(os.path.join(base, reference.value)))
            if target.is_file():
                return Resolution(target)
            return Resolution(None, "missing-file", _files_near(target))
        found = self.ids().get(reference.value)
        if not found:
            return Resolution(None, "unknown-id", tuple(self.ids()))
        if len(found) > 1:
            return Resolution(None, "duplicate-id", found)
        return Resolution(Path(found[0]))


def forget() -> None:
    """Forget every library's ids (a file was saved: the language server calls this)."""
    _index.cache_clear()


@lru_cache(maxsize=16)
def _index(folders: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    looked = 0
    for folder in folders:
        for path in _stretch_files(folder):
            if path in seen:
                continue
            seen.add(path)
            looked += 1
            if looked > MAX_LIBRARY_FILES:
                break
            try:
                with open(path, "rb") as file:
                    text = file.read(_READ_AT_MOST).decode("utf-8", errors="replace")
            except OSError:
                continue
            declared = sniff_id(text)
            if declared is not None:
                found.setdefault(declared, []).append(path)
    return {name: tuple(sorted(paths)) for name, paths in sorted(found.items())}


def _stretch_files(folder: str) -> list[str]:
    """The ``.stretch`` files under a folder, hidden folders and tool folders passed over,
    in sorted order."""
    files: list[str] = []
    for current, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders
                            if not f.startswith(".") and f not in _SKIPPED_FOLDERS)
        files.extend(os.path.join(current, name) for name in sorted(names)
                     if name.endswith(".stretch"))
    return files


def _files_near(target: Path) -> tuple[str, ...]:
    """The names of the ``.stretch`` files in the folder a missing file was looked for in
    (what "did you mean" chooses from)."""
    try:
        return tuple(sorted(p.name for p in target.parent.iterdir()
                            if p.suffix == ".stretch"))
    except OSError:
        return ()
