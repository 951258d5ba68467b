"""A static hold far longer than stretching guidance recommends.

**What it catches.** A `hold` step that can last more than 2 minutes in one go.

**Why it matters.** ACSM recommends holding a static stretch 10-30 s (30-60 s for older
adults), about 60 s in total per muscle group, split into repetitions; Page's review
reaches the same figures. Behm et al. found that static stretching of 60 s or more per
muscle group brings larger losses of strength and power afterwards, with no matching gain
in injury prevention. A single hold of more than 2 minutes, twice the longest recommended
total, is far outside that guidance and is usually a unit typo (`hold 30m` for `30s`).

Bad:

```stretch
routine "Calf stretch"
  hold 5m to mild tension "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  repeat 3, rest 15s between:
    hold 20-30s to mild tension "Lean into the wall"
```

**Sources.**

- {ACSM}
- {PAGE}
- {BEHM}
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding, _sources
from dsl.model import printer
from dsl.timeline.expand import amount_seconds

__doc__ = (__doc__ or "").format(ACSM=_sources.ACSM, PAGE=_sources.PAGE, BEHM=_sources.BEHM)

CODE = "S102"
NAME = "long-hold"
SEVERITY = "warning"

LONGEST_SECONDS = 120.0


def check(context: Context) -> Iterator[Finding]:
    for step in context.steps:
        if step.kind != "hold" or step.amount is None:
            continue
        longest = amount_seconds(step.amount, context.rates)[1]
        if longest > LONGEST_SECONDS:
            yield Finding(
                context.first_line(step.span),
                f"this hold lasts up to {printer.duration(longest)}, far longer than the "
                "10-60s stretching guidance recommends",
                "hold 10-30 s (30-60 s for older adults) and repeat the hold instead: "
                "`repeat 3, rest 15s between:`",
            )
