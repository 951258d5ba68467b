"""A `switch` written among the steps.

**What it catches.** A `switch` line that stands after the routine's first step or
repeat.

**Why it matters.** `switch` is a setting: it describes every change of sides, and the
player puts the switch between the sides by itself, wherever the line is written. A coach
who writes it between two steps expects the change of sides to happen there; it does not
(and a second `switch` line is ignored altogether).

Bad:

```stretch
routine "Calf stretch"
  sides: each, left first
  hold 30s "Lean into the wall"
  switch 5s "Change legs"
```

Good:

```stretch
routine "Calf stretch"
  sides: each, left first
  switch 5s "Change legs"
  hold 30s "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding

CODE = "V105"
NAME = "switch-among-steps"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    steps_started = False
    for item in context.routine.items:
        if isinstance(item, (m.Step, m.Repeat)):
            steps_started = True
        elif isinstance(item, m.Switch) and steps_started:
            yield Finding(
                context.first_line(item.span),
                "this `switch` stands among the steps, but it is a setting: the player "
                "changes sides only between the sides, wherever the line is written",
                "move it up with the settings, before the first step",
            )
