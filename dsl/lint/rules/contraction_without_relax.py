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
from dsl.lint.rules import Context, Finding, _sources
from dsl.timeline.expand import CONTRACTION

__doc__ = (__doc__ or "").format(SHARMAN=_sources.SHARMAN, PAGE=_sources.PAGE)

CODE = "S103"
NAME = "contraction-without-relax"
SEVERITY = "warning"

RELAXING = ("relax", "rest", "release")


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
