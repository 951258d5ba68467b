"""Writes are atomic: an interrupted write leaves the earlier file intact.

``dsl.source.files.write_atomically`` writes a temporary file beside the target and renames it
over the target. These tests interrupt it at each step (an error such as a full disk, the
user pressing Ctrl-C, the process being killed) and check that the target holds the old
bytes or the new ones, never a mix, and that no temporary file is left behind when the
process lives to clean up.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import IO, Any

import pytest
from conftest import ROOT
from typer.testing import CliRunner, Result

from dsl.cli import app
from dsl.source.files import write_all, write_atomically

OLD = b'routine "Calf"\n  hold 30s "Lean in"\n'
UNFORMATTED = b'routine "Calf"\n    hold   30 seconds   "Lean in"\n'


def full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def interrupted(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("step", ["fsync", "chmod", "replace"])
@pytest.mark.parametrize("failure", [full_disk, interrupted], ids=["ENOSPC", "Ctrl-C"])
def test_an_interrupted_write_leaves_the_old_file(
    step: str, failure: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "routine.stretch"
    target.write_bytes(OLD)
    monkeypatch.setattr(f"dsl.source.files.os.{step}", failure)
    expected = OSError if failure is full_disk else KeyboardInterrupt
    with pytest.raises(expected):
        write_atomically(target, "new text\n" * 1000)
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["routine.stretch"]  # the temporary file is gone


def test_a_write_that_fails_half_way_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up after part of the data is written."""
    target = tmp_path / "routine.json"
    target.write_bytes(OLD)
    real_fdopen = os.fdopen

    class HalfWritten:
        def __init__(self, handle: IO[Any]) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWritten:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("dsl.source.files.os.fdopen",
                        lambda fd, mode: HalfWritten(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"x" * 100_000)
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["routine.json"]


def test_a_failed_first_write_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dsl.source.files.os.replace", full_disk)
    with pytest.raises(OSError):
        write_atomically(tmp_path / "new.json", "{}\n")
    assert listing(tmp_path) == []


def test_the_new_file_keeps_the_old_permissions(tmp_path: Path) -> None:
    target = tmp_path / "routine.stretch"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_atomically(target, "new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o640


# --- through the commands --------------------------------------------------------------------


def run_in(folder: Path, *args: str) -> Result:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        os.chdir(previous)


def test_fmt_that_cannot_write_leaves_the_file_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "calf.stretch"
    source.write_bytes(UNFORMATTED)
    monkeypatch.setattr("dsl.source.files.os.replace", full_disk)
    result = run_in(tmp_path, "fmt", "calf.stretch")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr == (
        "stretch: error: cannot write calf.stretch: No space left on device\n"
        "1 file failed\n")
    assert source.read_bytes() == UNFORMATTED
    assert listing(tmp_path) == ["calf.stretch"]


def test_fmt_interrupted_by_ctrl_c_leaves_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "calf.stretch"
    source.write_bytes(UNFORMATTED)
    monkeypatch.setattr("dsl.source.files.os.fsync", interrupted)
    result = run_in(tmp_path, "fmt", "calf.stretch")
    assert result.exit_code != 0
    assert source.read_bytes() == UNFORMATTED
    assert listing(tmp_path) == ["calf.stretch"]


def test_compile_interrupted_by_ctrl_c_leaves_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "calf.stretch").write_bytes(OLD)
    (tmp_path / "calf.json").write_bytes(b"{}\n")
    monkeypatch.setattr("dsl.source.files.os.replace", interrupted)
    result = run_in(tmp_path, "compile", "calf.stretch", "-o", "calf.json")
    assert result.exit_code != 0
    assert (tmp_path / "calf.json").read_bytes() == b"{}\n"
    assert listing(tmp_path) == ["calf.json", "calf.stretch"]


def test_compile_that_cannot_write_leaves_the_output_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "calf.stretch").write_bytes(OLD)
    (tmp_path / "calf.json").write_bytes(b"{}\n")
    monkeypatch.setattr("dsl.source.files.os.replace", full_disk)
    run_in(tmp_path, "compile", "calf.stretch", "-o", "calf.json")
    assert (tmp_path / "calf.json").read_bytes() == b"{}\n"
    assert listing(tmp_path) == ["calf.json", "calf.stretch"]


