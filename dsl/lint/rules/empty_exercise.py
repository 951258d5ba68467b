"""An exercise with no step.

**What it catches.** An `exercise "...":` block that holds settings, notes or standing cues
but no step (nor a repeat of steps).

**Why it matters.** A player shows the exercise's title and goes straight on to the next
one: the client never does it. Usually its steps were never written, or were written under
another exercise.

Bad:

```stretch
routine "Daily calf care"
  exercise "Calf stretch":
    position: standing facing a wall
  exercise "Calf raise":
    hold 5s "Rise onto the toes"
```

Good:

```stretch
routine "Daily calf care"
  exercise "Calf stretch":
    position: standing facing a wall
    hold 30s "Lean into the wall"
  exercise "Calf raise":
    hold 5s "Rise onto the toes"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding

CODE = "V118"
NAME = "empty-exercise"
SEVERITY = "warning"


def check(context: Context) -> Iterator[Finding]:
    # Each exercise is checked as a routine of its own, so this reads the file's routine.
    routine = context.parsed.routine
    if routine is None:
        return
    for exercise in routine.exercises:
        if m.walk_steps(exercise.body):
            continue
        span = exercise.span
        yield Finding(
            m.Span(span.line, span.column, span.line, span.column + len("exercise")),
            f'the exercise "{exercise.title}" has no step: a player would show its title '
            "and go straight on",
            "write its steps indented under it, or remove the exercise",
        )
