"""A session or programme names a routine that is not there.

**What it catches.** A `do` line whose path leads to no file (paths are relative to the
folder of the file that writes them), or whose id no routine or session in the library
declares. The library is the folders `stretch lint` was given, or else the folder of the
file and every folder under it, and the `library` folders of the project's configuration.
The hint names the closest id or file name.

**Why it matters.** A session with a missing routine cannot be compiled or played, and a
renamed file or a mistyped id is easy to miss among a dozen lines.

Bad:

```stretch
session "Morning legs"
  do calf-wal
```

Good:

```stretch
session "Morning legs"
  do calf-wall
```
"""

from __future__ import annotations

CODE = "R106"
NAME = "missing-reference"
SEVERITY = "error"

RUNS = "on plans"
REPORTED_BY = "dsl.timeline.sessions:follow"
"""Not a check of one routine: found while a session or programme is resolved and checked
with the files it names (``dsl.lint.plans``)."""
