"""A step with no time inside a time box.

**What it catches.** A step without an amount inside `repeat for ...` (at any depth), and
an alternating time box whose change of sides has no time (no `switch` with an amount).

**Why it matters.** A time box promises never to run longer than its bound: passes are
planned with every step at its longest. An untimed step lasts as long as the client likes,
so no plan can keep that promise.

Bad:

```stretch
routine "Breathing"
  repeat for 2m:
    inhale 4s "Breathe in"
    exhale "Breathe out slowly"
```

Good:

```stretch
routine "Breathing"
  repeat for 2m:
    inhale 4s "Breathe in"
    exhale 6s "Breathe out slowly"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import blocks
from dsl.timeline.expand import alternates, step_seconds

CODE = "V107"
NAME = "untimed-in-time-box"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    for block in blocks(routine):
        yield from _walk(context, block, None)
    switch = routine.first(m.Switch)
    if switch is not None and switch.amount is not None:
        return
    for item in routine.body:
        if isinstance(item, m.Repeat) and item.count.mode == "for" and alternates(
                routine, item):
            where = switch or routine.sides
            yield Finding(
                context.first_line(where.span),
                f"the change of sides has no time, so the time box {_box_text(context, item)} "
                "(which alternates sides) cannot be kept",
                "give the switch a time, such as `switch 5s \"Change sides\"`",
            )
            return


def _walk(context: Context, items: tuple[m.BlockItem, ...],
          box: m.Repeat | None) -> Iterator[Finding]:
    for item in items:
        if isinstance(item, m.Repeat):
            yield from _walk(context, item.body, item if item.count.mode == "for" else box)
        elif isinstance(item, m.SideOnly):
            yield from _walk(context, item.body, box)
        elif isinstance(item, m.Step) and box is not None \
                and step_seconds(item, context.rates) is None:
            yield Finding(
                context.first_line(item.span),
                f"this step has no time, so the time box {_box_text(context, box)} around it "
                "cannot be kept",
                (f"give it a time (such as `{item.kind} 30s`), or repeat a number of times "
                 "instead (`repeat 3:`)") if item.amount is None or item.amount.unit != "rep"
                else "give each repetition a time (`, 3s each`, or `tempo: 1 rep = 3s`), or "
                "repeat a number of times instead (`repeat 3:`)",
            )


def _box_text(context: Context, repeat: m.Repeat) -> str:
    return f"`repeat {context.text_of(repeat.count.span)}`"
