"""`sides: alternating` with no repeat to alternate.

**What it catches.** A routine with `sides: alternating` that has no `repeat` at its top
level.

**Why it matters.** With `alternating`, each pass of a top-level repeat runs on one side,
then the other; steps outside a repeat run once. With no repeat, nothing alternates: every
step runs once, on no side, which is never what the coach meant. `sides: each` runs every
step on one side, then the other.

Bad:

```stretch
routine "Calf stretch"
  sides: alternating, left first
  hold 30s "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  sides: each, left first
  hold 30s "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.model import printer

CODE = "V106"
NAME = "nothing-to-alternate"
SEVERITY = "error"
FIX = Fixable("unsafe", "writes `sides: each` with the same first side: every step then runs "
              "on both sides, one after the other")


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    sides = routine.first(m.Sides)
    if sides is None or sides.mode != "alternating":
        return
    if any(isinstance(item, m.Repeat) for item in routine.body):
        return
    yield Finding(
        context.first_line(sides.span),
        "`sides: alternating` has nothing to alternate: the routine has no repeat, so "
        "every step would run once, on no side",
        f"write `sides: each, {sides.first or 'left'} first` to do every step on one side "
        "and then the other, or put the steps that alternate in a `repeat`",
    )


def fix(context: Context, found: Diagnostic) -> Fix | None:
    sides = context.routine.first(m.Sides)
    if sides is None or context.first_line(sides.span) != found.span:
        return None
    written = printer.statement(m.Sides("each", sides.first or "left"))
    return Fix(f"Write `{written}`", FIX.safety, (Edit(found.span, written),))
