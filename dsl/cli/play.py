"""``stretch play``: the live terminal player, or the event log when scripted.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

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
    run_choice,
    usage_error,
)


@app.command("play")
def play_command(
    path: Annotated[Path, typer.Argument(help="A .stretch file or a compiled .json file.",
                                         metavar="FILE", show_default=False)],
    speed: Annotated[float, typer.Option(help="Play faster (2) or slower (0.5) than real "
                                         "time.", min=0.01, max=1000)] = 1.0,
    script: Annotated[bool, typer.Option("--script", help="Print the event log on a "
                      "virtual clock instead of the live display (also when stdin or stdout "
                      "is not a terminal).")] = False,
    events: Annotated[str | None, typer.Option(help="Scripted inputs such as "
                      "'ready@12,pain@40' (seconds from the start).", show_default=False)] = None,
    events_file: Annotated[Path | None, typer.Option(help="Scripted inputs from a file, one "
                           "NAME@SECONDS a line.", metavar="FILE", show_default=False)] = None,
    auto_ready: Annotated[float, typer.Option(help="Scripted mode: seconds after which an "
                          "untimed step goes on when the script has no more `ready`.",
                          min=0)] = 10.0,
    ranges: RangesOption = "high",
    passes: PassesOption = "most",
    untimed: Annotated[str | None, typer.Option("--untimed", help="Untimed steps go on by "
                       "themselves after this long, such as `10s` or `1m` (else they wait "
                       "for enter; in the event log, the same as --auto-ready).",
                       metavar="TIME", show_default=False)] = None,
    real_time: Annotated[bool, typer.Option("--real-time", help="Scripted mode: wait in "
                         "real time (scaled by --speed) instead of a virtual clock.")] = False,
    settings: SetOption = None,
    variants: VariantOption = None,
    voice: Annotated[bool, typer.Option("--voice", help="Speak each step, cue and the "
                     "countdown through espeak-ng as the display plays.")] = False,
) -> None:
    """Play a routine: a live terminal display, or the event log when scripted."""
    from dsl.outputs.text import render_text, use_color
    from dsl.player import DocumentError, load_document

    choice = run_choice(ranges, passes, untimed or "10s")
    if untimed is not None:
        auto_ready = choice.untimed
    if not path.exists():
        usage_error(f"no such file: {path}")
    if settings and path.suffix == ".json":
        usage_error("--set gives values to a .stretch file's parameters; a compiled routine "
                    "has them already (compile it again with --set)")
    inputs = []
    if events is not None or events_file is not None:
        from dsl.player.scripted import ScriptError, parse_inputs

        try:
            if events is not None:
                inputs += parse_inputs(events)
            if events_file is not None:
                inputs += parse_inputs(_read_events(events_file), str(events_file))
        except (ScriptError, OSError) as error:
            usage_error(str(error))
        inputs.sort(key=lambda i: i.time)
    try:
        document = load_document(path, tuple(settings or ()), tuple(variants or ()))
    except DocumentError as error:
        color = use_color(sys.stderr)
        for diagnostic in error.diagnostics:
            typer.echo(render_text(diagnostic, error.source, color=color), err=True)
            typer.echo("", err=True)
        typer.echo(f"stretch: {_shown(error)}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    scripted = script or events is not None or events_file is not None or not (
        sys.stdin.isatty() and sys.stdout.isatty())
    speaker = None
    if voice:
        from dsl.player.voice import Voice, VoiceMissing

        try:
            speaker = Voice.open()
        except VoiceMissing as error:
            typer.echo(f"stretch: error: {error}", err=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
    if scripted and voice:
        usage_error("--voice speaks along with the live display, on a terminal; the event "
                    "log has the words as `say` lines")
    if scripted:
        from dsl.player.scripted import run

        for event in run(document, inputs, auto_ready=auto_ready, ranges=choice.ranges,
                         passes=choice.passes, real_time=real_time, speed=speed):
            sys.stdout.write(event.line() + "\n")
            if real_time:
                sys.stdout.flush()
    else:
        from dsl.player.live import play

        play(document, speed=speed, ranges=choice.ranges, passes=choice.passes, voice=speaker,
             untimed=choice.untimed if untimed is not None else None)
    raise typer.Exit(EXIT_CLEAN)


def _read_events(path: Path) -> str:
    """An events file's text, read and decoded as a routine file is (the same cap, the
    same UTF-8 check, the same line ends), with one line feed ending each line."""
    from dsl.source.files import MAX_SOURCE_SIZE, TooLarge, read_input
    from dsl.source.text import Source, undecodable

    try:
        data = read_input(path, MAX_SOURCE_SIZE)
    except TooLarge:
        usage_error(f"--events-file: {path} is too large (the most is "
                    f"{MAX_SOURCE_SIZE / 1e6:.0f} MB)")
    except OSError as error:
        usage_error(f"--events-file: cannot read {path}: {error.strerror or error}")
    problem = undecodable(data, str(path))
    if problem is not None:
        where = f"{path}:{problem.span.line}:{problem.span.column}"
        usage_error(f"--events-file: {where}: {problem.message}")
    return Source(data.decode("utf-8")).text
