"""A routine with contractions but no `on pain` handler.

**What it catches.** A routine whose steps include `contract` and that has no
`on pain "..."` block.

**Why it matters.** Stretching guidance is unanimous that a stretch goes to tightness or
mild discomfort, never to pain, and that pain means backing off. Contractions are when a
client is most likely to overdo it. The handler tells the player (and the client) what
to do when they signal pain: ease out of the stretch and relax, as the founding handout
does ("If you feel Ouch ... move back out a little and relax 30 s").

Bad:

```stretch
routine "Hamstring PNF"
  limit cycles 3
  contract 6s gently "Push the heel down"
  relax 10s "Let go"
```

Good:

```stretch
routine "Hamstring PNF"
  limit cycles 3
  on pain "Ouch: you went too far"
    release "Move back out of the stretch a little"
    relax 30s
  contract 6s gently "Push the heel down"
  relax 10s "Let go"
```

**Sources.**

- {ACSM}
- {PAGE}
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Finding, Fix, Fixable, _sources
from dsl.lint.rules._walk import steps_start
from dsl.lint.rules.contractions_without_limit import first_contraction
from dsl.model import printer

__doc__ = (__doc__ or "").format(ACSM=_sources.ACSM, PAGE=_sources.PAGE)

CODE = "S105"
NAME = "contractions-without-pain-handler"
SEVERITY = "warning"
FIX = Fixable("safe", "adds an `on pain` handler that eases off (`release \"Ease off\"`, "
              "`relax 30s`) before the first step")

_THIRTY_SECONDS = m.Quantity(30, "s")
HANDLER = m.SafetyHandler("pain", (
    m.Step("release", text="Ease off"),
    m.Step("relax", m.Amount(_THIRTY_SECONDS, _THIRTY_SECONDS)),
), text="Too far")
"""The handler the fix adds: the hint's, and what the founding handout does on "Ouch"."""


def check(context: Context) -> Iterator[Finding]:
    first = first_contraction(context.routine)
    if first is None or any(h.signal == "pain" for h in context.routine.handlers):
        return
    yield Finding(
        context.first_line(first.span), "this routine has contractions but no `on pain` handler",
        "add what to do on pain, such as `on pain \"Too far\"` with `release \"Ease off\"` "
        "and `relax 30s` under it",
    )


def fix(context: Context, found: Diagnostic) -> Fix | None:
    start = steps_start(context.routine)
    if start is None:
        return None
    line = start.span.line
    return Fix("Add an `on pain` handler", FIX.safety, (
        context.insert_before(line, printer.lines(HANDLER), context.indent_of(line)),))
