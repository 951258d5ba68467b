"""A routine with contractions but no declared limit on them.

**What it catches.** A routine whose steps include `contract`, with no `limit cycles`,
`limit contractions` or `limit contraction` at the routine level.

**Why it matters.** Contractions are where contract-relax stretching goes wrong: too
many, too long or too hard, and the muscle is strained or cramps. A limit states the safe
dose (the handout's "C-R maximum 3 times"); the checker holds the routine to it, and a
player app enforces it when a client repeats or extends a step. ACSM's PNF dose (3-6 s
contractions, a few repetitions) is a reasonable starting point.

Bad:

```stretch
routine "Hamstring PNF"
  on pain "Too far"
    release "Ease off"
  repeat 3:
    contract 6s gently "Push the heel down"
    relax 10s "Let go"
```

Good:

```stretch
routine "Hamstring PNF"
  limit cycles 3
  on pain "Too far"
    release "Ease off"
  repeat 3:
    contract 6s gently "Push the heel down"
    relax 10s "Let go"
```

**Sources.**

- {ACSM}
- {SHARMAN}
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Finding, Fix, Fixable, _sources
from dsl.lint.rules._walk import steps_start
from dsl.model import printer
from dsl.timeline.expand import CONTRACTION

__doc__ = (__doc__ or "").format(ACSM=_sources.ACSM, SHARMAN=_sources.SHARMAN)

CODE = "S104"
NAME = "contractions-without-limit"
SEVERITY = "warning"

FIX = Fixable("safe", "declares the dose the routine has now: `limit contractions N`, N "
              "its most contractions on one side, before the first step")

CONTRACTION_LIMITS = ("cycles", "contractions", "contraction")


def check(context: Context) -> Iterator[Finding]:
    first = first_contraction(context.routine)
    if first is None:
        return
    if any(limit.subject in CONTRACTION_LIMITS for limit in context.routine.limits):
        return
    yield Finding(
        context.first_line(first.span), "this routine has contractions but no limit on them",
        "declare the safe dose, such as `limit cycles 3` or `limit contraction 10s`: the "
        "checker and the player hold the routine to it",
    )


def first_contraction(routine: m.Routine) -> m.Step | None:
    """The first ``contract`` step of the routine's body, as written."""
    return next((s for s in m.walk_steps(routine.body) if s.kind == CONTRACTION), None)


def fix(context: Context, found: Diagnostic) -> Fix | None:
    """The routine as it runs is unchanged; from now on the checker and the player hold
    it to the dose it has."""
    counts: dict[str | None, int] = {}
    for performed in context.expansion.performed:
        if performed.kind == CONTRACTION:
            counts[performed.side] = counts.get(performed.side, 0) + 1
    start = steps_start(context.routine)
    if not counts or start is None or context.expansion.truncated:
        return None
    limit = m.Limit("contractions", max(counts.values()), "times")
    written = printer.limit(limit)
    line = start.span.line
    return Fix(f"Add `{written}`", FIX.safety, (
        context.insert_before(line, [(0, written)], context.indent_of(line)),))
