"""The ``stretch`` Typer app and what every command shares: exit codes, the paths argument,
usage errors, finding the routine files, shell completion of codes and formats.

Exit codes: 0 clean, 1 problems found, 2 usage or internal error. Each command imports
what it needs when it runs, so start-up stays quick.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from dsl._version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable

    from dsl.pipeline import CompiledFile
    from dsl.timeline.runs import RunChoice

# The exit codes of every command, defined here only (docs/lint.md and docs/language.md
# list them; tests/test_exit_codes.py keeps every command to these names).
EXIT_CLEAN = 0
"""Nothing to report: every file is clean (or was formatted)."""
EXIT_PROBLEMS = 1
"""Problems found: diagnostics at the failing severity, or files ``fmt --check`` would change."""
EXIT_USAGE = 2
"""A usage error (bad option, missing path, bad configuration), a file that could not be
written, or an internal error."""
EXIT_INTERRUPTED = 130
"""Stopped with Ctrl-C (128 + SIGINT, as shells report it)."""


COMMANDS = ("new", "check", "compile", "schema", "lsp", "play", "audio", "serve", "fmt",
            "lint", "rules", "explain", "handout", "export")
"""Every command, in the order ``stretch --help`` lists them (Typer lists groups such as
``export`` after the commands); each is the module
``dsl.cli.<name>``, whose import registers it on ``app``."""


app = typer.Typer(
    name="stretch",
    help="Write, check and compile stretching routines.",
    no_args_is_help=True,
    # --install-completion / --show-completion for bash, zsh, fish (and PowerShell): the
    # shell calls `stretch` back with _STRETCH_COMPLETE set to ask what may come next.
    add_completion=True,
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


def _complete_lint_format(incomplete: str) -> list[str]:
    from dsl.outputs import FORMATS

    return [name for name in FORMATS if name.startswith(incomplete)]


RULES_FORMATS = ("text", "json", "markdown")


def _complete_rules_format(incomplete: str) -> list[str]:
    return [name for name in RULES_FORMATS if name.startswith(incomplete)]


def _complete_code(incomplete: str) -> list[tuple[str, str]]:
    """Every code with its summary (what `stretch explain` takes)."""
    from dsl.codes import all_codes

    return [(c.code, c.summary) for c in all_codes()
            if c.code.lower().startswith(incomplete.lower())]


PathsArgument = Annotated[
    list[Path],
    typer.Argument(help="Routine files, or folders to search for *.stretch files; - reads stdin.",
                   metavar="PATH...",
                   show_default=False),
]

JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", help="Worker processes (default: one per core for "
                 "large runs).", min=1, show_default=False),
]
"""Worker processes for commands that take many files (lint, compile, fmt): the default
is one process below ``dsl.workers.PARALLEL_THRESHOLD`` files, one per core from there."""


SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Give a parameter of the routine a value, such as "
                 "`--set hold=45s` (repeatable; the others keep their defaults).",
                 metavar="NAME=VALUE", show_default=False),
]
"""``--set NAME=VALUE`` for the commands that compile (compile, play): the values a coach
gives the routine's parameters (``dsl.timeline.settings``)."""

VariantOption = Annotated[
    list[str] | None,
    typer.Option("--variant", help="Run the routine as one of its variants, such as "
                 "`--variant harder`, or one exercise so: `--variant calf/easier` (by its "
                 "id or number; repeatable, one per exercise).",
                 metavar="[EXERCISE/]NAME", show_default=False),
]
"""``--variant [EXERCISE/]NAME`` for the commands that compile (compile, play): the variants
the routine runs with (``dsl.timeline.choosing``)."""


RangesOption = Annotated[
    str,
    typer.Option("--ranges", help="Play ranged amounts (`10-30s`) at their `high` or `low` "
                 "end.", metavar="high|low"),
]
PassesOption = Annotated[
    str,
    typer.Option("--passes", help="Optional passes of repeats (`repeat 2-4`, `repeat at "
                 "least 3`): play the `most` or the `fewest`.", metavar="most|fewest"),
]
UntimedOption = Annotated[
    str,
    typer.Option("--untimed", help="How long an untimed step lasts in a fixed output, "
                 "such as `10s` or `1m` (the voice says to go on when ready).",
                 metavar="TIME"),
]
"""``--ranges``, ``--passes`` and ``--untimed``: the one vocabulary every output that plays
a routine without asking (play, audio, the exports) chooses ranges and passes with
(``dsl.timeline.runs``)."""


