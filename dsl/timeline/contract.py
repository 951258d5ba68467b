"""The JSON contract: the schema that ships with the package, and version checks.

The schema's one copy lives in ``schema/routine.schema.json`` at the top of the source
tree; the wheel carries it as ``dsl/schema/routine.schema.json``. Both are found here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "2.2.0"
"""The version of the document's layout; minor versions only add fields."""

SCHEMA_ID = "https://stretch-dsl.dev/schema/routine/v2.json"
"""The schema's ``$id``: it carries the major version."""

SCHEMA_NAME = "routine.schema.json"
MAJOR_VERSION = int(SCHEMA_VERSION.split(".")[0])


SCHEMA_NAMES = {"routine": SCHEMA_NAME, "session": "session.schema.json",
                "programme": "programme.schema.json"}
"""Each document's schema: routines, and sessions and programmes (``PLAN_VERSION`` in
``dsl.timeline.sessions``)."""


def schema_text(kind: str = "routine") -> str:
    """A schema's text (``kind``: routine, session or programme), from the installed
    package or from a source checkout."""
    # Imported here: compiling needs the version above, not the schema (nor these modules).
    from importlib import resources

    name = SCHEMA_NAMES[kind]
    packaged = resources.files("dsl") / "schema" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "schema" / name).read_text(
        encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The schema as a dict."""
    import json

    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded


def validation_errors(document: Any) -> list[str]:
    """Where a document breaks the schema, as ``$.path: message`` lines (empty if valid)."""
    # Imported by name: jsonschema ships no type hints, and only this function needs it.
    jsonschema = importlib.import_module("jsonschema")
    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: (e.json_path, e.message))
    return [f"{error.json_path}: {error.message}" for error in errors]


def plan_validation_errors(document: Any) -> list[str]:
    """As ``validation_errors``, for a session or programme document (its ``kind``): its
    schema refers to the routine's and the session's, found by their ``$id``."""
    import json

    jsonschema = importlib.import_module("jsonschema")
    referencing = importlib.import_module("referencing")
    schemas = {kind: json.loads(schema_text(kind)) for kind in SCHEMA_NAMES}
    registry = referencing.Registry().with_resources(
        (schema["$id"], referencing.Resource.from_contents(schema))
        for schema in schemas.values())
    kind = document.get("kind") if isinstance(document, dict) else None
    if kind not in ("session", "programme"):
        return ["$: not a session or programme document: `kind` is missing"]
    validator = jsonschema.Draft202012Validator(schemas[kind], registry=registry)
    errors = sorted(validator.iter_errors(document), key=lambda e: (e.json_path, e.message))
    return [f"{error.json_path}: {error.message}" for error in errors]


def version_problem(document: Any) -> str | None:
    """Why a player must refuse this document, or None: not a compiled routine, or a
    major version this package does not know (minor versions only add fields)."""
    if not isinstance(document, dict) or not isinstance(document.get("schemaVersion"), str):
        return "this is not a compiled routine: `schemaVersion` is missing"
    version = document["schemaVersion"]
    major = version.split(".")[0]
    if not major.isdigit():
        return f"this is not a compiled routine: `schemaVersion` is `{version}`"
    if int(major) != MAJOR_VERSION:
        return (f"schema version {version} is not supported: this player plays version "
                f"{MAJOR_VERSION}.x")
    return None
