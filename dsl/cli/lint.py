"""``stretch lint``: find the files, lint them, print the report, choose the exit code.

The command in ``dsl.cli`` only parses options and calls ``run_lint``. With ``--fix``
(``--unsafe-fixes`` too) it first mends what it can (``dsl.lint.fixing``), writes the
files that changed through the durable writer, then lints and reports what remains; with
``--diff`` it prints what would change and writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dsl.cli.application import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    JobsOption,
    PathsArgument,
    _complete_lint_format,
    app,
    routine_paths,
    usage_error,
)


class LintUsageError(Exception):
    """A bad option, path or configuration: exit 2 with the message."""


def _selectors(text: str | None, option: str) -> tuple[str, ...] | None:
    from dsl.codes import lookup_selector

    if text is None:
        return None
    selectors = tuple(s.strip() for s in text.split(",") if s.strip())
    for selector in selectors:
        if not lookup_selector(selector):
            raise LintUsageError(f"{option}: `{selector}` is not a rule code, prefix or name "
                                 "(`stretch rules` lists them)")
    return selectors


def run_lint(
    files: list[Path], *, output_format: str | None = None, strict: bool = False,
    config: Path | None = None, select: str | None = None, ignore: str | None = None,
    jobs: int | None = None, fix: bool = False, unsafe_fixes: bool = False,
    diff: bool = False, roots: tuple[str, ...] = (),
) -> int:
    """Lint the routine files (already found) and print the report; returns the exit code
    (0 or 1; 2 when a fixed file could not be written). ``fix``: mend what can be mended
    first; ``diff``: only print what fixing would change (exit 1 if anything would)."""
    # Imported here, not at the top: every command module is imported at start-up.
    from dsl.lint.checker import lint_paths
    from dsl.lint.config import ConfigError, Resolver
    from dsl.outputs import FORMATS, counts, default_format, render, summary
    from dsl.outputs.text import use_color

    chosen = output_format or default_format()
    if chosen not in FORMATS:
        raise LintUsageError(f"--format takes {', '.join(FORMATS)}, not `{chosen}`")
    selected = _selectors(select, "--select")
    ignored = _selectors(ignore, "--ignore") or ()
    if config is not None and not config.is_file():
        raise LintUsageError(f"--config: no such file: {config}")
    if unsafe_fixes and not (fix or diff):
        raise LintUsageError("--unsafe-fixes: add --fix to apply them (or --diff to see them)")
    if fix or diff:
        from dsl.cli.lint_fix import fix_files

        try:
            fixed = fix_files(files, Resolver(config), selected, ignored,
                              unsafe=unsafe_fixes, diff=diff, jobs=jobs, strict=strict)
        except ConfigError as error:
            raise LintUsageError(str(error)) from None
        if fixed.exit_code is not None:
            return fixed.exit_code
        files = fixed.to_lint
        if not files:
            return EXIT_PROBLEMS if fixed.remaining else EXIT_CLEAN
    try:
        run = lint_paths(files, resolver=Resolver(config), select=selected, ignore=ignored,
                         jobs=jobs, roots=roots)
    except ConfigError as error:
        raise LintUsageError(str(error)) from None
    results = run.files
    sys.stdout.write(render(chosen, results, color=chosen == "text" and use_color(sys.stdout)))
    sys.stdout.flush()
    if chosen in ("text", "concise"):
        sys.stderr.write(summary(results) + "\n")
    found = counts(results)
    failing = found["error"] + (found["warning"] if strict else 0)
    return EXIT_PROBLEMS if failing else EXIT_CLEAN


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
    jobs: JobsOption = None,
    fix: Annotated[bool, typer.Option("--fix", help="Mend what can be mended safely, write "
                   "the files, and report what remains (- prints the fixed text).")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="With --fix or "
                            "--diff: also the fixes that change what the client does.")
                            ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Write nothing; print a unified diff "
                    "of what --fix would change and exit 1 if anything would.")] = False,
) -> None:
    """Check routines beyond syntax: limits, values, targets, references, safety."""
    files = routine_paths(paths)
    # The folders given are the library sessions and programmes find ids in (a file given
    # alone searches its own folder tree).
    roots = tuple(str(p) for p in paths if p.is_dir())
    try:
        code = run_lint(files, output_format=output_format, strict=strict, config=config,
                        select=select, ignore=ignore, jobs=jobs, fix=fix,
                        unsafe_fixes=unsafe_fixes, diff=diff, roots=roots)
    except LintUsageError as error:
        usage_error(str(error))
    raise typer.Exit(code)
