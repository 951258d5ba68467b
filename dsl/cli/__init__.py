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

from dsl._version import __version__

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

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



# --- shell completion: what the shell offers after an option or argument ---------------


def _complete_lint_format(incomplete: str) -> list[str]:
    from dsl.outputs.reports import FORMATS

    return [name for name in FORMATS if name.startswith(incomplete)]


RULES_FORMATS = ("text", "json", "markdown")


def _complete_rules_format(incomplete: str) -> list[str]:
    return [name for name in RULES_FORMATS if name.startswith(incomplete)]


def _complete_code(incomplete: str) -> list[tuple[str, str]]:
    """Rule and syntax codes with their summaries (what `stretch explain` takes)."""
    from dsl.lint.rules import all_rules
    from dsl.syntax.codes import SYNTAX_CODES

    known = [(c.code, c.summary) for c in SYNTAX_CODES]
    known += [(r.code, r.summary) for r in all_rules()]
    return [(code, summary) for code, summary in known
            if code.lower().startswith(incomplete.lower())]


PathsArgument = Annotated[
    list[Path],
    typer.Argument(help="Routine files, or folders to search for *.stretch files; - reads stdin.",
                   metavar="PATH...",
                   show_default=False),
]


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


@app.command()
def check(paths: PathsArgument) -> None:
    """Parse routine files and report syntax errors."""
    from dsl.diagnostics import render_text, use_color
    from dsl.syntax.parser import parse_file

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


@app.command("compile")
def compile_command(
    paths: PathsArgument,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON to FILE (one input only).",
                     metavar="FILE", show_default=False),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Write one JSON file per input into DIR, mirroring "
                     "the inputs' paths below their common folder.", metavar="DIR",
                     show_default=False),
    ] = None,
) -> None:
    """Compile routines to JSON: one file to stdout (or -o FILE), many to --out-dir DIR."""
    from dsl.diagnostics import render_text, use_color
    from dsl.lint.config import ConfigError, Resolver
    from dsl.pipeline import blocking, compile_file, output_paths
    from dsl.source.files import write_atomically

    if output is not None and out_dir is not None:
        usage_error("use -o FILE or --out-dir DIR, not both")
    files = routine_paths(paths)
    if len(files) > 1 and out_dir is None:
        usage_error(f"{len(files)} routines to compile: use --out-dir DIR to write them "
                    "(-o and standard output take one routine)")
    if out_dir is not None and any(str(f) == "-" for f in files):
        usage_error("`-` (standard input) cannot be compiled into --out-dir; use -o FILE")
    color = use_color(sys.stderr)
    targets = output_paths(files, out_dir) if out_dir is not None else {}
    resolver = Resolver()
    failed = 0
    for path in files:
        try:
            config = resolver.for_file(path)
        except ConfigError as error:
            usage_error(str(error))
        result = compile_file(path, config=config)
        # What stops compiling; the warnings are `stretch lint`'s to report.
        for diagnostic in blocking(result.diagnostics):
            typer.echo(render_text(diagnostic, result.source, color=color), err=True)
            typer.echo("", err=True)
        if result.text is None or blocking(result.diagnostics):
            failed += 1
            continue
        target = targets.get(path, output)
        if target is None or str(target) == "-":
            sys.stdout.write(result.text)
            sys.stdout.flush()
        else:
            try:
                write_atomically(target, result.text)
            except OSError as error:  # a full disk, a read-only folder: the old file stays
                usage_error(f"cannot write {target}: {error.strerror or error}")
    if out_dir is not None:
        written = len(files) - failed
        report = f"compiled {written} of {len(files)} routines into {_shown(out_dir)}"
        typer.echo(report + (f": {failed} not compiled" if failed else ""), err=True)
    elif failed:
        typer.echo(f"not compiled: {_shown(files[0])} has errors", err=True)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_CLEAN)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of compiled routines (the app developers' contract)."""
    from dsl.timeline.contract import schema_text

    sys.stdout.write(schema_text())


@app.command()
def lsp(
    stdio: Annotated[bool, typer.Option("--stdio", help="Speak over stdin and stdout (the "
                     "only transport, and the default; editors may pass it).")] = False,
    client_process_id: Annotated[
        int | None,
        typer.Option("--clientProcessId", help="The editor's process id. Accepted and not "
                     "needed: the server ends when the editor closes its stdin.",
                     metavar="PID", show_default=False),
    ] = None,
    pipe: Annotated[
        str | None,
        typer.Option("--pipe", help="Not supported: the server speaks over stdio only.",
                     metavar="NAME", show_default=False),
    ] = None,
    socket: Annotated[
        str | None,
        typer.Option("--socket", help="Not supported: the server speaks over stdio only.",
                     metavar="PORT", show_default=False),
    ] = None,
) -> None:
    """Run the language server on stdin and stdout (for editors)."""
    # vscode-languageclient appends `--stdio` and `--clientProcessId=PID` to the command it
    # starts; other transports are refused plainly rather than half-supported.
    for option, value in (("--pipe", pipe), ("--socket", socket)):
        if value is not None:
            usage_error(f"{option} is not supported: `stretch lsp` speaks over stdin and "
                        "stdout only (in VS Code, TransportKind.stdio)")
    try:
        from dsl.lsp.server import main
    except ImportError as missing:
        package = (missing.name or "pygls").split(".")[0]
        usage_error(f"the language server needs pygls ({package} is not installed): "
                    "pip install 'stretch-dsl[lsp]'")
    main()


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
    ranges: Annotated[str, typer.Option(help="Play ranges at their `high` or `low` end.",
                                        metavar="high|low")] = "high",
    real_time: Annotated[bool, typer.Option("--real-time", help="Scripted mode: wait in "
                         "real time (scaled by --speed) instead of a virtual clock.")] = False,
) -> None:
    """Play a routine: a live terminal display, or the event log when scripted."""
    from dsl.diagnostics import render_text, use_color
    from dsl.player import DocumentError, load_document

    if ranges not in ("high", "low"):
        usage_error(f"--ranges takes `high` or `low`, not `{ranges}`")
    if not path.exists():
        usage_error(f"no such file: {path}")
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
        document = load_document(path)
    except DocumentError as error:
        color = use_color(sys.stderr)
        for diagnostic in error.diagnostics:
            typer.echo(render_text(diagnostic, error.source, color=color), err=True)
            typer.echo("", err=True)
        typer.echo(f"stretch: {_shown(error)}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None
    scripted = script or events is not None or events_file is not None or not (
        sys.stdin.isatty() and sys.stdout.isatty())
    if scripted:
        from dsl.player.scripted import run

        for event in run(document, inputs, auto_ready=auto_ready, ranges=ranges,  # type: ignore[arg-type]
                         real_time=real_time, speed=speed):
            sys.stdout.write(event.line() + "\n")
            if real_time:
                sys.stdout.flush()
    else:
        from dsl.player.live import play

        play(document, speed=speed, ranges=ranges)  # type: ignore[arg-type]
    raise typer.Exit(EXIT_CLEAN)


def _read_events(path: Path) -> str:
    """An events file's text, read with the same cap as a routine file."""
    from dsl.source.files import TooLarge, read_input
    from dsl.syntax.parser import MAX_SOURCE_SIZE

    try:
        return read_input(path, MAX_SOURCE_SIZE).decode("utf-8", errors="replace")
    except TooLarge:
        usage_error(f"--events-file: {path} is too large (the most is "
                    f"{MAX_SOURCE_SIZE / 1e6:.0f} MB)")
    except OSError as error:
        usage_error(f"--events-file: cannot read {path}: {error.strerror or error}")


@app.command("fmt")
def fmt_command(
    paths: PathsArgument,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; list the files that "
                     "would change and exit 1 if any would.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Write nothing; print a unified diff of "
                    "what would change and exit 1 if anything would.")] = False,
) -> None:
    """Rewrite routines in the canonical layout (- formats stdin to stdout)."""
    from dsl.cli.fmt import run as run_fmt
    from dsl.diagnostics import use_color

    code = run_fmt(routine_paths(paths), check=check, diff=diff, color=use_color(sys.stderr))
    raise typer.Exit(code)


