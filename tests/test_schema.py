"""The JSON Schema: valid 2020-12, documented everywhere, shipped in the wheel, and every
compiled document in the project validates against it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, example_paths
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from dsl.cli import app
from dsl.syntax.parser import parse_file
from dsl.timeline.compiler import SCHEMA_ID, SCHEMA_VERSION, compile_routine
from dsl.timeline.contract import (
    load_schema,
    plan_validation_errors,
    schema_text,
    validation_errors,
    version_problem,
)

SCHEMA_FILE = ROOT / "schema" / "routine.schema.json"
FIXTURES = ROOT / "tests" / "fixtures"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def test_schema_is_valid_2020_12() -> None:
    Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_id_carries_the_major_version() -> None:
    assert schema()["$id"] == SCHEMA_ID
    assert SCHEMA_ID.endswith(f"/v{SCHEMA_VERSION.split('.')[0]}.json")


def subschemas(node: Any, where: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from subschemas(value, f"{where}/{index}")


OPTIONAL = re.compile(r"\bPresent only\b")


def test_every_object_is_closed_and_every_property_described() -> None:
    objects = 0
    for where, node in subschemas(schema()):
        if node.get("type") == "object":
            objects += 1
            assert node.get("additionalProperties") is False, where
            for name, prop in node["properties"].items():
                assert prop.get("description"), f"{where}/properties/{name}"
                # A field added in a minor version for a new form of the language is left
                # out of documents that do not use the form (so their bytes stay the
                # same), and its description says when it is there.
                if name not in node["required"]:
                    assert OPTIONAL.search(prop["description"]), f"{where}/properties/{name}"
            assert set(node["required"]) <= set(node["properties"]), where
    assert objects > 20


def test_packaged_schema_is_the_one_copy() -> None:
    assert schema_text() == SCHEMA_FILE.read_text(encoding="utf-8")
    assert load_schema() == schema()


def compiled_documents() -> Iterator[tuple[str, Any]]:
    for path in example_paths():
        routine = parse_file(path).routine
        assert routine is not None, path
        yield path.name, compile_routine(routine, path=path.name)
    # Every good routine fixture in the project (any area's good/ folder) compiles.
    for path in sorted(FIXTURES.glob("**/good/**/*.stretch")):
        parsed = parse_file(path)
        assert parsed.routine is not None and parsed.ok, (path, parsed.diagnostics)
        yield str(path.relative_to(FIXTURES)), compile_routine(parsed.routine)
    # Every compiled document stored in the tests: goldens and the conformance suite.
    for path in sorted([*(FIXTURES / "compile").glob("**/*.json"),
                        *(ROOT / "tests" / "conformance").glob("*/routine.json")]):
        yield str(path.relative_to(ROOT)), json.loads(path.read_text(encoding="utf-8"))


def test_every_compiled_document_validates() -> None:
    seen = 0
    for name, document in compiled_documents():
        if document.get("kind") in ("session", "programme"):  # their own schemas
            assert plan_validation_errors(document) == [], name
        else:
            assert validation_errors(document) == [], name
        seen += 1
    assert seen >= len(example_paths()) + 12


def test_a_broken_document_is_reported() -> None:
    routine = parse_file(ROOT / "examples" / "box-breathing.stretch").routine
    assert routine is not None
    document = compile_routine(routine)
    # Broken on purpose, as the types forbid.
    document["timeline"][0]["surprise"] = 1  # type: ignore[typeddict-unknown-key]
    del document["summary"]  # type: ignore[misc]
    assert validation_errors(document) == [
        "$: 'summary' is a required property",
        "$.timeline[0]: Additional properties are not allowed ('surprise' was unexpected)",
    ]


@pytest.mark.parametrize("version, problem", [
    ("2.0.0", None),
    ("2.7.2", None),
    ("1.0.0", "schema version 1.0.0 is not supported: this player plays version 2.x"),
    ("3.0.0", "schema version 3.0.0 is not supported: this player plays version 2.x"),
    ("one", "this is not a compiled routine: `schemaVersion` is `one`"),
])
def test_version_policy(version: str, problem: str | None) -> None:
    assert version_problem({"schemaVersion": version}) == problem


def test_version_missing() -> None:
    assert version_problem([]) == "this is not a compiled routine: `schemaVersion` is missing"


def test_stretch_schema_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == SCHEMA_FILE.read_text(encoding="utf-8")


def test_the_wheel_ships_the_schema(tmp_path: Path) -> None:
    """`stretch schema` works after a non-editable install: the wheel carries the file."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=120,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "dsl/schema/routine.schema.json" in names
        assert "dsl/timeline/contract.py" in names
        packaged = archive.read("dsl/schema/routine.schema.json").decode("utf-8")
    assert packaged == SCHEMA_FILE.read_text(encoding="utf-8")
    # Installed from the wheel alone (no source checkout on the path), it still finds it.
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import dsl.timeline.contract as c; "
             "assert c.__file__.startswith(sys.argv[1]), c.__file__; "
             "sys.stdout.write(c.schema_text())")
    shown = subprocess.run([sys.executable, "-S", "-c", probe, str(site)], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == packaged


@pytest.mark.parametrize("kind", ["session", "programme"])
def test_the_plan_schemas_are_valid_and_printed(kind: str) -> None:
    schema = json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://stretch-dsl.dev/schema/{kind}/v1.json"
    result = CliRunner().invoke(app, ["schema", kind])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == schema


def test_stretch_schema_names_the_documents_it_knows() -> None:
    result = CliRunner().invoke(app, ["schema", "plan"])
    assert result.exit_code == 2
    assert result.stderr == ("stretch: error: `stretch schema` takes routine, session or "
                             "programme, not `plan`\n")
