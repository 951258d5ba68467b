"""How ``stretch lint`` prints what it found: text, concise, json, github and sarif.

Every renderer takes the run's results (files in path order, diagnostics sorted within
each file) and returns the whole output as one string, so the output is stable and
testable. docs/lint.md documents the json shape and the other formats.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from dsl._version import __version__
from dsl.diagnostics import Diagnostic, Severity, escape_controls, render_concise, render_text
from dsl.lint.checker import FileResult

FORMATS = ("text", "concise", "json", "github", "sarif")
JSON_VERSION = 1
"""The version of the json format's shape; it changes only when a field is removed or
changes meaning (new fields may be added)."""

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/stretch-dsl/stretch"
RULES_HELP_URI = INFORMATION_URI + "/blob/main/docs/rules.md"


def default_format() -> str:
    """``github`` inside a GitHub Actions job, ``text`` everywhere else."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(format_name: str, files: Sequence[FileResult], *, color: bool = False) -> str:
    """The whole report in one format."""
    if format_name == "text":
        return render_text_report(files, color=color)
    if format_name == "concise":
        return "".join(render_concise(d) + "\n" for f in files for d in f.diagnostics)
    if format_name == "json":
        return render_json(files)
    if format_name == "github":
        return render_github(files)
    if format_name == "sarif":
        return render_sarif(files)
    raise ValueError(f"unknown format {format_name!r}")


def counts(files: Sequence[FileResult]) -> dict[Severity, int]:
    found: dict[Severity, int] = {"error": 0, "warning": 0, "info": 0}
    for result in files:
        for diagnostic in result.diagnostics:
            found[diagnostic.severity] += 1
    return found


def summary(files: Sequence[FileResult]) -> str:
    """One line: how many files were linted and what was found."""
    checked = f"{len(files)} file{'s' if len(files) != 1 else ''}"
    found = counts(files)
    if not any(found.values()):
        return f"linted {checked}: no problems"
    parts = []
    for severity, noun in (("error", "error"), ("warning", "warning"), ("info", "note")):
        number = found[severity]  # type: ignore[index]
        if number:
            parts.append(f"{number} {noun}{'s' if number != 1 else ''}")
    with_problems = sum(1 for f in files if f.diagnostics)
    where = f"{with_problems} file{'s' if with_problems != 1 else ''}"
    return f"linted {checked}: {', '.join(parts)} in {where}"


def render_text_report(files: Sequence[FileResult], *, color: bool = False) -> str:
    """rustc-style diagnostics with the line and a caret, a blank line after each."""
    out = []
    for result in files:
        for diagnostic in result.diagnostics:
            out.append(render_text(diagnostic, result.source or None, color=color) + "\n\n")
    return "".join(out)


# --- json --------------------------------------------------------------------------------


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


# --- github ------------------------------------------------------------------------------

_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message as @actions/core does (``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value as @actions/core does
    (``escapeProperty``): the message escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(diagnostic: Diagnostic) -> str:
    """One ``::error file=...::message`` workflow command. Control characters are
    escaped (``\\x1b``) before the workflow-command escapes: the log is a terminal too."""
    d = diagnostic
    properties = {
        "file": escape_controls(d.path), "line": str(d.span.line), "col": str(d.span.column),
        "endLine": str(d.span.end_line), "endColumn": str(d.span.end_column),
        "title": f"{d.code} {d.name}" if d.name else d.code,
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = f"{d.code} {escape_controls(d.message, one_line=True)}"
    if d.hint:
        message += f"\nhelp: {escape_controls(d.hint, one_line=True)}"
    return f"::{_GITHUB_LEVELS[d.severity]} {joined}::{escape_data(message)}"


def render_github(files: Sequence[FileResult]) -> str:
    return "".join(github_line(d) + "\n" for f in files for d in f.diagnostics)


# --- sarif -------------------------------------------------------------------------------

_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif_rules() -> list[dict[str, Any]]:
    """Every code stretch can report (rules and syntax codes), as SARIF rule metadata."""
    from dsl.lint.rules import all_rules
    from dsl.syntax.codes import SYNTAX_CODES

    described: list[dict[str, Any]] = []
    for code in SYNTAX_CODES:
        described.append({
            "id": code.code, "name": code.name,
            "shortDescription": {"text": code.summary},
            "fullDescription": {"text": code.explanation},
            "help": {"text": code.explanation},
            "helpUri": f"{RULES_HELP_URI}#{code.code.lower()}-{code.name}",
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["syntax"]},
        })
    for rule in all_rules():
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
        lines = result.source.split("\n") if result.source else []
        seen: dict[tuple[str, str], int] = {}
        for d in result.diagnostics:
            text = lines[d.span.line - 1] if 0 < d.span.line <= len(lines) else ""
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
