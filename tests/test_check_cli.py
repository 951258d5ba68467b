"""`stretch check`: exit codes, folders, stdin, and the version."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from dsl import __version__
from dsl.cli import app

runner = CliRunner()
BAD = 'routine "Calf"\n  hold 30 "Lean in"\n'


def test_clean_examples_exit_0() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_problems_exit_1_with_the_rendered_diagnostic(tmp_path: Path) -> None:
    bad = tmp_path / "calf.stretch"
    bad.write_text(BAD)
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"error[P102]: this amount has no unit, found text in quotes\n  --> {bad}:2:11" in (
        result.output)
    assert "checked 1 file: 1 problem in 1 file" in result.output


def test_folders_are_searched_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.stretch").write_text(BAD)
    (tmp_path / "a" / "ok.stretch").write_text('routine "ok"\n')
    (tmp_path / "a" / "notes.txt").write_text("not a routine")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "deep.stretch:2:11" in result.output
    assert "checked 2 files: 1 problem in 1 file" in result.output


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "-"], input=BAD)
    assert result.exit_code == 1
    assert "<stdin>:2:11" in result.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.stretch")])
    assert missing.exit_code == 2
    assert "stretch: error: no such file or folder:" in missing.output
    empty = runner.invoke(app, ["check", str(tmp_path)])
    assert empty.exit_code == 2
    assert "no .stretch files found in" in empty.output
    assert runner.invoke(app, ["check", "--bogus"]).exit_code == 2
    assert runner.invoke(app, ["nonsense"]).exit_code == 2


def test_version_fast_path_and_python_m_dsl() -> None:
    out = subprocess.run([sys.executable, "-m", "dsl", "--version"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert out.stdout == f"stretch {__version__}\n"
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output == f"stretch {__version__}\n"


def test_check_through_python_m_dsl_exits_1_on_problems(tmp_path: Path) -> None:
    bad = tmp_path / "calf.stretch"
    bad.write_text(BAD)
    out = subprocess.run([sys.executable, "-m", "dsl", "check", str(bad)], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "P102" in out.stdout and "Traceback" not in out.stderr
