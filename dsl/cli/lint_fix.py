"""``stretch lint --fix`` and ``--diff``: mend the files before they are linted.

Each file is fixed on its own (``dsl.lint.fixing.fix_text``, with the configuration that
applies to it), in worker processes for many files as lint spreads them (``--jobs``); the
files that changed are written together, here, through the durable writer
(``dsl.source.files.write_all``: every file or none). ``-`` is standard input: its fixed
text goes to standard output. Messages go to standard error, diffs to standard output.
"""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from dsl.cli.application import EXIT_CLEAN, EXIT_PROBLEMS, EXIT_USAGE
from dsl.diagnostics import Diagnostic, escape_controls
from dsl.lint.config import Config, Resolver
from dsl.lint.fixing import Fixed, Found, fix_text
from dsl.source import files as writer
from dsl.source.text import BOM, display_name, load

STDIN = "-"


class FixRun(msgspec.Struct, frozen=True):
    """What fixing did: the files to lint for the report, how many findings remain, and
    the exit code when there is no report to print (``--diff``, standard input, a failed
    write; None otherwise: the report's decides)."""

    to_lint: list[Path]
    remaining: int
    exit_code: int | None = None


class FileFixed(msgspec.Struct, frozen=True):
    """One file fixed (what a worker sends back): the text it had, when it changed (for the
    diff), and what fixing did; None when it could not be read."""

    written: str
    result: Fixed | None


def _fix_path(task: tuple[str, Config, bool]) -> FileFixed:
    path, config, unsafe = task
    source = load(path)
    if isinstance(source, Diagnostic):
        return FileFixed("", None)  # the report says why it cannot be read
    result = fix_text(source, display_name(path), config, unsafe=unsafe)
    return FileFixed(source.written if result.changed else "", result)


def fix_files(paths: list[Path], resolver: Resolver, select: tuple[str, ...] | None,
              ignore: tuple[str, ...], *, unsafe: bool, diff: bool,
              jobs: int | None = None, strict: bool = False) -> FixRun:
    """Fix every file, write (or, with ``diff``, print) the changes, and say how many
    findings were fixed. ``jobs``: worker processes, as for lint; ``strict``: remaining
    warnings fail standard input's run too, as they fail a report."""
    from dsl.syntax.grammar import lark_parser
    from dsl.workers import run_each

    fixed_findings = 0
    remaining = 0
    failing = 0  # remaining findings that fail the run (errors; warnings too with strict)
    unsafe_left = 0
    stdin_changed = False
    changed: list[tuple[Path, str]] = []
    to_lint: list[Path] = []
    printed: list[str] = []
    tasks: list[tuple[str, Config, bool]] = []
    for path in paths:
        config = resolver.for_file(path)
        if select is not None or ignore:
            config = config.with_overrides(select, ignore)
        if str(path) != STDIN and config.excludes(path):
            continue
        to_lint.append(path)
        tasks.append((str(path), config, unsafe))
    done = run_each(_fix_path, tasks, jobs, here=lambda task: task[0] == STDIN,
                    prepare=lark_parser)
    for path, fixed in zip(to_lint, done, strict=True):
        name = display_name(path)
        result = fixed.result
        if result is None:
            remaining += 1
            failing += 1
            continue
        remaining += len(result.remaining)
        failing += sum(d.severity == "error" or (strict and d.severity == "warning")
                       for d in result.remaining)
        fixed_findings += result.fixed
        unsafe_left += result.unsafe_left
        for dropped in result.dropped:
            _say(_dropped(dropped, name))
        if str(path) == STDIN and not diff:
            printed.append(result.text)
            stdin_changed = result.changed
        elif result.changed:
            changed.append((path, result.text))
            if diff:
                from dsl.cli.changes import unified_diff

                printed.append(unified_diff(fixed.written, result.text.removeprefix(BOM),
                                            escape_controls(name, one_line=True)))
    if diff:
        _data("".join(printed))
        _say(summary(fixed_findings, len(changed), remaining, would=True,
                     unsafe_left=unsafe_left))
        return FixRun(to_lint, remaining, EXIT_PROBLEMS if changed else EXIT_CLEAN)
    if printed:  # standard input: the fixed text is the output
        _data("".join(printed))
    try:
        writer.write_all([(path, text) for path, text in changed if str(path) != STDIN])
    except OSError as error:
        shown = escape_controls(str(error.filename or ""), one_line=True)
        _say(f"stretch: error: cannot write {shown}: {error.strerror or error}; "
             "no file was changed")
        return FixRun(to_lint, remaining, EXIT_USAGE)
    files_fixed = len(changed) + stdin_changed
    _say(summary(fixed_findings, files_fixed, remaining, would=False,
                 unsafe_left=unsafe_left))
    if printed:
        return FixRun(to_lint, remaining, EXIT_PROBLEMS if failing else EXIT_CLEAN)
    return FixRun(to_lint, remaining)


def summary(fixed: int, files: int, remaining: int, *, would: bool,
            unsafe_left: int = 0) -> str:
    """``fixed 3 findings in 2 files; 1 remains``, ``would fix 1 finding in 1 file``, and
    how many more ``--unsafe-fixes`` would fix (``(1 fixable with --unsafe-fixes)``)."""
    where = f" in {files} file{'s' if files != 1 else ''}" if fixed else ""
    more = f" ({unsafe_left} fixable with --unsafe-fixes)" if unsafe_left else ""
    if would:
        return (f"would fix {_findings(fixed)}{where}" if fixed else "nothing to fix") + more
    done = f"fixed {_findings(fixed)}{where}" if fixed else "nothing fixed"
    if remaining == 0:
        return f"{done}; none remain"
    return f"{done}; {remaining} remain{'s' if remaining == 1 else ''}{more}"


def _findings(count: int) -> str:
    return f"{count} finding{'s' if count != 1 else ''}"


def _dropped(found: Found, name: str) -> str:
    span = found.diagnostic.span
    where = escape_controls(f"{name}:{span.line}:{span.column}", one_line=True)
    return (f"stretch: {where}: the fix for {found.diagnostic.code} "
            f"({found.fix.title}) was not applied: the file would not parse after it")


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _data(text: str) -> None:
    """Fixed text or a diff on standard output, as ``stretch fmt`` writes them."""
    from dsl.cli.changes import write_data

    write_data(text)
