"""The ``sarif`` format (SARIF 2.1.0), for code-scanning dashboards: the rules' metadata,
the results with stable fingerprints, file locations as URIs."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from dsl._version import __version__
from dsl.diagnostics import Diagnostic
from dsl.source.text import Source

if TYPE_CHECKING:
    from dsl.lint.checker import FileResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


INFORMATION_URI = "https://github.com/stretch-dsl/stretch"


RULES_HELP_URI = INFORMATION_URI + "/blob/main/docs/rules.md"


_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif_rules() -> list[dict[str, Any]]:
    """Every code ``stretch lint`` can report (syntax codes and rules, from the registry),
    as SARIF rule metadata. Compile codes are left out: they never appear in a lint run."""
    from dsl.codes import rules, syntax_codes

    described: list[dict[str, Any]] = []
    for code in syntax_codes():
        described.append({
            "id": code.code, "name": code.name,
            "shortDescription": {"text": code.summary},
            "fullDescription": {"text": code.explanation},
            "help": {"text": code.explanation},
            "helpUri": f"{RULES_HELP_URI}#{code.code.lower()}-{code.name}",
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["syntax"]},
        })
    for rule in rules():
        described.append({
            "id": rule.code, "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.doc},
            "help": {"text": rule.doc, "markdown": rule.doc},
            "helpUri": f"{RULES_HELP_URI}#{rule.code.lower()}-{rule.name}",
            "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
            "properties": {"tags": [_FAMILIES[rule.family]]},
        })
    return described


_FAMILIES = {"L": "limits", "V": "values", "T": "targets", "R": "references",
             "S": "safety", "X": "suppressions"}


def _artifact_location(path: str) -> dict[str, str]:
    """Where a file is, as SARIF wants it: an RFC 3986 percent-encoded path relative to
    ``%SRCROOT%`` (the working folder) when the file is inside it, an absolute ``file:``
    URI with no base when it is not (a base would make it relative to the wrong folder)."""
    if path.startswith("<"):  # <stdin>
        return {"uri": quote(path.strip("<>")), "uriBaseId": "%SRCROOT%"}
    absolute = Path(os.path.abspath(path))
    try:
        relative = PurePath(absolute.relative_to(Path.cwd())).as_posix()
    except ValueError:
        return {"uri": absolute.as_uri()}  # as_uri percent-encodes the UTF-8 bytes
    return {"uri": quote(relative, safe="/"), "uriBaseId": "%SRCROOT%"}


def _fingerprint_path(path: str) -> str:
    """The file as fingerprints have always hashed it (relative and not encoded, or a
    file: URI): changing it would reopen every code scanning alert."""
    if path.startswith("<"):
        return path.strip("<>")
    absolute = Path(os.path.abspath(path))
    try:
        return PurePath(absolute.relative_to(Path.cwd())).as_posix()
    except ValueError:
        return absolute.as_uri()


def _region(span: Any) -> dict[str, int]:
    region = {"startLine": max(span.line, 1), "startColumn": max(span.column, 1)}
    if span.end_line >= span.line and span.end_line > 0:
        region["endLine"] = span.end_line
        if span.end_column > 0 and (span.end_line > span.line or span.end_column > span.column):
            region["endColumn"] = span.end_column
    return region


def _location(path: str, span: Any, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": _artifact_location(path),
        "region": _region(span),
    }}
    if message is not None:
        location["message"] = {"text": message}
    return location


def fingerprint(diagnostic: Diagnostic, line_text: str, occurrence: int) -> str:
    """A fingerprint that survives lines moving: the code, the file, the text of the
    line (whitespace-trimmed) and which occurrence of that triple this is."""
    key = "\0".join((diagnostic.code, _fingerprint_path(diagnostic.path), line_text.strip(),
                     str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def render_sarif(files: Sequence[FileResult]) -> str:
    rules = sarif_rules()
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    results = []
    for result in files:
        source = Source(result.source)
        seen: dict[tuple[str, str], int] = {}
        for d in result.diagnostics:
            text = source.line(d.span.line) or ""
            occurrence = seen[(d.code, text.strip())] = seen.get((d.code, text.strip()), 0) + 1
            entry: dict[str, Any] = {
                "ruleId": d.code,
                "level": _SARIF_LEVELS[d.severity],
                "message": {"text": d.message + (f"\nhelp: {d.hint}" if d.hint else "")},
                "locations": [_location(d.path, d.span)],
                "partialFingerprints": {"stretch/v1": fingerprint(d, text, occurrence)},
            }
            if d.code in index:
                entry["ruleIndex"] = index[d.code]
            if d.related:
                entry["relatedLocations"] = [
                    {"id": number, **_location(r.path or d.path, r.span, r.message)}
                    for number, r in enumerate(d.related)
                ]
            results.append(entry)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "stretch", "version": __version__, "semanticVersion": __version__,
                "informationUri": INFORMATION_URI, "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
