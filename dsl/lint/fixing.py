"""Mending findings: what ``stretch lint --fix`` and the editor's quick fixes apply.

A finding's fix is a few text edits (``dsl.lint.rules.Fix``) that its rule builds on
demand: a plain lint never builds one. Fixing a file goes in rounds: lint the text, take
the fixes asked for (safe ones, or unsafe ones too) whose edits do not overlap (the first
of two that overlap is taken, the other waits for the next round, when it is built again
from the text as it then is), apply them, and lint again, until no fix is left or
``MAX_ROUNDS`` have run. Every round's text is parsed before it is kept: a round that
would leave a file that parsed unable to parse (or a file that did not parse no nearer to
parsing) is taken back and its fixes tried one by one; a fix that still does harm is
dropped and reported, never written.

Edits are made on the text as written: every character outside them, comments and line
ends included, stays as it was. Lines a fix adds take the file's line end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

import msgspec

from dsl import codes
from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.checker import check
from dsl.lint.config import DEFAULT, Config
from dsl.lint.rules import Context, Edit, Fix, contexts
from dsl.source.text import BOM, Source
from dsl.syntax.parser import ParsedFile, parse

MAX_ROUNDS = 10
"""Rounds of fixing before stopping: a fix that makes room for another needs a second
round; ten is far more than any real file needs, and a bound keeps two fixes that undo
each other from running forever."""

_NO_ROUTINE = m.Routine("")
_LINE_END = re.compile(r"\r\n|\r|\n")


class Found(msgspec.Struct, frozen=True):
    """A finding and its fix."""

    diagnostic: Diagnostic
    fix: Fix


class Fixed(msgspec.Struct, frozen=True):
    """What fixing one text did: the new text (as written: line ends and byte order mark
    kept), how many fixes were applied, the findings that remain, the fixes dropped
    because they would have broken the file, and how many of the remaining findings have
    an unsafe fix that was not asked for."""

    text: str
    fixed: int
    remaining: tuple[Diagnostic, ...]
    dropped: tuple[Found, ...] = ()
    unsafe_left: int = 0

    @property
    def changed(self) -> bool:
        return self.fixed > 0


def fixes(parsed: ParsedFile, diagnostics: Iterable[Diagnostic], config: Config = DEFAULT,
          *, unsafe: bool = False) -> list[Found]:
    """The fixes of these findings of a parsed file, safe ones (and unsafe ones when
    asked), in the findings' order."""
    checked: list[Context] | None = None
    registry = codes.by_code()
    found: list[Found] = []
    for diagnostic in diagnostics:
        code = registry.get(diagnostic.code)
        if code is None or code.fixer is None or code.fix is None:
            continue
        if code.fix.safety == "unsafe" and not unsafe:
            continue
        if checked is None:
            # A routine with exercises: each exercise (and the whole routine) is checked
            # as a routine of its own; the fix is found in the one its finding came from.
            checked = [c for c, _ in contexts(parsed, parsed.routine or _NO_ROUTINE, config)]
        # The exercise the finding stands in first (then the others, then the whole
        # routine): a fix that adds a statement adds it to that exercise.
        line = diagnostic.span.line
        ordered = sorted(checked, key=lambda c: not (
            c.routine.span.line <= line <= c.routine.span.end_line
            and c.routine is not parsed.routine))
        for context in ordered:
            fix = code.fixer(context, diagnostic)
            if fix is not None:
                found.append(Found(diagnostic, fix))
                break
    return found


def fix_text(source: str | Source, path: str = "<string>", config: Config = DEFAULT, *,
             unsafe: bool = False, rounds: int = MAX_ROUNDS) -> Fixed:
    """Apply the fixes to one file's text until none is left (at most ``rounds``)."""
    written = source if isinstance(source, str) else source.original
    bom = BOM if written.startswith(BOM) else ""
    text = written.removeprefix(BOM)
    fixed = 0
    dropped: list[Found] = []
    refused: set[tuple[str, str, str]] = set()  # fixes found harmful, by finding
    parsed = parse(Source(text), path)
    diagnostics = check(parsed, config)
    for _ in range(rounds):
        wanted = [f for f in fixes(parsed, diagnostics, config, unsafe=unsafe)
                  if _key(f) not in refused]
        if not wanted:
            break
        chosen = _without_overlaps(text, wanted)
        text, parsed, kept, harmful = _apply_checked(text, parsed, chosen, path)
        for found in harmful:
            refused.add(_key(found))
            dropped.append(found)
        if not kept:
            break
        fixed += len(kept)
        diagnostics = check(parsed, config)
    unsafe_left = 0 if unsafe else sum(
        found.fix.safety == "unsafe" for found in fixes(parsed, diagnostics, config, unsafe=True))
    return Fixed(bom + text, fixed, tuple(diagnostics), tuple(dropped), unsafe_left)


