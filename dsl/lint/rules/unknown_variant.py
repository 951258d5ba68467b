"""A step refers to a variant the routine does not declare.

**What it catches.** A `variant NAME "..."` on a step where NAME is neither `easier` nor
`harder` (always available) nor declared on the routine with `variant NAME "..."`.

**Why it matters.** An app offers the routine's variants as a choice ("chair version");
a step variant with a misspelt or undeclared name is never shown, so that step is done
the standard way even by clients who chose the variant.

Bad:

```stretch
routine "Hamstring stretch"
  variant chair "Sit on the edge of a chair instead of kneeling"
  hold 30s "Fold forward"
    variant chiar "Lean forward from the hips"
```

Good:

```stretch
routine "Hamstring stretch"
  variant chair "Sit on the edge of a chair instead of kneeling"
  hold 30s "Fold forward"
    variant chair "Lean forward from the hips"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.suggestions import did_you_mean

CODE = "R102"
NAME = "unknown-variant"
SEVERITY = "error"

BUILT_IN = ("easier", "harder")


def check(context: Context) -> Iterator[Finding]:
    declared = [i.name for i in context.routine.items if isinstance(i, m.Variant)]
    known = sorted({*BUILT_IN, *declared})
    for step in context.steps:
        for variant in step.variants:
            if variant.name in known:
                continue
            close = did_you_mean(variant.name, known)
            yield Finding(
                context.first_line(variant.span), f"unknown variant `{variant.name}`",
                (close + " " if close else "") + f"declare it on the routine: "
                f"`variant {variant.name} \"...\"` (`easier` and `harder` need no declaration)",
            )
