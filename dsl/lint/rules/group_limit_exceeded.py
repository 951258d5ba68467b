"""A limit for a group of people is broken by the routine as written.

**What it catches.** A `limit` inside a `for <group>:` block (such as
`for pregnant clients:`) that the routine, expanded as for `limit-exceeded` (L101),
breaks. The message names the group.

**Why it matters.** A group limit says the routine must change for those clients. If the
steps as written go past it, either the routine needs a gentler variant for the group, or
the player has to cut the steps short for them; either way the coach should know. It is a
warning, not an error, because a player that enforces group limits can still run the
routine safely; silence it with `# stretch: ignore[L102]` once that is the plan.

Bad:

```stretch
routine "Box breathing"
  tempo: 1 count = 1s
  for pregnant clients:
    limit breath-hold 2 counts
  inhale 4 counts
  hold-breath 4 counts
  exhale 4 counts
```

Good:

```stretch
routine "Box breathing"
  tempo: 1 count = 1s
  for pregnant clients:
    limit breath-hold 2 counts
  inhale 4 counts
  hold-breath 2 counts
  exhale 4 counts
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.lint.rules._limits import LOWER_REPEAT, lower_repeat, violations

CODE = "L102"
NAME = "group-limit-exceeded"
SEVERITY = "warning"
FIX = LOWER_REPEAT
fix = lower_repeat


def check(context: Context) -> Iterator[Finding]:
    for item in context.routine.items:
        if isinstance(item, m.Group):
            for limit in item.limits:
                yield from violations(context, limit, item.name)
