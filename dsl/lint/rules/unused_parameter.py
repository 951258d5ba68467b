"""A parameter the routine never uses.

**What it catches.** `parameter hold: 30s, 20-60s` with no `{hold}` anywhere: not as an
amount (`hold {hold}`), not as a repeat count (`repeat {rounds} times:`), not in a text
(`"Hold for {hold}"`).

**Why it matters.** The coach sets the value and nothing changes: the steps still say
what they said. Usually a step kept its written amount (`hold 30s`) where the parameter
was meant.

Bad:

```stretch
routine "Calf stretch"
  parameter hold: 30s, 20-60s "How long to hold each stretch"
  hold 30s "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  parameter hold: 30s, 20-60s "How long to hold each stretch"
  hold {hold} "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.model.values import uses

CODE = "V122"
NAME = "unused-parameter"
SEVERITY = "warning"


def check(context: Context) -> Iterator[Finding]:
    parameters = context.routine.parameters
    if not parameters:
        return
    # The routine as written: the checks read it with the values filled in.
    used = uses(context.parsed.routine or context.routine)
    for parameter in parameters:
        if parameter.name not in used:
            yield Finding(
                parameter.name_span,
                f"the parameter `{parameter.name}` is never used",
                f"write `{{{parameter.name}}}` where its value goes (an amount, a repeat "
                "count or a text), or remove the declaration",
            )
