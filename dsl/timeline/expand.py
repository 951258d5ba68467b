"""The routine as it will run: repeats and sides expanded into one flat sequence.

Both the compiler (the player's timeline) and the checker (limits such as "at most 3
contract-relax cycles per side") read the routine this way, so they can never disagree on
what "as it will run" means.

Repeats are expanded to their upper bound: a player may stop early, never go further.
Passes beyond the lower bound are marked ``optional``. A time box (``repeat for 2-3m``) is
planned with every pass at its longest: it gets the passes that fit in its upper bound,
and those that fit in its lower bound are required (docs/language.md, "Time boxes"), so
no run of it can take longer than its upper bound. Expansion stops at ``MAX_PERFORMED``
steps (``truncated``).

An open repeat (``repeat at least 4``) runs at least its ``N`` passes and at most its cap:
``at most M`` when written, or else the most passes that keep every limit that applies to
it (``limit cycles``, ``limit contractions``, ``limit total``, per side or per routine), found
by expanding the routine with one pass more until a limit would break (``Cap``). Open
repeats are capped one after the other in source order, each with the ones before it at
their caps and the ones after it at their ``N`` (docs/language.md, "Open repeats"). One
with no cap (L106) runs its ``N`` passes only.

``contraction_cycles`` is the one definition of a contract-relax cycle, used by the
checker, the compiler's summary and the rules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from dsl import model as m

MAX_PERFORMED = 10_000
"""The most steps an expanded routine may have; beyond it the expansion is cut short."""

DEFAULT_SECONDS: dict[m.Unit, float] = m.DEFAULT_SECONDS
"""Seconds per unit when the routine states no tempo: 1 count = 1s, 1 breath = 5s."""

SHORTEST_RATE = m.SHORTEST_RATE
"""A tempo rate below this many seconds is ignored (it would round to 0 ms)."""


@dataclass(frozen=True, slots=True)
class Performed:
    """One step as the client performs it.

    ``kind`` is the step's kind, or ``switch`` (changing sides) or ``rest`` (a rest
    between passes of a repeat) for steps the expansion inserts. ``source`` is the node the
    step comes from (a Step, the routine's Switch, a repeat's RestBetween, or the Sides
    declaration for a switch the routine did not spell out). ``repeats`` are the repeats
    the step is inside, outermost first, and ``passes`` the 1-based pass number of each.
    ``section``: in a routine with exercises, the 0-based number of the step's exercise.
    """

    kind: m.StepKind | Literal["switch"]
    source: m.Step | m.Switch | m.RestBetween | m.Sides
    side: m.Side | None
    passes: tuple[int, ...]
    optional: bool
    seconds: tuple[float, float] | None  # (shortest, longest); None when untimed
    repeats: tuple[m.Repeat, ...] = ()
    section: int = 0

    @property
    def step(self) -> m.Step | None:
        return self.source if isinstance(self.source, m.Step) else None


@dataclass(frozen=True, slots=True)
class Expansion:
    """A routine as it will run. Computed once per file and handed on: the rules and the
    compiler read the same one, and ask it for pass counts and pass lengths, which it
    works out once per repeat."""

    performed: tuple[Performed, ...]
    truncated: bool = False
    tempo: dict[m.Unit, float] = field(default_factory=dict)
    plan: _Expander | None = field(default=None, repr=False, compare=False)
    sections: tuple[Section, ...] = ()
    """A routine with exercises: each exercise's own expansion, in order (``performed``
    is theirs one after the other). Empty for a routine without exercises."""

    @property
    def routine(self) -> m.Routine | None:
        """The routine this expansion was made from (its steps are the ones in
        ``performed``): None for an empty ``Expansion(())``."""
        return self.plan.routine if self.plan is not None else None

    def section_of(self, repeat: m.Repeat) -> Section | None:
        """The exercise a repeat is written in (its steps or its safety handlers)."""
        for section in self.sections:
            if _holds(section.exercise.items, repeat):
                return section
        return None

    def passes(self, repeat: m.Repeat) -> tuple[int, int]:
        """(passes the client always does, passes they may do at most) of a repeat."""
        if self.sections:
            section = self.section_of(repeat)
            if section is not None:
                return section.expansion.passes(repeat)
        assert self.plan is not None
        routine = self.plan.routine
        return self.plan.pass_counts(repeat, 2 if alternates(routine, repeat) else 1)

    def cap(self, repeat: m.Repeat) -> Cap | None:
        """What caps an open repeat of the routine's body (None for any other repeat)."""
        assert self.plan is not None
        return self.plan.cap(repeat)

    def longest_pass(self, repeat: m.Repeat) -> float:
        """As ``longest_pass(routine, repeat)``, from the plan already made."""
        if self.sections:
            section = self.section_of(repeat)
            if section is not None:
                return section.expansion.longest_pass(repeat)
        assert self.plan is not None
        routine = self.plan.routine
        return self.plan.longest_pass(repeat, 2 if alternates(routine, repeat) else 1)


