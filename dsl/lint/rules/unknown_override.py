"""A session or programme changes something the routine does not have.

**What it catches.** Under a `do` line: `set NAME: VALUE` for a parameter the routine
does not declare, a value outside the parameter's range or in another unit, `variant:`
with a variant or exercise the routine does not have, or two variants for one scope;
`sides:` on a routine that works no sides; overrides on a `do` line that names a session.
In a programme: `progress NAME` when no routine of the programme declares the parameter,
or in another unit.

**Why it matters.** An override that does not apply is silently lost: the person would do
the routine as written, not as the coach set it.

Bad:

```stretch
session "Morning legs"
  do towel-hamstring:
    set hlod: 40s
```

Good:

```stretch
session "Morning legs"
  do towel-hamstring:
    set hold: 40s
```
"""

from __future__ import annotations

CODE = "R109"
NAME = "unknown-override"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.timeline.uses:prepared"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
