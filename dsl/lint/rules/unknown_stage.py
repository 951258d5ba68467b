"""A programme starts at a stage it does not have, or has two stages with one name.

**What it catches.** `start stage: NAME` when no `stage NAME` follows, and a stage name
used twice.

**Why it matters.** A player would not know where to start the person, or which stage a
"move up" leads to.

Bad:

```stretch
programme "Hamstring rehab"
  start stage: eraly
  stage early:
    do gentle-hamstring daily
```

Good:

```stretch
programme "Hamstring rehab"
  start stage: early
  stage early:
    do gentle-hamstring daily
```
"""

from __future__ import annotations

CODE = "R111"
NAME = "unknown-stage"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.lint.plans:check_programme"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