@dataclass(frozen=True, slots=True)
class Section:
    """One exercise of a routine that holds several, as it will run: the exercise, the
    exercise seen as a routine (``dsl.model.as_routine``: what its steps run with), its
    own expansion, and where its steps start in the routine's."""

    exercise: m.Exercise
    routine: m.Routine
    expansion: Expansion
    start: int

    @property
    def stop(self) -> int:
        """Where its steps end in the routine's (exclusive)."""
        return self.start + len(self.expansion.performed)


def _holds(items: Sequence[object], repeat: m.Repeat) -> bool:
    for item in items:
        if item is repeat:
            return True
        if isinstance(item, (m.Repeat, m.SafetyHandler, m.SideOnly)) \
                and _holds(item.body, repeat):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Cap:
    """What caps an open repeat: ``at most M`` (``by`` "at-most"), a limit that one more
    pass would break (``by`` "limit", ``limit`` that limit), or nothing (``by`` None:
    uncapped, L106). ``passes`` is the most passes it may run."""

    passes: int
    by: Literal["at-most", "limit"] | None
    limit: m.Limit | None = None


CAPPING_LIMITS = ("cycles", "contractions", "total")
"""The limits that cap an open repeat: those that more passes can break."""


class _Full(Exception):
    pass


def seconds_per_unit(routine: m.Routine) -> dict[m.Unit, float]:
    """Seconds per second, count and breath: the routine's tempo over the defaults."""
    rates = dict(DEFAULT_SECONDS)
    if routine.tempo is not None:
        for rate in routine.tempo.rates:
            # Under half a millisecond a count is no time at all (the JSON keeps
            # milliseconds); such a tempo is a V104 warning and the default stands.
            if rate.seconds >= SHORTEST_RATE:
                rates[rate.unit] = rate.seconds
    return rates


def seconds(value: float, unit: m.Unit, rates: dict[m.Unit, float]) -> float:
    """A quantity in seconds at the routine's tempo, rounded to the millisecond.

    Every time the tools work with is rounded here, once, from the amount as written: the
    JSON keeps milliseconds, and each start time, cue time and total in it is then the exact
    sum of the rounded durations it adds up (docs/json.md, "Numbers"). Repetitions with no
    ``tempo: 1 rep = ...`` are no time where a time is asked for (V110 reports such places)."""
    return round(value * rates.get(unit, 0.0), 3)


def amount_seconds(amount: m.Amount, rates: dict[m.Unit, float]) -> tuple[float, float]:
    """An amount's (shortest, longest) duration in seconds, rounded to the millisecond."""
    return (seconds(amount.low.value, amount.low.unit, rates),
            seconds(amount.high.value, amount.high.unit, rates))


def seconds_per_rep(step: m.Step, rates: dict[m.Unit, float]) -> float | None:
    """How long one repetition of a step takes: its ``, 3s each``, else the routine's
    ``tempo: 1 rep = 3s``, else None (self-paced)."""
    if step.rep_time is not None:
        return amount_seconds(step.rep_time, rates)[1]
    return rates.get("rep")


