"""Files under abuse: streams that never end, pipes nobody writes to, links, read-only and
hard-linked files, and things that are not files at all.

Reading goes through ``dsl.source.files.read_input`` (capped while reading, a short wait for a
pipe); writing through ``dsl.source.files.write_atomically`` (through links, keeping mode and
owner, refusing what it cannot replace without harm). Each test reproduces a finding of
the hardening review and checks the fix end to end through the command line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from conftest import ROOT
from typer.testing import CliRunner
from unprivileged import NOBODY, run_as_nobody, shared_folder

from dsl.cli import app
from dsl.lint.config import DEFAULT, ConfigError, Resolver, load
from dsl.source import files
from dsl.source.files import PIPE_WAIT, TooLarge, discover, read_input, write_atomically
from dsl.syntax.parser import parse_file

runner = CliRunner()
MESSY = 'routine   "Calf"\n  hold 30 seconds   "Lean in"\n'
TIDY = 'routine "Calf"\n  hold 30s "Lean in"\n'


def stretch(*args: str, stdin: int | IO[bytes] | None = None, cwd: Path = ROOT,
            timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (streams and pipes need real descriptors)."""
    return subprocess.run([sys.executable, "-m", "dsl", *args], cwd=cwd, stdin=stdin,
                          capture_output=True, text=True, timeout=timeout)


# --- reading: capped while reading -------------------------------------------------------


def test_a_device_that_never_ends_is_refused_after_the_limit() -> None:
    done = stretch("check", "/dev/zero")
    assert done.returncode == 1
    assert done.stdout.startswith(
        "error[P124]: the file is too large for a routine (more than 4 MB read; the most is "
        "4 MB)\n  --> /dev/zero:1:1\n")


def test_standard_input_that_never_ends_is_refused_after_the_limit() -> None:
    with open("/dev/zero", "rb") as zero:
        done = stretch("check", "-", stdin=zero)
    assert done.returncode == 1
    assert "error[P124]" in done.stdout and "--> <stdin>:1:1" in done.stdout


def test_reading_a_stream_stops_just_past_the_limit() -> None:
    with open("/dev/zero", "rb") as zero, pytest.raises(TooLarge) as raised:
        read_input("-", 1000, stdin=zero)
    assert (raised.value.size, raised.value.exact) == (1001, False)


def test_a_regular_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.stretch"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(TooLarge) as raised:
        read_input(big, 4000)
    assert (raised.value.size, raised.value.exact) == (5000, True)


