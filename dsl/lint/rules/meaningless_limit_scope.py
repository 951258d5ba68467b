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

from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import all_limits

CODE = "L105"
NAME = "meaningless-limit-scope"
SEVERITY = "warning"

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
