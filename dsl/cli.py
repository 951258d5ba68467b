"""The ``stretch`` command line: a thin shell over the Python API.

Exit codes: 0 clean, 1 problems found, 2 usage or internal error. Each command imports
what it needs when it runs, so start-up stays quick.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ._version import __version__

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

app = typer.Typer(
    name="stretch",
    help="Write, check and compile stretching routines.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stretch {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="Show the version and exit.", callback=_version,
                     is_eager=True),
    ] = False,
) -> None:
    """Write, check and compile stretching routines (.stretch files)."""


PathsArgument = Annotated[
    list[Path],
    typer.Argument(help="Routine files, or folders to search for *.stretch files; - reads stdin.",
                   metavar="PATH...",
                   show_default=False),
]


def usage_error(message: str) -> NoReturn:
    typer.echo(f"stretch: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def routine_paths(paths: list[Path]) -> list[Path]:
    """The routine files behind the command-line paths, or a usage error."""
    from .files import MissingPath, discover

    try:
        found = discover(paths)
    except MissingPath as missing:
        usage_error(f"no such file or folder: {missing}")
    if not found:
        usage_error("no .stretch files found in " + ", ".join(str(p) for p in paths))
    return found


@app.command()
def check(paths: PathsArgument) -> None:
    """Parse routine files and report syntax errors."""
    from .diagnostics import render_text, use_color
    from .parser import parse_file

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


# --- new commands register above this line ---


def run() -> None:
    """Run the command line; unexpected failures exit 2 with a message, not a traceback."""
    try:
        app(prog_name="stretch")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly, keep the traceback for debugging
        if os.environ.get("STRETCH_DEBUG"):
            raise
        print(f"stretch: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("stretch: set STRETCH_DEBUG=1 to see the traceback, and please report it",
              file=sys.stderr)
        sys.exit(EXIT_USAGE)
