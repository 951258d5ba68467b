"""``stretch compile``: one routine to stdout or -o FILE, many to --out-dir DIR.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dsl.cli.application import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    JobsOption,
    PathsArgument,
    SetOption,
    VariantOption,
    _shown,
    app,
    routine_paths,
    usage_error,
)

if TYPE_CHECKING:
    from dsl.diagnostics import Diagnostic


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
    jobs: JobsOption = None,
    settings: SetOption = None,
    variants: VariantOption = None,
) -> None:
    """Compile routines to JSON: one file to stdout (or -o FILE), many to --out-dir DIR."""
    from dsl import ConfigError
    from dsl.lint.config import Resolver
    from dsl.outputs.text import render_text, use_color
    from dsl.pipeline import (
        StagedOutput,
        compile_and_stage,
        compile_and_stage_all,
        compile_pieces,
        output_paths,
    )
    from dsl.source.files import Flushing, discard, install
    from dsl.syntax.grammar import lark_parser
    from dsl.workers import run_each

    if output is not None and out_dir is not None:
        usage_error("use -o FILE or --out-dir DIR, not both")
    files = routine_paths(paths)
    if len(files) > 1 and out_dir is None:
        usage_error(f"{len(files)} routines to compile: use --out-dir DIR to write them "
                    "(-o and standard output take one routine)")
    if output is not None and str(output) != "-" and output.suffix.lower() == ".stretch":
        # `-o` and the routine swapped: the JSON would replace what the coach wrote.
        usage_error(f"-o {_shown(output)}: the JSON is not written to a .stretch file "
                    "(write it to a .json file, such as routine.json)")
    if out_dir is not None and any(str(f) == "-" for f in files):
        usage_error("`-` (standard input) cannot be compiled into --out-dir; use -o FILE")
    chosen = tuple(settings or ())
    choices = tuple(variants or ())
    color = use_color(sys.stderr)
    resolver = Resolver()  # `dsl.config_for`, reading each configuration file once
    try:
        configs = [resolver.for_file(path) for path in files]
    except ConfigError as error:
        usage_error(str(error))

    def show(errors: Sequence[Diagnostic], source: str) -> None:
        # What stops compiling; the warnings are `stretch lint`'s to report.
        for diagnostic in errors:
            typer.echo(render_text(diagnostic, source, color=color), err=True)
            typer.echo("", err=True)

    if out_dir is None and (output is None or str(output) == "-"):
        result = compile_pieces(files[0], config=configs[0], settings=chosen,
                                variants=choices)
        show(result.errors, result.source)
        if result.pieces is None or result.errors:
            typer.echo(f"not compiled: {_shown(files[0])} has errors", err=True)
            raise typer.Exit(EXIT_PROBLEMS)
        for piece in result.pieces:
            sys.stdout.buffer.write(piece)
        sys.stdout.flush()
        raise typer.Exit(EXIT_CLEAN)

    # Every output is written beside its target first and its data flushed to disk (by
    # threads, while the next routines compile); once all are, they are put in place and
    # their folders flushed (docs/json.md, "Compiling").
    targets: dict[Path, Path] = {}
    if out_dir is not None:
        targets = output_paths(files, out_dir)
    elif output is not None:
        targets = {files[0]: output}
    tasks = [(path, targets[path], config, chosen, choices)
             for path, config in zip(files, configs, strict=True)]
    flushing = Flushing()

    def flush(done: StagedOutput) -> None:
        if done.staged is not None:
            flushing.add(done.staged)

    try:
        results = run_each(compile_and_stage, tasks, jobs, prepare=lark_parser,
                           in_process=partial(compile_and_stage_all, each=flush), each=flush)
    except BaseException:
        flushing.stop()
        raise
    for done in results:
        show(done.errors, done.source)
    staged = [done.staged for done in results if done.staged is not None]
    failures = [done.failure for done in results if done.failure is not None]
    if failures:  # a full disk, a read-only folder: no output is replaced
        flushing.stop()
        discard(staged)
        usage_error(failures[0])
    try:
        flushing.wait()
    except OSError as error:
        discard(staged)
        where = _shown(out_dir) if out_dir is not None else str(output)
        usage_error(f"cannot write {where}: {error.strerror or error}")
    try:
        install(staged)
    except OSError as error:
        usage_error(f"cannot write {error.filename}: {error.strerror or error}")
    failed = len(files) - len(staged)
    if out_dir is not None:
        report = f"compiled {len(staged)} of {len(files)} routines into {_shown(out_dir)}"
        typer.echo(report + (f": {failed} not compiled" if failed else ""), err=True)
    elif failed:
        typer.echo(f"not compiled: {_shown(files[0])} has errors", err=True)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_CLEAN)
