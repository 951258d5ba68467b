"""A declared limit is broken once repeats and sides are expanded.

**What it catches.** A routine-level `limit` that the routine breaks as it will actually
run: repeats (fixed, ranged, `up to`, `for` a time, nested) run to their upper bound, the
body runs once per side, and every range takes its high end. `limit cycles` counts
contract-relax cycles (one or more `contract` steps ended by a `relax` or `rest`),
`limit contractions` counts `contract` steps, both per side unless `per routine`;
`limit contraction`, `limit hold` and `limit breath-hold` bound each `contract`, `hold`
and `hold-breath` step; `limit effort` bounds `at N%` intensities; `limit total` bounds
the routine's longest total time. The diagnostic points at the first step that breaks
the limit, with a note on the limit itself.

**Why it matters.** A limit is the coach's promise ("contract-relax at most 3 times").
A repeat written as `repeat 2-4:` around two contractions quietly breaks a limit of 6; the
checker finds it before a client does.

Bad:

```stretch
routine "Contract-relax"
  limit cycles 3
  on pain "Too far"
    release "Ease off"
  repeat 2-4:
    contract 5s gently "Press the heel down"
    relax 10s "Relax"
```

Good:

```stretch
routine "Contract-relax"
  limit cycles 3
  on pain "Too far"
    release "Ease off"
  repeat 2-3:
    contract 5s gently "Press the heel down"
    relax 10s "Relax"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.lint.rules._limits import LOWER_REPEAT, lower_repeat, violations

CODE = "L101"
NAME = "limit-exceeded"
SEVERITY = "error"
FIX = LOWER_REPEAT
fix = lower_repeat


def check(context: Context) -> Iterator[Finding]:
    for limit in context.routine.limits:
        yield from violations(context, limit)
