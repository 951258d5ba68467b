"""Repetitions where they mean nothing.

**What it catches.** An amount in repetitions (`10 reps`) on any step but `move`, or where
a time is needed: a rest between passes, the switch, a time box (`repeat for 10 reps`), a
cue's `at`, a limit, a time per rep (`, 2 reps each`).

**Why it matters.** Repetitions count movements: `move 15 reps "Heel drops"`. A `hold` is
one position held, a `contract` one effort, a rest a pause: "10 reps" of them says nothing
a player can time or count, and a time written in repetitions has no length of its own.
Such a line is usually a hold that should have a time, or a movement that should be a
`move`.

Bad:

```stretch
routine "Calf and foot"
  hold 10 reps "Heel drops"
```

Good:

```stretch
routine "Calf and foot"
  move 10 reps "Heel drops"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import all_limits, all_repeats, all_steps

CODE = "V110"
NAME = "misplaced-reps"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    for step in all_steps(routine):
        amount = step.amount
        if amount is not None and amount.unit == "rep" and step.kind != "move":
            written = context.text_of(amount.span)
            yield Finding(
                amount.span, f"`{written}` on a `{step.kind}` step: only a `move` counts "
                "repetitions",
                f"count movements with `move {written}`, or give the {step.kind} a time, such "
                f"as `{step.kind} 30s`")
        if step.by_side is not None and "rep" in (
                step.by_side.left.unit, step.by_side.right.unit):
            yield Finding(
                step.by_side.span, "repetitions cannot differ per side",
                "give both sides one count (`move 10 reps`), or put a step for one side in a "
                "`left only:` / `right only:` block")
        if step.rep_time is not None and step.rep_time.unit == "rep":
            yield _not_a_time(context, step.rep_time.span)
        for cue in step.cues:
            if cue.at is not None and cue.at.unit == "rep":
                yield _not_a_time(context, cue.span)
    switch = routine.first(m.Switch)
    if switch is not None and switch.amount is not None and switch.amount.unit == "rep":
        yield _not_a_time(context, switch.amount.span)
    for repeat in all_repeats(routine):
        if repeat.rest is not None and repeat.rest.amount.unit == "rep":
            yield _not_a_time(context, repeat.rest.amount.span)
        duration = repeat.count.duration
        if duration is not None and duration.unit == "rep":
            yield _not_a_time(context, duration.span)
    for limit in all_limits(routine):
        if limit.unit == "rep":
            yield _not_a_time(context, limit.span)


def _not_a_time(context: Context, span: m.Span) -> Finding:
    return Finding(
        context.first_line(span), "repetitions are not a time: this needs seconds, counts or "
        "breaths", "write a time, such as `30s`, `5 counts` or `2 breaths`")
