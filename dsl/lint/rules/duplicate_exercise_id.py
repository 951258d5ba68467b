"""Two exercises of one routine have the same id.

**What it catches.** An `id:` in an `exercise` block that an earlier exercise of the same
routine already uses. The first exercise keeps the id; each later one is reported, with a
note pointing at the first. (An `id:` given twice in one exercise is `duplicate-setting`,
R104; the same `routine-id/exercise-id` in two files of a library is `duplicate-id`,
R103.)

**Why it matters.** Apps keep progress and links by exercise as `routine-id/exercise-id`
("the calf stretch of the daily programme"). Two exercises with one id share one history,
and a link opens the wrong one.

Bad:

```stretch
routine "Daily calf care"
  id: daily-calf-care
  exercise "Calf stretch, straight knee":
    id: calf
    hold 30s "Lean into the wall, back knee straight"
  exercise "Calf stretch, bent knee":
    id: calf
    hold 30s "Bend the back knee and sink down"
```

Good:

```stretch
routine "Daily calf care"
  id: daily-calf-care
  exercise "Calf stretch, straight knee":
    id: calf-straight
    hold 30s "Lean into the wall, back knee straight"
  exercise "Calf stretch, bent knee":
    id: calf-bent
    hold 30s "Bend the back knee and sink down"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Related
from dsl.lint.rules import Context, Finding

CODE = "R105"
NAME = "duplicate-exercise-id"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    # Each exercise is checked as a routine of its own, so this reads the file's routine.
    routine = context.parsed.routine
    if routine is None:
        return
    first: dict[str, m.RoutineId] = {}
    for exercise in routine.exercises:
        declared = exercise.first(m.RoutineId)
        if declared is None:
            continue
        earlier = first.setdefault(declared.value, declared)
        if earlier is declared:
            continue
        yield Finding(
            context.first_line(declared.span),
            f"the exercise id `{declared.value}` is already used by an earlier exercise",
            "give each exercise its own id: apps keep progress and links by "
            "`routine-id/exercise-id`",
            (Related("the id is first used here", context.first_line(earlier.span)),),
        )
