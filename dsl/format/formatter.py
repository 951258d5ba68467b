"""Model and comments to canonical text: the one house style, and proof that nothing is lost.

``format_text`` parses a routine, prints its model in the canonical layout (documented in
docs/language.md, "The canonical layout") and puts every comment back beside the
statement it was written beside. Before anything is handed back, the output is checked
the gdtoolkit way: it must read back to an equal model, formatting it again must not
change it, and every comment must still be there, in order. A failed check raises
``UnsafeFormatting``; callers write nothing then. (A text that is already canonical needs
no check: ``format_text`` says why. A text whose words stay as they were, only their
layout changing, is checked without parsing it again: ``same_words`` says why that is
the same check.)

The formatter never reorders statements: the model keeps them in the order written, and
each node's span says which source line it came from, which is how comments and the
author's blank lines find their place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.model import plans, printer
from dsl.model.printer import (
    change,
    exercise_head,
    handler_head,
    opener,
    quote,
    repeat_head,
    side_only,
    statement,
    step,
    variant_only,
)
from dsl.source.files import MAX_SOURCE_SIZE
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
    top = parsed.routine or parsed.plan
    if top is None or not parsed.ok:
        return FormatResult(path, original, None, parsed.diagnostics)
    lines = print_lines(top)
    formatted = lay_out(lines, parsed.comments, parsed.text)
    if formatted != original:
        # Text equal to the original needs no check: it is the very text just parsed (no
        # byte order mark or \r to normalise, since the canonical text has none), so it
        # reads back to this routine and these comments, and formats to itself again.
        # Nothing is written for it either. Checking would parse every tidy file twice.
        verify(parsed, formatted, lines)
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
    top = parsed.routine or parsed.plan
    if top is None:
        raise ValueError("a file that did not parse has no canonical text")
    return lay_out(print_lines(top), parsed.comments, parsed.text)


def verify(parsed: ParsedFile, formatted: str, lines: Sequence[_Line] | None = None) -> None:
    """Raise ``UnsafeFormatting`` unless ``formatted`` says exactly what ``parsed`` says:
    the same model (positions aside), the same comments in the same order, and a text
    that formatting leaves as it is.

    With ``lines`` (what ``print_lines`` gave for ``parsed``), a text that differs from
    the source only in layout passes without being parsed again (``same_words``); any
    other text is read back by the parser and compared."""
    if lines is not None and same_words(parsed, formatted, lines):
        return
    again = parse(formatted, parsed.path)
    if (again.routine is None and again.plan is None) or not again.ok:
        raise UnsafeFormatting(parsed.path, "the formatted text does not parse")
    if again.routine != parsed.routine or again.plan != parsed.plan:
        raise UnsafeFormatting(parsed.path, "the formatted routine reads differently")
    if [c.text for c in again.comments] != [c.text for c in parsed.comments]:
        raise UnsafeFormatting(parsed.path, "a comment would be lost or moved")
    if format_parsed(again) != formatted:
        raise UnsafeFormatting(parsed.path, "formatting twice gives a different text")


# --- the check without a second parse ----------------------------------------------------

# A quoted text as the grammar's STRING reads it (group 1), or a comment (group 2): found
# from the left, so a `#` inside quotes is text and a quote inside a comment is comment.
# What lies between them is indentation, words, spaces and line breaks.
# (The look-ahead lets the regular expression engine skip to the next quote or `#`.)
_QUOTED_OR_COMMENT = re.compile(r'(?=["#])(?:("(?:[^"\\\n]++|\\.)*+")|(#[^\n]*+))')
_SPACES = re.compile(r"[ \t]{2,}+|\t")  # (a single space is left as it is)
_LINE_EDGES = re.compile(r" ?\n[ \n]*+")
_MARK = "\0"  # where a quoted text or a comment stood (no routine that parses has one)


class _Layout(NamedTuple):
    """What a text says once its layout is set aside, and where its statements stand.

    ``words``: the text outside quotes and comments, each run of spaces and tabs made one
    space, blank lines and the spaces at either end of a line left out, a mark where each
    quoted text or comment stood; ``quoted``: what stood at each mark, in order (None for a
    comment); ``comments``: the comments' texts, in order; ``statements``: the number and
    indentation of each line with a statement on it."""

    words: str
    quoted: list[str | None]
    comments: list[str]
    statements: list[tuple[int, str]]


def _read_layout(text: str) -> _Layout | None:
    """The layout of a normalised text (``\n`` line ends), or None for one that has
    something else between its quoted texts and comments than words, spaces, tabs and
    line breaks (an unclosed quote, a NUL): the parser decides those. A few passes of
    regular expressions over the whole text, no loop over its words."""
    if _MARK in text:
        return None
    parts = _QUOTED_OR_COMMENT.split(text)
    between = _MARK.join(parts[0::3])
    if '"' in between:
        return None
    words = _LINE_EDGES.sub("\n", "\n" + _SPACES.sub(" ", between) + "\n")
    comments = [part.rstrip(" \t") for part in parts[2::3] if part is not None]
    statements = [(number, line[:len(line) - len(rest)])
                  for number, line in enumerate(text.split("\n"), 1)
                  if (rest := line.lstrip(" \t")) and rest[0] != "#"]
    return _Layout(words, parts[1::3], comments, statements)


def _comments(text: str) -> list[m.Comment]:
    """The comments of a text that reads as a routine, as lexing.Indenter records them: the
    line and column of the `#`, spaces and tabs after the last character left out, and
    whether the line has no statement before it."""
    comments = []
    line, counted = 1, 0
    for found in _QUOTED_OR_COMMENT.finditer(text):
        if found.group(2) is None:
            continue
        start = found.start()
        line += text.count("\n", counted, start)
        counted = start
        line_start = text.rfind("\n", 0, start) + 1
        own_line = not text[line_start:start].strip(" \t")
        comments.append(m.Comment(line, start - line_start + 1, found.group().rstrip(" \t"),
                                  own_line))
    return comments


def _depths(statements: list[tuple[int, str]]) -> list[int] | None:
    """How deep each statement line is nested, by lexing.Indenter's rule (a line indented
    by more than the one before it, starting with its indentation, opens one block; a
    line indented as an enclosing block closes the blocks in between; the first line's
    indentation is not read). None where the Indenter would refuse the indentation."""
    stack = [""]
    depths = [0]
    for _, indentation in statements[1:]:
        if indentation != stack[-1]:
            if indentation.startswith(stack[-1]):
                stack.append(indentation)
            else:
                while indentation != stack[-1]:
                    if len(stack) == 1 or not stack[-1].startswith(indentation):
                        return None
                    stack.pop()
        depths.append(len(stack) - 1)
    return depths


def same_words(parsed: ParsedFile, formatted: str, lines: Sequence[_Line]) -> bool:
    """True when ``formatted`` provably passes the checks of ``verify`` without parsing it:
    it reads as the same routine with the same comments (``reads_the_same``), and laying
    out ``lines`` (the printed statements of ``parsed``) at the positions they would have
    in ``formatted`` gives ``formatted`` back. False means "not shown this way": ``verify``
    then parses.

    Why the layout step shows that formatting again changes nothing: ``format_routine``
    of the re-read text would print the same model to the same statement texts (the
    printer reads positions only from spans) and lay them out with the positions and
    comments of ``formatted``, which are those computed here (each printed line is a
    statement line of its own, starting at its first word: checked on the source).
    """
    layouts = reads_the_same(parsed, formatted)
    if layouts is None:
        return False
    before, after = layouts
    # Where each printed line would stand in the formatted text.
    moved: dict[int, tuple[int, int, int]] = {}  # source line: its column, new line, column
    for (old_line, old_indentation), (new_line, new_indentation) in zip(
            before.statements, after.statements, strict=True):
        moved[old_line] = (len(old_indentation) + 1, new_line, len(new_indentation) + 1)
    columns_at: list[int] = []  # the new column of the latest line at each level
    relocated: list[_Line] = []
    for line in lines:
        found = moved.get(line.source_line)
        if found is None or found[0] != line.columns[-1]:
            return False  # not a statement starting its line: let the parser say
        del columns_at[line.level:]
        if len(columns_at) != line.level:
            return False
        columns_at.append(found[2])
        relocated.append(_Line(line.level, line.text, found[1], tuple(columns_at)))
    comments = _comments(formatted) if after.comments else []
    return lay_out(relocated, comments, formatted) == formatted


def reads_the_same(parsed: ParsedFile, formatted: str) -> tuple[_Layout, _Layout] | None:
    """The layouts of the source and of ``formatted`` when ``formatted`` provably parses
    to the same routine with the same comments: its statement lines hold the same words
    as the source's, line for line, nested as deep, and its comments are the same, in
    order. None when that is not shown this way (the parser must decide).

    Why the same words mean the same routine (docs/design.md, "Formatting"): the lexer
    skips spaces and tabs between tokens, and no token but a quoted text (a word here,
    whole) and a line break holds a space, a tab or a `#`; no token's match depends on
    which of these follows it, or how many. So each line gives the same tokens, in the same
    order, and the Indenter the same block tokens for the same depths; the LALR parser,
    given the same tokens, makes the same reductions, and the model is built from the
    tokens' types and values, their positions going only into spans, which equality
    leaves out. tests/test_fmt_properties.py checks this against the parser.
    """
    if len(formatted) > MAX_SOURCE_SIZE or parsed.routine is None or not parsed.ok:
        # (Sessions and programmes are read back by the parser: they are short.)
        return None  # the parser would refuse it, or there is nothing to compare with
    before = _read_layout(parsed.text.text)
    after = _read_layout(formatted)
    if (before is None or after is None or before.words != after.words
            or before.quoted != after.quoted
            or len(before.statements) != len(after.statements)
            or after.comments != [c.text for c in parsed.comments]):
        return None
    depths = _depths(before.statements)
    if depths is None or depths != _depths(after.statements):
        return None
    return before, after


def format_routine(
    routine: m.Routine, comments: Sequence[m.Comment] = (), source: str | Source = ""
) -> str:
    """Print a routine in the canonical layout.

    ``comments`` and ``source`` (the text the routine was parsed from) are optional: with
    them, comments go back in place and the author's blank lines are kept; a routine
    built in code (no spans) prints without blank lines.
    """
    return lay_out(print_lines(routine), comments, source)


def print_lines(top: m.Routine | plans.Plan) -> list[_Line]:
    """Each statement of the routine (or session, or programme) printed on a line of its
    own, in source order."""
    if isinstance(top, m.Routine):
        return _Printer().routine(top)
    return _Printer().plan(top)


def lay_out(lines: Sequence[_Line], comments: Sequence[m.Comment] = (),
            source: str | Source = "") -> str:
    """The text of printed lines with the comments put back and the author's blank lines
    kept (``source`` is the text whose positions the lines and comments carry)."""
    entries = (_place_comments(lines, comments) if comments
               else [_Entry(line.level, line.text, line.source_line) for line in lines])
    blank = _BlankLines(source)
    out: list[str] = []
    previous_level, previous_line = -1, 0  # -1: no line yet
    for level, text, source_line, comment in entries:
        if level <= previous_level and blank.between(previous_line, source_line):
            out.append("")
        text = INDENT * level + text
        if comment is not None:
            text += EOL_COMMENT_GAP + comment
        out.append(text)
        previous_level, previous_line = level, source_line
    return "\n".join(out) + "\n"


# --- statements to lines -----------------------------------------------------------------


class _Line(NamedTuple):
    """One printed statement: its nesting level, its canonical text, the source line it
    came from, and the source columns of its own line and of each enclosing line
    (outermost first), which tell which block an indented comment belonged to. (Named
    tuples, not dataclasses, for these two: one is made for every line formatted.)"""

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

    def plan(self, plan: plans.Plan) -> list[_Line]:
        keyword = "session" if isinstance(plan, plans.Session) else "programme"
        columns = self._line(0, f"{keyword} {quote(plan.title)}", plan.span, ())
        for item in plan.items:
            if isinstance(item, m.Step):
                self._step(item, 1, columns)
            elif isinstance(item, plans.Use):
                inner = self._line(1, printer.use_head(item), item.span, columns)
                for member in item.items:
                    self._line(2, printer.use_item(member), member.span, inner)
            elif isinstance(item, plans.Stage):
                inner = self._line(1, printer.stage_head(item), item.span, columns)
                for line in item.items:
                    self._line(2, printer.plan_statement(line), line.span, inner)
            else:
                self._line(1, printer.plan_statement(item), item.span, columns)
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
            columns = self._line(level, opener(repeat_head(item)), item.span, parents)
            self._block(item.body, level, columns)
        elif isinstance(item, m.SafetyHandler):
            columns = self._line(level, opener(handler_head(item)), item.span, parents)
            self._block(item.body, level, columns)
        elif isinstance(item, m.SideOnly):
            columns = self._line(level, opener(side_only(item)), item.span, parents)
            self._block(item.body, level, columns)
        elif isinstance(item, m.VariantOnly):
            columns = self._line(level, opener(variant_only(item)), item.span, parents)
            self._block(item.body, level, columns)
        elif isinstance(item, m.Exercise):
            columns = self._line(level, exercise_head(item), item.span, parents)
            for member in item.items:
                self._item(member, level + 1, columns)
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
            if isinstance(detail, m.StepChange) and detail.steps:
                inner = self._line(level + 1, opener(change(detail)), detail.span, columns)
                self._block(detail.steps, level + 1, inner)
            else:
                self._line(level + 1, statement(detail), detail.span, columns)


# --- comments and blank lines ------------------------------------------------------------


class _Entry(NamedTuple):
    """One output line: a statement (maybe with its end-of-line comment) or a comment."""

    level: int
    text: str
    source_line: int
    comment: str | None = None


def _place_comments(lines: Sequence[_Line], comments: Sequence[m.Comment]) -> list[_Entry]:
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
        # count_through[n]: blank lines among lines 1..n (`not line.strip()`, said faster)
        self.count_through = list(accumulate(
            [not line or line.isspace() for line in lines], initial=0))

    def between(self, first: int, last: int) -> bool:
        if first <= 0 or last - first < 2 or last - 1 >= len(self.count_through):
            return False
        return self.count_through[last - 1] - self.count_through[first] > 0
