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

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Literal, Protocol, TypeAlias

import msgspec

from dsl import model as m
from dsl.diagnostics import Diagnostic, Related
from dsl.suggestions import suggested

if TYPE_CHECKING:
    from dsl.syntax.parser import ParsedFile
    from dsl.timeline.expand import Expansion


class Finding(msgspec.Struct, frozen=True):
    """One problem a rule found: where, what, how to fix it, and related places."""

    span: m.Span
    message: str
    hint: str | None = None
    related: tuple[Related, ...] = ()


Safety = Literal["safe", "unsafe"]
"""``safe``: the routine means the same, or is strictly safer (a relaxation after a lone
contraction, an `on pain` handler, a keyword spelt right), and breaks nothing the routine
declares. ``unsafe``: it changes what the client does (sides doubled, a range that then
runs longer). ``stretch lint --fix`` applies only safe fixes unless asked for both."""


class Fixable(msgspec.Struct, frozen=True):
    """What a rule's fix does, as the registry and the rule reference state it:
    ``FIX = Fixable("safe", "adds a `relax` step after the contraction")``."""

    safety: Safety
    does: str  # what the fix does, a phrase after "Fix: safe —"


class Edit(msgspec.Struct, frozen=True):
    """Replace the text of ``span`` (lines and columns as diagnostics count them, end
    exclusive) with ``text``; an empty span inserts. Everything outside the span is left
    byte for byte."""

    span: m.Span
    text: str


class Fix(msgspec.Struct, frozen=True):
    """One finding's mechanical fix: a title for menus and the edits that make it."""

    title: str
    safety: Safety
    edits: tuple[Edit, ...]


def take_suggestion(context: Context, found: Diagnostic, safety: Safety) -> Fix | None:
    """The fix that replaces the finding's text with the one word its hint suggests ("did
    you mean `x`?"), for a finding on one line; None when there is no single suggestion."""
    choice = suggested(found.hint)
    span = found.span
    if choice is None or span.line != span.end_line or span.end_column <= span.column:
        return None
    return Fix(f"Replace `{context.text_of(span)}` with `{choice}`", safety,
               (Edit(span, choice),))


Fixer: TypeAlias = "Callable[[Context, Diagnostic], Fix | None]"
"""Builds the fix of one finding from the file it was found in (None when this finding,
unlike others of its code, has no mechanical fix). It runs only when fixes are asked for
(``stretch lint --fix``, the editor's quick fixes), never on a plain lint. Rule modules
define it as ``fix`` next to ``FIX``; the parser's codes have theirs in
``dsl.lint.syntax_fixes``."""


class Settings(Protocol):
    """What rules read from the configuration (``dsl.lint.config.Config`` provides it;
    named here so that the rules do not import the configuration, which imports the
    registry of rules)."""

    @property
    def extend_targets(self) -> tuple[str, ...]: ...

    def option(self, key: str, default: float) -> float:
        """A rule's setting (``long-hold = "2m"``), in seconds, or ``default``."""
        ...


Reach: TypeAlias = Literal["every rule", "exercise", "whole routine"]
"""Which rules a context is checked by: a routine without exercises by every rule; each
exercise of a routine that has some by every rule but ``WHOLE_ROUTINE_ONLY``; the routine as
a whole by ``WHOLE_ROUTINE_RULES`` only."""

WHOLE_ROUTINE_RULES = frozenset({"L101", "L102", "L103", "L104", "R104", "R105", "V118"})
"""limit-exceeded, group-limit-exceeded, routine-too-long, unchecked-total,
duplicate-setting, duplicate-exercise-id and empty-exercise: the rules that also read a
routine with exercises as a whole (its limits counted per routine, its length, the settings
it gives twice, its exercises)."""

