"""The text formats: one diagnostic rustc-style with the line and a caret (``text``), or
on one line (``concise``); colour only on a terminal that wants it."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dsl.diagnostics import Diagnostic, Severity, escape_controls
from dsl.model import Span
from dsl.source.text import Source

if TYPE_CHECKING:
    from dsl.lint.checker import FileResult


def render_text(diagnostic: Diagnostic, source: str | Source | None,
                color: bool = False) -> str:
    """Render one diagnostic rustc-style: header, location, the line with a caret, help.
    Control characters in the message, the file name and the excerpt are escaped."""
    if isinstance(source, str):
        source = Source(source)
    d = diagnostic
    paint = _Painter(color)
    message = escape_controls(d.message)
    header = paint.severity(d.severity, f"{d.severity}[{d.code}]") + paint.bold(f": {message}")
    lines = [header]
    path = escape_controls(d.path, one_line=True)
    lines.append(f"  {paint.blue('-->')} {path}:{d.span.line}:{d.span.column}")
    lines.extend(_excerpt(d.span, source, paint, d.severity))
    for rel in d.related:
        where = escape_controls(rel.path, one_line=True) if rel.path else path
        lines.append(f"  {paint.blue('note')}: {escape_controls(rel.message)}")
        lines.append(f"  {paint.blue('-->')} {where}:{rel.span.line}:{rel.span.column}")
        if rel.path is None:
            lines.extend(_excerpt(rel.span, source, paint, "info"))
    if d.hint:
        lines.append(f"  {paint.blue('= help')}: {escape_controls(d.hint)}")
    return "\n".join(lines)


def render_concise(diagnostic: Diagnostic) -> str:
    """``file:line:col: CODE message``: one line, easy to grep and to parse (a line feed or
    a control character in the file name or the message is escaped)."""
    d = diagnostic
    path = escape_controls(d.path, one_line=True)
    message = escape_controls(d.message, one_line=True)
    return f"{path}:{d.span.line}:{d.span.column}: {d.code} {message}"


# The excerpt shows at most this much of a long line, around the caret.
_EXCERPT_WIDTH = 120


def _excerpt(span: Span, source: Source | None, paint: _Painter, severity: Severity) -> list[str]:
    text = source.excerpt(span) if source is not None else None
    if text is None:
        return []
    full_length = len(text)
    start = max(span.column - 1, 0)
    if span.end_line == span.line and span.end_column > span.column:
        width = span.end_column - span.column
    else:
        width = 1
    width = max(1, min(width, max(len(text) - start, 1)))
    # Long lines are cut to a window around the span so the caret stays readable.
    shift = 0
    if len(text) > _EXCERPT_WIDTH:
        shift = max(0, min(start - _EXCERPT_WIDTH // 3, len(text) - _EXCERPT_WIDTH))
        text = ("..." if shift else "") + text[shift : shift + _EXCERPT_WIDTH] + (
            "..." if shift + _EXCERPT_WIDTH < full_length else ""
        )
        start = start - shift + (3 if shift else 0)
        width = min(width, _EXCERPT_WIDTH)
    # Control characters are shown escaped; the caret moves and widens with them.
    before = escape_controls(text[:start])
    marked = escape_controls(text[start : start + width])
    text = before + marked + escape_controls(text[start + width :])
    start, width = len(before), max(len(marked), 1)
    number = str(span.line)
    gutter = " " * len(number)
    return [
        f"{gutter} {paint.blue('|')}",
        f"{paint.blue(number)} {paint.blue('|')} {text}",
        f"{gutter} {paint.blue('|')} {' ' * start}{paint.severity(severity, '^' * width)}",
    ]


class _Painter:
    """ANSI colours, or nothing at all when output is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def blue(self, text: str) -> str:
        return self._wrap("1;34", text)

    def severity(self, severity: Severity, text: str) -> str:
        return self._wrap({"error": "1;31", "warning": "1;33", "info": "1;36"}[severity], text)


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    target = stream if stream is not None else sys.stdout
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


def render_text_report(files: Sequence[FileResult], *, color: bool = False) -> str:
    """rustc-style diagnostics with the line and a caret, a blank line after each."""
    out = []
    for result in files:
        for diagnostic in result.diagnostics:
            source = Source(result.source) if result.source else None  # one line index a file
            out.append(render_text(diagnostic, source, color=color) + "\n\n")
    return "".join(out)