def step_seconds(step: m.Step, rates: dict[m.Unit, float],
                 side: m.Side | None = None) -> tuple[float, float] | None:
    """A step's (shortest, longest) duration in seconds on ``side`` (None: not known, a
    per-side amount at its longer), or None when it is untimed: no amount (or a vague one,
    ``briefly``), or repetitions with no time per rep."""
    amount = step.amount_on(side)
    if amount is None:
        return None
    if amount.unit == "rep":
        per = seconds_per_rep(step, rates)
        if per is None:
            return None
        return round(amount.low.value * per, 3), round(amount.high.value * per, 3)
    return amount_seconds(amount, rates)


def expand(routine: m.Routine, limit: int = MAX_PERFORMED, *,
           earlier: Expansion | None = None) -> Expansion:
    """Expand the routine's body for its sides; see the module docstring.

    ``earlier``: the expansion of an earlier version of the same document (an editor's,
    after an edit), or an empty ``Expansion(())`` for its first version. The steps of each
    top-level item that is the very same node as then are taken from it instead of being
    expanded again (same tempo and switch); the result is the same either way.

    A routine with exercises runs them in order, each as a routine of its own
    (``dsl.model.as_routine``): its sides, its switch, its tempo."""
    exercises = routine.exercises
    if exercises:
        return _expand_exercises(routine, exercises, limit)
    builder = _Expander(routine, limit) if earlier is None \
        else _Reusing(routine, limit, earlier)
    try:
        builder.run()
    except _Full:
        return Expansion(tuple(builder.out), True, builder.rates, builder)
    return Expansion(tuple(builder.out), False, builder.rates, builder)


def _expand_exercises(routine: m.Routine, exercises: tuple[m.Exercise, ...],
                      limit: int) -> Expansion:
    """The exercises one after the other; the routine's ``MAX_PERFORMED`` is shared."""
    performed: list[Performed] = []
    sections: list[Section] = []
    truncated = False
    for exercise in exercises:
        seen = m.as_routine(routine, exercise)
        part = expand(seen, limit - len(performed))
        sections.append(Section(exercise, seen, part, len(performed)))
        number = len(sections) - 1
        performed.extend(
            [replace(p, section=number) for p in part.performed] if number else part.performed)
        if part.truncated:
            truncated = True
            break
    # The routine's own plan answers for repeats outside every exercise (the routine's
    # safety handlers), at the routine's tempo.
    plan = _Expander(routine, limit)
    return Expansion(tuple(performed), truncated, plan.rates, plan, tuple(sections))


def alternates(routine: m.Routine, repeat: m.Repeat) -> bool:
    """True when each pass of this repeat runs on both sides: a top-level repeat of a
    ``sides: alternating`` routine."""
    return routine.sides.mode == "alternating" and any(item is repeat for item in routine.body)


def longest_pass(routine: m.Routine, repeat: m.Repeat) -> float:
    """The longest one pass of a repeat takes: every range at its high end, inner repeats at
    their most passes, and for an alternating repeat both sides and the switch between."""
    return _Expander(routine, MAX_PERFORMED).longest_pass(
        repeat, 2 if alternates(routine, repeat) else 1)


