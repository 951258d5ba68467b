"""``stretch check``: syntax only, for every file given: ``dsl.parse_file``'s diagnostics
(the whole linter is ``stretch lint`` and ``dsl.lint_file``).
"""

from __future__ import annotations

import sys

import typer

from dsl.cli.application import EXIT_CLEAN, EXIT_PROBLEMS, PathsArgument, app, routine_paths


@app.command()
def check(paths: PathsArgument) -> None:
    """Parse routine files and report syntax errors."""
    from dsl import parse_file
    from dsl.outputs.text import render_text, use_color

    color = use_color(sys.stdout)
    problems = files_with_problems = 0
    files = routine_paths(paths)
    for path in files:
        parsed = parse_file(path)
        for diagnostic in parsed.diagnostics:
            typer.echo(render_text(diagnostic, parsed.source, color=color))
            typer.echo("")
        if parsed.diagnostics:
            problems += len(parsed.diagnostics)
            files_with_problems += 1
    typer.echo(_summary(len(files), problems, files_with_problems), err=True)
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_CLEAN)


def _summary(checked: int, problems: int, files_with_problems: int) -> str:
    files = f"{checked} file{'s' if checked != 1 else ''}"
    if not problems:
        return f"checked {files}: no problems"
    noun = "problem" if problems == 1 else "problems"
    where = f"{files_with_problems} file{'s' if files_with_problems != 1 else ''}"
    return f"checked {files}: {problems} {noun} in {where}"
