"""A `left only:` or `right only:` block where it means nothing.

**What it catches.** A one-side block in a routine without sides, in a routine done on the
other side only (`sides: left only` and a `right only:` block, which never runs), in a
safety handler (which runs on whichever side is in progress), or in a `sides: alternating`
routine outside its repeats (which run once, on no side).

**Why it matters.** Without a side being worked, the block runs whatever the side, as if
it were not there; on a side the routine never works, it never runs. Either way the
routine does not do what the block says.

Bad:

```stretch
routine "Calf stretch"
  hold 30s "Lean into the wall"
  left only:
    hold 10s "Turn the toes in"
```

Good:

```stretch
routine "Calf stretch"
  sides: each, left first
  hold 30s "Lean into the wall"
  left only:
    hold 10s "Turn the toes in"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import side_blocks

CODE = "V116"
NAME = "meaningless-side-block"
SEVERITY = "warning"


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    sides = routine.sides
    for item in routine.items:
        if isinstance(item, m.SafetyHandler):
            for block in side_blocks(item.body):
                yield Finding(context.first_line(block.span),
                              f"`{block.side} only:` in a safety handler means nothing: the "
                              "handler runs on whichever side is in progress",
                              "take the block out, keeping its steps if they should run")
        elif sides.mode == "alternating" and isinstance(item, m.SideOnly):
            yield Finding(context.first_line(item.span),
                          f"`{item.side} only:` outside a repeat of an alternating routine "
                          "means nothing: only the passes of its repeats are on a side",
                          "move the block into the repeat")
        elif isinstance(item, (m.Repeat, m.SideOnly)):
            for block in side_blocks((item,)):
                if sides.mode == "none":
                    yield Finding(context.first_line(block.span),
                                  f"`{block.side} only:` means nothing: this routine has no "
                                  "sides", "add `sides: each`, or take the block out")
                elif sides.mode == "one" and sides.first != block.side:
                    yield Finding(context.first_line(block.span),
                                  f"`{block.side} only:` never runs: this routine is done on "
                                  f"the {sides.first} side only",
                                  "remove the block, or change `sides:`")

