"""`stretch fmt`: rewriting in place, --check, --diff, stdin, errors, and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT
from typer.testing import CliRunner

from dsl.cli import app
from dsl.format import formatter
from dsl.source import files as dsl_files
from dsl.workers import run_each

runner = CliRunner()
MESSY = 'routine   "Calf"\n  hold 30 seconds   "Lean in"  # keep me\n'
TIDY = 'routine "Calf"\n  hold 30s "Lean in"  # keep me\n'
BAD = 'routine "Calf"\n  hold 30 "Lean in"\n'


def files(tmp_path: Path, **texts: str) -> dict[str, Path]:
    paths = {}
    for name, text in texts.items():
        path = tmp_path / f"{name}.stretch"
        path.write_bytes(text.encode("utf-8"))
        paths[name] = path
    return paths


def test_files_are_rewritten_in_place(tmp_path: Path) -> None:
    paths = files(tmp_path, messy=MESSY, tidy=TIDY)
    tidy_mtime = paths["tidy"].stat().st_mtime_ns
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert paths["messy"].read_text() == TIDY
    assert paths["tidy"].stat().st_mtime_ns == tidy_mtime  # unchanged files are not written
    assert result.stdout == ""
    assert result.stderr == (
        f"reformatted {paths['messy']}\n1 file reformatted, 1 file already formatted\n")
    again = runner.invoke(app, ["fmt", str(tmp_path)])
    assert again.exit_code == 0
    assert again.stderr == "2 files already formatted\n"


def test_check_lists_files_that_would_change_and_exits_1(tmp_path: Path) -> None:
    paths = files(tmp_path, messy=MESSY, tidy=TIDY)
    result = runner.invoke(app, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (f"would reformat {paths['messy']}\n"
                             "1 file would be reformatted, 1 file already formatted\n")
    assert paths["messy"].read_text() == MESSY
    clean = runner.invoke(app, ["fmt", "--check", str(paths["tidy"])])
    assert clean.exit_code == 0
    assert clean.stderr == "1 file already formatted\n"


def test_diff_prints_a_unified_diff_and_exits_1(tmp_path: Path) -> None:
    path = files(tmp_path, messy=MESSY)["messy"]
    result = runner.invoke(app, ["fmt", "--diff", str(path)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"--- {path}\n+++ {path}\n@@ -1,2 +1,2 @@\n"
        '-routine   "Calf"\n-  hold 30 seconds   "Lean in"  # keep me\n'
        '+routine "Calf"\n+  hold 30s "Lean in"  # keep me\n'
    )
    assert result.stderr == "1 file would be reformatted\n"
    assert path.read_text() == MESSY


def test_diff_shows_a_missing_final_line_break(tmp_path: Path) -> None:
    path = files(tmp_path, short='routine "Calf"\n  hold 30s')["short"]
    result = runner.invoke(app, ["fmt", "--diff", str(path)])
    assert result.stdout.endswith(
        "-  hold 30s\n\\ No newline at end of file\n+  hold 30s\n")


def test_stdin_is_formatted_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fmt", "-"], input=MESSY)
    assert result.exit_code == 0
    assert result.stdout == TIDY
    assert result.stderr == ""
    unchanged = runner.invoke(app, ["fmt", "-"], input=TIDY)
    assert (unchanged.exit_code, unchanged.stdout) == (0, TIDY)
    checked = runner.invoke(app, ["fmt", "--check", "-"], input=MESSY)
    assert checked.exit_code == 1
    assert checked.stdout == ""
    assert "would reformat <stdin>" in checked.stderr


def test_a_file_with_errors_is_left_untouched_and_its_diagnostics_shown(
        tmp_path: Path) -> None:
    paths = files(tmp_path, bad=BAD, messy=MESSY)
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 1
    assert paths["bad"].read_text() == BAD
    assert paths["messy"].read_text() == TIDY  # the other files are still formatted
    assert (f"error[P102]: this amount has no unit, found text in quotes\n"
            f"  --> {paths['bad']}:2:11\n") in result.stderr
    assert f"stretch: {paths['bad']} has errors: left as it is\n" in result.stderr
    assert result.stderr.endswith(
        "1 file reformatted, 1 file with errors left as they were\n")


def test_stdin_with_errors_writes_nothing_to_stdout() -> None:
    result = runner.invoke(app, ["fmt", "-"], input=BAD)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "  --> <stdin>:2:11" in result.stderr


def test_bytes_that_are_not_text_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "binary.stretch"
    path.write_bytes(b'routine "x"\n  hold \xff\n')
    result = runner.invoke(app, ["fmt", str(path)])
    assert result.exit_code == 1
    assert ("error[P121]: the file is not valid UTF-8: byte 0xff at offset 19\n"
            f"  --> {path}:2:8") in result.stderr
    assert path.read_bytes() == b'routine "x"\n  hold \xff\n'


def test_an_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = files(tmp_path, messy=MESSY)["messy"]

    def refuse(*args: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("dsl.source.files.os.open", refuse)
    result = runner.invoke(app, ["fmt", str(path)])
    assert result.exit_code == 1
    assert (f"error[P123]: cannot read this file: Permission denied\n  --> {path}:1:1"
            in result.stderr)


def test_a_failed_self_check_writes_nothing_and_exits_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = files(tmp_path, messy=MESSY, other=MESSY.replace("Calf", "Calves"))
    real = formatter.lay_out
    # A formatter bug that drops the comment on the "Calf" routine only.
    monkeypatch.setattr(formatter, "lay_out", lambda *a, **k: real(*a, **k).replace(
        '"Calf"\n  hold 30s "Lean in"  # keep me', '"Calf"\n  hold 30s "Lean in"'))
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 2
    assert paths["messy"].read_text() == MESSY
    assert paths["other"].read_text() == TIDY.replace("Calf", "Calves")
    assert (f"stretch: internal error: formatting {paths['messy']} would change its meaning "
            "(a comment would be lost or moved)\n"
            f"stretch: nothing was written to {paths['messy']}; please report this with the "
            "file\n") in result.stderr
    assert result.stderr.endswith("1 file reformatted, 1 file failed\n")
    checked = runner.invoke(app, ["fmt", "--check", str(paths["messy"])])
    assert checked.exit_code == 2


def test_a_file_that_cannot_be_written_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = files(tmp_path, messy=MESSY)["messy"]

    def fail(target: Path, data: str | bytes, *, flush: bool = False) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dsl_files, "stage", fail)
    result = runner.invoke(app, ["fmt", str(path)])
    assert result.exit_code == 2
    assert f"stretch: error: cannot write {path}: No space left on device\n" in result.stderr
    assert path.read_text() == MESSY


def test_a_file_that_cannot_be_put_in_place_keeps_its_text_and_the_others_are_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new texts are written beside their files, flushed to disk together, then each
    renamed into place: a rename that fails leaves that file as it was (and no temporary
    file beside it), and the other files are written all the same."""
    paths = files(tmp_path, messy=MESSY, other=MESSY.replace("Calf", "Calves"))
    real = os.replace

    def refuse_one(source: str, target: str) -> None:
        if target == str(paths["messy"]):
            raise OSError(13, "Permission denied")
        real(source, target)

    monkeypatch.setattr("dsl.source.files.os.replace", refuse_one)
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 2
    assert (f"stretch: error: cannot write {paths['messy']}: Permission denied\n"
            f"reformatted {paths['other']}\n") in result.stderr
    assert result.stderr.endswith("1 file reformatted, 1 file failed\n")
    assert paths["messy"].read_text() == MESSY
    assert paths["other"].read_text() == TIDY.replace("Calf", "Calves")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messy.stretch", "other.stretch"]


