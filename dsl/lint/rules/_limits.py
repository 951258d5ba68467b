"""Checking declared limits against the routine as it will run (shared by L101 and L102).

The routine is read through ``dsl.timeline.expand.expand``: repeats run to their upper bound,
sides are expanded, and every range takes its high end. That run is the worst one: no run
of the routine has more contractions or cycles, longer steps or a longer total (the
property tests compare this with every run of generated routines).
"""

from __future__ import annotations

import msgspec.structs

from dsl import model as m
from dsl.diagnostics import Diagnostic, Related
from dsl.lint.rules import Context, Edit, Finding, Fix, Fixable
from dsl.lint.rules._walk import all_limits
from dsl.model import printer
from dsl.timeline.expand import CONTRACTION, Performed, contraction_cycles, seconds

_TIMED_KINDS = {"contraction": CONTRACTION, "hold": "hold", "breath-hold": "hold-breath"}
_NOUNS = {CONTRACTION: "contraction", "hold": "hold", "hold-breath": "breath hold"}
_EPSILON = 1e-9


def violations(context: Context, limit: m.Limit, group: str | None = None) -> list[Finding]:
    """Where the routine, as it runs, breaks one limit."""
    where = f" for {group}" if group else ""
    related = (Related(f"the limit{where} is declared here", context.first_line(limit.span)),)
    written = f"`{printer.limit(limit)}`"
    if limit.subject == "cycles":
        return _cycles(context, limit, written, where, related)
    if limit.subject == "contractions":
        return _contractions(context, limit, written, where, related)
    if limit.subject in _TIMED_KINDS:
        return _durations(context, limit, written, where, related)
    if limit.subject == "effort":
        return _effort(context, limit, written, where, related)
    return _total(context, limit, written, where, related)


def _key(performed: Performed, limit: m.Limit) -> str | None:
    """What a counted or total limit counts over: each side on its own, or everything."""
    return performed.side if limit.per == "side" else None


def _side_words(key: str | None) -> str:
    return f" on the {key} side" if key else ""


def _counted_hint(performed: Performed) -> str:
    if any(r.count.mode == "at_least" for r in performed.repeats):
        return ("an open repeat runs at least its first number of passes, and even those "
                "break the limit: lower `at least N`, or raise the limit if it is too strict")
    if performed.passes:
        return ("repeats and sides are expanded, taking the high end of every range: lower "
                "the repeat's count, or raise the limit if it is too strict")
    return "remove a contraction, or raise the limit if it is too strict"


def _cycles(
    context: Context, limit: m.Limit, written: str, where: str, related: tuple[Related, ...]
) -> list[Finding]:
    counts: dict[str | None, int] = {}
    for cycle in contraction_cycles(context.expansion.performed):
        start = cycle[0]
        key = _key(start, limit)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > limit.value and start.step is not None:
            return [Finding(
                context.first_line(start.step.span),
                f"contract-relax cycle {counts[key]}{_side_words(key)} breaks "
                f"{written}{where}",
                _counted_hint(start), related,
            )]
    return []


def _contractions(
    context: Context, limit: m.Limit, written: str, where: str, related: tuple[Related, ...]
) -> list[Finding]:
    counts: dict[str | None, int] = {}
    for performed in context.expansion.performed:
        if performed.kind != CONTRACTION or performed.step is None:
            continue
        key = _key(performed, limit)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] > limit.value:
            return [Finding(
                context.first_line(performed.step.span),
                f"contraction {counts[key]}{_side_words(key)} breaks {written}{where}",
                _counted_hint(performed), related,
            )]
    return []


def _durations(
    context: Context, limit: m.Limit, written: str, where: str, related: tuple[Related, ...]
) -> list[Finding]:
    kind = _TIMED_KINDS[limit.subject]
    bound = _limit_seconds(context, limit)
    found: list[Finding] = []
    seen: set[int] = set()
    for performed in context.expansion.performed:
        step = performed.step
        if (performed.kind != kind or step is None or performed.seconds is None
                or id(step) in seen or performed.seconds[1] <= bound + _EPSILON):
            continue
        seen.add(id(step))
        noun = _NOUNS[kind]
        longest = printer.duration(performed.seconds[1])
        amount = step.amount_on(performed.side)  # a per-side amount: this side's
        assert amount is not None
        lasts = "lasts up to" if amount.is_range else "lasts"
        if step.by_side is not None and performed.side is not None:
            noun = f"{noun} on the {performed.side} side"
        if amount.unit == "s":
            what = f"this {noun} {lasts} {longest}"
        else:
            what = f"this {noun} of {context.text_of(amount.span)} {lasts} {longest}"
        found.append(Finding(
            context.first_line(step.span), f"{what}, longer than {written} allows{where}",
            f"shorten it to {printer.duration(bound)} at most, or raise the limit if it is too "
            "strict", related,
        ))
    return found


