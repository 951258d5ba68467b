"""A session can break one of its own limits.

**What it catches.** `limit total`, `limit contractions` or `limit cycles` in a session,
held to the session's figures: the sum over its routines (each as the session does it,
with its overrides) and its rests. Counted limits are per side unless `per session`;
contractions and cycles of a routine without sides count on both sides. Ranges count at
their most, so the limit holds however the person chooses. In a programme, each week is
checked with that week's values, and the finding says which week.

**Why it matters.** Each routine may keep its own limits while the session as a whole
asks too much of one leg, or runs past the time the person has.

Bad:

```stretch
session "Morning legs"
  limit total 5m
  do box-breathing
  do towel-hamstring
```

Good:

```stretch
session "Morning legs"
  limit total 25m
  do box-breathing
  do towel-hamstring
```
"""

from __future__ import annotations

CODE = "L107"
NAME = "session-limit-exceeded"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.lint.plans:check_session"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