def run_choice(ranges: str, passes: str, untimed: str = "10s") -> RunChoice:
    """The run the shared flags choose, or a usage error naming the flag."""
    from dsl.timeline.runs import RunChoice

    if ranges not in ("high", "low"):
        usage_error(f"--ranges takes `high` or `low`, not `{ranges}`")
    if passes not in ("most", "fewest"):
        usage_error(f"--passes takes `most` or `fewest`, not `{passes}`")
    seconds = _untimed_seconds(untimed)
    if seconds is None:
        usage_error(f"--untimed takes a time such as `10s`, `1m` or `1m30s` (more than 0, "
                    f"at most 1h), not `{untimed}`")
    return RunChoice(ranges, passes, seconds)  # type: ignore[arg-type]


def _untimed_seconds(text: str) -> float | None:
    import re

    found = re.fullmatch(r"\s*(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?\s*", text)
    if found is None or not (found[1] or found[2]):
        return None
    seconds = float(found[1] or 0) * 60 + float(found[2] or 0)
    return seconds if 0 < seconds <= 3600 else None


def compiled_for_output(
    path: Path, *, whose: str, not_done: str, settings: tuple[str, ...] = (),
    variants: tuple[str, ...] = (), stdin: bool = True,
    refuse: Callable[[Path], None] | None = None,
) -> tuple[CompiledFile, dict[str, Any]]:
    """The compiled routine, session or programme an output is made from, with its
    compiled file (diagnostics and source), for the commands that write other formats
    (export, handout). A folder or a missing file is a usage error naming ``whose``
    .stretch file to give (``-`` reads standard input when ``stdin``); ``refuse`` may
    refuse an existing file; a file with errors has them printed, then "``not_done``:
    FILE has errors", and exit 1. The configuration is read as `stretch compile` reads
    it: its `library` folders are where `do` lines find routines by id."""
    import json

    from dsl import ConfigError, compile_file
    from dsl.lint.config import Resolver
    from dsl.outputs.text import render_text, use_color

    named = not stdin or str(path) != "-"
    if named and path.is_dir():
        usage_error(f"{_shown(path)} is a folder: give {whose} .stretch file")
    if named and not path.is_file():
        usage_error(f"no such file: {_shown(path)}")
    if refuse is not None:
        refuse(path)
    try:
        config = Resolver().for_file(path)
    except ConfigError as error:
        usage_error(str(error))
    compiled = compile_file(path, config=config, settings=settings, variants=variants)
    if compiled.errors:
        color = use_color(sys.stderr)
        for diagnostic in compiled.errors:
            typer.echo(render_text(diagnostic, compiled.source, color=color), err=True)
            typer.echo("", err=True)
        typer.echo(f"{not_done}: {_shown(path)} has errors", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    document: dict[str, Any] = json.loads(compiled.text or "null")
    return compiled, document


def usage_error(message: str) -> NoReturn:
    # Messages quote file names and options, which may hold control characters.
    typer.echo(f"stretch: error: {_shown(message)}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _shown(value: object) -> str:
    """A file name or message for the terminal, control characters escaped."""
    from dsl.diagnostics import escape_controls

    return escape_controls(str(value), one_line=True)


def routine_paths(paths: list[Path]) -> list[Path]:
    """The routine files behind the command-line paths, or a usage error."""
    from dsl.source.files import MissingPath, discover

    try:
        found = discover(paths)
    except MissingPath as missing:
        usage_error(f"no such file or folder: {missing}")
    if not found:
        usage_error("no .stretch files found in " + ", ".join(str(p) for p in paths))
    return found


def commands_for(argv: list[str]) -> tuple[str, ...]:
    """The commands to register for a command line: only the one being run when its first
    word names one, all of them otherwise (help, completion, a misspelt command).

    Typer builds a Click command from every registered function's signature before it
    runs one (about 8 ms for all of them); one command is all ``stretch lint FILE`` needs,
    and its help, options and errors are the same either way.
    """
    asked = argv[0] if argv else None
    completing = "_STRETCH_COMPLETE" in os.environ  # the shell asking what may come next
    return (asked,) if asked in COMMANDS and not completing else COMMANDS


def register(names: tuple[str, ...] = COMMANDS) -> None:
    """Register commands on ``app`` by importing their modules (in ``COMMANDS`` order)."""
    for name in names:
        import_module(f"dsl.cli.{name}")


def run(argv: list[str] | None = None) -> None:
    """Run the command line; unexpected failures exit 2 with a message, not a traceback."""
    arguments = sys.argv[1:] if argv is None else argv
    register(commands_for(arguments))
    try:
        app(args=arguments, prog_name="stretch")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:  # a bug: say so plainly, keep the traceback for debugging
        if os.environ.get("STRETCH_DEBUG"):
            raise
        print(f"stretch: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("stretch: set STRETCH_DEBUG=1 to see the traceback, and please report it",
              file=sys.stderr)
        sys.exit(EXIT_USAGE)
