"""A contraction with no relaxation after it.

**What it catches.** A `contract` step (or a run of them) that is followed, in the routine
as it runs (repeats and sides expanded), by something other than `relax`, `rest` or
`release`, or that ends the routine or a side.

**Why it matters.** Contract-relax (PNF) stretching works through the relaxation phase
that follows the contraction: the stretch is taken up while the muscle lets go. Going
straight from a contraction into a deeper stretch or the next position means stretching
a contracting muscle, which is neither effective nor comfortable, and a side that ends on
a contraction leaves the muscle tense.

Bad:

```stretch
routine "Hamstring PNF"
  repeat 3:
    contract 6s gently "Push the heel down"
    deepen "Move a little further"
```

Good:

```stretch
routine "Hamstring PNF"
  repeat 3:
    contract 6s gently "Push the heel down"
    relax 2 breaths "Let go"
    deepen "Move a little further"
```

**Sources.**

- {SHARMAN}
- {PAGE}
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Finding, Fix, Fixable, _sources
from dsl.lint.rules._walk import all_limits, all_repeats
from dsl.model import printer
from dsl.timeline.expand import CONTRACTION

__doc__ = (__doc__ or "").format(SHARMAN=_sources.SHARMAN, PAGE=_sources.PAGE)

CODE = "S103"
NAME = "contraction-without-relax"
SEVERITY = "warning"

FIX = Fixable("safe", "adds `relax 2 breaths \"Let go\"` after the contraction (not when "
              "the routine has a `limit cycles` or `limit total`, or the contraction stands "
              "in a time box: the relaxation would count against them)")

RELAXING = ("relax", "rest", "release")
RELAX_BREATHS = 2
_TWO_BREATHS = m.Quantity(RELAX_BREATHS, "breath")
RELAX = m.Step("relax", m.Amount(_TWO_BREATHS, _TWO_BREATHS), text="Let go")
"""The step the fix adds (the hint's)."""


def check(context: Context) -> Iterator[Finding]:
    reported: set[int] = set()
    last: m.Step | None = None
    for performed in context.expansion.performed:
        if performed.kind == CONTRACTION:
            last = performed.step
            continue
        if last is not None and performed.kind not in RELAXING:
            yield from _report(context, last, reported)
        last = None
    if last is not None:
        yield from _report(context, last, reported)


def _report(context: Context, step: m.Step, reported: set[int]) -> Iterator[Finding]:
    if id(step) in reported:
        return
    reported.add(id(step))
    yield Finding(
        context.first_line(step.span), "this contraction is not followed by a relaxation",
        "add a `relax` step after it (such as `relax 2 breaths \"Let go\"`): the stretch "
        "is taken up while the muscle relaxes",
    )


def fix(context: Context, found: Diagnostic) -> Fix | None:
    step = next((s for s in context.steps if s.kind == CONTRACTION
                 and context.first_line(s.span) == found.span), None)
    if step is None or _adds_to_a_bound(context, step):
        return None
    return Fix(f"Add `{printer.step(RELAX)}` after the contraction", FIX.safety, (
        context.insert_after(step.span, printer.lines(RELAX),
                             context.indent_of(step.span.line)),))


def _adds_to_a_bound(context: Context, step: m.Step) -> bool:
    """Whether a relaxation after this step could break what the routine declares: a
    `limit cycles` (the relaxation ends a cycle), a `limit total` (it takes time) or the
    time box the step stands in; or a tempo that makes breaths last nothing. Then the
    coach decides, and there is no fix."""
    if any(limit.subject in ("cycles", "total") for limit in all_limits(context.routine)):
        return True
    if context.rates["breath"] * RELAX_BREATHS < 0.001:  # a tempo that makes it vanish (V104)
        return True
    return any(repeat.count.mode == "for"
               and any(inner is step for inner in m.walk_steps(repeat.body))
               for repeat in all_repeats(context.routine))