def test_when_the_disk_cannot_flush_no_file_is_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = files(tmp_path, messy=MESSY, other=MESSY.replace("Calf", "Calves"))

    def fail(staged: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(dsl_files, "make_durable", fail)
    result = runner.invoke(app, ["fmt", str(tmp_path)])
    assert result.exit_code == 2
    assert (f"stretch: error: cannot write {paths['messy']}: Input/output error\n"
            f"stretch: error: cannot write {paths['other']}: Input/output error\n"
            "2 files failed\n") in result.stderr
    assert paths["messy"].read_text() == MESSY
    assert paths["other"].read_text() == MESSY.replace("Calf", "Calves")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messy.stretch", "other.stretch"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["fmt", str(tmp_path / "nope.stretch")])
    assert missing.exit_code == 2
    assert "stretch: error: no such file or folder:" in missing.output
    assert runner.invoke(app, ["fmt"]).exit_code == 2


def test_the_fixture_corpus_is_reported_by_check() -> None:
    # Every awkward case would change; every expected file and canonical case would not.
    cases = FIXTURES / "fmt"
    result = runner.invoke(app, ["fmt", "--check", str(cases)])
    assert result.exit_code == 1
    listed = {line.removeprefix("would reformat ") for line in result.stderr.splitlines()
              if line.startswith("would reformat ")}
    awkward = {str(p) for p in cases.glob("*.stretch")
               if p.with_name(p.name.removesuffix(".stretch") + ".expected.stretch").exists()}
    assert listed == awkward


def test_pre_commit_style_run_rewrites_the_files_and_exits_0(tmp_path: Path) -> None:
    # pre-commit calls `stretch fmt file1 file2` and notices modified files itself.
    paths = files(tmp_path, one=MESSY, two=MESSY.replace("Calf", "Calves"))
    result = subprocess.run(
        [sys.executable, "-m", "dsl", "fmt", str(paths["one"]), str(paths["two"])],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert paths["one"].read_text() == TIDY
    assert paths["two"].read_text() == TIDY.replace("Calf", "Calves")
    assert result.stderr.endswith("2 files reformatted\n")


def test_the_examples_pass_check_from_the_command_line() -> None:
    result = subprocess.run([sys.executable, "-m", "dsl", "fmt", "--check", str(EXAMPLES)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stderr.endswith("files already formatted\n")


# --- several worker processes (-j) -----------------------------------------------------------


def _library(folder: Path, copies: int = 1) -> None:
    """Tidy and messy routines, one with errors, one that is not text and one that cannot be
    replaced (a second hard link): every outcome fmt has."""
    folder.mkdir()
    for number in range(copies):
        files(folder, **{f"messy{number}": MESSY.replace("Calf", f"Calf {number}"),
                         f"tidy{number}": TIDY.replace("Calf", f"Tidy {number}")})
    files(folder, bad=BAD)
    (folder / "binary.stretch").write_bytes(b'routine "x"\n  hold \xff\n')
    files(folder, linked=MESSY)
    os.link(folder / "linked.stretch", folder / "linked-too.txt")


def _fmt(folder: Path, *options: str) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "dsl", "fmt", *options, folder.name],
                          capture_output=True, text=True, cwd=folder.parent)
    return done.returncode, done.stdout, done.stderr


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("options", [[], ["--check"], ["--diff"], ["--check", "--diff"]],
                         ids=["write", "check", "diff", "check-diff"])
def test_workers_give_the_same_output_files_and_exit_code_as_one_process(
        tmp_path: Path, options: list[str]) -> None:
    serial, parallel = tmp_path / "serial" / "lib", tmp_path / "parallel" / "lib"
    serial.parent.mkdir()
    parallel.parent.mkdir()
    _library(serial, copies=3)
    _library(parallel, copies=3)
    one = _fmt(serial, "-j1", *options)
    two = _fmt(parallel, "-j", "2", *options)
    assert two == one
    assert _contents(parallel) == _contents(serial)
    code, stdout, stderr = two
    # Writing, the hard-linked file fails (2); the other files are still done and reported.
    assert code == (1 if options else 2)
    messy = sorted(f"lib/messy{n}.stretch" for n in range(3))
    assert ("error[P102]: this amount has no unit, found text in quotes\n"
            "  --> lib/bad.stretch:2:11\n") in stderr
    assert "error[P121]: the file is not valid UTF-8: byte 0xff at offset 19\n" in stderr
    if options:  # nothing is written
        assert _contents(parallel)["messy1.stretch"] == MESSY.replace("Calf", "Calf 1").encode()
        changed = sorted([*messy, "lib/linked.stretch"]) if "--diff" in options else []
        assert [line for line in stdout.splitlines() if line.startswith("---")] == [
            f"--- {name}" for name in changed]
        assert stderr.endswith("4 files would be reformatted, 3 files already formatted, "
                               "2 files with errors left as they were\n")
    else:
        assert stdout == ""
        for number in range(3):
            assert (parallel / f"messy{number}.stretch").read_text() == TIDY.replace(
                "Calf", f"Calf {number}")
        assert [line for line in stderr.splitlines() if line.startswith("reformatted ")] == [
            f"reformatted {name}" for name in messy]
        assert ("stretch: error: cannot write lib/linked.stretch: the file has 2 hard links"
                in stderr)
        assert _contents(parallel)["linked.stretch"] == MESSY.encode()
        assert stderr.endswith("3 files reformatted, 3 files already formatted, "
                               "2 files with errors left as they were, 1 file failed\n")


def test_a_large_run_uses_workers_by_default_with_the_same_result(tmp_path: Path) -> None:
    serial, parallel = tmp_path / "serial" / "lib", tmp_path / "parallel" / "lib"
    serial.parent.mkdir()
    parallel.parent.mkdir()
    _library(serial, copies=40)  # 86 files: over the 64 from which workers start
    _library(parallel, copies=40)
    assert _fmt(parallel) == _fmt(serial, "-j1")
    assert _contents(parallel) == _contents(serial)
    assert (parallel / "messy39.stretch").read_text() == TIDY.replace("Calf", "Calf 39")


def test_standard_input_among_files_is_read_by_the_command_itself(tmp_path: Path) -> None:
    paths = files(tmp_path, one=MESSY, two=MESSY.replace("Calf", "Calves"))
    done = subprocess.run([sys.executable, "-m", "dsl", "fmt", "-j2", str(paths["one"]), "-",
                           str(paths["two"])], input=MESSY.replace("Calf", "Shin"),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == TIDY.replace("Calf", "Shin")
    assert done.stderr == (f"reformatted {paths['one']}\nreformatted {paths['two']}\n"
                           "3 files reformatted\n")
    assert paths["two"].read_text() == TIDY.replace("Calf", "Calves")


def test_jobs_must_be_at_least_one(tmp_path: Path) -> None:
    path = files(tmp_path, messy=MESSY)["messy"]
    result = runner.invoke(app, ["fmt", "-j", "0", str(path)])
    assert result.exit_code == 2
    assert "Invalid value for '--jobs' / '-j': 0 is not in the range x>=1." in result.output
    assert path.read_text() == MESSY


def _process_id(task: tuple[str, None]) -> tuple[str, int]:
    return task[0], os.getpid()


def test_the_pool_runs_files_in_other_processes_and_keeps_their_order() -> None:
    tasks = [(name, None) for name in ("a", "b", "-", "c", "d")]
    done = run_each(_process_id, tasks, 2, here=lambda task: task[0] == "-")
    assert [name for name, _ in done] == ["a", "b", "-", "c", "d"]
    assert dict(done)["-"] == os.getpid()  # standard input belongs to this process
    assert all(pid != os.getpid() for name, pid in done if name != "-")
    assert all(pid == os.getpid() for _, pid in run_each(_process_id, tasks, 1))
