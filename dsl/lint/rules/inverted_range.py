"""A range whose low end is above its high end.

**What it catches.** Ranges written backwards: amounts (`hold 30-10s`,
`contract 15-5 counts`), repeat counts (`repeat 4-2:`), `repeat for 3-2m`, rests between
passes, frequencies (`4-2 times a day`), effort (`at 60-40%`) and the range a parameter
allows (`parameter hold: 30s, 60-20s`).

**Why it matters.** A range lets the player choose between a shortest and a longest
version; written backwards, the "longest" is the shorter one, limits are checked against
the wrong end, and the player's timeline makes no sense.

Bad:

```stretch
routine "Calf stretch"
  hold 30-10s to mild tension "Lean into the wall"
```

Good:

```stretch
routine "Calf stretch"
  hold 10-30s to mild tension "Lean into the wall"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.lint.rules._walk import all_repeats, amounts, intensities
from dsl.model import printer
from dsl.model.values import high_end, low_end

CODE = "V101"
NAME = "inverted-range"
SEVERITY = "error"
FIX = Fixable("unsafe", "writes the smaller end of the range first (the routine then runs to "
              "the larger end, which may be longer than it ran before)")


def check(context: Context) -> Iterator[Finding]:
    routine = context.routine
    for amount in amounts(routine):
        if amount.low.value > amount.high.value:
            swapped = m.Amount(amount.high, amount.low)
            yield Finding(
                amount.span,
                f"the low end of this range ({printer.quantity(amount.low)}) is above its high "
                f"end ({printer.quantity(amount.high)})",
                f"write the smaller amount first: `{printer.amount(swapped)}`",
            )
    for repeat in all_repeats(routine):
        count = repeat.count
        if count.mode == "times" and (count.low or 0) > (count.high or 0):
            yield Finding(
                count.span,
                f"this repeat runs from {count.low} down to {count.high} times",
                f"write the smaller number first: `repeat {count.high}-{count.low}`",
            )
    for parameter in routine.parameters:
        allowed = parameter.allowed
        if low_end(allowed) > high_end(allowed):
            first, last = _ends(allowed)
            yield Finding(
                allowed.span,
                f"the range of `{parameter.name}` runs from {first} down to {last}",
                f"write the smaller end first: `{_swapped(allowed)}`",
            )
    frequency = routine.first(m.Frequency)
    if frequency is not None and frequency.low > frequency.high:
        yield Finding(
            frequency.span,
            f"this frequency runs from {frequency.low} down to {frequency.high} times",
            f"write the smaller number first: `{frequency.high}-{frequency.low} times a "
            f"{frequency.period}`",
        )
    for intensity in intensities(routine):
        low, high = intensity.effort_low, intensity.effort_high
        if low is not None and high is not None and low > high:
            yield Finding(
                intensity.span,
                f"this effort runs from {printer.percent(low)} down to {printer.percent(high)}",
                "write the smaller percentage first: "
                f"`{printer.intensity(m.Intensity(effort_low=high, effort_high=low))}`",
            )



def fix(context: Context, found: Diagnostic) -> Fix | None:
    """The range as the author meant it: the same two ends, the smaller first."""
    routine, span = context.routine, found.span
    written: str | None = None
    for amount in amounts(routine):
        if amount.span == span:
            written = printer.amount(m.Amount(amount.high, amount.low))
    for repeat in all_repeats(routine):
        count = repeat.count
        if count.span == span:
            written = f"{count.high}-{count.low}"
            if context.text_of(span).endswith("times"):
                written += " times"
    for parameter in routine.parameters:
        if parameter.allowed.span == span:
            written = _swapped(parameter.allowed)
    frequency = routine.first(m.Frequency)
    if frequency is not None and frequency.span == span:
        written = printer.statement(m.Frequency(frequency.high, frequency.low, frequency.period))
    for intensity in intensities(routine):
        if intensity.span == span:
            written = printer.intensity(m.Intensity(effort_low=intensity.effort_high,
                                                    effort_high=intensity.effort_low))
    if written is None or span.line != span.end_line:
        return None
    return Fix(f"Write `{written}`", FIX.safety, (Edit(span, written),))


def _ends(value: m.Amount | m.Count) -> tuple[str, str]:
    """A parameter's range's ends, as written (``60s`` and ``20s``, ``5`` and ``2``)."""
    if isinstance(value, m.Count):
        return str(value.low), str(value.high)
    return printer.quantity(value.low), printer.quantity(value.high)


def _swapped(value: m.Amount | m.Count) -> str:
    if isinstance(value, m.Count):
        return printer.count(m.Count(value.high, value.low))
    return printer.amount(m.Amount(value.high, value.low))
