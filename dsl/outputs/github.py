"""The ``github`` format: workflow commands that GitHub Actions shows as annotations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dsl.diagnostics import Diagnostic, escape_controls

if TYPE_CHECKING:
    from dsl.lint.checker import FileResult

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
