"""A programme's progression takes a parameter outside its range in some week.

**What it catches.** `progress NAME: ...` whose value in some week of the programme lies
outside the range the routine declares for that parameter (every routine of the programme
that declares it). The message names the first such week.

**Why it matters.** The range is what the coach judged safe for the routine; a
progression that runs past it asks more than the routine allows.

Bad (`parameter hold: 30s, 20-45s` in the routine):

```stretch
programme "Six weeks"
  weeks: 6
  do towel-hamstring on mon, wed, fri
  progress hold: 30s, +5s a week up to 60s
```

Good:

```stretch
programme "Six weeks"
  weeks: 6
  do towel-hamstring on mon, wed, fri
  progress hold: 20s, +5s a week up to 45s
```
"""

from __future__ import annotations

CODE = "V124"
NAME = "progression-out-of-range"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.lint.plans:check_programme"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
