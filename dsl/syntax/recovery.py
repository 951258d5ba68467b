"""Every syntax error of a file, each reported once.

Lark stops at the first syntax error. To find the next one, the line the error is on is
*mended*: in a copy of the text it is replaced by a statement that is valid at that place,
at the same indentation, opening a block when the line opened one, and the text is parsed
again from there. Each mended line is one diagnostic; everything the parser says about the
text after it is about lines the user wrote, read in the same block structure, so a mistake
cannot echo: a misspelt `repaet 3:` is mended into a block opener and its indented body
still belongs to it, and a broken only child is mended into a statement, so its block is
not left empty.

Which statement fits is found by trying a few in turn (``_candidates``) and keeping the
first with which the mended line's block parses (or, when the block holds another mistake,
the one that leaves the fewest errors in it). The mending is done on the text; the
diagnostics keep the positions of the original, since no line is added, removed or shifted
sideways.

Parses after the first start from the top-level block before the mended one, the routine's
header kept and the lines in between left blank (so every line keeps its number, and the
parser is in the same state there as in a whole parse: its messages are the same), and the
candidates are tried on the mended block alone. A file with no syntax error never comes
here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from dsl.diagnostics import Diagnostic

MAX_SYNTAX_ERRORS = 50
"""Syntax errors reported for one file; a further one is reported as "stopped here"."""


class Reading(NamedTuple):
    """What one parse found: its first syntax error (None when the text parses), and the
    value problems (``level: expert``) of the statements it read before it."""

    error: Diagnostic | None
    values: tuple[Diagnostic, ...]


Attempt = Callable[[str, bool], Reading]
"""Parse a text; with ``True``, the error in words, else only where it is."""

# After these, no line below can be read in a known structure: a file with no `routine`
# line, blocks nested too deep.
_FINAL_CODES = frozenset({"P108", "P117"})


def recover(text: str, first: Diagnostic, attempt: Attempt) -> list[Diagnostic]:
    """Every syntax error in ``text`` (``first`` is the one a whole parse found), at most
    ``MAX_SYNTAX_ERRORS`` and then one saying where the rest begin; and the value problems
    on the lines read after the first error."""
    lines = written = text.split("\n")
    found = [first]
    values: list[Diagnostic] = []
    current = first
    parses = 0

    def counted(text: str, exact: bool) -> Reading:
        nonlocal parses
        parses += 1
        return attempt(text, exact)

    def done() -> list[Diagnostic]:
        # What the builder says about a mended line is about the mending, not the author's
        # words (a step mended in beside a routine's exercises is no P135): left out.
        mended = {n for n, (was, now) in enumerate(zip(written, lines, strict=False), start=1)
                  if was != now}
        return [*found, *(v for v in values if v.span.line not in mended)]

    while True:
        if current.code in _FINAL_CODES:
            return done()
        # Weighing candidates is for the odd block with two mistakes; a file made of such
        # blocks would make it costly, so past a budget the first mending that gets past
        # the error is taken.
        mended = _mend(lines, current, counted, weigh=parses < _WEIGHING_BUDGET)
        if mended is None:
            return done()
        lines, reading = mended
        values.extend(reading.values)  # (the caller drops those found twice)
        following = reading.error
        if following is None:
            return done()
        if len(found) == MAX_SYNTAX_ERRORS:
            found.append(_too_many(following))
            return done()
        found.append(following)
        current = following


def _too_many(next_error: Diagnostic) -> Diagnostic:
    return Diagnostic(
        "P128", f"more syntax errors from here on: stopped after {MAX_SYNTAX_ERRORS}",
        next_error.path, next_error.span,
        hint="fix the errors above and check the file again")


def _mend(lines: list[str], error: Diagnostic, attempt: Attempt, stop: int | None = None,
          *, weigh: bool = True) -> tuple[list[str], Reading] | None:
    """The lines with the error's line mended (or the statement above it, when the error
    is the missing body of a block opener there), and the first error after it up to line
    ``stop`` (0-based, None for the end of the file); None when no mending gets past the
    error.

    A candidate with which the mended line's block parses is taken at once. When none
    does (the block holds another mistake), ``weigh`` mends the rest of the block after
    each candidate and takes the one that leaves the fewest errors there: a header mended
    into the wrong kind of block would make every line of its body an error."""
    reported = error.span.line - 1
    targets = []
    if 0 <= reported < len(lines) and _is_statement(lines[reported]):
        targets.append(reported)
    above = _statement_before(lines, min(reported, len(lines)))
    if above is not None:
        targets.append(above)
    layout = _Layout.of(lines)
    best: tuple[int, list[str], _Window] | None = None
    for target in targets:
        window = layout.window(lines, target)
        # The trial must read the reported line too: mending a line above it is only
        # right if that makes the reported line fit.
        end = max(_owned_end(lines, target), min(reported, len(lines) - 1))
        if stop is not None:
            end = min(end, stop)
        for candidate in _candidates(lines, target, layout):
            trial = [*lines[:target], candidate, *lines[target + 1:]]
            problem = attempt(window.text(trial, end), False).error
            if problem is None:
                return trial, attempt(window.text(trial, stop), stop is None)
            if problem.span.line - 1 <= reported:
                continue
            if not weigh:  # counting what is left: the first that gets past will do
                return trial, attempt(window.text(trial, stop), stop is None)
            left = _errors_left(trial, problem, attempt, end)
            if best is None or left < best[0]:  # on a tie, the likelier (earlier) one
                best = (left, trial, window)
    if best is None:
        return None
    _, trial, window = best
    return trial, attempt(window.text(trial, stop), stop is None)


_WEIGHED_ERRORS = 4
_WEIGHING_BUDGET = 500  # parses


def _errors_left(lines: list[str], error: Diagnostic, attempt: Attempt, stop: int) -> int:
    """How many errors mending finds up to line ``stop``, from ``error`` on (at most
    ``_WEIGHED_ERRORS``; a line that cannot be mended counts as that many)."""
    count = 1
    current: Diagnostic | None = error
    while current is not None and count < _WEIGHED_ERRORS:
        mended = _mend(lines, current, attempt, stop, weigh=False)
        if mended is None:
            return _WEIGHED_ERRORS
        lines, current = mended[0], mended[1].error
        count += current is not None
    return count


def _candidates(lines: list[str], target: int, layout: _Layout) -> list[str]:
    """Statements that may stand at the target line's place, likeliest first."""
    line = lines[target]
    indent = _indentation(line)
    if target == layout.routine_line or layout.routine_line is None:
        # A `routine` line with a broken title is still the routine's line: blanking it
        # would make every line after it "not a routine file" (P108).
        return ['routine "x"'] if line.lstrip().startswith("routine") else ['routine "x"', ""]
    following = _statement_after(lines, target)
    opens = following is not None and _deeper(lines[following], indent)
    if opens:
        # A block opener keeps its body: steps, cues, quoted lines or limits and notes.
        found = [f"{indent}repeat 1:", f"{indent}rest 1s", f"{indent}posture:",
                 f"{indent}for x:"]
    else:
        found = [f"{indent}rest 1s", f'{indent}cue "x"', f'{indent}"x"', f'{indent}note "x"']
    above = _statement_before(lines, target)
    if above is not None and _indentation(lines[above]) != indent:
        # Indented where no block opens, or dedented to no outer block: line it up.
        outer = _indentation(lines[above])
        found += [f"{outer}rest 1s", f'{outer}cue "x"', f'{outer}"x"', f'{outer}note "x"']
    if not opens:
        found.append("")  # a blank line would hand an opener's body to the block above
    return found


