"""Property tests for the command line's file handling: random folders of routine files,
links (to files, to folders, back up the tree, dangling), hard links, named pipes,
read-only files and odd names, under random commands (``new`` named after what is there).

Whatever the tree and the command, the command ends with an exit code and a message
(never a traceback or an internal error), prints no raw control character, and loses
nothing: every file keeps its bytes, or (``fmt``) gets the formatted text of those bytes;
links stay links, hard links stay linked, modes stay, and no temporary file is left.

The suite runs the bounded ``ci`` profile; ``STRETCH_FUZZ_PROFILE=long`` runs more.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import fuzzing
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from dsl.cli import app
from dsl.diagnostics import CONTROL_CHARACTERS
from dsl.format.formatter import format_bytes
from dsl.source import files

FUZZ = fuzzing.profile()

TIDY = b'routine "Calf"\n  hold 30s "Lean in"\n'
MESSY = b'routine   "Calf"\n    hold 30 seconds   "Lean in"  # keep\n'
BROKEN = b'routine "Calf"\n  hold 30 "Lean in"\n'

contents = st.one_of(st.sampled_from([TIDY, MESSY, BROKEN, b"", b"\xff\xfe", TIDY * 3]),
                     fuzzing.random_bytes)

# Names as people (and scripts) make them: spaces, accents, emoji, a leading dash,
# quotes, and the hostile ones: escape sequences, a line feed, bidirectional overrides.
name_parts = st.sampled_from([
    "calf", "Hip Flexor", "é", "🧘", "-dash", "'q'", '"dq"', "\x1b[2J", "\x07", "\n",
    "\u202e", "a b", "%", "::", "..x", "\t",
])
names = st.lists(name_parts, min_size=1, max_size=3).map("".join)


@dataclass(frozen=True)
class Entry:
    kind: str  # file, link, hardlink, pipe, folder, loop, dangling
    name: str
    data: bytes = b""
    target: int = 0  # for links: which earlier entry
    mode: int = 0o644


entries = st.lists(st.builds(
    Entry,
    kind=st.sampled_from(["file", "file", "file", "link", "hardlink", "pipe", "folder",
                          "loop", "dangling"]),
    name=names, data=contents, target=st.integers(0, 10),
    mode=st.sampled_from([0o644, 0o444, 0o600, 0o755]),
), min_size=1, max_size=6)

commands = st.sampled_from([
    ["check"], ["lint"], ["lint", "--format", "concise"], ["lint", "--format", "github"],
    ["fmt"], ["fmt", "--check"], ["fmt", "--diff"], ["compile", "--out-dir", "out"],
    ["compile", "-o", "out.json"], ["compile", "-o", "out-pipe.json"],
    ["compile", "-o", "out-folder.json"], ["compile", "-o", "out-link.json"],
    ["compile", "-o", "out-hard.json"],
    # Named after an entry that is there (or the tree): `new` must refuse and touch nothing.
    ["new"], ["new", "--template", "contract-relax"],
])


def make_output(folder: Path, name: str) -> None:
    """The target of ``compile -o``: new, or a pipe, a folder, a link or a hard link."""
    path = folder / name
    if name == "out-pipe.json":
        os.mkfifo(path)
    elif name == "out-folder.json":
        path.mkdir()
    elif name == "out-link.json":
        (folder / "out").mkdir()
        (folder / "out" / "real.json").write_text("{}\n")
        path.symlink_to("out/real.json")
    elif name == "out-hard.json":
        path.write_text("{}\n")
        os.link(path, folder / "out-other.json")


def build(folder: Path, plan: list[Entry]) -> list[Path]:
    """Make the entries under ``folder`` (in a subfolder ``tree``); their paths."""
    tree = folder / "tree"
    (tree / "sub").mkdir(parents=True)
    made: list[Path] = []
    for number, entry in enumerate(plan):
        path = (tree if number % 2 == 0 else tree / "sub") / f"{number}-{entry.name}.stretch"
        earlier = made[entry.target % len(made)] if made else None
        if entry.kind == "link" and earlier is not None:
            path.symlink_to(os.path.relpath(earlier, path.parent))
        elif entry.kind == "hardlink" and earlier is not None and earlier.is_file() and not (
                earlier.is_symlink()):
            os.link(earlier, path)
        elif entry.kind == "pipe":
            os.mkfifo(path)
        elif entry.kind == "folder":
            path.mkdir()
            (path / "inside.stretch").write_bytes(entry.data)
        elif entry.kind == "loop":
            path.symlink_to("..")
        elif entry.kind == "dangling":
            path.symlink_to("nowhere.stretch")
        else:
            path.write_bytes(entry.data)
            path.chmod(entry.mode)
        made.append(path)
    return made


def snapshot(tree: Path) -> dict[str, tuple[str, object]]:
    """What is in the tree: each regular file's bytes, inode and mode; each link's target."""
    state: dict[str, tuple[str, object]] = {}
    for root, dirs, found in os.walk(tree):
        for name in dirs + found:
            path = Path(root) / name
            info = path.lstat()
            key = str(path.relative_to(tree))
            if stat.S_ISLNK(info.st_mode):
                state[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                state[key] = ("file", (path.read_bytes(), info.st_mode, info.st_nlink))
            else:
                state[key] = ("other", stat.S_IFMT(info.st_mode))
    return state


@pytest.fixture(autouse=True)
def _short_pipe_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    # A pipe named on the command line with no writer waits PIPE_WAIT; keep it short here.
    monkeypatch.setattr(files, "PIPE_WAIT", 0.01)


@FUZZ
@given(plan=entries, command=commands, picks=st.lists(st.integers(0, 10), max_size=3),
       whole_tree=st.booleans())
def test_file_handling_never_crashes_leaks_escapes_or_loses_anything(
    plan: list[Entry], command: list[str], picks: list[int], whole_tree: bool
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="stretch-fuzz-"))
    previous = Path.cwd()
    try:
        made = build(folder, plan)
        arguments = ["tree"] if whole_tree or not picks else sorted(
            {str(made[p % len(made)].relative_to(folder)) for p in picks})
        if command[0] == "new":
            arguments = arguments[:1]  # one file to create
        if command[1:2] == ["-o"]:
            make_output(folder, command[2])
        before = snapshot(folder)
        os.chdir(folder)
        result = CliRunner().invoke(app, [*command, *arguments])
        after = snapshot(folder)
    finally:
        os.chdir(previous)
        shutil.rmtree(folder, ignore_errors=True)

    output = result.stdout + result.stderr
    if command[:2] == ["fmt", "--diff"]:  # a diff's own lines are the file's, as they are
        output = "".join(line for line in output.splitlines(keepends=True)
                         if not line.startswith((" ", "+", "-", "\\")) or line.startswith(
                             ("--- ", "+++ ")))
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code in (0, 1, 2), output
    assert "internal error" not in output and "Traceback" not in output, output
    assert CONTROL_CHARACTERS.search(output) is None, output
    # Nothing lost, nothing split, nothing left behind: only compile's outputs are new.
    assert [k for k in after if k.endswith(".tmp")] == []
    assert all(k.startswith("out") for k in set(after) - set(before)), (before, after)
    for key, (kind, value) in before.items():
        assert after[key][0] == kind, key
        if kind != "file" or after[key] == (kind, value):
            continue
        # A file's state is (bytes, mode, links): see snapshot.
        data, mode, links = cast(tuple[bytes, int, int], value)
        new_data, new_mode, new_links = cast(tuple[bytes, int, int], after[key][1])
        assert (new_mode, new_links) == (mode, links), key
        if command == ["fmt"]:
            formatted = format_bytes(data, key).formatted  # the only change fmt may make
            assert formatted is not None and new_data == formatted.encode("utf-8"), key
        else:
            assert command[0] == "compile" and key.startswith("out"), key
            assert new_data.startswith(b"{"), key
