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
    written = context.parsed.routine
    if written is None:
        return
    # The changes are gone from the routine the rules read (``with_variant`` made them):
    # the names are read from the routine as written, and each context finds the same.
    for name, span, exercise in _names(written):
        known = variants.known(written, exercise)
        if name in known:
            continue
        close = did_you_mean(name, known)
        where = "the routine" if exercise is None else "the exercise or the routine"
        yield Finding(
            context.first_line(span), f"unknown variant `{name}`",
            (close + " " if close else "") + f"declare it on {where}: "
            f"`variant {name} \"...\"` (`easier` and `harder` need no declaration)",
        )


def _names(routine: m.Routine) -> Iterator[tuple[str, m.Span, m.Exercise | None]]:
    """Every variant name a step uses (text variants and changes) and ``only`` blocks."""
    yield from variants.uses(routine)
    for item in routine.items:
        exercise = item if isinstance(item, m.Exercise) else None
        members: tuple[object, ...] = item.items if isinstance(item, m.Exercise) else (item,)
        for member in members:
            if isinstance(member, m.SafetyHandler):
                body = member.body
            elif isinstance(member, (m.Step, m.Repeat, m.SideOnly, m.VariantOnly)):
                body = (member,)
            else:
                continue
            for step in m.walk_steps(body):
                for variant in step.variants:
                    yield variant.name, variant.span, exercise
