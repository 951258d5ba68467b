"""A contraction far longer than usual PNF practice.

**What it catches.** A `contract` step that can last more than 20 s (its longest time,
counts converted with the routine's tempo).

**Why it matters.** Contract-relax (PNF) stretching uses short contractions: ACSM
recommends 3-6 s at 20-75% of maximal effort, and the protocols reviewed by Sharman et al.
and by Page use contractions of a few seconds, up to about 10 s. Longer contractions add
no range of motion, tire the muscle, raise blood pressure (clients tend to hold their
breath while they push) and make cramps more likely. The threshold is twice the usual
10 s upper end, so routines inside normal practice (the founding handout's 5-15 counts)
pass, and only a contraction far beyond it is flagged.

Bad:

```stretch
routine "Hamstring PNF"
  contract 45s firmly "Push the heel down"
  relax 10s
```

Good:

```stretch
routine "Hamstring PNF"
  contract 6s gently "Push the heel down"
  relax 10s
```

**Sources.**

- {ACSM}
- {SHARMAN}
- {PAGE}
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding, _sources
from dsl.model import printer
from dsl.timeline.expand import CONTRACTION, amount_seconds

__doc__ = (__doc__ or "").format(ACSM=_sources.ACSM, SHARMAN=_sources.SHARMAN, PAGE=_sources.PAGE)

CODE = "S101"
NAME = "long-contraction"
SEVERITY = "warning"

LONGEST_SECONDS = 20.0


def check(context: Context) -> Iterator[Finding]:
    for step in context.steps:
        if step.kind != CONTRACTION or step.amount is None:
            continue
        longest = amount_seconds(step.amount, context.rates)[1]
        if longest > LONGEST_SECONDS:
            yield Finding(
                context.first_line(step.span),
                f"this contraction lasts up to {printer.duration(longest)}, far beyond the "
                "3-10s of usual contract-relax practice",
                "contract for 10 seconds at most (ACSM suggests 3-6 s), then relax; repeat "
                "the cycle instead of lengthening it",
            )
