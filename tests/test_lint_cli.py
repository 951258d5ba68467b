"""`stretch lint`, `stretch rules` and `stretch explain`: options, formats, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, example_paths, plan_example_paths
from typer.testing import CliRunner

from dsl.cli import app
from dsl.codes import rules as all_rules

runner = CliRunner()
# Fixtures of one rule each (tests/test_rules.py), linted here with every rule on.
CYCLES = "tests/fixtures/lint/rules/L101-limit-exceeded/bad-cycles.stretch"
NO_LIMIT = ("tests/fixtures/lint/rules/S104-contractions-without-limit/"
            "bad-no-limit-no-handler.stretch")


@pytest.fixture(autouse=True)
def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(ROOT)


def test_examples_lint_without_errors() -> None:
    result = runner.invoke(app, ["lint", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert f"linted {len(example_paths()) + len(plan_example_paths())} files:" in result.output
    assert "error[" not in result.output


def test_errors_exit_1_and_warnings_only_with_strict() -> None:
    error = runner.invoke(app, ["lint", CYCLES])
    assert error.exit_code == 1
    assert "error[L101]: contract-relax cycle 4 on the left side" in error.output
    assert "linted 1 file: 1 error in 1 file" in error.output
    warnings = NO_LIMIT
    assert runner.invoke(app, ["lint", warnings]).exit_code == 0
    assert runner.invoke(app, ["lint", "--strict", warnings]).exit_code == 1
    info = "tests/fixtures/lint/rules/S106-untimed-hold/bad-untimed-hold.stretch"
    assert runner.invoke(app, ["lint", "--strict", info]).exit_code == 0


def test_select_and_ignore_on_the_command_line() -> None:
    path = "tests/fixtures/lint/rules/V101-inverted-range/bad-inverted-range.stretch"
    result = runner.invoke(app, ["lint", "--format", "concise", "--select", "S",
                                 "--ignore", "S105", path])
    assert result.stdout.splitlines() == [
        f"{path}:4:3: S104 this routine has contractions but no limit on them"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--format", "xml", "examples"], "--format takes text, concise, json, github, sarif, "
                                      "not `xml`"),
    (["--select", "Q1", "examples"], "--select: `Q1` is not a rule code, prefix or name"),
    (["no/such/folder"], "no such file or folder: no/such/folder"),
    (["--config", "missing.toml", "examples"], "--config: no such file: missing.toml"),
])
def test_usage_errors_exit_2(arguments: list[str], message: str) -> None:
    result = runner.invoke(app, ["lint", *arguments])
    assert result.exit_code == 2
    assert f"stretch: error: {message}" in result.output


def test_a_bad_configuration_exits_2(tmp_path: Path) -> None:
    (tmp_path / "stretch.toml").write_text('select = ["nope"]\n')
    (tmp_path / "r.stretch").write_text('routine "r"\n  hold 30s\n')
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 2
    assert "stretch.toml: `nope` is not a rule code, prefix or name" in result.output


def test_json_format_on_the_command_line() -> None:
    result = runner.invoke(app, ["lint", "--format", "json", CYCLES])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["diagnostics"][0]["code"] == "L101"


def test_rules_lists_every_rule() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "fix", "summary"]
    assert len(lines) == len(all_rules()) + 1
    assert lines[1].split()[:3] == ["L101", "limit-exceeded", "error"]
    assert next(line for line in lines if line.startswith("S105")).split()[:4] == [
        "S105", "contractions-without-pain-handler", "warning", "safe"]
    listed = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert [r["code"] for r in listed] == [r.code for r in all_rules()]
    by_code = {r["code"]: r for r in listed}
    assert by_code["L103"]["fix"] is None
    assert by_code["V106"]["fix"] == {
        "safety": "unsafe", "does": "writes `sides: each` with the same first side: every "
        "step then runs on both sides, one after the other"}
    assert runner.invoke(app, ["rules", "--format", "yaml"]).exit_code == 2


def test_explain_prints_a_rules_documentation() -> None:
    result = runner.invoke(app, ["explain", "S104"])
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "S104 contractions-without-limit (default severity: warning)\n\n"
        "A routine with contractions but no declared limit on them.\n\n"
        "Fix: safe — declares the dose the routine has now: `limit contractions N`, N its "
        "most contractions on one side, before the first step.\n\n**What it catches.**")
    assert "Sharman" in result.stdout
    by_name = runner.invoke(app, ["explain", "untimed-hold"])
    assert by_name.stdout.startswith("S106 untimed-hold")
    syntax = runner.invoke(app, ["explain", "P102"])
    assert syntax.stdout.startswith("P102 missing-unit (syntax: always an error)")


def test_explain_an_unknown_code_exits_2_with_a_suggestion() -> None:
    result = runner.invoke(app, ["explain", "S10"])
    assert result.exit_code == 2
    assert "stretch: error: no rule or code `S10`; did you mean `S107`?" in result.output


def test_real_process_many_files_in_parallel_under_github_actions(tmp_path: Path) -> None:
    """A real process: workers in parallel, github format chosen by GITHUB_ACTIONS,
    output in path order."""
    names = []
    for index in range(70):
        name = f"r{index:03d}.stretch"
        hold = '  hold "untimed"\n' if index % 7 == 0 else "  hold 30s\n"
        (tmp_path / name).write_text(f'routine "r{index}"\n{hold}')
        if index % 7 == 0:
            names.append(name)
    environment = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = subprocess.run([sys.executable, "-m", "dsl", "lint", "--strict", "."],
                            cwd=tmp_path, capture_output=True, text=True, env=environment)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("file=")[1].split(",")[0] for line in lines] == names
    assert lines[0] == ("::notice file=r000.stretch,line=2,col=3,endLine=2,endColumn=17,"
                        "title=S106 untimed-hold::S106 this hold has no time: the player "
                        "waits until the client is ready%0Ahelp: if the client should be "
                        "timed, give it a time such as `hold 30s`")


def test_rules_with_an_unknown_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["rules", "--format", "bogus"])
    assert result.exit_code == 2
    assert result.stderr == "stretch: error: --format takes text, json or markdown, not `bogus`\n"
