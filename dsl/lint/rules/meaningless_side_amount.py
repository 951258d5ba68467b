"""An amount for each side where only one of them can run.

**What it catches.** `hold left 30s, right 45s` in a routine without sides (the step runs
once, with the longer amount), in a routine done on one side only (the other amount never
runs), or in a `sides: alternating` routine outside its repeats (which run once, on no
side).

**Why it matters.** The routine reads as if each side had its own time, but it does not:
one amount is never used.

Bad:

```stretch
routine "Calf stretch"
  hold left 30s, right 45s "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  sides: each, left first
  hold left 30s, right 45s "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.model import printer

CODE = "V117"
NAME = "meaningless-side-amount"
SEVERITY = "warning"
FIX = Fixable("safe", "writes the one amount that runs (the longer one where no side is "
              "worked, the routine's side's where it is done on one side)")


def check(context: Context) -> Iterator[Finding]:
    for step, used in _unused(context.routine):
        assert step.by_side is not None
        yield Finding(step.by_side.span, _message(context.routine),
                      f"give one amount: `{printer.amount(used)}`")


def _message(routine: m.Routine) -> str:
    sides = routine.sides
    if sides.mode == "none":
        return "an amount for each side, but this routine has no sides: the longer one runs"
    if sides.mode == "one":
        return (f"an amount for each side, but this routine is done on the {sides.first} side "
                "only: the other amount never runs")
    return ("an amount for each side, outside a repeat of an alternating routine: the step "
            "runs once, on no side, with the longer one")


def _unused(routine: m.Routine) -> Iterator[tuple[m.Step, m.Amount]]:
    """Steps with per-side amounts where one amount runs, and that amount."""
    sides = routine.sides
    if sides.mode == "each":
        return
    items: tuple[m.BlockItem, ...] = routine.body
    if sides.mode == "alternating":
        items = tuple(i for i in routine.body if not isinstance(i, m.Repeat))
    for step in m.walk_steps(items):
        if step.by_side is not None:
            side = sides.first if sides.mode == "one" else None
            used = step.amount_on(side)
            assert used is not None
            yield step, used


def fix(context: Context, found: Diagnostic) -> Fix | None:
    for step, used in _unused(context.routine):
        if step.by_side is not None and step.by_side.span == found.span:
            written = printer.amount(used)
            return Fix(f"Write `{written}`", FIX.safety, (Edit(found.span, written),))
    return None
