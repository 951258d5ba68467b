"""The output formats of `stretch lint`: text, concise, json, github and SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, ROOT

from dsl.codes import rules as all_rules
from dsl.diagnostics import Diagnostic, Related
from dsl.lint.checker import FileResult, lint_paths
from dsl.model import Span
from dsl.outputs import default_format, render, summary
from dsl.outputs.github import escape_data, escape_property, github_line

CYCLES = "tests/fixtures/lint/rules/L101-limit-exceeded/bad-cycles.stretch"
NO_LIMIT = ("tests/fixtures/lint/rules/S104-contractions-without-limit/"
            "bad-no-limit-no-handler.stretch")
SARIF_SCHEMA = FIXTURES / "lint" / "sarif-schema-2.1.0.json"


@pytest.fixture
def results(monkeypatch: pytest.MonkeyPatch) -> tuple[FileResult, ...]:
    monkeypatch.chdir(ROOT)
    paths = [Path(CYCLES), Path("tests/fixtures/lint/whole/clean.stretch"), Path(NO_LIMIT)]
    return lint_paths(paths, jobs=1).files


def test_text_is_rustc_style_without_colour(results: tuple[FileResult, ...]) -> None:
    text = render("text", results)
    assert "\x1b[" not in text
    assert text.startswith(
        "error[L101]: contract-relax cycle 4 on the left side breaks `limit cycles 3`\n"
        f"  --> {CYCLES}:12:5\n"
        "   |\n"
        '12 |     contract 5 counts gently "Press the heel down"\n'
        "   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "  note: the limit is declared here\n")
    assert "\x1b[" in render("text", results, color=True)
    assert summary(results) == "linted 3 files: 1 error, 2 warnings in 2 files"
    assert summary(results[1:2]) == "linted 1 file: no problems"


def test_concise_is_one_line_each(results: tuple[FileResult, ...]) -> None:
    assert render("concise", results).splitlines() == [
        f"{CYCLES}:12:5: L101 contract-relax cycle 4 on "
        "the left side breaks `limit cycles 3`",
        f"{NO_LIMIT}:8:3: S104 this "
        "routine has contractions but no limit on them",
        f"{NO_LIMIT}:8:3: S105 this "
        "routine has contractions but no `on pain` handler",
    ]


def test_json_has_the_documented_shape(results: tuple[FileResult, ...]) -> None:
    document = json.loads(render("json", results))
    assert document["version"] == 1
    assert document["tool"]["name"] == "stretch"
    assert document["summary"] == {"files": 3, "filesWithProblems": 2, "errors": 1,
                                   "warnings": 2, "infos": 0}
    first = document["diagnostics"][0]
    assert first == {
        "code": "L101", "name": "limit-exceeded", "severity": "error",
        "message": "contract-relax cycle 4 on the left side breaks `limit cycles 3`",
        "hint": first["hint"], "path": CYCLES,
        "line": 12, "column": 5, "endLine": 12, "endColumn": 51,
        "related": [{"message": "the limit is declared here",
                     "path": CYCLES,
                     "line": 5, "column": 3, "endLine": 5, "endColumn": 17}],
    }
    documented = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    for key in (*first, *document["summary"]):
        assert f"`{key}`" in documented, key


def test_github_escaping_matches_actions_toolkit() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    diagnostic = Diagnostic(
        "S101", "this contraction lasts 25s, 100% too long", "dir,with:odd/x.stretch",
        Span(3, 5, 3, 9), "warning", "contract for 10s at most", name="long-contraction")
    assert github_line(diagnostic) == (
        "::warning file=dir%2Cwith%3Aodd/x.stretch,line=3,col=5,endLine=3,endColumn=9,"
        "title=S101 long-contraction::S101 this contraction lasts 25s, 100%25 too long"
        "%0Ahelp: contract for 10s at most")
    info = Diagnostic("S106", "x", "a.stretch", Span(1, 1, 1, 2), "info")
    assert github_line(info).startswith("::notice file=a.stretch,")


def test_github_is_the_default_under_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert default_format() == "github"
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert default_format() == "text"


def test_sarif_validates_against_the_official_schema(results: tuple[FileResult, ...]) -> None:
    log = json.loads(render("sarif", results))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert {r.code for r in all_rules()} <= set(ids) and "P102" in ids
    result = run["results"][0]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "L101"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == CYCLES
    assert location["region"] == {"startLine": 12, "startColumn": 5, "endLine": 12,
                                  "endColumn": 51}
    assert result["relatedLocations"][0]["message"]["text"] == "the limit is declared here"
    rule = rules[result["ruleIndex"]]
    assert rule["name"] == "limit-exceeded"
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["shortDescription"]["text"].startswith("A declared limit is broken")
    # Two findings of one rule on one line get different, stable fingerprints.
    prints = [r["partialFingerprints"]["stretch/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)
    assert render("sarif", results) == render("sarif", results)


def test_fingerprints_survive_lines_moving(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    body = '  hold "Untimed"\n'
    Path("r.stretch").write_text('routine "r"\n' + body)
    before = json.loads(render("sarif", lint_paths([Path("r.stretch")], jobs=1).files))
    Path("r.stretch").write_text('routine "r"\n  note "a new line above"\n' + body)
    after = json.loads(render("sarif", lint_paths([Path("r.stretch")], jobs=1).files))

    def prints(log: dict[str, list[dict[str, list[dict[str, object]]]]]) -> object:
        return [r["partialFingerprints"] for r in log["runs"][0]["results"]]

    assert prints(before) == prints(after)


def test_related_location_in_another_file_renders() -> None:
    diagnostic = Diagnostic("R103", "the id `x` is already used by a.stretch", "b.stretch",
                            Span(2, 3, 2, 8), related=(Related("first", Span(2, 3, 2, 8),
                                                               "a.stretch"),))
    result = FileResult("b.stretch", 'routine "b"\n  id: x\n', (diagnostic,))
    log = json.loads(render("sarif", [result]))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    related = log["runs"][0]["results"][0]["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "a.stretch"
    assert json.loads(render("json", [result]))["diagnostics"][0]["related"][0]["path"] == (
        "a.stretch")
