"""`stretch lint --fix`, `--unsafe-fixes` and `--diff`: what is written, what is printed
(every message's wording), and the exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from dsl.cli import app

runner = CliRunner()

NEEDS_HANDLER = ('routine "Hamstring PNF"\n  limit cycles 3\n  # the work\n'
                 '  contract 6s gently "Push the heel down"  # push\n  relax 10s "Let go"\n')
WITH_HANDLER = ('routine "Hamstring PNF"\n  limit cycles 3\n  on pain "Too far"\n'
                '    release "Ease off"\n    relax 30s\n  # the work\n'
                '  contract 6s gently "Push the heel down"  # push\n  relax 10s "Let go"\n')
ALTERNATING = ('routine "Calf"\n  sides: alternating, left first\n  limit hold 60s per side\n'
               '  hold 30s\n')
BROKEN_LIMIT = ('routine "PNF"\n  limit cycles 1\n  on pain "x"\n    release\n'
                '  repeat 2:\n    contract 5s\n    relax 5s\n')


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)


def _file(name: str, text: str) -> Path:
    path = Path(name)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_fix_writes_the_safe_fixes_and_reports_nothing_left() -> None:
    routine = _file("pnf.stretch", NEEDS_HANDLER)
    result = runner.invoke(app, ["lint", "--fix", str(routine)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == ("fixed 1 finding in 1 file; none remain\n"
                             "linted 1 file: no problems\n")
    assert routine.read_text(encoding="utf-8") == WITH_HANDLER


def test_fix_counts_files_and_what_remains() -> None:
    first = _file("a.stretch", NEEDS_HANDLER)
    second = _file("b.stretch", ALTERNATING)
    result = runner.invoke(app, ["lint", "--fix", str(first), str(second)])
    assert result.exit_code == 1  # V106 is an error, and its fix is unsafe
    assert result.stderr == ("fixed 2 findings in 2 files; 1 remains (1 fixable with "
                             "--unsafe-fixes)\nlinted 2 files: 1 error in 1 file\n")
    assert "error[V106]: `sides: alternating` has nothing to alternate" in result.stdout
    assert second.read_text(encoding="utf-8") == (
        'routine "Calf"\n  sides: alternating, left first\n  limit hold 60s\n  hold 30s\n')


def test_unsafe_fixes_are_applied_when_asked() -> None:
    routine = _file("calf.stretch", ALTERNATING)
    result = runner.invoke(app, ["lint", "--fix", "--unsafe-fixes", str(routine)])
    assert result.exit_code == 0
    assert result.stderr.startswith("fixed 2 findings in 1 file; none remain\n")
    assert routine.read_text(encoding="utf-8") == (
        'routine "Calf"\n  sides: each, left first\n  limit hold 60s\n  hold 30s\n')


def test_unsafe_fixes_alone_is_a_usage_error() -> None:
    routine = _file("calf.stretch", ALTERNATING)
    result = runner.invoke(app, ["lint", "--unsafe-fixes", str(routine)])
    assert result.exit_code == 2
    assert "--unsafe-fixes: add --fix to apply them (or --diff to see them)" in result.stderr
    assert routine.read_text(encoding="utf-8") == ALTERNATING


def test_diff_prints_what_would_change_and_writes_nothing() -> None:
    routine = _file("pnf.stretch", NEEDS_HANDLER)
    result = runner.invoke(app, ["lint", "--diff", str(routine)])
    assert result.exit_code == 1
    assert result.stdout == (
        "--- pnf.stretch\n+++ pnf.stretch\n@@ -1,5 +1,8 @@\n"
        ' routine "Hamstring PNF"\n   limit cycles 3\n+  on pain "Too far"\n'
        '+    release "Ease off"\n+    relax 30s\n   # the work\n'
        '   contract 6s gently "Push the heel down"  # push\n   relax 10s "Let go"\n')
    assert result.stderr == "would fix 1 finding in 1 file\n"
    assert routine.read_text(encoding="utf-8") == NEEDS_HANDLER


def test_diff_of_a_file_with_nothing_to_fix_is_empty_and_exits_0() -> None:
    routine = _file("broken.stretch", BROKEN_LIMIT)
    result = runner.invoke(app, ["lint", "--diff", str(routine)])
    assert result.exit_code == 0
    assert (result.stdout, result.stderr) == (
        "", "nothing to fix (1 fixable with --unsafe-fixes)\n")
    clean = _file("calf.stretch", 'routine "Calf"\n  hold 30s "Lean in"\n')
    nothing = runner.invoke(app, ["lint", "--diff", str(clean)])
    assert (nothing.exit_code, nothing.stdout, nothing.stderr) == (0, "", "nothing to fix\n")


def test_fix_reports_what_it_cannot_fix_with_the_usual_report() -> None:
    routine = _file("broken.stretch", BROKEN_LIMIT)
    result = runner.invoke(app, ["lint", "--fix", "--format", "concise", str(routine)])
    assert result.exit_code == 1
    assert result.stdout == (
        "broken.stretch:6:5: L101 contract-relax cycle 2 breaks `limit cycles 1`\n")
    assert result.stderr == ("nothing fixed; 1 remains (1 fixable with --unsafe-fixes)\n"
                             "linted 1 file: 1 error in 1 file\n")


def test_fix_keeps_a_json_report_machine_readable() -> None:
    routine = _file("pnf.stretch", NEEDS_HANDLER)
    result = runner.invoke(app, ["lint", "--fix", "--format", "json", str(routine)])
    assert result.exit_code == 0
    assert result.stdout.startswith("{")
    assert result.stderr == "fixed 1 finding in 1 file; none remain\n"


def test_select_limits_what_is_fixed() -> None:
    routine = _file("calf.stretch", ALTERNATING)
    result = runner.invoke(app, ["lint", "--fix", "--unsafe-fixes", "--select", "V106",
                                 str(routine)])
    assert result.exit_code == 0
    assert routine.read_text(encoding="utf-8") == (
        'routine "Calf"\n  sides: each, left first\n  limit hold 60s per side\n  hold 30s\n')


def test_a_file_that_cannot_be_written_is_reported_and_none_is_changed() -> None:
    first = _file("a.stretch", NEEDS_HANDLER)
    second = _file("b.stretch", NEEDS_HANDLER)
    os.link(second, "b-link.stretch")  # two names: replacing one would split them
    result = runner.invoke(app, ["lint", "--fix", str(first), str(second)])
    assert result.exit_code == 2
    assert result.stderr.startswith("stretch: error: cannot write b.stretch: ")
    assert result.stderr.endswith("; no file was changed\n")
    assert first.read_text(encoding="utf-8") == NEEDS_HANDLER
    assert second.read_text(encoding="utf-8") == NEEDS_HANDLER


def _stretch(*args: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "dsl", *args], input=stdin, text=True,
                          capture_output=True, cwd=cwd, env=env, check=False)


def test_standard_input_is_fixed_to_standard_output(tmp_path: Path) -> None:
    result = _stretch("lint", "--fix", "-", stdin=NEEDS_HANDLER, cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == WITH_HANDLER
    assert result.stderr == "fixed 1 finding in 1 file; none remain\n"
    remains = _stretch("lint", "--fix", "-", stdin=ALTERNATING, cwd=tmp_path)
    assert remains.returncode == 1
    assert remains.stdout == (
        'routine "Calf"\n  sides: alternating, left first\n  limit hold 60s\n  hold 30s\n')
    assert remains.stderr == (
        "fixed 1 finding in 1 file; 1 remains (1 fixable with --unsafe-fixes)\n")


def test_standard_input_with_diff(tmp_path: Path) -> None:
    result = _stretch("lint", "--diff", "-", stdin=NEEDS_HANDLER, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("--- <stdin>\n+++ <stdin>\n")
    assert result.stderr == "would fix 1 finding in 1 file\n"


def test_crlf_and_comments_survive_a_fix_byte_for_byte(tmp_path: Path) -> None:
    routine = tmp_path / "pnf.stretch"
    routine.write_bytes(NEEDS_HANDLER.replace("\n", "\r\n").encode("utf-8"))
    result = _stretch("lint", "--fix", routine.name, stdin="", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert routine.read_bytes() == WITH_HANDLER.replace("\n", "\r\n").encode("utf-8")


def test_a_fix_that_would_break_the_file_is_reported_and_not_written(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from dsl import codes
    from dsl.lint.rules import Edit, Fix, Fixable
    from dsl.model import Span

    registry = dict(codes.by_code())
    registry["S106"] = codes.Code(
        "S106", "untimed-hold", "info", "x", "per file", "here", lambda c: iter(()),
        fix=Fixable("safe", "breaks"),
        fixer=lambda c, d: Fix("Break the file", "safe", (Edit(Span(2, 3, 2, 7), "hodl"),)))
    monkeypatch.setattr(codes, "by_code", lambda: registry)
    text = 'routine "Calf"\n  hold "Lean in"\n'
    routine = _file("calf.stretch", text)
    result = runner.invoke(app, ["lint", "--fix", str(routine)])
    assert result.exit_code == 0
    assert result.stderr == (
        "stretch: calf.stretch:2:3: the fix for S106 (Break the file) was not applied: the "
        "file would not parse after it\n"
        "nothing fixed; 1 remains\n"
        "linted 1 file: 1 note in 1 file\n")
    assert routine.read_text(encoding="utf-8") == text


def test_the_example_in_docs_lint_md_is_what_fix_writes() -> None:
    import re

    from dsl.lint.fixing import fix_text

    text = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    section = text.split("## Fixing findings", 1)[1].split("\n## ", 1)[0]
    before, after = re.findall(r"```stretch\n(.*?)```", section, re.DOTALL)
    assert fix_text(before).text == after
    assert "`fixed 1 finding in 1 file; none remain`" in section


def test_fix_in_worker_processes_writes_and_says_the_same() -> None:
    first = _file("a.stretch", NEEDS_HANDLER)
    second = _file("b.stretch", ALTERNATING)
    result = runner.invoke(app, ["lint", "--fix", "-j", "2", str(first), str(second)])
    assert result.exit_code == 1
    assert result.stderr == ("fixed 2 findings in 2 files; 1 remains (1 fixable with "
                             "--unsafe-fixes)\nlinted 2 files: 1 error in 1 file\n")
    assert first.read_text(encoding="utf-8") == WITH_HANDLER


def test_standard_input_fails_on_what_remains_as_a_report_would(tmp_path: Path) -> None:
    warning = 'routine "Calf"\n  targets: qwxyz\n  hold 30s\n'  # T101, with no fix
    plain = _stretch("lint", "--fix", "-", stdin=warning, cwd=tmp_path)
    assert (plain.returncode, plain.stdout) == (0, warning)
    assert plain.stderr == "nothing fixed; 1 remains\n"
    strict = _stretch("lint", "--fix", "--strict", "-", stdin=warning, cwd=tmp_path)
    assert strict.returncode == 1
