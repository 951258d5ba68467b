"""``stretch lint``: find the files, lint them, print the report, choose the exit code.

The command in ``dsl.cli`` only parses options and calls ``run_lint``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dsl.lint.config import ConfigError, Resolver
from dsl.outputs.reports import FORMATS, counts, default_format, render, summary

EXIT_CLEAN = 0
EXIT_PROBLEMS = 1


class LintUsageError(Exception):
    """A bad option, path or configuration: exit 2 with the message."""


def _selectors(text: str | None, option: str) -> tuple[str, ...] | None:
    from dsl.lint.rules import lookup_selector

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
    jobs: int | None = None,
) -> int:
    """Lint the routine files (already found) and print the report; returns the exit code
    (0 or 1)."""
    from dsl.diagnostics import use_color
    from dsl.lint.checker import lint_paths

    chosen = output_format or default_format()
    if chosen not in FORMATS:
        raise LintUsageError(f"--format takes {', '.join(FORMATS)}, not `{chosen}`")
    selected = _selectors(select, "--select")
    ignored = _selectors(ignore, "--ignore") or ()
    if config is not None and not config.is_file():
        raise LintUsageError(f"--config: no such file: {config}")
    try:
        run = lint_paths(files, resolver=Resolver(config), select=selected, ignore=ignored,
                         jobs=jobs)
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
