"""A parameter whose default is outside the range it allows.

**What it catches.** `parameter hold: 10s, 20-60s`: the routine runs at its default when
the coach sets nothing, and 10 seconds is a value the declaration itself forbids.

**Why it matters.** The range is what the coach may choose from and what the checks
prove safe; a default outside it is run without being checked as part of the range, and
usually means a typo in one of the two.

Bad:

```stretch
routine "Calf stretch"
  parameter hold: 10s, 20-60s "How long to hold each stretch"
  hold {hold} "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  parameter hold: 30s, 20-60s "How long to hold each stretch"
  hold {hold} "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.model import printer
from dsl.model.values import high_end, low_end

CODE = "V121"
NAME = "default-out-of-range"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    for parameter in context.routine.parameters:
        default = low_end(parameter.default)
        low, high = low_end(parameter.allowed), high_end(parameter.allowed)
        if low > high:
            continue  # inverted-range (V101) reports it
        if not low <= default <= high:
            written = printer.parameter_value(parameter.default)
            allowed = printer.parameter_range(parameter)
            yield Finding(
                parameter.default.span,
                f"the default of `{parameter.name}` ({written}) is outside its range "
                f"({allowed})",
                f"choose a default from {allowed}, or widen the range to take {written}",
            )
