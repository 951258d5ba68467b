"""``stretch audio``: a routine or session as one audio track to play anywhere
(``dsl.exports.audio``; docs/audio.md).
"""

from __future__ import annotations

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
    UntimedOption,
    VariantOption,
    _shown,
    app,
    run_choice,
    usage_error,
)

if TYPE_CHECKING:
    from dsl.diagnostics import Diagnostic
    from dsl.exports.audio import Overrun


@app.command("audio", epilog="The track opens with the title and what to do on pain; the "
             "routine's time 0 comes 2 seconds after those words, and every cue keeps its "
             "time from there. Needs espeak-ng (and ffmpeg for .ogg and .mp3).")
def audio_command(
    path: Annotated[Path, typer.Argument(help="A .stretch routine or session, or a compiled "
                                         ".json file.", metavar="ROUTINE",
                                         show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The track to write: a "
                                         ".ogg, .mp3 or .wav file.", metavar="FILE",
                                         show_default=False)],
    ranges: RangesOption = "high",
    passes: PassesOption = "most",
    untimed: UntimedOption = "10s",
    settings: SetOption = None,
    variants: VariantOption = None,
) -> None:
    """Render a routine as one audio track: its words spoken and its sound cues beeped at
    their times, silence between."""
    from dsl.exports.audio import FORMATS, AudioError, find_program, needs_encoder

    suffix = output.suffix.lower()
    if suffix == ".stretch":
        # `-o` and the routine swapped: the track would replace what the coach wrote.
        usage_error(f"-o {_shown(output)}: the track is not written to a .stretch file "
                    "(write it to a .ogg, .mp3 or .wav file, such as routine.ogg)")
    if suffix not in FORMATS:
        usage_error(f"-o {_shown(output)}: write the track to a file ending in "
                    f"{', '.join(FORMATS)} (the extension says the format)")
    choice = run_choice(ranges, passes, untimed)
    if not path.exists():
        usage_error(f"no such file: {_shown(path)}")
    if settings and path.suffix == ".json":
        usage_error("--set gives values to a .stretch file's parameters; a compiled routine "
                    "has them already (compile it again with --set)")
    try:  # before compiling: a missing program is the first thing to know
        find_program("espeak-ng")
        if needs_encoder(suffix):
            find_program("ffmpeg")
    except AudioError as error:
        usage_error(str(error))
    document = _document(path, tuple(settings or ()), tuple(variants or ()))

    import tempfile

    from dsl.exports.audio import Voice, check_voiced, encode, render, source_paths
    from dsl.timeline.runs import chosen_run

    problem = check_voiced(document)
    if problem is not None:
        typer.echo(f"stretch: {_shown(path)}: {problem}", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
    run = chosen_run(document, choice)
    try:
        with tempfile.TemporaryDirectory(prefix="stretch-audio-") as folder:
            track = render(run, document["announcements"]["opening"],
                           document["announcements"]["closing"],
                           Voice(Path(folder)), source_paths(document, str(path)))
        data = encode(track, suffix)
    except AudioError as error:
        usage_error(str(error))
    _warn(track.overruns)
    from dsl.source.files import write_all

    try:
        write_all([(output, data)])
    except OSError as error:
        usage_error(f"cannot write {_shown(output)}: {error.strerror or error}")
    typer.echo(f"wrote {_shown(output)} ({_tenths(track.seconds)} long; the routine starts "
               f"at {_tenths(track.lead)}, after the opening)", err=True)
    raise typer.Exit(EXIT_CLEAN)


def _document(path: Path, settings: tuple[str, ...],
              variants: tuple[str, ...]) -> dict[str, Any]:
    """The compiled routine or session, or its problems printed and exit 1."""
    from dsl.outputs.text import render_text, use_color
    from dsl.player import DocumentError, load_document

    try:
        return dict(load_document(path, settings, variants, flatten=False))
    except DocumentError as error:
        color = use_color(sys.stderr)
        for diagnostic in error.diagnostics:
            typer.echo(render_text(diagnostic, error.source, color=color), err=True)
            typer.echo("", err=True)
        said = f"no track written: {path} has errors" if error.diagnostics else str(error)
        typer.echo(f"stretch: {_shown(said)}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None


def overrun_diagnostic(overrun: Overrun) -> Diagnostic:
    """A001 for words that run into what follows even at the fastest pace."""
    from dsl.diagnostics import Diagnostic
    from dsl.exports.audio import FASTEST, GAP
    from dsl.model import Span

    span = overrun.origin.span
    until = overrun.free + GAP  # from the words' start to the next step, cue or beep
    if overrun.needs > until:
        how = f"they run {_tenths(overrun.needs - until)} into it"
    else:
        how = (f"they leave {_tenths(until - overrun.needs)} of quiet before it, less than "
               f"the {_tenths(GAP)} the track keeps")
    return Diagnostic(
        "A001",
        f"these words take {_tenths(overrun.needs)} even at {FASTEST} words a minute, but "
        f"the next step or cue comes {_tenths(until)} after they start (at "
        f"{_tenths(overrun.at)} in the track): {how}",
        overrun.origin.path,
        Span(span["line"], span["column"], span["endLine"], span["endColumn"]),
        severity="warning", name="speech-overrun",
        hint="shorten the text or give the step more time; the track keeps every word at "
             "its time, so the two overlap")


def _warn(overruns: tuple[Overrun, ...]) -> None:
    """Each overrun as a warning, with the line it comes from when the file can be read."""
    from dsl.outputs.text import render_text, use_color
    from dsl.source.files import MAX_SOURCE_SIZE, TooLarge, read_input

    color = use_color(sys.stderr)
    sources: dict[str, str | None] = {}
    for overrun in overruns:
        where = overrun.origin.path
        if where not in sources:
            try:
                sources[where] = read_input(where, MAX_SOURCE_SIZE).decode("utf-8")
            except (OSError, TooLarge, UnicodeDecodeError):
                sources[where] = None  # a .json whose routine is elsewhere: no excerpt
        typer.echo(render_text(overrun_diagnostic(overrun), sources[where], color=color),
                   err=True)
        typer.echo("", err=True)


def _tenths(seconds: float) -> str:
    """A time in the track as a message quotes it, to a tenth: ``4.2s``, ``1m50.4s``."""
    from dsl.model import printer

    return printer.duration(round(seconds, 1))
