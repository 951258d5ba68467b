"""``stretch compile``: one routine to stdout or -o FILE, many to --out-dir DIR.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dsl.cli.application import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    PathsArgument,
    _shown,
    app,
    routine_paths,
    usage_error,
)


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
    from dsl import ConfigError, compile_file
    from dsl.lint.config import Resolver
    from dsl.outputs.text import render_text, use_color
    from dsl.pipeline import output_paths
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
    resolver = Resolver()  # `dsl.config_for`, reading each configuration file once
    failed = 0
    for path in files:
        try:
            config = resolver.for_file(path)
        except ConfigError as error:
            usage_error(str(error))
        result = compile_file(path, config=config)
        # What stops compiling; the warnings are `stretch lint`'s to report.
        for diagnostic in result.errors:
            typer.echo(render_text(diagnostic, result.source, color=color), err=True)
            typer.echo("", err=True)
        if result.text is None or result.errors:
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
