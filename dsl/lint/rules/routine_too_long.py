"""The routine expands to more steps than a player can be given.

**What it catches.** A routine whose repeats and sides, expanded to their upper bounds,
come to more than 10,000 performed steps (`dsl.timeline.expand.MAX_PERFORMED`), usually nested
repeats with large counts. Limits cannot be checked past that point.

**Why it matters.** A player runs the expanded timeline; a routine this long is almost
always a typo (`repeat 100:` for `repeat 10:`), and it cannot be compiled.

Bad:

```stretch
routine "Endless"
  repeat 100:
    repeat 100:
      hold 10s
      rest 5s
```

Good:

```stretch
routine "Endless"
  repeat 10:
    hold 10s
    rest 5s
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.timeline.expand import MAX_PERFORMED

CODE = "L103"
NAME = "routine-too-long"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    if not context.expansion.truncated:
        return
    span = context.routine.span
    yield Finding(
        m.Span(span.line, span.column, span.line, span.column + len("routine")),
        f"the routine expands to more than {MAX_PERFORMED:,} steps",
        "a player cannot run that many steps: lower the repeats' upper bounds",
    )