class _Expander:
    def __init__(self, routine: m.Routine, limit: int,
                 trial: dict[int, int] | None = None) -> None:
        self.routine = routine
        self.limit = limit
        self.rates = seconds_per_unit(routine)
        self.out: list[Performed] = []
        self.switch = routine.first(m.Switch)
        # Pass counts by repeat: a nested repeat is entered once per outer pass.
        self._counts: dict[tuple[int, int], tuple[int, int]] = {}
        # Open repeats: their caps, worked out when the first is met; while capping, the
        # passes tried for each (by id()).
        self.caps: dict[int, Cap] | None = None
        self._trial = trial

    def run(self) -> None:
        sides = self.routine.sides
        body = self.routine.body
        if sides.mode == "none":
            self._block(body, None, (), (), False)
        elif sides.mode == "one":
            self._block(body, sides.first, (), (), False)
        elif sides.mode == "each":
            first, second = _order(sides.first)
            self._block(body, first, (), (), False)
            self._switch(second, (), (), False)
            self._block(body, second, (), (), False)
        else:
            # alternating: each pass of a top-level repeat runs on both sides; the other
            # top-level steps run once, tied to no side (with no repeat at all, nothing
            # alternates: that is V106, and the routine runs once).
            for item in body:
                if isinstance(item, m.Repeat):
                    self._repeat(item, None, (), (), False, alternate=_order(sides.first))
                else:
                    self._block((item,), None, (), (), False)

    def _emit(self, performed: Performed) -> None:
        if len(self.out) >= self.limit:
            raise _Full
        self.out.append(performed)

    def _switch(
        self, side: m.Side, repeats: tuple[m.Repeat, ...], passes: tuple[int, ...],
        optional: bool,
    ) -> None:
        source: m.Switch | m.Sides = self.switch or self.routine.sides
        seconds = self.switch_seconds()
        self._emit(Performed("switch", source, side, passes, optional, seconds, repeats))

    def _block(
        self, items: tuple[m.BlockItem, ...], side: m.Side | None,
        repeats: tuple[m.Repeat, ...], passes: tuple[int, ...], optional: bool,
    ) -> None:
        for item in items:
            if isinstance(item, m.Step):
                seconds = step_seconds(item, self.rates, side)
                self._emit(Performed(item.kind, item, side, passes, optional, seconds, repeats))
            elif isinstance(item, m.Repeat):
                self._repeat(item, side, repeats, passes, optional)
            elif isinstance(item, m.SideOnly) and (side is None or side == item.side):
                # Where no side is known (no sides, a handler), the block runs as written:
                # V116 says it means nothing there.
                self._block(item.body, side, repeats, passes, optional)

    def _repeat(
        self, repeat: m.Repeat, side: m.Side | None, repeats: tuple[m.Repeat, ...],
        passes: tuple[int, ...], optional: bool,
        alternate: tuple[m.Side, m.Side] | None = None,
    ) -> None:
        required, most = self.pass_counts(repeat, sides=2 if alternate else 1)
        inside = (*repeats, repeat)
        for number in range(1, most + 1):
            pass_optional = optional or number > required
            here = (*passes, number)
            if number > 1 and repeat.rest is not None:
                seconds = amount_seconds(repeat.rest.amount, self.rates)
                self._emit(Performed(
                    "rest", repeat.rest, side, here, pass_optional, seconds, inside))
            before = len(self.out)
            if alternate is None:
                self._block(repeat.body, side, inside, here, pass_optional)
            else:
                first, second = alternate
                if number > 1:
                    self._switch(first, inside, here, pass_optional)
                self._block(repeat.body, first, inside, here, pass_optional)
                self._switch(second, inside, here, pass_optional)
                self._block(repeat.body, second, inside, here, pass_optional)
            if len(self.out) == before:
                break  # a body with no steps (only standing cues): every pass is empty

    def pass_counts(self, repeat: m.Repeat, sides: int = 1) -> tuple[int, int]:
        """(passes the client always does, passes they may do at most)."""
        key = (id(repeat), sides)
        found = self._counts.get(key)
        if found is None:
            found = self._counts[key] = self._count_passes(repeat, sides)
        return found

    def _count_passes(self, repeat: m.Repeat, sides: int) -> tuple[int, int]:
        count = repeat.count
        if count.mode == "times":
            most = max(count.high or 0, 0)
            # The first pass cannot be skipped (a player stops only between passes), so
            # `repeat 0-3` still runs once: V102 says so.
            return min(max(count.low or 0, 1), most), most
        if count.mode == "up_to":
            return min(1, count.high or 0), max(count.high or 0, 0)
        if count.mode == "at_least":
            least = max(count.low or 0, 1)
            if count.high is not None:
                return min(least, count.high), max(count.high, 0)
            if self._trial is not None and id(repeat) in self._trial:
                return least, self._trial[id(repeat)]
            cap = self.cap(repeat)
            return least, cap.passes if cap is not None else least
        assert count.duration is not None
        low_bound, high_bound = amount_seconds(count.duration, self.rates)
        longest = self.longest_pass(repeat, sides)
        gap = 0.0  # what a later pass brings before its steps, at its longest
        if repeat.rest is not None:
            gap += amount_seconds(repeat.rest.amount, self.rates)[1]
        if sides == 2:
            gap += self._longest_switch()  # back to the first side
        if longest <= 0:
            return 1, 1  # untimed passes (V107): the time box cannot be planned
        most = _passes_within(high_bound, longest, gap)
        return min(max(_passes_within(low_bound, longest, gap), 1), most), most

    def cap(self, repeat: m.Repeat) -> Cap | None:
        """What caps an open repeat of the routine's body (None for any other repeat)."""
        if self.caps is None:
            self.caps = _capped(self.routine, self.limit)
        return self.caps.get(id(repeat))

    def longest_pass(self, repeat: m.Repeat, sides: int = 1) -> float:
        """The longest one pass of a repeat takes (untimed steps: 0 s); on both sides, with
        the switch between them, when ``sides`` is 2."""
        if sides == 1:
            return longest_block(repeat.body, self)
        # Each pass runs on both sides, and a one-side block or a per-side amount makes
        # the two differ.
        left = longest_block(repeat.body, self, "left")
        right = longest_block(repeat.body, self, "right")
        if left == right:
            return 2 * left + self._longest_switch()
        return left + self._longest_switch() + right

    def _longest_switch(self) -> float:
        switch = self.switch_seconds()
        return switch[1] if switch else 0.0

    def switch_seconds(self) -> tuple[float, float] | None:
        if self.switch is None or self.switch.amount is None:
            return None
        return amount_seconds(self.switch.amount, self.rates)


