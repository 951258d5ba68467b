"""A cue timed at or after the end of its step.

**What it catches.** `cue at ...` or `partner at ...` on a timed step, at a time the step
never reaches, even at the high end of its range (counts and breaths converted with the
routine's tempo). Cues on untimed steps are not checked: the step lasts as long as the
client needs.

**Why it matters.** The player would have moved on to the next step by then: the cue is
never said, or is said over the wrong step.

Bad:

```stretch
routine "Calf stretch"
  hold 10-30s "Lean into the wall"
    cue at 40s "Let the heel sink"
```

Good:

```stretch
routine "Calf stretch"
  hold 10-30s "Lean into the wall"
    cue at 10s "Let the heel sink"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.model import printer
from dsl.timeline.expand import seconds, step_seconds

CODE = "V103"
NAME = "cue-after-step-end"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    for step in context.steps:
        timed = step_seconds(step, context.rates)
        if step.amount is None or timed is None:
            continue
        longest = timed[1]
        for cue in step.cues:
            if cue.at is None:
                continue
            at = seconds(cue.at.value, cue.at.unit, context.rates)
            if at < longest - 1e-9:
                continue
            when = "after" if at > longest + 1e-9 else "as"
            written = printer.quantity(cue.at)
            if cue.at.unit != "s":
                written += f" ({printer.duration(at)})"
            yield Finding(
                cue.span,
                f"this cue at {written} comes {when} its step ends (the step lasts "
                f"{'up to ' if step.amount.is_range else ''}{printer.duration(longest)})",
                "time the cue within the step, or make the step longer",
            )
