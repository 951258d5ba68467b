"""A side word (`{side}`, `{other}`) where no side is being worked.

**What it catches.** `{side}`, `{other}`, `{Side}` or `{Other}` in a routine without
sides, in a note (shown before any side), or in a step of a `sides: alternating` routine
outside its repeats (which run once, on no side).

**Why it matters.** There is no side to fill it with: the player would show the braces
as written, or guess a side.

Bad:

```stretch
routine "Neck release"
  hold 30s "Tilt your head toward your {side} shoulder"
```

Good:

```stretch
routine "Neck release"
  sides: each, left first
  hold 30s "Tilt your head toward your {side} shoulder"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl.lint.rules import Context, Finding
from dsl.lint.rules._texts import quoted_texts
from dsl.model import placeholders

CODE = "V115"
NAME = "side-word-without-side"
SEVERITY = "warning"


def check(context: Context) -> Iterator[Finding]:
    sided = context.routine.sides.mode != "none"
    for quoted in quoted_texts(context):
        if sided and quoted.side_known:
            continue
        for found in placeholders.scan(quoted.text)[0]:
            if found.name not in placeholders.SIDE_WORDS:
                continue
            if not sided:
                yield Finding(quoted.span(found.start, found.end),
                              f"`{{{found.name}}}` names the side being worked, but this "
                              "routine has no sides",
                              "add `sides: each` (or `alternating`, or `left only`), or "
                              "write the side's name")
            else:
                yield Finding(quoted.span(found.start, found.end),
                              f"`{{{found.name}}}` names the side being worked, but no side "
                              "is being worked here",
                              "write the side's name, or move the words into a step that "
                              "runs on a side")