class _Reusing(_Expander):
    """An expander that remembers what each top-level item of the body expanded to on
    each side, and takes it from the earlier expansion when the item is the same node
    (unchanged by an edit): its steps do not depend on what stands around it, only on
    the tempo and the switch, which must be the same too."""

    def __init__(self, routine: m.Routine, limit: int, earlier: Expansion) -> None:
        super().__init__(routine, limit)
        self.runs: dict[tuple[int, m.Side | None], tuple[m.BlockItem, tuple[Performed, ...]]]
        self.runs = {}
        plan = earlier.plan
        # An open repeat's cap depends on the whole routine (its limits, the other
        # repeats): after an edit, nothing expanded with one is taken again.
        self._earlier = plan.runs if isinstance(plan, _Reusing) and not plan.caps \
            and plan.rates == self.rates \
            and plan.switch_seconds() == self.switch_seconds() else {}

    def _block(
        self, items: tuple[m.BlockItem, ...], side: m.Side | None,
        repeats: tuple[m.Repeat, ...], passes: tuple[int, ...], optional: bool,
    ) -> None:
        if repeats or optional:  # inside a repeat: expanded as usual
            super()._block(items, side, repeats, passes, optional)
            return
        for item in items:
            key = (id(item), side)
            found = self._earlier.get(key)
            if found is not None and found[0] is item \
                    and len(self.out) + len(found[1]) <= self.limit:
                self.out.extend(found[1])
                self.runs[key] = found
                continue
            start = len(self.out)
            super()._block((item,), side, repeats, passes, optional)
            self.runs[key] = (item, tuple(self.out[start:]))


def _open_repeats(items: tuple[m.BlockItem, ...], in_box: bool = False,
                  ) -> list[tuple[m.Repeat, bool]]:
    """The open repeats of a block, nested ones included, in source order, each with
    whether it stands inside a time box (where no limit caps it: a pass more would leave
    the box fewer passes, so only ``at most`` can)."""
    found: list[tuple[m.Repeat, bool]] = []
    for item in items:
        if isinstance(item, m.Repeat):
            if item.count.mode == "at_least":
                found.append((item, in_box))
            found.extend(_open_repeats(item.body, in_box or item.count.mode == "for"))
        elif isinstance(item, m.SideOnly):
            found.extend(_open_repeats(item.body, in_box))
    return found


