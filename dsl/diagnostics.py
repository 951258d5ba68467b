"""Diagnostics: what went wrong, where, and how to fix it (``dsl.outputs`` prints them).

Messages are lowercase with no trailing period (rustc/ruff style); the hint is a short
sentence a coach can act on. Every code is stable and documented.
"""

from __future__ import annotations

import re
from typing import Literal

import msgspec

from dsl.model import Span

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}


class Related(msgspec.Struct, frozen=True):
    """A secondary location that explains a diagnostic (for example, the broken limit)."""

    message: str
    span: Span
    path: str | None = None  # None: the same file as the diagnostic


class Diagnostic(msgspec.Struct, frozen=True):
    code: str
    message: str
    path: str
    span: Span
    severity: Severity = "error"
    hint: str | None = None
    related: tuple[Related, ...] = ()
    name: str | None = None  # the kebab-case rule name, for rules

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.code)


# Characters that must never reach a terminal raw: C0 controls but tab and line feed,
# DEL, C1 controls, and the bidirectional embeddings, overrides and isolates (which make
# text display in another order than it reads). A routine file or a file name could
# otherwise set the window title, clear the screen, or forge a line of output.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\n\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escaped(character: str) -> str:
    """``\\x1b`` for a character up to U+00FF, ``\\u202e`` above."""
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, one_line: bool = False) -> str:
    """The text with every control character shown as its escape (``\\x1b``); with
    ``one_line``, line feeds too (a file name or message that must stay on one line)."""
    pattern = _LINE_BREAKS if one_line else CONTROL_CHARACTERS
    return pattern.sub(lambda found: escaped(found.group()), text)
