"""``stretch export``: a compiled routine, session or programme in another format.

``stretch export ics PROGRAMME -o plan.ics`` puts a programme's sessions on a calendar
(``dsl.exports.calendar``); ``stretch export html ROUTINE -o routine.html`` writes one
self-contained player page (``dsl.exports.html``). Each format is a command of this group.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dsl.cli.application import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    SetOption,
    VariantOption,
    _shown,
    app,
    usage_error,
)

if TYPE_CHECKING:
    from dsl.exports.html import MissingPictures
    from dsl.pipeline import CompiledFile

export_app = typer.Typer(
    name="export", help="Write a routine or programme in another format: html (a player "
    "page), ics (a calendar).",
    no_args_is_help=True, rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(export_app)


@export_app.command("ics")
def ics_command(
    path: Annotated[Path, typer.Argument(help="A programme: its .stretch file.",
                                         metavar="PROGRAMME", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .ics file to write "
                                         "(- for standard output).", metavar="FILE",
                                         show_default=False)],
    start: Annotated[str | None, typer.Option(help="The first day of week 1, as "
                     "YYYY-MM-DD (default: the programme's `start:`).", metavar="DATE",
                     show_default=False)] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="The time zone of the times of "
                  "day, such as Europe/Berlin (default: floating local times).",
                  metavar="ZONE", show_default=False)] = None,
    alarm: Annotated[int | None, typer.Option(help="A reminder this many minutes before "
                     "each session.", metavar="MINUTES", min=0, max=10080,
                     show_default=False)] = None,
    stage: Annotated[str | None, typer.Option(help="The stage whose schedule goes on the "
                     "calendar (default: the programme's start stage).", metavar="NAME",
                     show_default=False)] = None,
) -> None:
    """Write a programme's schedule as iCalendar: recurring events, week by week."""
    from dsl.exports.calendar import ExportError, calendar_bytes

    first_day = None
    if start is not None:
        try:
            first_day = dt.date.fromisoformat(start)
        except ValueError:
            usage_error(f"--start takes a date as YYYY-MM-DD, not `{start}`")
    _check_output(output, path)
    document = _programme(path)
    try:
        data = calendar_bytes(document, start=first_day, tz=tz, alarm=alarm, stage=stage)
    except ExportError as error:
        usage_error(str(error))
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from dsl.source.files import write_all

        try:
            write_all([(output, data)])
        except OSError as error:
            usage_error(f"cannot write {output}: {error.strerror or error}")
        typer.echo(f"wrote {output}", err=True)
    raise typer.Exit(EXIT_CLEAN)


