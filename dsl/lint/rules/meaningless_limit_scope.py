"""A `per side` or `per routine` on a limit that bounds each step.

**What it catches.** `per side`, `per routine` (or `per session`) written after
`limit contraction`, `limit hold`, `limit breath-hold` or `limit effort`, in the routine or
for a group.

**Why it matters.** Those limits bound every step on its own ("no hold longer than 60 s"),
wherever and however often it runs, so there is nothing to count per side or per routine.
The words suggest a total that is not checked: to bound the time spent holding, limit the
steps' count or the routine's total instead.

Bad:

```stretch
routine "Calf stretch"
  limit hold 60s per side
  hold 30s "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  limit hold 60s
  hold 30s "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.lint.rules._walk import all_limits

CODE = "L105"
NAME = "meaningless-limit-scope"
SEVERITY = "warning"
FIX = Fixable("safe", "removes the `per ...` (the limit means the same without it)")

_NOUNS = {"contraction": "contraction", "hold": "hold", "breath-hold": "breath hold",
          "effort": "contraction's effort"}


def check(context: Context) -> Iterator[Finding]:
    for limit in all_limits(context.routine):
        if limit.per != "step" or limit.scope_span is None:
            continue
        scope = context.text_of(limit.scope_span)
        yield Finding(
            limit.scope_span,
            f"`per {scope}` means nothing on `limit {limit.subject}`: it bounds each "
            f"{_NOUNS[limit.subject]} on its own",
            f"remove `per {scope}`",
        )


def fix(context: Context, found: Diagnostic) -> Fix | None:
    span = found.span
    if span.line != span.end_line:
        return None
    # The span is the scope's word: `per` and the space before it go too.
    before = context.lines[span.line - 1][: span.column - 1].rstrip(" \t")
    if not before.endswith("per"):
        return None
    start = len(before[:-3].rstrip(" \t"))
    return Fix(f"Remove `per {context.text_of(span)}`", FIX.safety, (
        Edit(m.Span(span.line, start + 1, span.line, span.end_column), ""),))