def _effort(
    context: Context, limit: m.Limit, written: str, where: str, related: tuple[Related, ...]
) -> list[Finding]:
    found: list[Finding] = []
    seen: set[int] = set()
    for performed in context.expansion.performed:
        step = performed.step
        if step is None or id(step) in seen or step.intensity is None:
            continue
        high = step.intensity.effort_high
        if high is None or high <= limit.value + _EPSILON:
            continue
        seen.add(id(step))
        found.append(Finding(
            context.first_line(step.span),
            f"this step goes up to {printer.percent(high)} effort, more than {written} "
            f"allows{where}",
            f"ask for {printer.percent(limit.value)} effort at most, or raise the limit if it "
            "is too strict",
            related,
        ))
    return found


def _total(
    context: Context, limit: m.Limit, written: str, where: str, related: tuple[Related, ...]
) -> list[Finding]:
    bound = _limit_seconds(context, limit)
    elapsed: dict[str | None, float] = {}
    first: Performed | None = None
    for performed in context.expansion.performed:
        key = _key(performed, limit)
        if performed.seconds is not None:
            elapsed[key] = elapsed.get(key, 0.0) + performed.seconds[1]
        if first is None and elapsed.get(key, 0.0) > bound + _EPSILON:
            first = performed
    if first is None:
        return []
    key = _key(first, limit)
    what = f"the {key} side" if key else "the routine"
    return [Finding(
        context.first_line(first.source.span),
        f"{what} runs up to {printer.duration(elapsed[key])}, longer than {written} "
        f"allows{where}; it passes the limit during this step",
        "the total takes the high end of every range and every optional pass: shorten "
        "steps or lower repeat counts, or raise the limit if it is too strict", related,
    )]


def _limit_seconds(context: Context, limit: m.Limit) -> float:
    """A duration limit in seconds (counts and breaths at the routine's tempo)."""
    unit = limit.unit
    if unit in ("s", "count", "breath"):
        return seconds(limit.value, unit, context.rates)
    return limit.value


LOWER_REPEAT = Fixable(
    "unsafe", "lowers the count of the repeat the step stands in to the most that keeps a "
    "`limit cycles` or `limit contractions` (a repeat of the routine itself, not one "
    "nested in another, with the step directly in it)")


def lower_repeat(context: Context, found: Diagnostic) -> Fix | None:
    """The repeat around the step that breaks a counted limit, run fewer times: the most
    passes that keep the limit (more passes never count fewer, so a binary search finds
    it). The client does less than written: unsafe."""
    routine = context.routine
    limit = next((lim for lim in all_limits(routine) if lim.subject in m.COUNTED_LIMITS
                  and any(r.span == context.first_line(lim.span) for r in found.related)),
                 None)
    place = next(((n, item) for n, item in enumerate(routine.items)
                  if isinstance(item, m.Repeat) and any(
                      isinstance(s, m.Step) and context.first_line(s.span) == found.span
                      for s in item.body)), None)
    if limit is None or place is None:
        return None
    index, repeat = place
    count = repeat.count
    if count.mode not in ("times", "up_to") or not count.high or count.high <= 1:
        return None

    def keeps(high: int) -> m.RepeatCount | None:
        low = min(count.low or high, high) if count.mode == "times" else count.low
        lowered = msgspec.structs.replace(count, low=low, high=high)
        items = (*routine.items[:index], msgspec.structs.replace(repeat, count=lowered),
                 *routine.items[index + 1:])
        trial = Context(context.parsed, msgspec.structs.replace(routine, items=items),
                        context.config)
        return None if violations(trial, limit) else lowered

    best: m.RepeatCount | None = None
    low, high = 1, count.high - 1
    while low <= high:
        middle = (low + high) // 2
        kept = keeps(middle)
        if kept is None:
            high = middle - 1
        else:
            best, low = kept, middle + 1
    if best is None or count.span.line != count.span.end_line:
        return None
    written = printer.repeat_count(best)
    if context.text_of(count.span).endswith("times"):
        written += " times"
    return Fix(f"Lower the repeat to `repeat {written}`", LOWER_REPEAT.safety,
               (Edit(count.span, written),))
