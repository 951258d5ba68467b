"""``stretch export``: a compiled routine, session or programme in another format.

``stretch export ics PROGRAMME -o plan.ics`` puts a programme's sessions on a calendar
(``dsl.exports.calendar``); ``stretch export fit ROUTINE -o workout.fit`` writes a routine
or a session as a watch's workout (``dsl.exports.fit``); ``stretch export html ROUTINE -o
routine.html`` writes one self-contained player page (``dsl.exports.html``). Each format is
a command of this group.
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
    PassesOption,
    RangesOption,
    SetOption,
    VariantOption,
    _shown,
    app,
    compiled_for_output,
    run_choice,
    usage_error,
)

if TYPE_CHECKING:
    from dsl.exports.html import MissingPictures
    from dsl.pipeline import CompiledFile

export_app = typer.Typer(
    name="export", help="Write a programme, routine or session in another format: ics (a "
    "calendar), fit (a watch's workout), html (a player page).",
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
    _write(output, data)


@export_app.command("fit")
def fit_command(
    path: Annotated[Path, typer.Argument(help="A routine or a session: its .stretch file.",
                                         metavar="FILE", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .fit file to write "
                                         "(- for standard output).", metavar="FILE",
                                         show_default=False)],
    ranges: RangesOption = "high",
    passes: PassesOption = "most",
    flat: Annotated[bool, typer.Option("--flat", help="Write every pass of every repeat "
                    "out, for watches that do not repeat steps.")] = False,
    settings: SetOption = None,
    variants: VariantOption = None,
) -> None:
    """Write a routine or a session as a FIT workout, the file a watch plays step by step."""
    from dsl.exports.fit import ExportError, fit_bytes

    # Untimed steps stay open (the watch waits for the lap button): no --untimed here.
    choice = run_choice(ranges, passes)
    _check_output(output, path, "workout", "workout.fit")
    document = _compiled(path, "the routine's or the session's", tuple(settings or ()),
                         tuple(variants or ()))
    if document.get("kind") == "programme":
        usage_error(f"{_shown(path)} is a programme: a workout is made from a routine or a "
                    "session (export one of the sessions its `do` lines name)")
    try:
        data = fit_bytes(document, ranges=choice.ranges, passes=choice.passes, flat=flat)
    except ExportError as error:
        usage_error(str(error))
    _write(output, data)


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

    _check_output(output, path, "player page", "routine.html")
    compiled, document = _compiled_file(path, "the routine's or the session's",
                                        tuple(settings or ()), tuple(variants or ()))
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
    """Write ``data`` to ``output`` (``-``: standard output), whole or not at all."""
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


def _check_output(output: Path, path: Path, what: str = "calendar",
                  example: str = "plan.ics") -> None:
    """A usage error for an output that would replace what the coach wrote: the file
    exported itself, or any .stretch file (``-o`` and the file swapped, a slip of the tab
    key). The ``what`` is written to a file such as ``example``."""
    if str(output) == "-":
        return
    if output.suffix.lower() == ".stretch":
        usage_error(f"-o {_shown(output)}: a {what} is not written to a .stretch file "
                    f"(write it to a {Path(example).suffix} file, such as {example})")
    if (str(path) != "-" and output.exists() and path.exists()
            and os.path.samefile(output, path)):
        exported = "the programme" if what == "calendar" else "the file exported"
        usage_error(f"-o {_shown(output)} is {exported} itself: write the {what} to "
                    f"another file, such as {example}")


def _programme(path: Path) -> dict[str, Any]:
    """The compiled programme of ``path``, or the errors printed and exit 1 (exit 2 for
    a file that is not a programme)."""
    document = _compiled(path, "the programme's")
    if document.get("kind") != "programme":
        what = document.get("kind", "routine")
        usage_error(f"{_shown(path)} is a {what}: a calendar is made from a programme, "
                    "which says on which days and at what times")
    return document


def _compiled(path: Path, whose: str, settings: tuple[str, ...] = (),
              variants: tuple[str, ...] = ()) -> dict[str, Any]:
    """The compiled document of ``path`` (``settings`` and ``variants`` as ``--set`` and
    ``--variant`` give them), or the errors printed and exit 1; exit 2 for a folder or a
    missing file (``whose`` .stretch file to give instead)."""
    return _compiled_file(path, whose, settings, variants)[1]


def _compiled_file(path: Path, whose: str, settings: tuple[str, ...] = (),
                   variants: tuple[str, ...] = ()) -> tuple[CompiledFile, dict[str, Any]]:
    """``_compiled``, with the compiled file (its diagnostics and source) too."""
    return compiled_for_output(path, whose=whose, not_done="not exported", settings=settings,
                               variants=variants)
