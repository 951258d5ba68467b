"""A time box too short for one pass.

**What it catches.** `repeat for ...` whose upper bound is shorter than one pass at its
longest (every range at its high end; for alternating sides, both sides and the switch).

**Why it matters.** A pass starts only if it fits in the time box at its longest, so this
repeat never runs at all: its steps are silently dropped from the routine.

Bad:

```stretch
routine "Calf stretch"
  repeat for 60s:
    hold 30-45s "Lean into the wall"
    rest 30s "Stand tall"
```

Good:

```stretch
routine "Calf stretch"
  repeat for 2-3m:
    hold 30-45s "Lean into the wall"
    rest 30s "Stand tall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import all_repeats
from dsl.model import printer
from dsl.timeline.expand import amount_seconds

CODE = "V108"
NAME = "time-box-too-short"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    for repeat in all_repeats(routine):
        count = repeat.count
        if count.mode != "for" or count.duration is None:
            continue
        bound = amount_seconds(count.duration, context.rates)[1]
        longest = context.expansion.longest_pass(repeat)
        if bound <= 0 or longest <= bound + 1e-9:
            continue  # zero bounds are V102's
        yield Finding(
            count.span,
            f"no pass fits in this time box: it allows {printer.duration(bound)}, and one pass "
            f"takes up to {printer.duration(longest)}, so the repeat never runs",
            f"allow at least {printer.duration(longest)}, or shorten the steps inside",
        )

