"""A suppression comment that silences nothing.

**What it catches.** A code in `# stretch: ignore[...]` (or `ignore-file[...]`) for which
there is no problem to silence on the line it applies to (or, for `ignore-file`, anywhere
in the file). Codes of rules that the configuration turns off are not reported.

How suppression works: `# stretch: ignore[S104, L101]` at the end of a line silences those
rules (codes or names) on that line; on a line of its own it silences them on the next
statement line; `# stretch: ignore-file[S106]` anywhere silences them in the whole file.
A problem is silenced on the line where it is reported (its first line). Syntax problems
(`P` codes) cannot be silenced.

**Why it matters.** A suppression outlives the problem it silenced: after the routine is
fixed it stays behind, and it will hide the next, different problem on that line. Removing
stale suppressions keeps them meaningful.

Bad:

```stretch
routine "Calf stretch"
  hold 30s "Lean into the wall"  # stretch: ignore[S106]
```

Good:

```stretch
routine "Calf stretch"
  hold "Lean into the wall"  # stretch: ignore[S106]
```
"""

from __future__ import annotations

CODE = "X101"
NAME = "unused-suppression"
SEVERITY = "warning"

RUNS = "on suppressions"
REPORTED_BY = "dsl.lint.suppression:apply"
"""Not a check of the routine: ``dsl.lint.suppression.apply`` reports it while it applies
the suppressions to the file's other findings (so after the checks across files)."""
