"""A contraction inside a safety handler.

**What it catches.** A `contract` step in an `on pain` (or `on cramp`, `on dizziness`,
`on numbness`) block, at any depth.

**Why it matters.** A safety handler runs when the client signals that something is
wrong: it eases off. A contraction loads the muscle that just signalled pain or cramp, and
it is not counted by the routine's `limit contractions` or `limit cycles`, since a
handler's steps are not part of the planned routine.

Bad:

```stretch
routine "Hamstring PNF"
  on pain "Ease off"
    contract 5s gently "Push the heel down"
    relax 10s "Let go"
  hold 30s "Stretch"
```

Good:

```stretch
routine "Hamstring PNF"
  on pain "Ease off"
    release "Move back out of the stretch a little"
    relax 10s "Let go"
  hold 30s "Stretch"
```

**Sources.**

- {SHARMAN}
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding, _sources
from dsl.timeline.expand import CONTRACTION

__doc__ = (__doc__ or "").format(SHARMAN=_sources.SHARMAN)

CODE = "S107"
NAME = "contraction-in-handler"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    for handler in context.routine.handlers:
        for step in m.walk_steps(handler.body):
            if step.kind == CONTRACTION:
                yield Finding(
                    context.first_line(step.span),
                    f"`on {handler.signal}` contracts a muscle: a safety handler eases off, "
                    "it does not load",
                    "take the client out of the stretch instead, with `release`, `relax` "
                    "or `rest`",
                )