def test_compile_that_cannot_write_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "calf.stretch").write_bytes(OLD)
    monkeypatch.setattr("dsl.source.files.os.replace", full_disk)
    result = run_in(tmp_path, "compile", "calf.stretch", "-o", "calf.json")
    assert result.exit_code == 2
    assert "cannot write calf.json: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- a process killed while it writes ---------------------------------------------------------

_CHILD = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from dsl.source import files

    target = Path(sys.argv[1])
    if sys.argv[2] == "pause":
        # Everything is written to the temporary file; wait to be killed before renaming.
        real = files.os.fsync
        def pause(fd):
            real(fd)
            print("written", flush=True)
            time.sleep(60)
        files.os.fsync = pause
        files.write_atomically(target, b"N" * 5_000_000)
    else:
        payloads = [bytes([65 + i]) * 2_000_000 for i in range(2)]
        print("writing", flush=True)
        for turn in range(100_000):
            files.write_atomically(target, payloads[turn % 2])
""")


def _child(target: Path, mode: str) -> subprocess.Popen[str]:
    code = _CHILD.format(root=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", code, str(target), mode],
                            stdout=subprocess.PIPE, text=True)


def test_a_process_killed_before_the_rename_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "routine.json"
    target.write_bytes(OLD)
    child = _child(target, "pause")
    try:
        assert child.stdout is not None and child.stdout.readline() == "written\n"
    finally:
        child.kill()
        child.wait()
    assert target.read_bytes() == OLD
    # The temporary file of a killed process stays (nothing can remove it), but under a
    # hidden name that no tool reads as a routine or a compiled document.
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".routine.json.") and leftovers[0].endswith(".tmp")


def test_a_process_killed_at_any_moment_leaves_a_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "routine.json"
    for attempt in range(3):
        target.write_bytes(OLD)
        child = _child(target, "loop")
        try:
            assert child.stdout is not None and child.stdout.readline() == "writing\n"
            # Let it get some writes done (or not): the kill lands somewhere in a write.
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=0.05 + 0.1 * attempt)
        finally:
            child.kill()
            child.wait()
        data = target.read_bytes()
        assert data == OLD or data in (b"A" * 2_000_000, b"B" * 2_000_000), (
            len(data), data[:10])


# --- durability: the order of flushes and renames ---------------------------------------------


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record each flush (of a file or a folder, by name) and each rename, in order."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_open = os.fsync, os.replace, os.open
    names: dict[int, str] = {}

    def opening(path: str, flags: int, *args: int) -> int:
        descriptor = real_open(path, flags, *args)
        names[descriptor] = os.path.basename(path) if not os.path.isdir(path) else "folder:" + \
            os.path.basename(path)
        return descriptor

    def fsync(descriptor: int) -> None:
        events.append(("flush", names.get(descriptor, "?")))
        real_fsync(descriptor)

    def replace(source: str, target: str) -> None:
        events.append(("rename", os.path.basename(target)))
        real_replace(source, target)

    monkeypatch.setattr("dsl.source.files.os.open", opening)
    monkeypatch.setattr("dsl.source.files.os.fsync", fsync)
    monkeypatch.setattr("dsl.source.files.os.replace", replace)
    return events


def test_one_file_is_flushed_renamed_then_its_folder_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "routine.json"
    target.write_bytes(OLD)
    events = _recording(monkeypatch)
    write_atomically(target, "new\n")
    assert [kind for kind, _ in events] == ["flush", "rename", "flush"]
    assert events[1] == ("rename", "routine.json")
    assert events[2] == ("flush", f"folder:{tmp_path.name}")
    assert target.read_bytes() == b"new\n"


def test_many_files_are_flushed_together_before_any_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = [(tmp_path / folder / f"{name}.json", f"{folder}/{name}\n")
               for folder in ("a", "b") for name in ("one", "two", "three")]
    (tmp_path / "a").mkdir()  # b/ is made by the writer: its parent is flushed too
    events = _recording(monkeypatch)
    write_all(outputs)
    kinds = [kind for kind, _ in events]
    assert kinds == ["flush"] * 6 + ["rename"] * 6 + ["flush"] * 3
    assert all(name.endswith(".tmp") for _, name in events[:6])  # the data, before renames
    assert sorted(name for _, name in events[12:]) == sorted(
        ["folder:a", "folder:b", f"folder:{tmp_path.name}"])
    assert {path.read_text() for path, _ in outputs} == {text for _, text in outputs}
    assert listing(tmp_path / "a") == ["one.json", "three.json", "two.json"]


def test_a_file_that_cannot_be_written_leaves_every_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_bytes(OLD)
    second.write_bytes(OLD)
    calls = 0
    real_fdopen = os.fdopen

    def second_fails(descriptor: int, mode: str) -> IO[Any]:
        nonlocal calls
        calls += 1
        if calls == 2:
            os.close(descriptor)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fdopen(descriptor, mode)

    monkeypatch.setattr("dsl.source.files.os.fdopen", second_fails)
    with pytest.raises(OSError, match="No space left"):
        write_all([(first, "new\n"), (second, "new\n")])
    assert first.read_bytes() == OLD and second.read_bytes() == OLD
    assert listing(tmp_path) == ["first.json", "second.json"]  # no temporary file left


def test_a_failed_rename_names_the_file_and_leaves_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = [tmp_path / f"{n}.json" for n in ("a", "b", "c")]
    for path in paths:
        path.write_bytes(OLD)
    real_replace = os.replace

    def second_fails(source: str, target: str) -> None:
        if target.endswith("b.json"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(source, target)

    monkeypatch.setattr("dsl.source.files.os.replace", second_fails)
    with pytest.raises(OSError) as raised:
        write_all([(path, b"new\n") for path in paths])
    assert raised.value.filename == str(paths[1])
    assert [p.read_bytes() for p in paths] == [b"new\n", OLD, OLD]
    assert listing(tmp_path) == ["a.json", "b.json", "c.json"]


def test_compile_whose_flush_fails_names_the_output_and_replaces_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "calf.stretch").write_bytes(OLD)
    (tmp_path / "calf.json").write_bytes(b"{}\n")

    def failing(descriptor: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr("dsl.source.files.os.fsync", failing)
    result = run_in(tmp_path, "compile", "calf.stretch", "-o", "calf.json")
    assert result.exit_code == 2
    assert result.stderr == "stretch: error: cannot write calf.json: Input/output error\n"
    assert (tmp_path / "calf.json").read_bytes() == b"{}\n"
    assert listing(tmp_path) == ["calf.json", "calf.stretch"]


@pytest.mark.parametrize("jobs", ["1", "2"], ids=["in this process", "on workers"])
def test_compile_flushes_every_output_while_compiling_and_renames_only_after(
    jobs: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The outputs' data is flushed as each is written (by threads, while the next routines
    # compile), but no output is put in place before all are durable; each folder is then
    # flushed once.
    for folder in ("legs", "hips"):
        (tmp_path / "library" / folder).mkdir(parents=True)
        for name in ("one", "two"):
            (tmp_path / "library" / folder / f"{name}.stretch").write_bytes(OLD)
    (tmp_path / "build" / "legs").mkdir(parents=True)  # build/hips/ is made by the command
    events = _recording(monkeypatch)
    result = run_in(tmp_path, "compile", "library", "--out-dir", "build", "-j", jobs)
    assert result.exit_code == 0, result.stderr
    kinds = [kind for kind, _ in events]
    assert kinds == ["flush"] * 4 + ["rename"] * 4 + ["flush"] * 3
    assert all(name.endswith(".tmp") for _, name in events[:4])
    assert sorted(name for _, name in events[8:]) == ["folder:build", "folder:hips",
                                                     "folder:legs"]
    assert listing(tmp_path / "build" / "hips") == ["one.json", "two.json"]


def test_compile_of_a_library_whose_flush_fails_replaces_nothing_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("one", "two", "three"):
        (tmp_path / f"{name}.stretch").write_bytes(OLD)
        (tmp_path / f"{name}.json").write_bytes(b"{}\n")
    real_fsync = os.fsync
    flushed = 0

    def second_fails(descriptor: int) -> None:
        nonlocal flushed
        flushed += 1
        if flushed == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(descriptor)

    monkeypatch.setattr("dsl.source.files.os.fsync", second_fails)
    result = run_in(tmp_path, "compile", ".", "--out-dir", ".", "-j1")
    assert result.exit_code == 2
    assert result.stderr == "stretch: error: cannot write .: Input/output error\n"
    assert all((tmp_path / f"{n}.json").read_bytes() == b"{}\n" for n in ("one", "two", "three"))
    assert listing(tmp_path) == sorted(f"{n}.{ext}" for n in ("one", "two", "three")
                                       for ext in ("json", "stretch"))