def _key(found: Found) -> tuple[str, str, str]:
    # Not the positions: they move as other fixes add and remove lines.
    return (found.diagnostic.code, found.diagnostic.message, found.fix.title)


def _apply_checked(text: str, before: ParsedFile, chosen: list[Found],
                   path: str) -> tuple[str, ParsedFile, list[Found], list[Found]]:
    """The text with the chosen fixes applied, parsed, if that does no harm; otherwise
    with those of them that do no harm, tried one at a time."""
    after_text = apply_edits(text, [e for f in chosen for e in f.fix.edits])
    after = parse(Source(after_text), path)
    if _no_harm(before, after):
        return after_text, after, chosen, []
    kept: list[Found] = []
    harmful: list[Found] = []
    current, parsed = text, before
    for found in chosen:
        # Positions were worked out on the round's text: one fix at a time, each alone.
        attempt = apply_edits(text, list(found.fix.edits))
        trial = parse(Source(attempt), path)
        if _no_harm(before, trial) and not kept:
            current, parsed = attempt, trial
            kept.append(found)
        elif not _no_harm(before, trial):
            harmful.append(found)
    return current, parsed, kept, harmful


def _no_harm(before: ParsedFile, after: ParsedFile) -> bool:
    """A text that parsed still parses; one that did not is nearer to parsing (fewer
    syntax problems, or its first one further on)."""
    if after.ok:
        return True
    if before.ok:
        return False
    old, new = _syntax_errors(before), _syntax_errors(after)
    if len(new) != len(old):
        return len(new) < len(old)
    return new[0] > old[0]


def _syntax_errors(parsed: ParsedFile) -> list[tuple[int, int]]:
    return sorted((d.span.line, d.span.column) for d in parsed.diagnostics
                  if d.severity == "error")


def _without_overlaps(text: str, found: list[Found]) -> list[Found]:
    """The fixes in order, leaving out each one whose edits overlap one taken before it."""
    starts = _line_starts(text)
    taken: list[tuple[int, int]] = []
    chosen: list[Found] = []
    for one in found:
        ranges = [_offsets(starts, text, e.span) for e in one.fix.edits]
        if any(_overlap(a, b) for a in ranges for b in taken) or _crossing(ranges):
            continue
        taken.extend(ranges)
        chosen.append(one)
    return chosen


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two edits touch the same text (two insertions at one place count: their order
    would be a guess)."""
    return (a[0] < b[1] and b[0] < a[1]) or a == b or (
        a[0] == a[1] and b[0] < a[0] < b[1]) or (b[0] == b[1] and a[0] < b[0] < a[1])


def _crossing(ranges: list[tuple[int, int]]) -> bool:
    return any(_overlap(a, b) for a, b in pairwise(sorted(ranges)))


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """The text with non-overlapping edits made (positions counted in ``text``); added
    line ends are written as the file writes its own."""
    if not edits:
        return text
    starts = _line_starts(text)
    newline = _LINE_END.search(text)
    line_end = newline.group() if newline else "\n"
    placed = sorted(((*_offsets(starts, text, e.span), e.text) for e in edits), reverse=True)
    for start, end, new in placed:
        if line_end != "\n":
            new = new.replace("\n", line_end)
        text = text[:start] + new + text[end:]
    return text


def _line_starts(text: str) -> list[int]:
    """Where each line starts, whatever its line end (as ``Source`` counts lines)."""
    return [0, *(found.end() for found in _LINE_END.finditer(text))]


def _offsets(starts: list[int], text: str, span: m.Span) -> tuple[int, int]:
    return _offset(starts, text, span.line, span.column), _offset(
        starts, text, span.end_line, span.end_column)


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if line > len(starts):
        return len(text)
    start = starts[line - 1]
    following = _LINE_END.search(text, start)
    end = following.start() if following else len(text)
    return min(start + max(column - 1, 0), end)
