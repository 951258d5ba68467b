"""The routine as it will run: repeats and sides expanded into one flat sequence.

Both the compiler (the player's timeline) and the checker (limits such as "at most 3
contract-relax cycles per side") read the routine this way, so they can never disagree on
what "as it will run" means.

Repeats are expanded to their upper bound: a player may stop early, never go further.
Passes beyond the lower bound are marked ``optional``. A repeat bounded by time
(``repeat for 2-3m``) gets as many passes as could fit in its upper bound when every step
takes its shortest time. Expansion stops at ``MAX_PERFORMED`` steps (``truncated``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from . import model as m

MAX_PERFORMED = 10_000
"""The most steps an expanded routine may have; beyond it the expansion is cut short."""

DEFAULT_SECONDS: dict[m.Unit, float] = {"s": 1.0, "count": 1.0, "breath": 5.0}
"""Seconds per unit when the routine states no tempo: 1 count = 1s, 1 breath = 5s."""

SHORTEST_RATE = 0.0005
"""A tempo rate below this many seconds is ignored (it would round to 0 ms)."""


@dataclass(frozen=True, slots=True)
class Performed:
    """One step as the client performs it.

    ``kind`` is the step's kind, or ``switch`` (changing sides) or ``rest`` (a rest
    between passes of a repeat) for steps the expansion inserts. ``source`` is the node the
    step comes from (a Step, the routine's Switch, a repeat's RestBetween, or the Sides
    declaration for a switch the routine did not spell out). ``repeats`` are the repeats
    the step is inside, outermost first, and ``passes`` the 1-based pass number of each.
    """

    kind: str
    source: m.Step | m.Switch | m.RestBetween | m.Sides
    side: m.Side | None
    passes: tuple[int, ...]
    optional: bool
    seconds: tuple[float, float] | None  # (shortest, longest); None when untimed
    repeats: tuple[m.Repeat, ...] = ()

    @property
    def step(self) -> m.Step | None:
        return self.source if isinstance(self.source, m.Step) else None


@dataclass(frozen=True, slots=True)
class Expansion:
    performed: tuple[Performed, ...]
    truncated: bool = False
    tempo: dict[m.Unit, float] = field(default_factory=dict)


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


def amount_seconds(amount: m.Amount, rates: dict[m.Unit, float]) -> tuple[float, float]:
    """An amount's (shortest, longest) duration in seconds."""
    return (amount.low.value * rates[amount.low.unit], amount.high.value * rates[amount.high.unit])


def pass_counts(routine: m.Routine, repeat: m.Repeat, *, alternating: bool = False) -> tuple[
    int, int
]:
    """(passes the client always does, passes they may do at most) for one of the routine's
    repeats; ``alternating`` when each pass runs on both sides (it takes twice as long)."""
    return pass_counter(routine)(repeat, alternating)


def pass_counter(routine: m.Routine) -> Callable[[m.Repeat, bool], tuple[int, int]]:
    """``pass_counts`` for many repeats of one routine, reading its tempo once."""
    expander = _Expander(routine, MAX_PERFORMED)
    return lambda repeat, alternating: expander.pass_counts(repeat, 2 if alternating else 1)


def expand(routine: m.Routine, limit: int = MAX_PERFORMED) -> Expansion:
    """Expand the routine's body for its sides; see the module docstring."""
    builder = _Expander(routine, limit)
    try:
        builder.run()
    except _Full:
        return Expansion(tuple(builder.out), True, builder.rates)
    return Expansion(tuple(builder.out), False, builder.rates)


class _Expander:
    def __init__(self, routine: m.Routine, limit: int) -> None:
        self.routine = routine
        self.limit = limit
        self.rates = seconds_per_unit(routine)
        self.out: list[Performed] = []
        self.switch = routine.first(m.Switch)
        # Pass counts by repeat: a nested repeat is entered once per outer pass.
        self._counts: dict[tuple[int, int], tuple[int, int]] = {}

    def run(self) -> None:
        sides = self.routine.sides
        body = self.routine.body
        if sides.mode == "none":
            self._block(body, None, (), (), False)
        elif sides.mode == "one":
            self._block(body, sides.first, (), (), False)
        elif sides.mode == "each" or not any(isinstance(i, m.Repeat) for i in body):
            first, second = _order(sides.first)
            self._block(body, first, (), (), False)
            self._switch(second, (), (), False)
            self._block(body, second, (), (), False)
        else:  # alternating: each pass of a top-level repeat runs on both sides
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
        seconds = None
        if self.switch is not None and self.switch.amount is not None:
            seconds = amount_seconds(self.switch.amount, self.rates)
        self._emit(Performed("switch", source, side, passes, optional, seconds, repeats))

    def _block(
        self, items: tuple[m.BlockItem, ...], side: m.Side | None,
        repeats: tuple[m.Repeat, ...], passes: tuple[int, ...], optional: bool,
    ) -> None:
        for item in items:
            if isinstance(item, m.Step):
                seconds = amount_seconds(item.amount, self.rates) if item.amount else None
                self._emit(Performed(item.kind, item, side, passes, optional, seconds, repeats))
            elif isinstance(item, m.Repeat):
                self._repeat(item, side, repeats, passes, optional)

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
            return max(count.low or 0, 0), max(count.high or 0, 0)
        if count.mode == "up_to":
            return min(1, count.high or 0), max(count.high or 0, 0)
        assert count.duration is not None
        low_bound, high_bound = amount_seconds(count.duration, self.rates)
        shortest, longest = self.pass_seconds(repeat)
        shortest, longest = shortest * sides, longest * sides
        if shortest <= 0:
            return 1, 1  # untimed passes: the time bound cannot be planned ahead
        most = _whole_passes(high_bound / shortest)
        required = _whole_passes(low_bound / longest) if longest > 0 else 1
        return min(required, most), most

    def pass_seconds(self, repeat: m.Repeat) -> tuple[float, float]:
        """The shortest and longest time one pass of a repeat takes (untimed steps: 0)."""
        return block_seconds(repeat.body, self)


def block_seconds(items: tuple[m.BlockItem, ...], expander: _Expander) -> tuple[float, float]:
    shortest = longest = 0.0
    for item in items:
        if isinstance(item, m.Step) and item.amount is not None:
            low, high = amount_seconds(item.amount, expander.rates)
            shortest += low
            longest += high
        elif isinstance(item, m.Repeat):
            required, most = expander.pass_counts(item)
            if most == 0:
                continue  # never runs (and its pass time may be unbounded: 0 * inf)
            low, high = expander.pass_seconds(item)
            rest_low = rest_high = 0.0
            if item.rest is not None:
                rest_low, rest_high = amount_seconds(item.rest.amount, expander.rates)
            if required:
                shortest += required * low + (required - 1) * rest_low
            longest += most * high + (most - 1) * rest_high
    return shortest, longest


def _whole_passes(quotient: float) -> int:
    """How many whole passes fit: at least 1; past the cap when the quotient is huge."""
    if not math.isfinite(quotient) or quotient > MAX_PERFORMED:
        return MAX_PERFORMED + 1
    return max(1, math.floor(quotient + 1e-9))


def _order(first: m.Side | None) -> tuple[m.Side, m.Side]:
    return ("right", "left") if first == "right" else ("left", "right")
