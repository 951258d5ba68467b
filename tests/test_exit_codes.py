"""Exit codes are defined once (dsl/cli/application.py); every command and the docs use them."""

from __future__ import annotations

import ast
import importlib
import re

import pytest
from conftest import ROOT

import dsl.cli

app_module = importlib.import_module("dsl.cli.application")
CODES = {name: value for name, value in vars(app_module).items() if name.startswith("EXIT_")}


def test_the_codes_are_the_documented_ones() -> None:
    assert CODES == {"EXIT_CLEAN": 0, "EXIT_PROBLEMS": 1, "EXIT_USAGE": 2,
                     "EXIT_INTERRUPTED": 130}


def _exits_and_definitions(path_text: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path_text)):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if (name in {"typer.Exit", "Exit", "sys.exit", "exit", "SystemExit"}
                    and any(isinstance(a, ast.Constant) for a in node.args)):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [f"{node.lineno}: defines {t.id}" for t in targets
                      if isinstance(t, ast.Name) and t.id.startswith("EXIT_")]
        if isinstance(node, ast.ImportFrom):
            found += [f"{node.lineno}: renames {a.name}" for a in node.names
                      if a.name.startswith("EXIT_") and a.asname not in (None, a.name)]
    return found


def test_no_command_writes_an_exit_code_as_a_number_or_defines_its_own() -> None:
    found = {path.relative_to(ROOT).as_posix(): problems
             for path in sorted((ROOT / "dsl").rglob("*.py"))
             if path != ROOT / "dsl" / "cli" / "application.py"
             and (problems := _exits_and_definitions(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_check_finds_numbers_and_copies() -> None:
    sample = ("import sys, typer\nfrom dsl.cli.application import EXIT_USAGE as EXIT_FAILED\n"
              "EXIT_OK = 0\nsys.exit(130)\nraise typer.Exit(2)\n")
    assert [p.split(": ", 1)[1] for p in _exits_and_definitions(sample)] == [
        "renames EXIT_USAGE", "defines EXIT_OK", "sys.exit(130)", "typer.Exit(2)"]


@pytest.mark.parametrize("doc", ["docs/lint.md", "docs/language.md"])
def test_the_docs_list_the_same_codes(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    listed = {int(n) for n in re.findall(r"^\| (\d+) \|", text, re.M)}
    listed |= {int(n) for n in re.findall(r"\*\*(\d+)\*\* ", text)}
    commands = {CODES["EXIT_CLEAN"], CODES["EXIT_PROBLEMS"], CODES["EXIT_USAGE"]}
    assert listed == commands


def test_ctrl_c_exits_with_the_interrupted_code(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(**_: object) -> None:
        raise KeyboardInterrupt

    # The command registered on the real app before it is replaced.
    importlib.import_module("dsl.cli.lint")

    monkeypatch.setattr(app_module, "app", interrupted)
    with pytest.raises(SystemExit) as stopped:
        dsl.cli.run(["lint", "routine.stretch"])
    assert stopped.value.code == CODES["EXIT_INTERRUPTED"] == 130
