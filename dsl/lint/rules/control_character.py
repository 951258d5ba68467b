r"""Quoted text with a control character or a bidirectional override in it.

**What it catches.** Text in double quotes that holds an invisible character: a control
character (escape, bell, backspace, form feed, and the others below U+0020 except tab,
DEL, and U+0080 to U+009F) or a bidirectional embedding, override or isolate (U+202A to
U+202E, U+2066 to U+2069). Diagnostics show them escaped, as `\x1b` or `\u202e`; the
examples below write them that way too, standing for the invisible character itself.

**Why it matters.** Quoted text is what the client hears and reads. These characters are
invisible in an editor, yet a terminal obeys them (an escape sequence can clear the
screen or change the window title of whoever prints the file) and a bidirectional
override shows the words in another order than they are stored, so a cue can read
differently on screen than in review. They come from pasting text out of other programs
and are never meant.

Bad:

```stretch
routine "Calf stretch"
  hold 30s "Lean into the wall\x1b[2J"
```

Good:

```stretch
routine "Calf stretch"
  hold 30s "Lean into the wall"
```
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import CONTROL_CHARACTERS, Diagnostic, escaped
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable

CODE = "V109"
NAME = "control-character"
SEVERITY = "warning"
FIX = Fixable("safe", "deletes the control characters from the quoted text (what an editor "
              "shows of it stays)")

_NAMES = {"\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed",
          "\x1b": "escape", "\x7f": "delete"}


def check(context: Context) -> Iterator[Finding]:
    for number, line in enumerate(context.lines, start=1):
        if CONTROL_CHARACTERS.search(line) is None:
            continue  # the common case: nothing to look at on this line
        for start, end in _quoted(line):
            found = [i for i in range(start, end) if CONTROL_CHARACTERS.match(line[i])]
            if not found:
                continue
            first = line[found[0]]
            more = f" and {len(found) - 1} more" if len(found) > 1 else ""
            yield Finding(
                m.Span(number, found[0] + 1, number, found[-1] + 2),
                f"quoted text contains {_described(first)} `{escaped(first)}`{more}",
                "it is invisible in an editor but a terminal or an app obeys it: delete it "
                "(retype the text if it came from another program)",
            )


def _quoted(line: str) -> Iterator[tuple[int, int]]:
    """The offsets of each piece of quoted text on a line (inside the quotes), up to a
    comment. An unclosed quote is a syntax error, so rules never see one."""
    index = 0
    while index < len(line):
        char = line[index]
        if char == "#":
            return
        if char != '"':
            index += 1
            continue
        start = index = index + 1
        while index < len(line) and line[index] != '"':
            index += 2 if line[index] == "\\" else 1
        yield start, min(index, len(line))
        index += 1


def _described(character: str) -> str:
    if "\u202a" <= character <= "\u2069":
        return f"a bidirectional control ({unicodedata.name(character).lower()})"
    name = _NAMES.get(character)
    return f"a control character ({name})" if name else "a control character"


def fix(context: Context, found: Diagnostic) -> Fix | None:
    span = found.span
    if span.line != span.end_line or not 0 < span.line <= len(context.lines):
        return None
    line = context.lines[span.line - 1]
    edits = tuple(Edit(m.Span(span.line, i + 1, span.line, i + 2), "")
                  for i in range(span.column - 1, min(span.end_column - 1, len(line)))
                  if CONTROL_CHARACTERS.match(line[i]))
    if not edits:
        return None
    return Fix("Delete the control characters", FIX.safety, edits)
