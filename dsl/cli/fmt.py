"""``stretch fmt``: format routine files in place, or check and show what would change.

The formatting itself is ``dsl.format.formatter``; this module reads files, writes only those
that change (atomically), prints diffs and messages, and picks the exit code. Large runs
(or ``-j``) read, format and write files in worker processes (``dsl.workers``); the
messages are printed here, in the order of the files. Exit codes:

- 0: every file is formatted (files were rewritten if needed; ``black``'s convention);
- 1: with ``--check`` or ``--diff``, a file would change; or a file has errors (it is
  left untouched and its diagnostics are shown);
- 2: an internal error (the formatter's self-check failed: nothing was written to that
  file) or a file that could not be written.

Status messages and diagnostics go to standard error; standard output carries only
diffs and, for ``-``, the formatted text.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from dsl.cli.application import (
    EXIT_CLEAN,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    JobsOption,
    PathsArgument,
    app,
    routine_paths,
)
from dsl.cli.changes import unified_diff, write_data

if TYPE_CHECKING:
    from dsl.source.files import Staged

STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(slots=True)
class _Tally:
    changed: int = 0
    unchanged: int = 0
    with_errors: int = 0
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Asked:
    """What to do with each file (sent to the workers with its path)."""

    check: bool
    diff: bool
    color: bool

    @property
    def write(self) -> bool:
        return not (self.check or self.diff)


@dataclass(frozen=True, slots=True)
class _Done:
    """What became of one file: how it counts, and what to print for it, in order
    (``True`` for standard output, ``False`` for standard error). Files are formatted and
    written in worker processes; their output is printed here, in the order of the files,
    so a run with workers prints exactly what a run without them prints."""

    outcome: Literal["changed", "unchanged", "with errors", "failed"]
    output: tuple[tuple[bool, str], ...] = ()
    text: str | None = None  # the new text, to write beside the file
    staged: Staged | None = None  # the new text, written beside the file, to put in place
    shown: str = ""  # the file's name as messages show it
    durable: bool = False  # the staged text is on disk already


def run(paths: list[Path], *, check: bool = False, diff: bool = False,
        color: bool = False, jobs: int | None = None) -> int:
    """Format each routine file; return the exit code. ``-`` is standard input, whose
    formatted text goes to standard output (unless ``check`` or ``diff`` is set).
    ``jobs``: worker processes, as for ``stretch lint`` (None: one per core from 64
    files)."""
    from dsl.syntax.grammar import lark_parser
    from dsl.workers import run_each

    asked = _Asked(check, diff, color)
    tally = _Tally()
    tasks = [(str(path), asked) for path in paths]
    # The parser is built before the workers start, so forked workers inherit it.
    results = run_each(_format_path, tasks, jobs, here=_from_stdin, prepare=lark_parser,
                       in_process=_format_all)
    if asked.write:
        results = _put_in_place(results)
    for (name, _), done in zip(tasks, results, strict=True):
        for to_stdout, text in done.output:
            if to_stdout:
                write_data(text)
            else:
                typer.echo(text, err=True)
        if done.outcome == "changed":
            tally.changed += 1
        elif done.outcome == "unchanged":
            tally.unchanged += 1
        elif done.outcome == "with errors":
            tally.with_errors += 1
        else:
            tally.failed.append(STDIN_NAME if name == STDIN else name)
    if not (asked.write and [str(p) for p in paths] == [STDIN]):
        typer.echo(summary(tally, would=not asked.write), err=True)
    if tally.failed:
        return EXIT_USAGE  # a file could not be written, or formatting it would be unsafe
    if tally.with_errors or (tally.changed and not asked.write):
        return EXIT_PROBLEMS
    return EXIT_CLEAN


def _format_all(tasks: Sequence[tuple[str, _Asked]]) -> list[_Done]:
    """``_format_path`` on each task in this process. Each new text is flushed to disk by a
    thread while the next file is formatted (a flush waits on the disk, not on this
    process), so that ``_put_in_place`` has only the renames left. If interrupted, the new
    texts already written beside their files are removed."""
    if len(tasks) == 1:  # nothing to overlap (and no thread to start)
        return [_format_path(task) for task in tasks]
    from concurrent.futures import Future, ThreadPoolExecutor

    from dsl.source.files import discard, make_durable

    results: list[_Done] = []
    flushing: list[tuple[int, Future[None]]] = []
    with ThreadPoolExecutor(max_workers=_FLUSHERS) as flusher:
        try:
            for task in tasks:
                done = _format_path(task)
                if done.staged is not None:
                    flushing.append((len(results), flusher.submit(make_durable, [done.staged])))
                results.append(done)
        except BaseException:
            flusher.shutdown(wait=True)
            discard(done.staged for done in results if done.staged is not None)
            raise
    for index, flushed in flushing:
        done = results[index]
        error = flushed.exception()
        if error is None:
            results[index] = _Done(done.outcome, done.output, done.text, done.staged,
                                   done.shown, durable=True)
        elif isinstance(error, OSError) and done.staged is not None:
            discard([done.staged])
            message = f"stretch: error: cannot write {done.shown}: {error.strerror or error}"
            results[index] = _Done("failed", ((False, message),))
        else:
            raise error
    return results


_FLUSHERS = 4
"""Threads flushing new texts to disk while the next files are formatted."""


def _put_in_place(results: list[_Done]) -> list[_Done]:
    """Make the new texts durable together and put each in place of its file (docs/
    design.md, "Formatting": one flush for them all, then one per folder, instead of one
    per file and per folder). A file that cannot be put in place keeps its old text and
    is reported; the others are written all the same."""
    from dsl.source.files import discard, install_each, make_durable

    staged = [done.staged for done in results if done.staged is not None]
    if not staged:
        return results
    try:
        make_durable([done.staged for done in results
                      if done.staged is not None and not done.durable])
        errors: list[OSError | None] = install_each(staged)
    except OSError as error:  # the disk failed: what was not yet renamed keeps its text
        discard(staged)
        errors = [error] * len(staged)
    except BaseException:
        discard(staged)
        raise
    outcomes = iter(errors)
    placed = []
    for done in results:
        if done.staged is None:
            placed.append(done)
            continue
        failure = next(outcomes)
        if failure is None:
            placed.append(_Done("changed", ((False, f"reformatted {done.shown}"),)))
        else:
            placed.append(_Done("failed", ((False, f"stretch: error: cannot write "
                                            f"{done.shown}: {failure.strerror or failure}"),)))
    return placed


def _from_stdin(task: tuple[str, _Asked]) -> bool:
    return task[0] == STDIN  # only this process can read standard input


def _format_path(task: tuple[str, _Asked]) -> _Done:
    """Read, format and (when asked) write one file beside itself, to be put in its place
    when every file is done (``_put_in_place``); run in a worker for large runs."""
    done = _format_only(task)
    return done if done.text is None else _stage(task[0], done)


def _stage(path: str, done: _Done) -> _Done:
    """Write a file's new text to a temporary file beside it (``dsl.source.files.stage``)."""
    from dsl.source import files

    assert done.text is not None
    try:
        staged = files.stage(Path(path), done.text)
    except OSError as error:
        return _Done("failed", ((False, f"stretch: error: cannot write {done.shown}: "
                                        f"{error.strerror or error}"),))
    return _Done("changed", staged=staged, shown=done.shown)


