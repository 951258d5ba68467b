"""SARIF artifact locations: RFC 3986 percent-encoded, relative to %SRCROOT% (the working
folder) for files inside it, absolute file: URIs without a base for files outside it;
checked with the schema's `uri` and `uri-reference` formats enforced. Fingerprints keep
hashing the path as before, so code scanning alerts do not reopen."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES

from dsl.lint.checker import lint_paths
from dsl.outputs import render

SARIF_SCHEMA = FIXTURES / "lint" / "sarif-schema-2.1.0.json"
UNTIMED = 'routine "r"\n  hold "Untimed"\n'  # one S106 finding on line 2


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()
    # Without rfc3986-validator jsonschema skips these formats silently.
    assert {"uri", "uri-reference"} <= set(checker.checkers)
    return checker


def _sarif(paths: list[Path]) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render("sarif", lint_paths(paths, jobs=1).files))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=_format_checker()).validate(log)
    return log


def _locations(log: dict[str, Any]) -> list[dict[str, str]]:
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]
            for r in log["runs"][0]["results"]]


def test_odd_names_are_percent_encoded_relative_to_srcroot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = ["my routine #1.stretch", "café.stretch", "a b/50%.stretch", "plain.stretch"]
    for name in names:
        Path(name).parent.mkdir(exist_ok=True)
        Path(name).write_text(UNTIMED, encoding="utf-8")
    log = _sarif([Path(n) for n in names])
    assert _locations(log) == [
        {"uri": "my%20routine%20%231.stretch", "uriBaseId": "%SRCROOT%"},
        {"uri": "caf%C3%A9.stretch", "uriBaseId": "%SRCROOT%"},
        {"uri": "a%20b/50%25.stretch", "uriBaseId": "%SRCROOT%"},
        {"uri": "plain.stretch", "uriBaseId": "%SRCROOT%"},
    ]


def test_a_file_outside_the_working_folder_gets_an_absolute_uri_and_no_base(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "other place"
    project.mkdir()
    elsewhere.mkdir()
    outside = elsewhere / "café #2.stretch"
    outside.write_text(UNTIMED, encoding="utf-8")
    monkeypatch.chdir(project)
    [location] = _locations(_sarif([outside]))
    assert location == {"uri": f"{tmp_path.as_uri()}/other%20place/caf%C3%A9%20%232.stretch"}


def test_fingerprints_hash_the_path_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("my routine #1.stretch").write_text(UNTIMED, encoding="utf-8")
    [result] = _sarif([Path("my routine #1.stretch")])["runs"][0]["results"]
    # The code, the path unencoded, the trimmed line and its occurrence: the input the
    # fingerprints have always had.
    key = "\0".join(("S106", "my routine #1.stretch", 'hold "Untimed"', "1"))
    expected = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    assert result["partialFingerprints"] == {"stretch/v1": expected}