@app.command()
def lint(
    paths: PathsArgument,
    output_format: Annotated[
        str | None,
        typer.Option("--format", help="text (default), concise, json, github (default "
                     "under GitHub Actions) or sarif.", metavar="FORMAT", show_default=False,
                     autocompletion=_complete_lint_format),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Use this stretch.toml or pyproject.toml instead of "
                     "the nearest one.", metavar="FILE", show_default=False),
    ] = None,
    select: Annotated[
        str | None,
        typer.Option("--select", help="Only these rules: codes, prefixes or names, "
                     "comma-separated.", metavar="RULES", show_default=False),
    ] = None,
    ignore: Annotated[
        str | None,
        typer.Option("--ignore", help="Also leave out these rules.", metavar="RULES",
                     show_default=False),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default: one per core for "
                     "large runs).", min=1, show_default=False),
    ] = None,
) -> None:
    """Check routines beyond syntax: limits, values, targets, references, safety."""
    from dsl.cli.lint import LintUsageError, run_lint

    files = routine_paths(paths)
    try:
        code = run_lint(files, output_format=output_format, strict=strict, config=config,
                        select=select, ignore=ignore, jobs=jobs)
    except LintUsageError as error:
        usage_error(str(error))
    raise typer.Exit(code)


@app.command("rules")
def rules_command(
    output_format: Annotated[
        str, typer.Option("--format", help="text, json or markdown (docs/rules.md).",
                          metavar="FORMAT", autocompletion=_complete_rules_format)] = "text",
) -> None:
    """List the lint rules: code, name, default severity, summary."""
    from dsl.lint import docs

    listings = {"text": docs.table, "json": docs.as_json, "markdown": docs.markdown}
    if output_format not in listings:
        usage_error(f"--format takes text, json or markdown, not `{output_format}`")
    sys.stdout.write(listings[output_format]())


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code or name (S104, untimed-hold) or a "
                                        "syntax code (P102).", metavar="CODE",
                                        show_default=False, autocompletion=_complete_code)],
) -> None:
    """Print the documentation of one rule or code."""
    from dsl.lint import docs

    text = docs.explain(code)
    if text is None:
        close = docs.suggestion(code)
        usage_error(f"no rule or code `{code}`" + (f"; {close}" if close else "")
                    + " (`stretch rules` lists them)")
    sys.stdout.write(text)


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
