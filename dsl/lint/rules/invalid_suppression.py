"""A suppression comment that names no rule, or a rule that does not exist.

**What it catches.** `# stretch: ignore` without a list of codes, an empty list, a code
or name that is not a rule (`S999`, a typo), or a `P` code (syntax problems cannot be
silenced: they must be fixed for the routine to be read at all).

**Why it matters.** A suppression that names nothing silences nothing, so the author
believes a problem is handled when it is not; a blanket "ignore everything on this line"
would hide new problems as they appear, so the codes must be named.

Bad:

```stretch
routine "Calf stretch"
  hold "Lean into the wall"  # stretch: ignore[S160]
```

Good:

```stretch
routine "Calf stretch"
  hold "Lean into the wall"  # stretch: ignore[S106]
```
"""

from __future__ import annotations

from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Fix, Fixable, take_suggestion

CODE = "X102"
NAME = "invalid-suppression"
SEVERITY = "warning"

RUNS = "on suppressions"
REPORTED_BY = "dsl.lint.suppression:find"
"""Not a check of the routine: ``dsl.lint.suppression.find`` reports it while it reads
the suppression comments."""

FIX = Fixable("unsafe", "replaces a misspelt code or name with the one rule it is close to "
              "(the comment then silences that rule)")


def fix(context: Context, found: Diagnostic) -> Fix | None:
    return take_suggestion(context, found, FIX.safety)
