"""Positions: the checker's spans to the editor protocol's positions, and back.

A ``dsl.model.Span`` counts lines from 1 and columns from 1 in Unicode code points, end
column exclusive. The Language Server Protocol counts lines and columns from 0, and
columns in the code units of the negotiated encoding: UTF-16 unless the client offers
another one. An emoji before an error is one code point but two UTF-16 units, so columns
are converted through the line's text, never copied.

The parser drops a leading byte order mark before it counts columns; the document the
editor holds may still start with one, so the first line is shifted back by it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dsl.model import Span

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Position:
    """A protocol position: 0-based line, 0-based column in code units."""

    line: int
    character: int


@dataclass(frozen=True, slots=True)
class Range:
    start: Position
    end: Position


def split_lines(text: str) -> list[str]:
    """The document's lines as the protocol (and the parser) count them: ``\\n``,
    ``\\r\\n`` and a lone ``\\r`` all end a line."""
    return _LINE_BREAK.split(text)


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units ``text`` takes in the encoding."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class LineIndex:
    """Converts between spans and protocol positions for one version of a document."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines = split_lines(text)
        self.encoding = encoding
        # The parser counts columns after the byte order mark; the editor counts it.
        self.bom = 1 if text.startswith(_BOM) else 0

    def _code_points_before(self, line: int, column: int) -> int:
        """0-based code-point offset into ``self.lines[line]`` of a 1-based span column."""
        offset = column - 1 + (self.bom if line == 0 else 0)
        return max(0, min(offset, len(self.lines[line])))

    def position(self, line: int, column: int) -> Position:
        """The protocol position of a 1-based span line and column, clamped to the text."""
        if line < 1:
            return Position(0, 0)
        if line > len(self.lines):
            last = len(self.lines) - 1
            return Position(last, units(self.lines[last], self.encoding))
        row = line - 1
        offset = self._code_points_before(row, column)
        return Position(row, units(self.lines[row][:offset], self.encoding))

    def range(self, span: Span) -> Range:
        """The protocol range of a span (an empty span at its start when it has no end)."""
        start = self.position(span.line, span.column)
        if span.end_line < span.line or (
            span.end_line == span.line and span.end_column <= span.column
        ):
            return Range(start, start)
        return Range(start, self.position(span.end_line, span.end_column))

    def column(self, position: Position) -> tuple[int, int]:
        """The 1-based (line, column in code points) of a protocol position: the inverse of
        ``position``, for a cursor the editor sends. A column inside a character (between
        the two halves of a UTF-16 surrogate pair) rounds down to that character."""
        row = max(0, min(position.line, len(self.lines) - 1))
        text = self.lines[row]
        if self.encoding == UTF32:
            offset = min(position.character, len(text))
        else:
            offset = counted = 0
            for ch in text:
                step = units(ch, self.encoding)
                if counted + step > position.character:
                    break
                counted += step
                offset += 1
        if row == 0:
            offset -= self.bom
        return row + 1, max(offset, 0) + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line as the parser sees it (no byte order mark)."""
        if not 1 <= line <= len(self.lines):
            return ""
        text = self.lines[line - 1]
        return text[self.bom:] if line == 1 else text

    def end(self) -> Position:
        """The position just past the document's last character."""
        last = len(self.lines) - 1
        return Position(last, units(self.lines[last], self.encoding))


class EditableText:
    """An open document's text, and where its lines start, for applying the editor's edits.

    Lines end where the protocol says (``\\n``, ``\\r\\n``, a lone ``\\r``), as everywhere
    else in the server. An edit within one line (typing) moves the starts of the lines
    after it, which is kept aside as one shift rather than applied to each of them, so a
    burst of keystrokes costs no more than copying the text once per edit.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0, *(found.end() for found in _LINE_BREAK.finditer(text))]
        self._shift_from = len(self._starts)  # starts from this line on move by _shift
        self._shift = 0

    def _start(self, line: int) -> int:
        return self._starts[line] + (self._shift if line >= self._shift_from else 0)

    def _content_end(self, line: int) -> int:
        """The offset of the end of a line's text, before its line break."""
        if line + 1 >= len(self._starts):
            return len(self.text)
        end = self._start(line + 1)
        return end - (2 if self.text.startswith("\r\n", end - 2) else 1)

    def offset(self, position: Position, encoding: str = UTF16) -> int:
        """The offset in the text of a protocol position; a position past the end of its
        line is the end of the line, one past the last line the end of the text."""
        if position.line >= len(self._starts):
            return len(self.text)
        start = self._start(position.line)
        line = self.text[start : self._content_end(position.line)]
        if encoding == UTF32:
            return start + min(position.character, len(line))
        counted = 0
        for index, character in enumerate(line):
            counted += units(character, encoding)
            if counted > position.character:
                return start + index
        return start + len(line)

    def apply(self, start: Position, end: Position, new_text: str,
              encoding: str = UTF16) -> None:
        """Replace the text between two positions (in either order) with ``new_text``."""
        first, last = sorted((self.offset(start, encoding), self.offset(end, encoding)))
        removed = self.text[first:last]
        self.text = self.text[:first] + new_text + self.text[last:]
        joined = not new_text and first > 0 and self.text.startswith("\r\n", first - 1)
        if joined or any(mark in part for part in (removed, new_text) for mark in "\r\n"):
            # Lines come and go (or a CR and an LF meet as one line break): count again.
            self.__init__(self.text)  # type: ignore[misc]
            return
        line = min(start.line, end.line, len(self._starts) - 1)
        if self._shift_from != line + 1:
            self._starts = [self._start(n) for n in range(len(self._starts))]
            self._shift_from, self._shift = line + 1, 0
        self._shift += len(new_text) - (last - first)
