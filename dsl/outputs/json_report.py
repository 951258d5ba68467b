"""The ``json`` format: every diagnostic with its position, for programs (docs/lint.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dsl._version import __version__
from dsl.diagnostics import Diagnostic
from dsl.lint.checker import FileResult, counts

JSON_VERSION = 1
"""The version of the json format's shape; it changes only when a field is removed or
changes meaning (new fields may be added)."""


def _position(span: Any) -> dict[str, int]:
    return {"line": span.line, "column": span.column, "endLine": span.end_line,
            "endColumn": span.end_column}


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic in the json format (see docs/lint.md)."""
    d = diagnostic
    return {
        "code": d.code,
        "name": d.name,
        "severity": d.severity,
        "message": d.message,
        "hint": d.hint,
        "path": d.path,
        **_position(d.span),
        "related": [
            {"message": r.message, "path": r.path or d.path, **_position(r.span)}
            for r in d.related
        ],
    }


def render_json(files: Sequence[FileResult]) -> str:
    found = counts(files)
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "stretch", "version": __version__},
        "summary": {
            "files": len(files),
            "filesWithProblems": sum(1 for f in files if f.diagnostics),
            "errors": found["error"], "warnings": found["warning"], "infos": found["info"],
        },
        "diagnostics": [diagnostic_json(d) for f in files for d in f.diagnostics],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
