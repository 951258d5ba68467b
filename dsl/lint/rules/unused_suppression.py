"""A suppression comment that silences nothing.

**What it catches.** A code in `# stretch: ignore[...]` (or `ignore-file[...]`) for which
there is no problem to silence on the line it applies to (or, for `ignore-file`, anywhere
in the file). Codes of rules that the configuration turns off are not reported.

How suppression works: `# stretch: ignore[S104, L101]` at the end of a line silences those
rules (codes or names) on that line; on a line of its own it silences them on the next
statement line; `# stretch: ignore-file[S106]` anywhere silences them in the whole file.
A problem is silenced on the line where it is reported (its first line). Syntax problems
(`P` codes) cannot be silenced.

**Why it matters.** A suppression outlives the problem it silenced: after the routine is
fixed it stays behind, and it will hide the next, different problem on that line. Removing
stale suppressions keeps them meaningful.

Bad:

```stretch
routine "Calf stretch"
  hold 30s "Lean into the wall"  # stretch: ignore[S106]
```

Good:

```stretch
routine "Calf stretch"
  hold "Lean into the wall"  # stretch: ignore[S106]
```
"""

from __future__ import annotations

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Fix, Fixable
from dsl.lint.suppression import find

CODE = "X101"
NAME = "unused-suppression"
SEVERITY = "warning"

RUNS = "on suppressions"
REPORTED_BY = "dsl.lint.suppression:apply"
"""Not a check of the routine: ``dsl.lint.suppression.apply`` reports it while it applies
the suppressions to the file's other findings (so after the checks across files)."""

FIX = Fixable("safe", "removes the code from the comment, and the comment once it names "
              "nothing else")


def fix(context: Context, found: Diagnostic) -> Fix | None:
    suppressions, _ = find(context.parsed.comments, context.parsed.text)
    for suppression in suppressions:
        entries = suppression.entries
        spans = [e.span for e in entries]
        if found.span not in spans:
            continue
        index = spans.index(found.span)
        line = found.span.line
        title = f"Remove `{entries[index].written}` from the suppression"
        if len(entries) > 1:  # the code and the comma that joins it to its neighbour
            if index + 1 < len(spans):
                start, end = spans[index].column, spans[index + 1].column
            else:
                start, end = spans[index - 1].end_column, spans[index].end_column
            return Fix(title, FIX.safety, (Edit(m.Span(line, start, line, end), ""),))
        return Fix(title, FIX.safety, (_without_directive(context, suppression.span),))
    return None


def _without_directive(context: Context, directive: m.Span) -> Edit:
    """The suppression taken out of its comment; the whole comment when nothing else is
    said in it (its line too when it stands on its own)."""
    text = context.lines[directive.line - 1]
    comment = next(c for c in context.parsed.comments if c.line == directive.line)
    start = comment.column - 1
    said = (text[start + 1:directive.column - 1] + text[directive.end_column - 1:]).strip()
    if said:
        end = directive.end_column - 1
        while end < len(text) and text[end] == " ":
            end += 1
        return Edit(m.Span(directive.line, directive.column, directive.line, end + 1), "")
    if comment.own_line:
        return context.delete_lines(directive.line, directive.line)
    code_end = len(text[:start].rstrip())
    return Edit(m.Span(directive.line, code_end + 1, directive.line, len(text) + 1), "")
