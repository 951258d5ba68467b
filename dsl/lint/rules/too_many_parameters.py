"""More parameters than the checks can try every combination of.

**What it catches.** A routine whose parameters' ranges make more than 64 combinations of
low and high ends (seven parameters with a range each).

**Why it matters.** The limits are checked over every value the coach may set by trying
each combination of the parameters' ends (docs/design.md, "Parameters"). Past 64 that is
no longer cheap, so the routine is checked at its defaults only, and a value the coach
sets later may break a limit no check has seen.

Fix it by writing some of the values out as plain amounts, or by giving a parameter a
single value (`parameter hold: 30s, 30s`) until the routine needs it.

Bad:

```stretch
routine "Full body"
  parameter a: 30s, 20-40s
  parameter b: 30s, 20-40s
  parameter c: 30s, 20-40s
  parameter d: 30s, 20-40s
  parameter e: 30s, 20-40s
  parameter f: 30s, 20-40s
  parameter g: 30s, 20-40s
  hold {a}
  hold {b}
  hold {c}
  hold {d}
  hold {e}
  hold {f}
  hold {g}
```

Good:

```stretch
routine "Full body"
  parameter a: 30s, 20-40s
  parameter b: 30s, 20-40s
  parameter c: 30s, 20-40s
  parameter d: 30s, 20-40s
  parameter e: 30s, 20-40s
  parameter f: 30s, 20-40s
  parameter g: 30s, 30s
  hold {a}
  hold {b}
  hold {c}
  hold {d}
  hold {e}
  hold {f}
  hold {g}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.model.values import MAX_CORNERS, corners, declared

CODE = "V123"
NAME = "too-many-parameters"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    if len(routine.parameters) < 7 or corners(routine):
        return
    last = list(declared(routine).values())[-1]
    yield Finding(
        last.name_span,
        f"the parameters' ranges make more than {MAX_CORNERS} combinations to check: the "
        "limits are checked at the defaults only",
        "write some of the values as plain amounts, or give fewer parameters a range",
    )
