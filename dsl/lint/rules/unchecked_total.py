"""A `limit total` that untimed steps make impossible to check.

**What it catches.** `limit total ...` (in the routine or for a group) in a routine with
steps that have no time, or with a change of sides that has no time (no `switch` with an
amount): the client may stay on those as long as they like.

**Why it matters.** The checker adds up the steps that have a time. Untimed steps count as
nothing, so a routine the checker passes under `limit total 10m` can still run for 13
minutes. The player can stop the routine when the limit runs out, but the coach should know
the written routine does not keep the promise by itself.

Bad:

```stretch
routine "Calf stretch"
  limit total 5m
  hold 30s "Lean into the wall"
  release "Walk the hands back"
```

Good:

```stretch
routine "Calf stretch"
  limit total 5m
  hold 30s "Lean into the wall"
  release 5s "Walk the hands back"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Related
from dsl.lint.rules import Context, Finding
from dsl.model import printer

CODE = "L104"
NAME = "unchecked-total"
SEVERITY = "warning"


def check(context: Context) -> Iterator[Finding]:
    untimed = [p for p in context.expansion.performed if p.seconds is None]
    if not untimed:
        return
    first = untimed[0]
    what = "change of sides" if first.kind == "switch" else "step"
    count = len({id(p.source) for p in untimed})
    for limit, group in _totals(context.routine):
        where = f" for {group}" if group else ""
        yield Finding(
            context.first_line(limit.span),
            f"`{printer.limit(limit)}`{where} cannot be checked: {_things(count)}",
            "give every step a time (and the switch, with `switch 5s`), or remove the limit "
            "and let the player stop the routine",
            (Related(f"this {what} has no time", context.first_line(first.source.span)),),
        )


def _things(count: int) -> str:
    if count == 1:
        return "1 step has no time, and the client may take as long as they like on it"
    return f"{count} steps have no time, and the client may take as long as they like on them"


def _totals(routine: m.Routine) -> Iterator[tuple[m.Limit, str | None]]:
    for item in routine.items:
        if isinstance(item, m.Limit) and item.subject == "total":
            yield item, None
        elif isinstance(item, m.Group):
            for limit in item.limits:
                if limit.subject == "total":
                    yield limit, item.name
