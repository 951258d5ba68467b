"""``stretch fmt``: format routine files in place, or check and show what would change.

The formatting itself is ``dsl.format.formatter``; this module reads files, writes only those
that change (atomically), prints diffs and messages, and picks the exit code:

- 0: every file is formatted (files were rewritten if needed; ``black``'s convention);
- 1: with ``--check`` or ``--diff``, a file would change; or a file has errors (it is
  left untouched and its diagnostics are shown);
- 2: an internal error (the formatter's self-check failed: nothing was written to that
  file) or a file that could not be written.

Status messages and diagnostics go to standard error; standard output carries only
diffs and, for ``-``, the formatted text.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from dsl.cli.application import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    PathsArgument,
    app,
    routine_paths,
)

STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(slots=True)
class _Tally:
    changed: int = 0
    unchanged: int = 0
    with_errors: int = 0
    failed: list[str] = field(default_factory=list)


def run(paths: list[Path], *, check: bool = False, diff: bool = False,
        color: bool = False) -> int:
    """Format each routine file; return the exit code. ``-`` is standard input, whose
    formatted text goes to standard output (unless ``check`` or ``diff`` is set)."""
    write = not (check or diff)
    tally = _Tally()
    for path in paths:
        _one(path, tally, check=check, diff=diff, color=color)
    if not (write and [str(p) for p in paths] == [STDIN]):
        typer.echo(summary(tally, would=not write), err=True)
    if tally.failed:
        return EXIT_USAGE  # a file could not be written, or formatting it would be unsafe
    if tally.with_errors or (tally.changed and not write):
        return EXIT_PROBLEMS
    return EXIT_CLEAN


def _one(path: Path, tally: _Tally, *, check: bool, diff: bool, color: bool) -> None:
    # Imported here, not at the top: every command module is imported at start-up.
    from dsl.diagnostics import Diagnostic, escape_controls
    from dsl.format.formatter import FormatResult, UnsafeFormatting, format_text
    from dsl.outputs.text import render_text
    from dsl.source.files import write_atomically
    from dsl.source.text import load

    from_stdin = str(path) == STDIN
    name = STDIN_NAME if from_stdin else str(path)
    shown = escape_controls(name, one_line=True)  # a file name must not drive the terminal
    source = load(path)  # the reader, size limit and encoding checks every command uses
    if isinstance(source, Diagnostic):
        result = FormatResult(name, "", None, (source,))
    else:
        try:
            result = format_text(source, name)
        except UnsafeFormatting as error:
            typer.echo(f"stretch: internal error: {error}", err=True)
            typer.echo(f"stretch: nothing was written to {shown}; please report this "
                       "with the file", err=True)
            tally.failed.append(name)
            return
    if result.formatted is None:
        for diagnostic in result.diagnostics:
            typer.echo(render_text(diagnostic, result.source, color=color), err=True)
            typer.echo("", err=True)
        typer.echo(f"stretch: {shown} has errors: left as it is", err=True)
        tally.with_errors += 1
        return
    write = not (check or diff)
    if not result.changed:
        tally.unchanged += 1
        if write and from_stdin:
            _write_data(result.formatted)
        return
    tally.changed += 1
    if diff:
        _write_data(unified_diff(result.source, result.formatted, shown))
    if check:
        typer.echo(f"would reformat {shown}", err=True)
    if not write:
        return
    if from_stdin:
        _write_data(result.formatted)
        return
    try:
        write_atomically(path, result.formatted)
    except OSError as error:
        typer.echo(f"stretch: error: cannot write {shown}: {error.strerror or error}", err=True)
        tally.changed -= 1
        tally.failed.append(name)
        return
    typer.echo(f"reformatted {shown}", err=True)


def _write_data(text: str) -> None:
    """Formatted text or a diff on standard output: exactly as it is when redirected (click's
    echo would strip escape sequences, losing what the user wrote), escaped on a terminal,
    which would obey the control characters in it."""
    from dsl.diagnostics import escape_controls

    sys.stdout.write(escape_controls(text) if sys.stdout.isatty() else text)
    sys.stdout.flush()


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff from ``before`` to ``after``, both labelled with the file name."""
    lines = difflib.unified_diff(_diff_lines(before), _diff_lines(after), name, name)
    return "".join(lines)


def _diff_lines(text: str) -> list[str]:
    # Split on "\n" only: text in quotes may hold other characters str.splitlines breaks on.
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1] + "\n\\ No newline at end of file\n")
    return lines


def summary(tally: _Tally, *, would: bool) -> str:
    """``1 file reformatted, 4 files already formatted`` and the like."""
    parts = []
    if tally.changed:
        verb = "would be reformatted" if would else "reformatted"
        parts.append(f"{_files(tally.changed)} {verb}")
    if tally.unchanged:
        parts.append(f"{_files(tally.unchanged)} already formatted")
    if tally.with_errors:
        parts.append(f"{_files(tally.with_errors)} with errors left as they were")
    if tally.failed:
        parts.append(f"{_files(len(tally.failed))} failed")
    return ", ".join(parts) or "no files formatted"


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


@app.command("fmt")
def fmt_command(
    paths: PathsArgument,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; list the files that "
                     "would change and exit 1 if any would.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Write nothing; print a unified diff of "
                    "what would change and exit 1 if anything would.")] = False,
) -> None:
    """Rewrite routines in the canonical layout (- formats stdin to stdout)."""
    from dsl.outputs.text import use_color

    code = run(routine_paths(paths), check=check, diff=diff, color=use_color(sys.stderr))
    raise typer.Exit(code)
