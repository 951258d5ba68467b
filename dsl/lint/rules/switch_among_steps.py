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
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.lint.rules._walk import steps_start

CODE = "V105"
NAME = "switch-among-steps"
SEVERITY = "error"
FIX = Fixable("safe", "moves the `switch` line, as written, up before the first step (the "
              "player changes sides at the same moments)")


def check(context: Context) -> Iterator[Finding]:
    steps_started = False
    for item in context.routine.items:
        if isinstance(item, (m.Step, m.Repeat, m.SideOnly)):
            steps_started = True
        elif isinstance(item, m.Switch) and steps_started:
            yield Finding(
                context.first_line(item.span),
                "this `switch` stands among the steps, but it is a setting: the player "
                "changes sides only between the sides, wherever the line is written",
                "move it up with the settings, before the first step",
            )


def fix(context: Context, found: Diagnostic) -> Fix | None:
    switch = next((i for i in context.routine.items if isinstance(i, m.Switch)
                   and context.first_line(i.span) == found.span), None)
    start = steps_start(context.routine)
    if switch is None or start is None or start.span.line >= switch.span.line:
        return None
    if sum(isinstance(i, m.Switch) for i in context.routine.items) > 1:
        return None  # moved up, it would become the first, the one that counts (R104)
    first, last = switch.span.line, switch.span.end_line
    moved = "".join(f"{line}\n" for line in context.lines[first - 1:last])
    # Both are statements of the routine: the line keeps its indentation and its comment.
    above = context.above_comments(start.span.line)
    return Fix("Move the `switch` up with the settings", FIX.safety, (
        Edit(m.Span(above, 1, above, 1), moved), context.delete_lines(first, last)))