WHOLE_ROUTINE_ONLY = frozenset({"L103", "R105", "V118"})
"""routine-too-long, duplicate-exercise-id and empty-exercise: the steps a player can be
given are counted over the whole routine, and its exercises looked at side by side."""


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

    def indent_of(self, line: int) -> str:
        """The whitespace a line starts with."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return text[: len(text) - len(text.lstrip(" \t"))]

    @cached_property
    def indent_unit(self) -> str:
        """What one level of indentation is in this file: the routine's first statement's
        indentation beyond the routine line's (two spaces when the routine has none)."""
        if not self.routine.items:
            return "  "
        outer = self.indent_of(self.routine.span.line)
        inner = self.indent_of(self.routine.items[0].span.line)
        return inner[len(outer):] or "  "

    def insert_after(self, span: m.Span, lines: list[tuple[int, str]], indent: str) -> Edit:
        """An edit that adds printed lines (``printer.lines``: depth and text) after the
        statement that ends at ``span``, each at ``indent`` plus its depth; a comment at
        the end of that statement's last line stays where it is."""
        end = span.end_line
        column = len(self.lines[end - 1]) + 1 if end <= len(self.lines) else 1
        text = "".join(f"\n{indent}{self.indent_unit * depth}{words}" for depth, words in lines)
        return Edit(m.Span(end, column, end, column), text)

    def above_comments(self, line: int) -> int:
        """The first of the comments that stand on their own lines just over ``line`` (they
        describe it, or silence it), or ``line`` itself: where lines added before it go."""
        own_lines = {c.line for c in self.parsed.comments if c.own_line}
        while line - 1 in own_lines:
            line -= 1
        return line

    def insert_before(self, line: int, lines: list[tuple[int, str]], indent: str) -> Edit:
        """An edit that adds printed lines before line ``line``, above its comments
        (``above_comments``)."""
        line = self.above_comments(line)
        text = "".join(f"{indent}{self.indent_unit * depth}{words}\n" for depth, words in lines)
        return Edit(m.Span(line, 1, line, 1), text)

    def delete_lines(self, first: int, last: int) -> Edit:
        """An edit that removes lines ``first`` to ``last`` whole, line ends included."""
        lines = self.lines
        if last < len(lines):
            return Edit(m.Span(first, 1, last + 1, 1), "")
        # The last line has no line end: take the one before it instead.
        before = len(lines[first - 2]) + 1 if first > 1 else 1
        return Edit(m.Span(max(first - 1, 1), before, last, len(lines[last - 1]) + 1), "")

    def has_comment(self, first: int, last: int) -> bool:
        """Whether a comment stands on any line from ``first`` to ``last``."""
        return any(first <= c.line <= last for c in self.parsed.comments)

    def text_of(self, span: m.Span) -> str:
        """The source text of a one-line span (for quoting a statement as written)."""
        if span.line < 1 or span.line > len(self.lines):
            return ""
        line = self.lines[span.line - 1]
        if span.end_line != span.line:
            return line[span.column - 1:].strip()
        return line[span.column - 1 : span.end_column - 1]


def contexts(parsed: ParsedFile, routine: m.Routine, config: Settings,
             expansion: Expansion | None = None) -> list[tuple[Context, Reach]]:
    """What the rules check in a file: the routine; or, when it has exercises, each
    exercise seen as a routine of its own (``dsl.model.as_routine``, with its part of the
    expansion) and the routine as a whole (its limits counted per routine, with the whole
    expansion). So no rule needs to know about exercises."""
    if not routine.exercises:
        return [(Context(parsed, routine, config, expansion), "every rule")]
    if expansion is None:
        from dsl.timeline.expand import expand

        expansion = expand(routine)
    found: list[tuple[Context, Reach]] = [
        (Context(parsed, section.routine, config, section.expansion), "exercise")
        for section in expansion.sections]
    found.append((Context(parsed, _as_a_whole(routine), config, expansion), "whole routine"))
    return found


def _as_a_whole(routine: m.Routine) -> m.Routine:
    """The routine's own statements (no exercise), with only the limits that bound the
    whole routine (``dsl.model.whole_routine_limit``): the others apply to each exercise
    and are checked there."""
    items: list[m.RoutineItem] = []
    for item in routine.items:
        if isinstance(item, m.Exercise):
            continue
        if isinstance(item, m.Limit) and not m.whole_routine_limit(item):
            continue
        if isinstance(item, m.Group):
            item = m.Group(item.name, tuple([
                i for i in item.items if isinstance(i, m.Note) or m.whole_routine_limit(i)]),
                item.span)
        items.append(item)
    return m.Routine(routine.title, tuple(items), routine.span)
