"""A routine breaks its own limits as a session or programme does it.

**What it catches.** Each routine of a session is checked as the session does it: its
sides, variants and values from the `do` line, and in a programme each week's values from
its progressions. An error the routine then has (a limit broken, say) is reported at the
`do` line (or the schedule line, with the week), with a note at the routine's line.

**Why it matters.** The routine is fine as written, but not the way this client does it.

Bad (the routine allows 60 s holds but limits a hold to 45 s with `variant harder`):

```stretch
session "Morning legs"
  do towel-hamstring:
    variant: harder
    set hold: 60s
```

Good:

```stretch
session "Morning legs"
  do towel-hamstring:
    variant: harder
    set hold: 40s
```
"""

from __future__ import annotations

CODE = "L108"
NAME = "routine-breaks-as-used"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.lint.plans:check_session"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
