"""A pace word on a step that does not move.

**What it catches.** `slowly`, `quickly`, `steadily` or `smoothly` on a `hold`,
`hold-breath`, `rest` or `setup` step.

**Why it matters.** A pace says how a movement is done ("3 × 15 heel drops, slowly"): it
belongs on a `move`, a breath (`exhale 6s slowly`) or a `contract`, `relax`, `release` or
`deepen`. A held position or a rest has no pace; the word is kept and shown, but it is
usually meant for the text ("Lower slowly into the stretch") or for the step before.

Bad:

```stretch
routine "Calf stretch"
  hold 30s slowly "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  move 5 reps slowly "Lean in and out"
  hold 30s "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.lint.rules._walk import all_steps

CODE = "V111"
NAME = "meaningless-pace"
SEVERITY = "warning"


def check(context: Context) -> Iterator[Finding]:
    for step in all_steps(context.routine):
        pace = step.pace
        if pace is not None and step.kind not in m.PACED_KINDS:
            yield Finding(
                pace.span, f"`{pace.value}` on a `{step.kind}` step: a {step.kind} does not "
                "move, so it has no pace",
                f"say it in the step's text (\"... {pace.value}\"), or put the pace on the "
                "movement, such as `move 10 reps slowly`")
