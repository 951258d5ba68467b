"""A session does itself, directly or through another session.

**What it catches.** A `do` line that leads back to the session it stands in, or to a
session that led to it. The message shows the chain of files.

**Why it matters.** The session would never end: it cannot be compiled or played.

Bad (in `morning.stretch`, with `id: morning`):

```stretch
session "Morning legs"
  id: morning
  do calf-wall
  do morning
```

Good:

```stretch
session "Morning legs"
  id: morning
  do calf-wall
  do hamstring-towel
```
"""

from __future__ import annotations

CODE = "R108"
NAME = "reference-cycle"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.timeline.sessions:resolve"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