def test_a_pipe_with_no_writer_is_reported_after_a_short_wait(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.stretch"
    os.mkfifo(pipe)
    commands = (["check"], ["lint"], ["fmt"], ["compile"])
    started = time.monotonic()
    running = [subprocess.Popen([sys.executable, "-m", "dsl", *command, str(pipe)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for command in commands]
    for command, process in zip(commands, running, strict=True):
        stdout, stderr = process.communicate(timeout=PIPE_WAIT + 30)
        assert process.returncode in (1, 2), (command, stderr)
        assert ("error[P123]: cannot read this file: nothing was written to this named pipe "
                "in 2 s (is a writer running?)") in stdout + stderr, command
    assert time.monotonic() - started < PIPE_WAIT + 30


def _pipe_with_writer(folder: Path, text: str) -> tuple[Path, threading.Thread]:
    """A named pipe `pipe.stretch` and a started thread that writes ``text`` into it."""
    pipe = folder / "pipe.stretch"
    os.mkfifo(pipe)

    def write() -> None:
        with open(pipe, "w") as handle:
            handle.write(text)

    writer = threading.Thread(target=write)
    writer.start()
    return pipe, writer


def test_a_pipe_given_by_name_is_read_as_a_stream(tmp_path: Path) -> None:
    pipe, writer = _pipe_with_writer(tmp_path, TIDY)
    parsed = parse_file(pipe)
    writer.join()
    assert parsed.diagnostics == () and parsed.routine is not None


def test_a_folder_scan_takes_regular_files_only_and_does_not_follow_linked_folders(
    tmp_path: Path,
) -> None:
    (tmp_path / "real.stretch").write_text(TIDY)
    os.mkfifo(tmp_path / "pipe.stretch")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "loop").symlink_to("..")  # a link back up: no endless scan
    (tmp_path / "inner" / "dangling.stretch").symlink_to("nowhere.stretch")
    (tmp_path / "inner" / "linked.stretch").symlink_to("../real.stretch")
    found = discover([tmp_path])
    assert found == [tmp_path / "real.stretch", tmp_path / "inner" / "linked.stretch"]
    done = stretch("check", str(tmp_path), timeout=PIPE_WAIT + 20)
    assert done.returncode == 0 and "checked 2 files: no problems" in done.stderr


def test_a_configuration_file_that_is_a_pipe_is_passed_over_not_waited_for(
    tmp_path: Path,
) -> None:
    os.mkfifo(tmp_path / "stretch.toml")
    started = time.monotonic()
    assert Resolver().for_file(tmp_path / "routine.stretch") == DEFAULT
    assert time.monotonic() - started < PIPE_WAIT
    with pytest.raises(ConfigError, match="cannot read: not a regular file \\(a named pipe\\)"):
        load(tmp_path / "stretch.toml")


# --- writing: links, permissions, hard links, special files ------------------------------


def test_fmt_writes_through_a_link_and_keeps_it(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "inner").mkdir()
    target = tmp_path / "outside" / "target.stretch"
    target.write_text(MESSY)
    link = tmp_path / "inner" / "link.stretch"
    link.symlink_to("../outside/target.stretch")
    for argument in (link, tmp_path / "inner"):
        target.write_text(MESSY)
        result = runner.invoke(app, ["fmt", str(argument)])
        assert result.exit_code == 0, result.output
        assert link.is_symlink() and os.readlink(link) == "../outside/target.stretch"
        assert target.read_text() == TIDY
        assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["target.stretch"]


def test_compile_output_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "calf.stretch").write_text(TIDY)
    (tmp_path / "out").mkdir()
    (tmp_path / "calf.json").symlink_to("out/real.json")  # dangling until written
    result = runner.invoke(app, ["compile", str(tmp_path / "calf.stretch"), "-o",
                                 str(tmp_path / "calf.json")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "calf.json").is_symlink()
    assert (tmp_path / "out" / "real.json").read_text().startswith("{")


def test_fmt_refuses_a_file_with_two_hard_links(tmp_path: Path) -> None:
    first = tmp_path / "first.stretch"
    first.write_text(MESSY)
    os.link(first, tmp_path / "second.stretch")
    result = runner.invoke(app, ["fmt", str(first)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"stretch: error: cannot write {first}: the file has 2 hard links, and replacing it "
        "would split them (the other names would keep the old text); nothing was changed\n"
        "1 file failed\n")
    assert first.read_text() == MESSY and first.stat().st_nlink == 2


@pytest.mark.parametrize("special", ["pipe", "/dev/null", "folder"])
def test_compile_refuses_to_write_anything_but_a_regular_file(
    special: str, tmp_path: Path
) -> None:
    (tmp_path / "calf.stretch").write_text(TIDY)
    if special == "pipe":
        output, words = tmp_path / "out.json", "a named pipe"
        os.mkfifo(output)
    elif special == "folder":
        output, words = tmp_path / "out.json", "a folder"
        output.mkdir()
    else:
        output, words = Path(special), "a character device"
    result = runner.invoke(app, ["compile", str(tmp_path / "calf.stretch"), "-o", str(output)])
    assert result.exit_code == 2
    assert result.stderr == (f"stretch: error: cannot write {output}: {words}, not a regular "
                             "file; nothing was written\n")


def test_fmt_refuses_to_write_back_to_a_pipe(tmp_path: Path) -> None:
    pipe, writer = _pipe_with_writer(tmp_path, MESSY)
    result = runner.invoke(app, ["fmt", str(pipe)])
    writer.join()
    assert result.exit_code == 2
    assert (f"stretch: error: cannot write {pipe}: a named pipe, not a regular file; nothing "
            "was written\n") in result.stderr


def test_a_read_only_file_is_refused_for_an_ordinary_user() -> None:
    with shared_folder() as folder:
        routine = folder / "calf.stretch"
        routine.write_text(MESSY)
        routine.chmod(0o444)
        output = folder / "calf.json"
        output.write_text("{}\n")
        output.chmod(0o444)
        if os.geteuid() == 0:
            os.chown(output, NOBODY, NOBODY)  # nobody's own file, still read-only
        before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()}
        done = run_as_nobody(folder, "fmt", "calf.stretch")
        assert done.returncode == 2, done.stderr
        assert done.stderr == (
            "stretch: error: cannot write calf.stretch: permission denied: you may not write "
            "this file (it is read-only for you); nothing was changed\n1 file failed\n")
        done = run_as_nobody(folder, "compile", "calf.stretch", "-o", "calf.json")
        assert done.returncode == 2, done.stderr
        assert "stretch: error: cannot write calf.json: permission denied" in done.stderr
        after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()}
        assert after == before  # same files, same inodes, same bytes: nothing changed


def test_a_writable_file_is_formatted_for_an_ordinary_user() -> None:
    """The refusal above is about permission, not about being unprivileged."""
    with shared_folder() as folder:
        routine = folder / "calf.stretch"
        routine.write_text(MESSY)
        if os.geteuid() == 0:
            os.chown(routine, NOBODY, NOBODY)
        done = run_as_nobody(folder, "fmt", "calf.stretch")
        assert done.returncode == 0, done.stderr
        assert routine.read_text() == TIDY


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_the_new_file_keeps_owner_group_and_mode(tmp_path: Path) -> None:
    routine = tmp_path / "calf.stretch"
    routine.write_text(MESSY)
    os.chown(routine, NOBODY, NOBODY)
    routine.chmod(0o604)
    write_atomically(routine, TIDY)
    info = routine.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (NOBODY, NOBODY, 0o604)


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "new.json", "{}\n")
    finally:
        os.umask(mask)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644


def test_refusals_change_nothing_and_leave_no_temporary_file(tmp_path: Path) -> None:
    first = tmp_path / "first.stretch"
    first.write_text(MESSY)
    os.link(first, tmp_path / "second.stretch")
    with pytest.raises(files.WriteRefused):
        write_atomically(first, TIDY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.stretch", "second.stretch"]


def test_process_substitution_is_read_and_not_written_to(tmp_path: Path) -> None:
    """`stretch check <(generate)` names a pipe under /dev/fd: read as a stream; fmt says
    it cannot write it back."""
    script = ('printf \'routine   "Calf"\\n  hold 30s\\n\' > routine.txt; '
              f'{sys.executable} -m dsl check <(cat routine.txt); echo "check $?"; '
              f'{sys.executable} -m dsl fmt <(cat routine.txt); echo "fmt $?"')
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "check 0\n" in done.stdout and "fmt 2\n" in done.stdout, done.stderr
    assert "checked 1 file: no problems" in done.stderr
    assert "a named pipe, not a regular file; nothing was written" in done.stderr
