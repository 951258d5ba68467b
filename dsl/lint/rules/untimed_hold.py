"""A hold with no time (information).

**What it catches.** A `hold` step without an amount (`hold briefly`, where the author
said it is untimed on purpose, is not reported).

**Why it matters.** An untimed step is legitimate ("stay as deep as you have achieved"):
the player waits until the client says they are ready. It is reported as information so
that a library maintainer can see where a routine has no planned duration (its total time
is open-ended) and make sure it is deliberate. ACSM suggests 10-30 s when a time is meant.

Bad:

```stretch
routine "Calf stretch"
  hold "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  hold 20-30s "Lean into the wall"
```

**Sources.**

- {ACSM}
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding, _sources

__doc__ = (__doc__ or "").format(ACSM=_sources.ACSM)

CODE = "S106"
NAME = "untimed-hold"
SEVERITY = "info"


def check(context: Context) -> Iterator[Finding]:
    for step in context.steps:
        if step.kind == "hold" and step.amount is None and step.vague is None:
            yield Finding(
                context.first_line(step.span),
                "this hold has no time: the player waits until the client is ready",
                "if the client should be timed, give it a time such as `hold 30s`",
            )
