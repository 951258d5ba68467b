"""The lint rules: one small module per rule, and what rules share (``Context``,
``Finding``). The registry (``dsl.codes``) gathers them.

Each rule module has ``CODE`` (a letter and three digits, stable forever), ``NAME``
(kebab-case), ``SEVERITY`` (its default), a docstring (what it catches, why it matters, a
bad and a good example, sources where relevant; ``docs/rules.md`` is generated from it)
and ``check(context)``, which yields ``Finding``s. Rules that are not checks of one file
(duplicate ids across files, suppressions) have ``RUNS`` and ``REPORTED_BY`` (the function
that reports them) instead of ``check``. Look-alike rules share one module (``RULES``).

Families: ``L`` limits, ``V`` values, ``T`` targets, ``R`` references, ``S`` safety
guidance, ``X`` suppression comments. ``P`` codes belong to the parser.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Protocol

import msgspec

from dsl import model as m
from dsl.diagnostics import Related

if TYPE_CHECKING:
    from dsl.syntax.parser import ParsedFile
    from dsl.timeline.expand import Expansion


class Finding(msgspec.Struct, frozen=True):
    """One problem a rule found: where, what, how to fix it, and related places."""

    span: m.Span
    message: str
    hint: str | None = None
    related: tuple[Related, ...] = ()


class Settings(Protocol):
    """What rules read from the configuration (``dsl.lint.config.Config`` provides it;
    named here so that the rules do not import the configuration, which imports the
    registry of rules)."""

    @property
    def extend_targets(self) -> tuple[str, ...]: ...

    def option(self, key: str, default: float) -> float:
        """A rule's setting (``long-hold = "2m"``), in seconds, or ``default``."""
        ...


class Context:
    """What a rule looks at: the parsed file, its routine and configuration, and the
    routine as it will run (given by the caller that will compile it too, or expanded
    here on first use: either way once per file)."""

    def __init__(self, parsed: ParsedFile, routine: m.Routine, config: Settings,
                 expansion: Expansion | None = None) -> None:
        self.parsed = parsed
        self.routine = routine
        self.config = config
        self.path = parsed.path
        if expansion is not None:
            self.expansion = expansion

    @cached_property
    def expansion(self) -> Expansion:
        """``dsl.timeline.expand.expand(routine)``: the one notion of "the routine as it runs"."""
        from dsl.timeline.expand import expand

        return expand(self.routine)

    @cached_property
    def rates(self) -> dict[m.Unit, float]:
        """Seconds per second, count and breath (the routine's tempo over the defaults)."""
        from dsl.timeline.expand import seconds_per_unit

        return seconds_per_unit(self.routine)

    @cached_property
    def lines(self) -> list[str]:
        return self.parsed.text.lines

    @cached_property
    def _comment_columns(self) -> dict[int, int]:
        return {c.line: c.column for c in self.parsed.comments}

    @cached_property
    def steps(self) -> list[m.Step]:
        """Every step as written: the body's and the safety handlers', repeats entered."""
        steps = m.walk_steps(self.routine.body)
        for handler in self.routine.handlers:
            steps.extend(m.walk_steps(handler.body))
        return steps

    def first_line(self, span: m.Span) -> m.Span:
        """The span cut to its first line (a step's cues and details left out), without
        a trailing comment."""
        if span.line < 1 or span.end_line == span.line:
            return span
        text = self.lines[span.line - 1] if span.line <= len(self.lines) else ""
        end = len(text) + 1
        comment = self._comment_columns.get(span.line)
        if comment is not None:
            end = comment
        end = len(text[: end - 1].rstrip()) + 1
        return m.Span(span.line, span.column, span.line, max(end, span.column + 1))

    def text_of(self, span: m.Span) -> str:
        """The source text of a one-line span (for quoting a statement as written)."""
        if span.line < 1 or span.line > len(self.lines):
            return ""
        line = self.lines[span.line - 1]
        if span.end_line != span.line:
            return line[span.column - 1:].strip()
        return line[span.column - 1 : span.end_column - 1]