def _format_only(task: tuple[str, _Asked]) -> _Done:
    """Read and format one file: what to print, or (``text``) the new text to write."""
    # Imported here, not at the top: every command module is imported at start-up.
    from dsl.diagnostics import Diagnostic, escape_controls
    from dsl.format.formatter import FormatResult, UnsafeFormatting, format_text
    from dsl.outputs.text import render_text
    from dsl.source.text import load

    path, asked = task
    from_stdin = path == STDIN
    name = STDIN_NAME if from_stdin else path
    shown = escape_controls(name, one_line=True)  # a file name must not drive the terminal
    source = load(path)  # the reader, size limit and encoding checks every command uses
    if isinstance(source, Diagnostic):
        result = FormatResult(name, "", None, (source,))
    else:
        try:
            result = format_text(source, name)
        except UnsafeFormatting as error:
            return _Done("failed", (
                (False, f"stretch: internal error: {error}"),
                (False, f"stretch: nothing was written to {shown}; please report this "
                        "with the file")))
    if result.formatted is None:
        output = []
        for diagnostic in result.diagnostics:
            output.append((False, render_text(diagnostic, result.source, color=asked.color)))
            output.append((False, ""))
        output.append((False, f"stretch: {shown} has errors: left as it is"))
        return _Done("with errors", tuple(output))
    if not result.changed:
        return _Done("unchanged", ((True, result.formatted),) if asked.write and from_stdin
                     else ())
    if asked.diff:
        diff = unified_diff(result.source, result.formatted, shown)
        return _Done("changed", ((True, diff),) + (
            ((False, f"would reformat {shown}"),) if asked.check else ()))
    if asked.check:
        return _Done("changed", ((False, f"would reformat {shown}"),))
    if from_stdin:
        return _Done("changed", ((True, result.formatted),))
    return _Done("changed", text=result.formatted, shown=shown)


def summary(tally: _Tally, *, would: bool) -> str:
    """``1 file reformatted, 4 files already formatted`` and the like."""
    parts = []
    if tally.changed:
        verb = "would be reformatted" if would else "reformatted"
        parts.append(f"{_files(tally.changed)} {verb}")
    if tally.unchanged:
        parts.append(f"{_files(tally.unchanged)} already formatted")
    if tally.with_errors:
        parts.append(f"{_files(tally.with_errors)} with errors left as they were")
    if tally.failed:
        parts.append(f"{_files(len(tally.failed))} failed")
    return ", ".join(parts) or "no files formatted"


def _files(count: int) -> str:
    return f"{count} file{'s' if count != 1 else ''}"


@app.command("fmt")
def fmt_command(
    paths: PathsArgument,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; list the files that "
                     "would change and exit 1 if any would.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Write nothing; print a unified diff of "
                    "what would change and exit 1 if anything would.")] = False,
    jobs: JobsOption = None,
) -> None:
    """Rewrite routines in the canonical layout (- formats stdin to stdout)."""
    from dsl.outputs.text import use_color

    code = run(routine_paths(paths), check=check, diff=diff, color=use_color(sys.stderr),
               jobs=jobs)
    raise typer.Exit(code)