def _capped(routine: m.Routine, limit: int) -> dict[int, Cap]:
    """Every open repeat's cap, by id(), in source order (see the module docstring)."""
    open_repeats = _open_repeats(routine.body)
    caps: dict[int, Cap] = {}
    trial = {id(r): max(r.count.low or 0, 1) for r, _ in open_repeats
             if r.count.high is None}
    limits = [lim for lim in routine.limits if lim.subject in CAPPING_LIMITS]
    for repeat, in_box in open_repeats:
        count = repeat.count
        if count.high is not None:
            caps[id(repeat)] = Cap(count.high, "at-most")
            continue
        least = trial[id(repeat)]
        if in_box or not limits:
            caps[id(repeat)] = Cap(least, None)
            continue

        sizes: dict[int, int] = {}  # steps performed, by passes tried

        def broken(passes: int, repeat: m.Repeat = repeat, least: int = least,
                   sizes: dict[int, int] = sizes) -> m.Limit | _TooMany | None:
            """The first limit broken with this many passes of the repeat, None, or
            ``TOO_MANY`` when the routine grows past ``limit`` steps first, or when its
            passes perform nothing (a standing cue alone, steps for the other side, or
            every step left out by a variant): then no limit ever stops more passes, and
            trying more would never end."""
            expander = _Expander(routine, limit, {**trial, id(repeat): passes})
            try:
                expander.run()
            except _Full:
                return TOO_MANY
            sizes[passes] = len(expander.out)
            if passes > least and sizes[passes] == sizes.get(least):
                return TOO_MANY
            return next((lim for lim in limits
                         if limit_broken(expander.out, lim, expander.rates)), None)

        cap = _largest_kept(least, broken)
        caps[id(repeat)] = cap
        trial[id(repeat)] = cap.passes
    return caps


class _TooMany:
    """More passes than the expansion holds: no limit broke before that."""


TOO_MANY = _TooMany()


def _largest_kept(least: int, broken: Callable[[int], m.Limit | _TooMany | None]) -> Cap:
    """The most passes from ``least`` up that break no limit: more passes never count
    fewer cycles or contractions nor take less time, so double until one breaks, then
    halve the gap. ``least`` itself breaking a limit caps at ``least`` (L101 reports it);
    a routine too long to expand before any limit breaks is not capped (L106)."""
    first = broken(least)
    if isinstance(first, m.Limit):
        return Cap(least, "limit", first)
    if first is not None:
        return Cap(least, None)
    good, step = least, 1
    while True:
        found = broken(good + step)
        if found is None:
            good, step = good + step, step * 2
            continue
        if not isinstance(found, m.Limit):
            return Cap(least, None)
        bad, failed = good + step, found
        break
    while bad - good > 1:
        middle = (good + bad) // 2
        found = broken(middle)
        if isinstance(found, m.Limit):
            bad, failed = middle, found
        else:  # fewer steps than at `bad`, which fitted: never too many
            good = middle
    return Cap(good, "limit", failed)


def limit_broken(performed: Sequence[Performed], limit: m.Limit,
                 rates: dict[m.Unit, float]) -> bool:
    """Whether a run of the routine at its longest breaks a counted or total limit (the
    same counting as the checker's L101: per side or per routine)."""
    per_side = limit.per == "side"
    counts: dict[m.Side | None, float] = {}
    if limit.subject == "cycles":
        for cycle in contraction_cycles(performed):
            key = cycle[0].side if per_side else None
            counts[key] = counts.get(key, 0) + 1
    elif limit.subject == "contractions":
        for item in performed:
            if item.kind == CONTRACTION and item.step is not None:
                key = item.side if per_side else None
                counts[key] = counts.get(key, 0) + 1
    else:
        bound = seconds(limit.value, limit.unit, rates) \
            if limit.unit in ("s", "count", "breath") else limit.value
        for item in performed:
            if item.seconds is not None:
                key = item.side if per_side else None
                counts[key] = counts.get(key, 0.0) + item.seconds[1]
        return any(total > bound + 1e-9 for total in counts.values())
    return any(count > limit.value for count in counts.values())


