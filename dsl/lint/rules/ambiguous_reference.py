"""A session or programme names an id that several files declare.

**What it catches.** A `do` line with an id that two or more routines or sessions of the
library declare. The notes list the files. (`duplicate-id`, R103, reports the second file
itself when both are in one lint run.)

**Why it matters.** Which of the two runs would depend on the order files are found in:
the person could do the wrong stretch. Name the file by its path instead.

Bad (two files with `id: calf-wall`):

```stretch
session "Morning legs"
  do calf-wall
```

Good:

```stretch
session "Morning legs"
  do "calves/calf-wall.stretch"
```
"""

from __future__ import annotations

CODE = "R107"
NAME = "ambiguous-reference"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.timeline.sessions:follow"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
