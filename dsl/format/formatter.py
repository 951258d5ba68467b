"""Model and comments to canonical text: the one house style, and proof that nothing is lost.

``format_text`` parses a routine, prints its model in the canonical layout (documented in
docs/language.md, "The canonical layout") and puts every comment back beside the
statement it was written beside. Before anything is handed back, the output is checked
the gdtoolkit way: it must read back to an equal model, formatting it again must not
change it, and every comment must still be there, in order. A failed check raises
``UnsafeFormatting``; callers write nothing then. (A text that is already canonical needs
no check: ``format_text`` says why.)

The formatter never reorders statements: the model keeps them in the order written, and
each node's span says which source line it came from, which is how comments and the
author's blank lines find their place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.model.printer import amount, quote, repeat_count, statement, step
from dsl.source.text import Source
from dsl.syntax.parser import ParsedFile, parse

INDENT = "  "
"""One level of indentation in canonical text."""

EOL_COMMENT_GAP = "  "
"""What separates a statement from the comment at the end of its line."""


class UnsafeFormatting(Exception):
    """The formatter's output failed one of its self-checks; nothing may be written."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"formatting {path} would change its meaning ({reason})")
        self.path = path
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FormatResult:
    """The outcome of formatting one text.

    ``formatted`` is the canonical text, or None when the source has errors (then
    ``diagnostics`` says why and the source must be left as it is).
    """

    path: str
    source: str
    formatted: str | None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return self.formatted is not None

    @property
    def changed(self) -> bool:
        """True when the canonical text differs from the source, byte for byte."""
        return self.formatted is not None and self.formatted != self.source


def format_text(source: str | Source, path: str = "<string>") -> FormatResult:
    """Format routine source text (the result's ``source`` is the text as given, byte
    order mark and line ends included, so that they count as changes).

    A source with errors (syntax or values) gives a result with no text and the
    diagnostics. Raises ``UnsafeFormatting`` when the output fails a self-check.
    """
    original = source.original if isinstance(source, Source) else source
    parsed = parse(source, path)
    if parsed.routine is None or not parsed.ok:
        return FormatResult(path, original, None, parsed.diagnostics)
    formatted = format_parsed(parsed)
    if formatted != original:
        # Text equal to the original needs no check: it is the very text just parsed (no
        # byte order mark or \r to normalise, since the canonical text has none), so it
        # reads back to this routine and these comments, and formats to itself again.
        # Nothing is written for it either. Checking would parse every tidy file twice.
        verify(parsed, formatted)
    return FormatResult(path, original, formatted, parsed.diagnostics)


def format_bytes(data: bytes, path: str = "<bytes>") -> FormatResult:
    """Format a file's bytes (UTF-8, optional byte order mark). The source is decoded as
    is, so a byte order mark or CRLF line ends count as changes. Bytes that are not UTF-8
    text, or more than the size limit, give the diagnostic ``dsl.syntax.parser.parse_bytes``
    gives."""
    from dsl.source.text import decode

    source = decode(data, path)
    if isinstance(source, Diagnostic):
        return FormatResult(path, "", None, (source,))
    return format_text(source, path)


def format_parsed(parsed: ParsedFile) -> str:
    """The canonical text of a parsed file (its routine and comments), unchecked."""
    if parsed.routine is None:
        raise ValueError("a file that did not parse has no canonical text")
    return format_routine(parsed.routine, parsed.comments, parsed.text)


def verify(parsed: ParsedFile, formatted: str) -> None:
    """Raise ``UnsafeFormatting`` unless ``formatted`` says exactly what ``parsed`` says:
    the same model (positions aside), the same comments in the same order, and a text
    that formatting leaves as it is."""
    again = parse(formatted, parsed.path)
    if again.routine is None or not again.ok:
        raise UnsafeFormatting(parsed.path, "the formatted text does not parse")
    if again.routine != parsed.routine:
        raise UnsafeFormatting(parsed.path, "the formatted routine reads differently")
    if [c.text for c in again.comments] != [c.text for c in parsed.comments]:
        raise UnsafeFormatting(parsed.path, "a comment would be lost or moved")
    if format_parsed(again) != formatted:
        raise UnsafeFormatting(parsed.path, "formatting twice gives a different text")


def format_routine(
    routine: m.Routine, comments: Sequence[m.Comment] = (), source: str | Source = ""
) -> str:
    """Print a routine in the canonical layout.

    ``comments`` and ``source`` (the text the routine was parsed from) are optional: with
    them, comments go back in place and the author's blank lines are kept; a routine
    built in code (no spans) prints without blank lines.
    """
    lines = _Printer().routine(routine)
    entries = _place_comments(lines, comments)
    blank = _BlankLines(source)
    out: list[str] = []
    previous: _Entry | None = None
    for entry in entries:
        if (previous is not None and entry.level <= previous.level
                and blank.between(previous.source_line, entry.source_line)):
            out.append("")
        text = INDENT * entry.level + entry.text
        if entry.comment is not None:
            text += EOL_COMMENT_GAP + entry.comment
        out.append(text)
        previous = entry
    return "\n".join(out) + "\n"