def longest_block(items: tuple[m.BlockItem, ...], expander: _Expander,
                  side: m.Side | None = None) -> float:
    """The longest a block takes on ``side`` (None: whichever side, so every one-side
    block counts and every per-side amount at its longer): every range at its high end,
    every repeat at its most passes (untimed steps: 0 s)."""
    longest = 0.0
    for item in items:
        if isinstance(item, m.Step):
            timed = step_seconds(item, expander.rates, side)
            longest += timed[1] if timed is not None else 0.0
        elif isinstance(item, m.Repeat):
            _, most = expander.pass_counts(item)
            if most == 0:
                continue  # never runs (and its pass time may be unbounded: 0 * inf)
            if side is not None and not _steps_on(item.body, side):
                continue  # nothing to do on this side: no passes, no rests (see _repeat)
            rest = amount_seconds(item.rest.amount, expander.rates)[1] if item.rest else 0.0
            one_pass = expander.longest_pass(item) if side is None \
                else longest_block(item.body, expander, side)
            longest += most * one_pass + (most - 1) * rest
        elif isinstance(item, m.SideOnly) and (side is None or side == item.side):
            longest += longest_block(item.body, expander, side)
    return longest


def _steps_on(items: tuple[m.BlockItem, ...], side: m.Side) -> bool:
    """True when a block has a step to run on ``side`` (one-side blocks for the other side
    left out)."""
    for item in items:
        if isinstance(item, m.Step):
            return True
        if isinstance(item, m.Repeat) and _steps_on(item.body, side):
            return True
        if isinstance(item, m.SideOnly) and item.side == side and _steps_on(item.body, side):
            return True
    return False


def _passes_within(bound: float, longest: float, gap: float) -> int:
    """The most passes ``k`` with ``k * longest + (k - 1) * gap <= bound``: the passes of a
    time box that fit in ``bound`` at their longest. Past the cap when huge."""
    quotient = (bound + gap) / (longest + gap)
    if not math.isfinite(quotient) or quotient > MAX_PERFORMED:
        return MAX_PERFORMED + 1
    passes = max(math.floor(quotient), 0)
    # Amounts are decimals: let a bound that is met exactly count as met.
    tolerance = 1e-9 * max(1.0, abs(bound))
    while passes * longest + (passes - 1) * gap > bound + tolerance and passes > 0:
        passes -= 1
    while (passes + 1) * longest + passes * gap <= bound + tolerance:
        passes += 1
    return passes


CONTRACTION = "contract"
"""The one step kind that loads a muscle: what `limit contractions`, cycles and S103 count."""


def pass_boundary(before: Performed, after: Performed) -> bool:
    """True when ``after`` starts the next pass of a repeat run ``before`` is in: at some
    level both are in the same passes of the same repeats above, and in the same repeat
    with ``after``'s pass number one more (docs/json.md, "A pass boundary")."""
    for level, (here, there) in enumerate(zip(before.repeats, after.repeats, strict=False)):
        if here is not there:
            return False
        if before.passes[level] != after.passes[level]:
            return after.passes[level] == before.passes[level] + 1
    return False


def contraction_cycles(performed: Sequence[Performed]) -> list[list[Performed]]:
    """The contract-relax cycles of a sequence of performed steps, each as its contractions.

    A cycle is a maximal run of consecutive contractions on one side: any other step, a
    change of side, a pass boundary, the end of an exercise or the end ends it
    (docs/language.md, "Limits"). So
    ``repeat 4:`` around ``contract`` + ``hold`` is 4 cycles, and so is ``repeat 4:`` around
    a lone ``contract``; "press, then drag" (two contractions, then relax) is one.
    """
    cycles: list[list[Performed]] = []
    current: list[Performed] | None = None
    for item in performed:
        if item.kind != CONTRACTION:
            current = None
        elif (current is not None and item.side == current[-1].side
              and item.section == current[-1].section
              and not pass_boundary(current[-1], item)):
            current.append(item)
        else:
            current = [item]
            cycles.append(current)
    return cycles


def _order(first: m.Side | None) -> tuple[m.Side, m.Side]:
    return ("right", "left") if first == "right" else ("left", "right")
