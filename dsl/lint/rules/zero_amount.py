"""An amount, repeat count, frequency, effort or limit of zero.

**What it catches.** `hold 0s`, `rest 0-30s`, `repeat 0:`, `repeat 0-3:`,
`repeat up to 0:`, `0 times a day`, `at 0%`, `limit cycles 0`: anything measured as zero
where the language expects a positive amount, and amounts under half a millisecond, which
round to zero (times are kept to the millisecond). (Negative amounts cannot be written:
`-` makes a range.)

**Why it matters.** A zero-length step is skipped by the player without a word, a repeat
of zero drops its whole block, and a zero limit forbids what the routine asks for. It is
almost always a typo, or a step meant to be untimed, which is written without an amount.

Bad:

```stretch
routine "Hamstring hold"
  hold 0s "Hold the stretch"
```

Good:

```stretch
routine "Hamstring hold"
  hold "Hold the stretch, as long as it feels good"
```
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec.structs

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.lint.rules._walk import all_limits, all_repeats, amounts, intensities
from dsl.model import printer
from dsl.timeline.expand import amount_seconds

CODE = "V102"
NAME = "zero-amount"
SEVERITY = "error"
FIX = Fixable("safe", "starts a repeat's range at 1 instead of 0 (its first pass always "
              "runs); the other zero amounts have no one fix")


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    for amount in amounts(routine):
        low, high = amount_seconds(amount, context.rates)
        if amount.unit == "rep":  # a count of repetitions, timed or not
            low, high = amount.low.value, amount.high.value
        if amount.high.value <= 0:
            yield Finding(amount.span, "this amount is zero",
                          "give it a time, or leave the amount out for an untimed step")
        elif high <= 0:
            # Times are kept to the millisecond (docs/json.md): this one would vanish.
            yield Finding(amount.span, "this amount is under half a millisecond: it rounds "
                          "to zero", "give it a time of a millisecond or more, or leave the "
                          "amount out for an untimed step")
        elif amount.low.value <= 0 or low <= 0:
            yield Finding(amount.span, "this range starts at zero",
                          "start the range above zero, such as `5-30s`")
    for repeat in all_repeats(routine):
        count = repeat.count
        if count.mode in ("times", "up_to") and (count.high or 0) <= 0:
            yield Finding(count.span, "this repeat runs zero times",
                          "repeat at least once, or remove the repeat")
        elif count.mode == "times" and (count.low or 0) <= 0:
            yield Finding(count.span, "this repeat may run zero times, but its first pass "
                          "always runs: a player stops a repeat only between passes",
                          f"start the range at 1: `repeat 1-{count.high}`")
    frequency = routine.first(m.Frequency)
    if frequency is not None and frequency.high <= 0:
        yield Finding(frequency.span, "this frequency is zero times",
                      "say how often, such as `3 times a day`, or remove the line")
    for intensity in intensities(routine):
        if intensity.effort_high is not None and intensity.effort_high <= 0:
            yield Finding(intensity.span, "this effort is 0%",
                          "ask for some effort, such as `at 20%`, or use `gently`")
    for limit in all_limits(routine):
        if limit.value <= 0:
            yield Finding(limit.span, f"`{printer.limit(limit)}` allows nothing",
                          "a limit is an upper bound above zero: remove the limit, or "
                          "remove the steps it would forbid")


def fix(context: Context, found: Diagnostic) -> Fix | None:
    for repeat in all_repeats(context.routine):
        count = repeat.count
        if (count.span == found.span and count.mode == "times" and (count.low or 0) <= 0
                and (count.high or 0) > 0 and count.span.line == count.span.end_line):
            written = printer.repeat_count(msgspec.structs.replace(count, low=1))
            if context.text_of(count.span).endswith("times"):
                written += " times"
            return Fix(f"Write `repeat {written}`", FIX.safety, (Edit(count.span, written),))
    return None
