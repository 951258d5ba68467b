"""A session or programme names a file that cannot be used there.

**What it catches.** A `do` line whose file has syntax errors, a session that names a
programme, a programme that schedules a programme, or a session done by this one whose
own `do` lines have problems. The note shows the first problem in the other file.

**Why it matters.** The session cannot be compiled until the file it names can.

Bad (`hamstring.stretch` has a syntax error):

```stretch
session "Morning legs"
  do "hamstring.stretch"
```

Good:

```stretch
session "Morning legs"
  do "hamstring-towel.stretch"
```
"""

from __future__ import annotations

CODE = "R110"
NAME = "broken-reference"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.timeline.sessions:resolve"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
