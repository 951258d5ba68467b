"""Stage 5, outputs: lint reports for people and machines (text, concise, JSON, GitHub
annotations, SARIF)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from dsl.lint.checker import FileResult, counts
from dsl.outputs.text import render_concise, render_text_report

__all__ = ["FORMATS", "counts", "default_format", "render", "summary"]

FORMATS = ("text", "concise", "json", "github", "sarif")


def default_format() -> str:
    """``github`` inside a GitHub Actions job, ``text`` everywhere else."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def render(format_name: str, files: Sequence[FileResult], *, color: bool = False) -> str:
    """The whole report in one format."""
    if format_name == "text":
        return render_text_report(files, color=color)
    if format_name == "concise":
        return "".join(render_concise(d) + "\n" for f in files for d in f.diagnostics)
    # The machine formats are imported when asked for: the json module alone is a few
    # milliseconds of every `stretch lint` that prints text.
    if format_name == "json":
        from dsl.outputs.json_report import render_json

        return render_json(files)
    if format_name == "github":
        from dsl.outputs.github import render_github

        return render_github(files)
    if format_name == "sarif":
        from dsl.outputs.sarif import render_sarif

        return render_sarif(files)
    raise ValueError(f"unknown format {format_name!r}")


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