@export_app.command("html")
def html_command(
    path: Annotated[Path, typer.Argument(help="A routine or session: its .stretch file.",
                                         metavar="ROUTINE", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .html file to write "
                                         "(- for standard output).", metavar="FILE",
                                         show_default=False)],
    settings: SetOption = None,
    variants: VariantOption = None,
) -> None:
    """Write one self-contained player page: the routine, the player and its pictures."""
    from dsl.exports.html import ExportError, MissingPictures, player_page

    if str(output) != "-" and output.suffix.lower() == ".stretch":
        usage_error(f"-o {_shown(output)}: a player page is not written to a .stretch file "
                    "(write it to a .html file, such as routine.html)")
    if (str(output) != "-" and str(path) != "-" and output.exists() and path.exists()
            and os.path.samefile(output, path)):
        usage_error(f"-o {_shown(output)} is the routine itself: write the page to another "
                    "file, such as routine.html")
    compiled, document = _compiled(path, tuple(settings or ()), tuple(variants or ()))
    if document.get("kind") == "programme":
        usage_error(f"{_shown(path)} is a programme: a player page plays one routine or "
                    "session (export one of the sessions its `do` lines name)")
    base = Path.cwd() if str(path) == "-" else path.parent
    try:
        page = player_page(document, base=base, routine=None if str(path) == "-" else path)
    except MissingPictures as error:
        _tell_missing(error, compiled)
        typer.echo(f"not exported: {_shown(path)} names pictures that do not exist", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    except ExportError as error:
        usage_error(str(error))
    _write(output, page.encode("utf-8"))
    raise typer.Exit(EXIT_CLEAN)


def _compiled(path: Path, settings: tuple[str, ...],
              variants: tuple[str, ...]) -> tuple[CompiledFile, dict[str, Any]]:
    """The compiled routine or session of ``path``, or the errors printed and exit 1."""
    import json

    from dsl import ConfigError, compile_file
    from dsl.lint.config import Resolver
    from dsl.outputs.text import render_text, use_color

    if str(path) != "-" and path.is_dir():
        usage_error(f"{_shown(path)} is a folder: give the routine's .stretch file")
    if str(path) != "-" and not path.is_file():
        usage_error(f"no such file: {_shown(path)}")
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
        typer.echo(f"not exported: {_shown(path)} has errors", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    document: dict[str, Any] = json.loads(compiled.text or "null")
    return compiled, document


def _tell_missing(error: MissingPictures, compiled: CompiledFile) -> None:
    """Each missing picture: the routine's own warning for it (R101, with the line and a
    caret) when the file compiled is the one naming it, else one line."""
    from dsl.outputs.text import render_text, use_color

    color = use_color(sys.stderr)
    warnings = [d for d in compiled.diagnostics if d.code == "R101"]
    for missing in error.missing:
        told = [d for d in warnings if f"`{missing.source}`" in d.message]
        for diagnostic in told:
            typer.echo(render_text(diagnostic, compiled.source, color=color), err=True)
            typer.echo("", err=True)
        if not told:
            where = f"{_shown(missing.routine)}: " if missing.routine is not None else ""
            typer.echo(f"{where}image file `{_shown(missing.source)}` does not exist "
                       f"(looked for {_shown(missing.looked_for)})", err=True)


def _write(output: Path, data: bytes) -> None:
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from dsl.source.files import write_all

    try:
        write_all([(output, data)])
    except OSError as error:
        usage_error(f"cannot write {output}: {error.strerror or error}")
    typer.echo(f"wrote {output}", err=True)


def _check_output(output: Path, path: Path) -> None:
    """A usage error for an output that would replace what the coach wrote: the programme
    itself, or any .stretch file (``-o`` and the programme swapped, a slip of the tab key)."""
    if str(output) == "-":
        return
    if output.suffix.lower() == ".stretch":
        usage_error(f"-o {_shown(output)}: a calendar is not written to a .stretch file "
                    "(write it to a .ics file, such as plan.ics)")
    if (str(path) != "-" and output.exists() and path.exists()
            and os.path.samefile(output, path)):
        usage_error(f"-o {_shown(output)} is the programme itself: write the calendar to "
                    "another file, such as plan.ics")


def _programme(path: Path) -> dict[str, Any]:
    """The compiled programme of ``path``, or the errors printed and exit 1 (exit 2 for
    a file that is not a programme)."""
    import json

    from dsl import ConfigError, compile_file
    from dsl.lint.config import Resolver
    from dsl.outputs.text import render_text, use_color

    if str(path) != "-" and path.is_dir():
        usage_error(f"{_shown(path)} is a folder: give the programme's .stretch file")
    if str(path) != "-" and not path.is_file():
        usage_error(f"no such file: {_shown(path)}")
    # The project's configuration, as `stretch compile` reads it: its `library` folders
    # are where the programme's `do` lines find routines by id.
    try:
        config = Resolver().for_file(path)
    except ConfigError as error:
        usage_error(str(error))
    compiled = compile_file(path, config=config)
    if compiled.errors:
        color = use_color(sys.stderr)
        for diagnostic in compiled.errors:
            typer.echo(render_text(diagnostic, compiled.source, color=color), err=True)
            typer.echo("", err=True)
        typer.echo(f"not exported: {_shown(path)} has errors", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    document: dict[str, Any] = json.loads(compiled.text or "null")
    if document.get("kind") != "programme":
        what = document.get("kind", "routine")
        usage_error(f"{_shown(path)} is a {what}: a calendar is made from a programme, "
                    "which says on which days and at what times")
    return document
