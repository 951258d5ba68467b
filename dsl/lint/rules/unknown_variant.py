"""A step refers to a variant the routine does not declare.

**What it catches.** A `variant NAME "..."` on a step, a change (`variant NAME: 60s`,
`variant NAME: leave out`, `variant NAME:` with steps) or a `variant NAME only:` block
where NAME is neither `easier` nor `harder` (always available) nor declared with
`variant NAME "..."` on the routine or on the exercise the step is in.

**Why it matters.** An app offers the routine's variants as a choice ("chair version");
a step variant with a misspelt or undeclared name is never shown, so that step is done
the standard way even by clients who chose the variant, and a change under that name is
never made.

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
from dsl.model import variants
from dsl.suggestions import did_you_mean

CODE = "R102"
NAME = "unknown-variant"
SEVERITY = "error"


def check(context: Context) -> Iterator[Finding]:
    declared = [i.name for i in context.routine.items if isinstance(i, m.Variant)]
    known = sorted({*variants.BUILT_IN, *declared})
    for step in context.steps:
        for variant in step.variants:
            if variant.name not in known:
                yield _unknown(context, variant.name, variant.span, known, "the routine")
    written = context.parsed.routine
    if written is None or not variants.has_changes(written):
        return
    # The changes are gone from the routine the rules read (``with_variant`` made them):
    # their names are read from the routine as written (each context finds the same).
    for name, span, exercise in variants.uses(written):
        names = variants.known(written, exercise)
        if name not in names:
            where = "the routine" if exercise is None else "the exercise or the routine"
            yield _unknown(context, name, span, names, where)


def _unknown(context: Context, name: str, span: m.Span, known: list[str],
             where: str) -> Finding:
    close = did_you_mean(name, known)
    return Finding(
        context.first_line(span), f"unknown variant `{name}`",
        (close + " " if close else "") + f"declare it on {where}: "
        f"`variant {name} \"...\"` (`easier` and `harder` need no declaration)",
    )
