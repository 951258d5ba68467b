"""The registry of codes (``dsl.codes``): every code stretch reports is registered, says
where it is reported, and `stretch explain`, `stretch rules`, docs/rules.md, SARIF, shell
completion and hover read it; the look-alike rules S101 and S102 and their settings; and
no module imports one that imports it back."""

from __future__ import annotations

import ast
import importlib
import json
import operator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT
from lsp_client import LspClient
from typer.testing import CliRunner

from dsl import codes
from dsl.cli import app
from dsl.format.formatter import format_text
from dsl.lint.checker import check, lint_paths
from dsl.lint.config import DEFAULT, ConfigError, load
from dsl.pipeline import compile_file
from dsl.syntax.codes import SYNTAX_CODES, SyntaxCode
from dsl.syntax.parser import parse

runner = CliRunner()


# --- every code reported is registered -----------------------------------------------------


def _code_literals() -> dict[str, list[str]]:
    """Every string in dsl/ that is a whole code (``"P102"``, ``"C001"``), by module."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "dsl").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and len(node.value) == 4 and node.value[0] in "PCNALVTRSX"
                    and node.value[1:].isdigit()):
                found.setdefault(node.value, []).append(path.relative_to(ROOT).as_posix())
    return found


def test_every_code_written_in_the_source_is_registered() -> None:
    literals = _code_literals()
    assert {"P101", "P207", "C001", "N001", "X101", "X102", "R103"} <= set(literals)
    unregistered = {code: where for code, where in literals.items()
                    if code not in codes.by_code()}
    assert not unregistered


def test_every_diagnostic_is_made_with_a_registered_code() -> None:
    """The first argument of each ``Diagnostic(...)`` in dsl/ is a registered code, or
    comes from a rule, a table of syntax messages or a parameter (checked below at run
    time)."""
    literal = 0
    for path in sorted((ROOT / "dsl").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Diagnostic" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                literal += 1
                assert node.args[0].value in codes.by_code(), (path, node.lineno)
    assert literal >= 15


WITHOUT_L103 = DEFAULT.with_overrides(None, ("L103",))


def _reported(paths: list[Path]) -> set[str]:
    run = lint_paths(paths, jobs=1)
    found = {d.code for d in run.diagnostics}
    for path in paths:
        found.update(d.code for d in compile_file(path).diagnostics)
        found.update(d.code for d in compile_file(path, config=WITHOUT_L103).diagnostics)
    return found


def test_every_code_reported_on_the_fixtures_and_examples_is_registered(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.chdir(ROOT)
    too_many = tmp_path / "too-many-steps.stretch"
    too_many.write_text(_examples(codes.by_code()["C001"].doc, "Bad:")[0], encoding="utf-8")
    paths = sorted(p for folder in ("lint", "syntax", "compile", "lsp")
                   for p in (FIXTURES / folder).rglob("*.stretch"))
    paths += [*sorted(EXAMPLES.glob("*.stretch")), too_many]
    reported = _reported(paths)
    assert {"P101", "P102", "S101", "S102", "X101", "X102", "R103", "C001"} <= reported
    assert reported <= set(codes.by_code())


# --- C001: a compile code in the registry --------------------------------------------------


def _examples(doc: str, label: str) -> list[str]:
    part = doc.split(label, 1)[1]
    if label == "Bad:":
        part = part.split("Good:", 1)[0]
    return [block.split("\n", 1)[1].rsplit("```", 1)[0]
            for block in part.split("```stretch")[1:]]


def test_explain_c001_prints_its_documentation() -> None:
    # Regression: C001 was reported by `stretch compile` but `stretch explain C001` exited 2.
    result = runner.invoke(app, ["explain", "C001"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "C001 too-many-steps (compile: always an error)\n\n"
        "The routine has too many steps to compile.\n\n**What it catches.**")
    assert runner.invoke(app, ["explain", "too-many-steps"]).output == result.output


def test_c001s_examples_are_what_the_compiler_does(tmp_path: Path) -> None:
    entry = codes.by_code()["C001"]
    assert (entry.runs, entry.severity, entry.is_rule) == ("compiler", "error", False)
    for label, reported in (("Bad:", True), ("Good:", False)):
        path = tmp_path / "routine.stretch"
        path.write_text(_examples(entry.doc, label)[0], encoding="utf-8")
        result = compile_file(path, config=WITHOUT_L103)
        assert ("C001" in [d.code for d in result.diagnostics]) is reported
        assert (result.document is None) is reported


def test_compile_codes_cannot_be_selected_or_silenced(tmp_path: Path) -> None:
    assert codes.lookup_selector("C001") == () and codes.lookup_selector("C") == ()
    parsed = parse('routine "x"\n  hold 30s "a"  # stretch: ignore[C001]\n', "x.stretch")
    [problem] = check(parsed)
    assert (problem.code, problem.message) == (
        "X102", "`C001` in this suppression comment is not a rule")


# --- where each code is reported ----------------------------------------------------------


def _resolve(where: str) -> Any:
    module, _, name = where.partition(":")
    return operator.attrgetter(name)(importlib.import_module(module))


def test_every_code_says_where_it_is_reported() -> None:
    for entry in codes.all_codes():
        assert callable(_resolve(entry.where)), entry.code
        assert (entry.check is not None) == (entry.runs == "per file"), entry.code
    runs = {entry.code: entry.runs for entry in codes.all_codes()}
    assert runs["R103"] == "across files"
    assert runs["X101"] == runs["X102"] == "on suppressions"
    assert runs["P102"] == "parser" and runs["C001"] == "compiler"
    assert runs["S101"] == runs["L101"] == "per file"
    assert codes.by_code()["R103"].where == "dsl.lint.checker:across_files"
    assert codes.by_code()["X101"].where == "dsl.lint.suppression:apply"
    assert codes.by_code()["X102"].where == "dsl.lint.suppression:find"


def test_the_registry_has_each_codes_parts() -> None:
    every = codes.all_codes()
    assert len({c.code for c in every}) == len({c.name for c in every}) == len(every)
    assert [c.code for c in every if c.family == "P"] == [c.code for c in SYNTAX_CODES]
    s104 = codes.find("s104")
    assert s104 is codes.find("contractions-without-limit") is not None
    assert s104 is not None
    assert s104.summary == s104.doc.splitlines()[0].rstrip(".")
    assert s104.explanation.startswith("**What it catches.**")
    assert s104.example.startswith("Bad:") and s104.example.endswith("```")
    assert "Good:" in s104.example
    assert codes.find("P102") is not None and codes.find_rule("P102") is None
    assert codes.find("S999") is None


# --- the listings read the registry -------------------------------------------------------


def test_rules_md_lists_the_syntax_and_compile_codes_from_the_registry() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for entry in codes.syntax_codes():
        fix = entry.fix.safety if entry.fix else ""
        assert f"| [{entry.code}](#{entry.code.lower()}-{entry.name}) | `{entry.name}` | " \
               f"{fix} | {entry.summary} |\n" in text
        if entry.fix:
            assert f"\nFix: {entry.fix.safety} — {entry.fix.does}.\n" in text
    assert "## Compile codes (C)\n" in text and "### C001 too-many-steps\n" in text


def test_sarif_rule_metadata_is_every_code_lint_can_report() -> None:
    from dsl.outputs.sarif import sarif_rules

    described = sarif_rules()
    assert [r["id"] for r in described] == [
        c.code for c in codes.all_codes() if c.runs not in ("compiler", "new", "audio")]
    s102 = next(r for r in described if r["id"] == "S102")
    assert s102["help"]["text"] == codes.by_code()["S102"].doc
    assert '`long-hold = "2m"`' in s102["help"]["text"]


def test_rules_json_and_completion_come_from_the_registry() -> None:
    from dsl.cli.application import _complete_code

    listed = json.loads(runner.invoke(app, ["rules", "--format", "json"]).output)
    assert [r["code"] for r in listed] == [r.code for r in codes.rules()]
    assert _complete_code("c001") == [("C001", "The routine has too many steps to compile")]
    assert ("C003", "`--set` gives a parameter a value outside its range") in _complete_code("c0")
    assert ("P102", "An amount without a unit") in _complete_code("P")


def test_hover_on_a_code_in_a_suppression_comment_shows_its_documentation(
    server: LspClient,
) -> None:
    doc = "file:///tmp/suppressed.stretch"
    server.open(doc, 'routine "Calf stretch"\n'
                     '  hold 5m "Lean"  # stretch: ignore[S102, untimed-hold, Q1]\n')

    def hover(character: int) -> Any:
        return server.request("textDocument/hover", {
            "textDocument": {"uri": doc}, "position": {"line": 1, "character": character}})

    found = hover(37)  # on `S102`
    assert found["range"] == {"start": {"line": 1, "character": 36},
                              "end": {"line": 1, "character": 40}}
    assert found["contents"]["value"] == (
        "**S102 long-hold** (default severity: warning)\n\n" + codes.by_code()["S102"].doc)
    by_name = hover(45)  # on `untimed-hold`
    assert by_name["contents"]["value"].startswith("**S106 untimed-hold** (default severity")
    assert hover(56) is None  # `Q1` is no code
    assert hover(24) is None  # `stretch:`


# --- the look-alike rules S101 and S102 ---------------------------------------------------


def test_long_contraction_and_long_hold_are_one_rule_module() -> None:
    s101, s102 = codes.by_code()["S101"], codes.by_code()["S102"]
    assert (s101.name, s102.name) == ("long-contraction", "long-hold")
    assert s101.where == s102.where == "dsl.lint.rules.long_step:LongStep.check"
    assert [o.key for o in s101.options] == ["long-contraction"]
    assert [(o.key, o.default) for o in s102.options] == [("long-hold", 120.0)]


HOLD = 'routine "Calf stretch"\n  hold 2m30s "Lean into the wall"\n  contract 15s "Push"\n'


def _lint(tmp_path: Path, settings: str) -> list[tuple[str, int, str]]:
    (tmp_path / "stretch.toml").write_text(settings, encoding="utf-8")
    routine = tmp_path / "routine.stretch"
    routine.write_text(HOLD, encoding="utf-8")
    run = lint_paths([routine], jobs=1)
    return [(d.code, d.span.line, d.message) for d in run.diagnostics
            if d.code in ("S101", "S102")]


def test_thresholds_are_settings_with_unchanged_defaults(tmp_path: Path) -> None:
    hold = ("S102", 2, "this hold lasts up to 2m30s, far longer than the 10-60s stretching "
            "guidance recommends")
    contraction = ("S101", 3, "this contraction lasts up to 15s, far beyond the 3-10s of "
                   "usual contract-relax practice")
    assert _lint(tmp_path, "") == [hold]
    assert _lint(tmp_path, 'long-hold = "3m"\n') == []
    assert _lint(tmp_path, 'long-hold = "2m30s"\n') == []
    assert _lint(tmp_path, 'long-hold = "2m29.5s"\nlong-contraction = "10s"\n') == [
        hold, contraction]
    assert _lint(tmp_path, '[tool.stretch]\nlong-contraction = "0.5min"\n') == [hold]


@pytest.mark.parametrize(("value", "shown"), [
    ("120", "120"), ('"2 minutes"', '"2 minutes"'), ('"0s"', '"0s"'), ('"-5s"', '"-5s"'),
    ("true", "true"), ('"30"', '"30"'),
])
def test_a_bad_threshold_is_a_configuration_error(tmp_path: Path, value: str,
                                                  shown: str) -> None:
    path = tmp_path / "stretch.toml"
    path.write_text(f"long-hold = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load(path)
    assert str(error.value) == (
        f'{path}: `long-hold` must be a duration such as `long-hold = "2m"` '
        f"(S102: the longest hold allowed), not `{shown}`")


def test_a_bad_threshold_exits_2_naming_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "stretch.toml"
    path.write_text('long-contraction = "soon"\n', encoding="utf-8")
    routine = tmp_path / "routine.stretch"
    routine.write_text(HOLD, encoding="utf-8")
    result = runner.invoke(app, ["lint", str(routine)])
    assert result.exit_code == 2
    assert f"{path}: `long-contraction` must be a duration such as " \
           '`long-contraction = "20s"` (S101: the longest contraction allowed), not `"soon"`' \
        in result.output
    path.write_text('long-holds = "3m"\n', encoding="utf-8")
    result = runner.invoke(app, ["lint", str(routine)])
    assert result.exit_code == 2
    assert "unknown setting `long-holds` (did you mean `long-hold`?)" in result.output


def test_the_configuration_example_in_lint_md_loads(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    example = text.split("## Configuration", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "pyproject.toml"
    path.write_text(example, encoding="utf-8")
    config = load(path)
    assert config.option("long-hold", 120.0) == 180.0
    assert config.option("long-contraction", 20.0) == 20.0


# --- the parser codes' examples -------------------------------------------------------------

# Codes about the file itself: its bytes, its size, tabs (invisible in a page), nesting
# hundreds of levels deep or over 50 syntax errors have no routine worth printing.
WITHOUT_EXAMPLES = {"P112", "P114", "P117", "P121", "P122", "P123", "P124", "P128"}


def test_every_parser_code_has_examples_unless_it_is_about_the_file() -> None:
    assert {c.code for c in SYNTAX_CODES if not c.bad} == WITHOUT_EXAMPLES
    assert all(bool(c.bad) == bool(c.good) for c in SYNTAX_CODES)


@pytest.mark.parametrize("entry", [c for c in SYNTAX_CODES if c.bad], ids=lambda c: c.code)
def test_a_parser_codes_bad_example_gets_it_and_the_good_one_is_canonical(
        entry: SyntaxCode) -> None:
    assert [d.code for d in parse(entry.bad, "bad.stretch").diagnostics] == [entry.code]
    assert parse(entry.good, "good.stretch").diagnostics == ()
    assert format_text(entry.good).formatted == entry.good


def test_explain_shows_a_parser_codes_examples() -> None:
    result = runner.invoke(app, ["explain", "P102"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "Bad:\n\n```text\nroutine \"Calf stretch\"\n  hold 30 \"Lean into the wall\"\n```\n\n"
        "Good:\n\n```stretch\nroutine \"Calf stretch\"\n  hold 30s \"Lean into the wall\"\n"
        "```\n")
    assert codes.by_code()["P102"].example.startswith("Bad:")