class _Window:
    """What to parse to read from one top-level block on: the routine's header, blank
    lines in place of the blocks before ``start``, and the lines from ``start``."""

    def __init__(self, header: int, start: int) -> None:
        self.header = header
        self.start = start

    def text(self, lines: list[str], end: int | None) -> str:
        """The text up to line ``end`` (0-based, included), or to the end of the file."""
        stop = len(lines) if end is None else end + 1
        if self.start <= self.header:
            return "\n".join(lines[:stop]) + "\n"
        return ("\n".join(lines[:self.header]) + "\n" * (self.start - self.header + 1)
                + "\n".join(lines[self.start:stop]) + "\n")


class _Layout:
    """Where the routine's header ends and at which indentation its items stand."""

    def __init__(self, routine_line: int | None, header: int, indent: str | None) -> None:
        self.routine_line = routine_line  # the `routine` line (the first statement)
        self.header = header  # lines before the first item
        self.indent = indent  # the items' indentation, None when there is none to rely on

    @classmethod
    def of(cls, lines: list[str]) -> _Layout:
        first = _statement_after(lines, -1)
        if first is None:
            return cls(None, 0, None)
        item = _statement_after(lines, first)
        if _indentation(lines[first]) or item is None or not _indentation(lines[item]):
            return cls(first, 0, None)
        return cls(first, item, _indentation(lines[item]))

    def window(self, lines: list[str], target: int) -> _Window:
        """Parse from the item before the target's item: the parser is then in the state
        a whole parse would be in when it reaches the target's item."""
        if self.indent is None or target < self.header:
            return _Window(0, 0)
        own = self._item_start(lines, target)
        before = None if own is None else self._item_start(lines, own - 1)
        if before is None or before < self.header:
            return _Window(0, 0)
        return _Window(self.header, before)

    def _item_start(self, lines: list[str], line: int) -> int | None:
        """The line where the item that holds ``line`` starts; None when a line less
        indented than the items stands in between."""
        assert self.indent is not None
        for number in range(line, self.header - 1, -1):
            text = lines[number]
            if not _is_statement(text):
                continue
            indent = _indentation(text)
            if indent == self.indent:
                return number
            if not indent.startswith(self.indent):
                return None
        return None


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _is_statement(line: str) -> bool:
    statement = line.lstrip(" \t")
    return bool(statement) and statement[0] != "#"


def _deeper(line: str, indent: str) -> bool:
    own = _indentation(line)
    return len(own) > len(indent) and own.startswith(indent)


def _statement_after(lines: list[str], line: int) -> int | None:
    for number in range(line + 1, len(lines)):
        if _is_statement(lines[number]):
            return number
    return None


def _statement_before(lines: list[str], line: int) -> int | None:
    for number in range(line - 1, -1, -1):
        if _is_statement(lines[number]):
            return number
    return None


def _owned_end(lines: list[str], line: int) -> int:
    """The last line of the statement at ``line`` and the lines indented under it."""
    indent = _indentation(lines[line])
    end = line
    for number in range(line + 1, len(lines)):
        if not _is_statement(lines[number]):
            continue
        if not _deeper(lines[number], indent):
            break
        end = number
    return end
