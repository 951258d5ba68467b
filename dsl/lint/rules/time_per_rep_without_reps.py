"""A time per repetition on a step that does not count repetitions.

**What it catches.** `, 3s each` on a step whose amount is not in repetitions
(`hold 30s, 3s each`), or that has no amount at all.

**Why it matters.** `, 3s each` says how long one repetition takes, so that `move 10 reps,
3s each` lasts 30 s. Without repetitions there is nothing for it to multiply, and the step's
time would silently ignore it.

Bad:

```stretch
routine "Calf and foot"
  move 30s, 3s each "Heel drops"
```

Good:

```stretch
routine "Calf and foot"
  move 10 reps, 3s each "Heel drops"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import all_steps

CODE = "V112"
NAME = "time-per-rep-without-reps"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    for step in all_steps(context.routine):
        each = step.rep_time
        if each is None or (step.amount is not None and step.amount.unit == "rep"):
            continue
        written = context.text_of(each.span)
        yield Finding(
            each.span, f"`{written}` gives the time of one repetition, but this step counts "
            "none", "write the amount in repetitions (`move 10 reps, 3s each`), or remove the "
            "time per repetition")