# --- statements to lines -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    """One printed statement: its nesting level, its canonical text, the source line it
    came from, and the source columns of its own line and of each enclosing line
    (outermost first), which tell which block an indented comment belonged to."""

    level: int
    text: str
    source_line: int
    columns: tuple[int, ...]


class _Printer:
    """Walks the model in source order and prints each statement as one line."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []

    def routine(self, routine: m.Routine) -> list[_Line]:
        columns = self._line(0, f"routine {quote(routine.title)}", routine.span, ())
        for item in routine.items:
            self._item(item, 1, columns)
        return self.lines

    def _line(self, level: int, text: str, span: m.Span,
              parents: tuple[int, ...]) -> tuple[int, ...]:
        columns = (*parents, span.column)
        self.lines.append(_Line(level, text, span.line, columns))
        return columns

    def _item(self, item: m.RoutineItem, level: int, parents: tuple[int, ...]) -> None:
        if isinstance(item, m.Step):
            self._step(item, level, parents)
        elif isinstance(item, m.Repeat):
            header = f"repeat {repeat_count(item.count)}"
            if item.rest is not None:
                header += f", rest {amount(item.rest.amount)} between"
                if item.rest.text is not None:
                    header += f" {quote(item.rest.text)}"
            self._block(item.body, level, self._line(level, opener(header), item.span, parents))
        elif isinstance(item, m.SafetyHandler):
            header = f"on {item.signal}"
            if item.text is not None:
                header += f" {quote(item.text)}"
            self._block(item.body, level, self._line(level, opener(header), item.span, parents))
        elif isinstance(item, m.Group):
            columns = self._line(level, opener(f"for {item.name}"), item.span, parents)
            for member in item.items:
                self._line(level + 1, statement(member), member.span, columns)
        elif isinstance(item, (m.Posture, m.Indications, m.Contraindications)):
            keyword = {m.Posture: "posture", m.Indications: "indications",
                       m.Contraindications: "contraindications"}[type(item)]
            texts = item.cues if isinstance(item, m.Posture) else item.items
            columns = self._line(level, opener(keyword), item.span, parents)
            for text in texts:
                self._line(level + 1, quote(text.value), text.span, columns)
        else:
            self._line(level, statement(item), item.span, parents)

    def _block(self, body: tuple[m.BlockItem, ...], level: int,
               columns: tuple[int, ...]) -> None:
        for item in body:
            self._item(item, level + 1, columns)

    def _step(self, item: m.Step, level: int, parents: tuple[int, ...]) -> None:
        columns = self._line(level, step(item), item.span, parents)
        for detail in item.details:
            self._line(level + 1, statement(detail), detail.span, columns)


def opener(header: str) -> str:
    """A block-opening line: a colon after a keyword or an amount, none after text."""
    return header if header.endswith('"') else header + ":"


# --- comments and blank lines ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    """One output line: a statement (maybe with its end-of-line comment) or a comment."""

    level: int
    text: str
    source_line: int
    comment: str | None = None


def _place_comments(lines: list[_Line], comments: Sequence[m.Comment]) -> list[_Entry]:
    """Merge the comments into the printed lines.

    An end-of-line comment stays on its statement's line. A whole-line comment goes
    before the statement that follows it, at that statement's level; one indented deeper
    than that statement, after the last line of a block, stays at the end of the block
    it is indented into (the deepest block whose indentation it reaches).
    """
    by_line: dict[int, int] = {}
    for index, line in enumerate(lines):
        by_line.setdefault(line.source_line, index)
    trailing: dict[int, str] = {}
    own: list[m.Comment] = []
    for comment in comments:
        found = None if comment.own_line else by_line.get(comment.line)
        if found is None or found in trailing:
            own.append(comment)  # no statement on its line: keep it as a line of its own
        else:
            trailing[found] = comment.text
    own.sort(key=lambda c: (c.line, c.column))

    entries: list[_Entry] = []
    position = 0  # the next printed line to emit
    previous_level: int | None = None  # level of the last comment in the current gap
    for comment in own:
        while position < len(lines) and lines[position].source_line < comment.line:
            entries.append(_entry(lines[position], trailing.get(position)))
            position += 1
            previous_level = None
        before = lines[position - 1] if position > 0 else None
        after = lines[position] if position < len(lines) else None
        level = _comment_level(comment, before, after)
        if previous_level is not None:
            level = min(level, previous_level)
        previous_level = level
        entries.append(_Entry(level, comment.text, comment.line))
    for index in range(position, len(lines)):
        entries.append(_entry(lines[index], trailing.get(index)))
    return entries


def _entry(line: _Line, comment: str | None) -> _Entry:
    return _Entry(line.level, line.text, line.source_line, comment)


def _comment_level(comment: m.Comment, before: _Line | None, after: _Line | None) -> int:
    if before is None:
        return after.level if after is not None else 0
    floor = after.level if after is not None else 0
    if floor > before.level:  # the first line of a block: the comment opens it too
        return floor
    for level in range(before.level, floor, -1):
        if before.columns[level] <= comment.column:
            return level
    return floor


class _BlankLines:
    """Which source lines are blank, answering "is there one between these two lines?"."""

    def __init__(self, source: str | Source) -> None:
        lines = (source if isinstance(source, Source) else Source(source)).lines
        self.count_through = [0]  # count_through[n]: blank lines among lines 1..n
        for line in lines:
            self.count_through.append(self.count_through[-1] + (not line.strip()))

    def between(self, first: int, last: int) -> bool:
        if first <= 0 or last - first < 2 or last - 1 >= len(self.count_through):
            return False
        return self.count_through[last - 1] - self.count_through[first] > 0
