"""A tempo that makes counts or breaths meaningless.

**What it catches.** A `tempo:` where one count lasts less than 0.5 s or more than 5 s,
one breath less than 1.5 s or more than 30 s, a rate of 0 s, or the same unit given two
different rates (`tempo: 1 count = 1s, 1 count = 2s`).

**Why it matters.** Counts are something a client says in their head ("one thousand and
one..."): about one a second. Nobody can count ten a second, and a "count" of ten seconds
is no longer counted; a breath of a second is a gasp, one of a minute is a breath hold.
Such a tempo is usually a typo (`1 count = 10s` for `10 counts = 10s`), and it silently
changes every timed step and every limit measured in counts.

Bad:

```stretch
routine "PNF"
  tempo: 1 count = 10s
  contract 5 counts gently "Press the heel down"
  relax 10s
```

Good:

```stretch
routine "PNF"
  tempo: 1 count = 1s
  contract 5 counts gently "Press the heel down"
  relax 10s
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.lint.rules import Context, Finding
from dsl.model import printer

CODE = "V104"
NAME = "meaningless-tempo"
SEVERITY = "warning"

BOUNDS: dict[str, tuple[float, float]] = {"count": (0.5, 5.0), "breath": (1.5, 30.0)}
"""The shortest and longest plausible second per count and per breath."""


def check(context: Context) -> Iterator[Finding]:
    for tempo in (i for i in context.routine.items if isinstance(i, m.Tempo)):
        seen: dict[str, float] = {}
        for rate in tempo.rates:
            if rate.unit not in BOUNDS:
                continue  # the parser reports tempos in seconds (P208)
            shortest, longest = BOUNDS[rate.unit]
            if rate.unit in seen and seen[rate.unit] != rate.seconds:
                yield Finding(
                    rate.span, f"the tempo gives one {rate.unit} two different lengths",
                    f"keep one rate per unit, such as `1 {rate.unit} = "
                    f"{printer.duration(seen[rate.unit])}`",
                )
                continue
            seen[rate.unit] = rate.seconds
            if rate.seconds <= 0:
                yield Finding(rate.span, f"one {rate.unit} cannot last 0s",
                              f"say how long one {rate.unit} lasts, such as `1 "
                              f"{rate.unit} = {printer.duration(shortest * 2)}`")
            elif rate.seconds < shortest:
                yield Finding(
                    rate.span,
                    f"one {rate.unit} lasting {printer.duration(rate.seconds)} is too fast to "
                    f"{'count' if rate.unit == 'count' else 'breathe'}",
                    f"a {rate.unit} lasts between {printer.duration(shortest)} and "
                    f"{printer.duration(longest)}; check the numbers on both sides of `=`",
                )
            elif rate.seconds > longest:
                yield Finding(
                    rate.span,
                    f"one {rate.unit} lasting {printer.duration(rate.seconds)} is too slow to "
                    f"{'count' if rate.unit == 'count' else 'breathe'}",
                    f"a {rate.unit} lasts between {printer.duration(shortest)} and "
                    f"{printer.duration(longest)}; check the numbers on both sides of `=`",
                )
