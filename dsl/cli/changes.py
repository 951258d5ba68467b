"""What the commands that rewrite files (`fmt`, `lint --fix`) print instead of writing: the
new text, or a unified diff of it, on standard output."""

from __future__ import annotations

import sys


def write_data(text: str) -> None:
    """Formatted text or a diff on standard output: exactly as it is when redirected (click's
    echo would strip escape sequences, losing what the user wrote), escaped on a terminal,
    which would obey the control characters in it."""
    from dsl.diagnostics import escape_controls

    sys.stdout.write(escape_controls(text) if sys.stdout.isatty() else text)
    sys.stdout.flush()


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff from ``before`` to ``after``, both labelled with the file name."""
    import difflib  # only when a diff is asked for

    lines = difflib.unified_diff(_diff_lines(before), _diff_lines(after), name, name)
    return "".join(lines)


def _diff_lines(text: str) -> list[str]:
    # Split on "\n" only: text in quotes may hold other characters str.splitlines breaks on.
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1] + "\n\\ No newline at end of file\n")
    return lines
