"""The quoted texts a person hears or reads during the routine, where each is written and
whether a side is being worked when it is said: what the placeholder rules (V113-V115)
check.

A text's position is found in the file by its statement's line: the quoted string there
whose words are the text. A text that holds no brace is left out at once, so a routine
without placeholders costs one look at its source.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from dsl import model as m
from dsl.lint.rules import Context
from dsl.model import placeholders

_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


class Quoted(NamedTuple):
    """One text with a brace in it, and where it is written."""

    text: str
    written: str  # the text between its quotes as the file has it (escapes and all)
    line: int  # where its opening quote stands (1-based); 0 when not found
    column: int
    side_known: bool  # a side is being worked when it is said (its words can be filled)

    def span(self, start: int, end: int) -> m.Span:
        """The file's span of the text's characters ``start`` to ``end``."""
        if not self.line:
            return m.NO_SPAN
        at = self.column + 1  # the text's first character, after the quote
        return m.Span(self.line, at + placeholders.written_offset(self.written, start),
                      self.line, at + placeholders.written_offset(self.written, end))


class _Found(NamedTuple):
    text: str
    span: m.Span
    side_known: bool


def quoted_texts(context: Context) -> list[Quoted]:
    """Every text with a brace in it, in source order."""
    if "{" not in context.parsed.text.text and "}" not in context.parsed.text.text:
        return []
    found: list[Quoted] = []
    for item in _texts(context.routine):
        if "{" not in item.text and "}" not in item.text:
            continue
        line, column, written = _locate(context, item)
        found.append(Quoted(item.text, written, line, column, item.side_known))
    return found


def _locate(context: Context, item: _Found) -> tuple[int, int, str]:
    """The line and column of the text's opening quote and its words as written."""
    span = item.span
    for line in range(span.line, span.end_line + 1):
        if not 0 < line <= len(context.lines):
            break
        source = context.lines[line - 1]
        start = span.column - 1 if line == span.line else 0
        for match in _STRING.finditer(source, start):
            written = match.group(1)
            if re.sub(r'\\(["\\])', r"\1", written) == item.text:
                return line, match.start() + 1, written
        if line == span.line and span.end_line != span.line:
            break  # a statement's own text is on its first line
    return 0, 0, item.text


def _texts(routine: m.Routine) -> Iterator[_Found]:
    mode = routine.sides.mode
    sided = mode != "none"
    for item in routine.items:
        if isinstance(item, m.Note):
            yield _Found(item.text, item.span, False)
        elif isinstance(item, m.Group):
            for note in item.notes:
                yield _Found(note.text, note.span, False)
        elif isinstance(item, m.Switch) and item.text is not None:
            yield _Found(item.text, item.span, sided)
        elif isinstance(item, m.SafetyHandler):
            # A handler runs on the side in progress: the player fills its words.
            if item.text is not None:
                yield _Found(item.text, m.Span(item.span.line, item.span.column,
                                               item.span.line, item.span.column), sided)
            yield from _block(item.body, sided)
        elif isinstance(item, m.Repeat):
            yield from _block((item,), sided)
        elif isinstance(item, (m.Step, m.Posture, m.SideOnly)):
            # Alternating: only the passes of the top-level repeats are on a side.
            yield from _block((item,), sided and mode != "alternating")


def _block(items: tuple[m.BlockItem, ...], side_known: bool) -> Iterator[_Found]:
    for item in items:
        if isinstance(item, m.Step):
            if item.text is not None:
                yield _Found(item.text, m.Span(item.span.line, item.span.column,
                                               item.span.line, item.span.column), side_known)
            for cue in item.cues:
                yield _Found(cue.text, cue.span, side_known)
        elif isinstance(item, m.Posture):
            for text in item.cues:
                yield _Found(text.value, text.span, side_known)
        elif isinstance(item, m.Repeat):
            if item.rest is not None and item.rest.text is not None:
                yield _Found(item.rest.text, m.Span(item.span.line, item.span.column,
                                                    item.span.line, item.span.column),
                             side_known)
            yield from _block(item.body, side_known)
        elif isinstance(item, m.SideOnly):
            yield from _block(item.body, side_known)
