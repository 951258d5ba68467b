"""A deliberately simple reference interpreter for what a *run* of a routine is.

It enumerates every way a client can perform a (small) routine and computes the figures the
compiled JSON and the checker must get exactly right: the minimum and the maximum of each
figure over all runs. It is written from the specification of runs alone (contract 2.0.0,
summarised in docs/json.md) and imports only ``dsl.syntax.parser``, ``dsl.model`` and the standard
library, never the expansion, compiler or checker it is used to test
(``tests/test_reference_imports.py`` keeps it so).

Nothing here is clever: runs are plain recursive generators of entry sequences, the figures
of each run are computed from its entries, and min/max are taken over the runs. Keep the
routines small (the property tests bound the number of runs): the number of runs is the
product of every choice the client has.

What a run chooses (and so what is enumerated):

- for each *repeat run* (each time a repeat statement is reached), its number of passes, every
  whole number in its range (``times``: [max(a, 1), b], ``b == 0`` never runs; ``up to b``:
  [1, b]; ``for A-B``: the planned range, from the longest pass ``P`` and the longest extra
  time ``G`` a later pass brings before its body; ``at least a, at most b``: [max(a, 1), b];
  ``at least a`` alone: [max(a, 1), c] with the cap ``c`` found by trying one pass more at a
  time from ``a``, as long as no run breaks a ``cycles``, ``contractions`` or ``total`` limit of
  the routine, the open repeats before it at their caps and those after it at their ``a``;
  one that no limit caps, or inside a time box or a handler, is a diagnostic, not a run);
- for each performed occurrence of a ranged amount (a step's, a ranged ``switch``'s, a ranged
  rest between passes), a value on **the grid**: from the low end to the high end in steps of
  the amount's *resolution* as written, ``1/d`` of its unit where ``d`` is the least common
  denominator of the two ends (whole numbers step by 1, ``1.5-2.5s`` by 0.5, ``0.25``-ends by
  0.25). Minutes are already seconds in the model, so ``1-2m`` steps by 1 s (61 values: the
  generators never write ranged minutes). Both ends are always on the grid, and every figure
  is a sum or a comparison of such values, so every extreme is reached on the grid: the
  enumeration is exact, not a sample.

  A routine with parameters is read with each parameter at its default, written out as
  a coach would write it by hand (``_written_out``).

  ``ends_only=True`` takes only the two ends of each range instead (every figure is
  monotone in each amount, so the extremes are the same; ``tests/test_exact_figures.py``
  checks that the two agree). It is for hand-written routines too big for the full grid,
  such as the seed example with its ``5-15 counts``.

Times are exact fractions (``fractions.Fraction``) throughout; counts and breaths become
seconds by the routine's tempo (default 1 count = 1 s, 1 breath = 5 s).

The public functions take the source text of a routine (or a parsed file): ``runs``,
``count_runs``, ``figures``, ``broken_limits``. Entries are keyed by
``(origin, line, side, passes)`` with ``passes`` = ((repeat line, pass number), ...) outermost
first; a switch's line is the ``switch`` statement's (the ``sides`` line when there is none),
a rest between passes has its repeat's line (the rest is written on it).

A routine with exercises (contract 2.1.0, docs/language.md "Exercises") runs its exercises
one after the other: a run is one run of each exercise, in order, each run as a routine of
its own with the ``tempo:``, ``sides:`` and ``switch`` it sets, else the routine's. Its
entries' ``passes`` start with ``(exercise line, 0)`` (so the keys of two exercises never
meet), and a contraction cycle never runs from one exercise into the next. Limits: the
routine's limits counted per routine bound the whole run; its other limits bound each
exercise's part (per side within it), unless the exercise bounds the same subject and scope
as strictly itself (then only the stricter is checked: a run that breaks the looser breaks
it too); the exercise's own limits bound its part. ``for <group>:`` limits likewise, group
by group.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

from dsl import model as m
from dsl.syntax.parser import ParsedFile, parse

Passes = tuple[tuple[int, int], ...]
Key = tuple[str, int, str | None, Passes]
CueKey = tuple[Key, int]
Range = tuple[Fraction, Fraction]


class Entry(NamedTuple):
    """One performed entry of a run, with the values this run chose."""

    origin: str  # "step", "switch" or "restBetween"
    line: int
    kind: str
    side: str | None
    passes: Passes
    ticks: int | None  # how long, in the interpreter's ticks; None: untimed (counts 0 s)
    effort: float | None  # the high end of an `at X%` / `at X-Y%` intensity
    cues: tuple[tuple[int, int], ...]  # (cue line, offset in ticks)
    exercise: int | None = None  # the exercise's line, in a routine with exercises
    reps: int | None = None  # repetitions this run does, for a step in repetitions

    @property
    def key(self) -> Key:
        return (self.origin, self.line, self.side, self.passes)


class RepeatRun(NamedTuple):
    """A marker in a run's sequence: the repeat on ``line`` was reached and ran ``n`` passes."""

    line: int
    n: int


Item = Entry | RepeatRun
Seq = tuple[Item, ...]


@dataclass(frozen=True)
class Run:
    """One run: its entries in performed order and the repeat runs it reached. Times in the
    entries are in ticks: ``seconds(entry)`` gives seconds."""

    entries: tuple[Entry, ...]
    repeat_runs: tuple[RepeatRun, ...]
    scale: int

    def seconds(self, entry: Entry) -> Fraction | None:
        return None if entry.ticks is None else Fraction(entry.ticks, self.scale)


def _fraction(value: float) -> Fraction:
    # str() is the float's shortest spelling: 0.1 reads back as 1/10, not 0.10000000000000000555.
    return Fraction(str(value))


def _total(seq: Seq) -> int:
    return sum(e.ticks for e in seq if isinstance(e, Entry) and e.ticks is not None)


def _repeats(items: tuple[m.BlockItem, ...]) -> Iterator[m.Repeat]:
    for item in items:
        if isinstance(item, m.Repeat):
            yield item
            yield from _repeats(item.body)
        elif isinstance(item, m.SideOnly):
            yield from _repeats(item.body)


REACH = 12
"""The most passes above its floor the reference tries for an open repeat's cap."""
MAX_CAP_RUNS = 20_000
"""The most runs the reference enumerates to try one cap."""


class _Interpreter:
    """Times inside are whole numbers of *ticks*, 1/scale of a second, with scale the least
    common denominator of every time the routine can produce: exact, and fast to add."""

    def __init__(self, routine: m.Routine, ends_only: bool = False,
                 exercise: m.Exercise | None = None, *, source: str = "",
                 trial: dict[int, int] | None = None) -> None:
        """``exercise``: interpret that exercise of the routine (its settings, else the
        routine's) instead of the routine's own body. ``trial``: passes tried for open
        repeats, by line, while capping them."""
        self.routine = routine
        self.ends_only = ends_only
        self.exercise = exercise
        self.root: Passes = ((exercise.span.line, 0),) if exercise else ()
        self.body = exercise.body if exercise else routine.body
        own = exercise.handlers if exercise else ()
        self.handlers = (*own, *(h for h in ([] if exercise else routine.handlers)))
        self.source = source
        self.trial = trial or {}
        self._caps: dict[int, int] | None = None
        self.count_seconds = Fraction(1)
        self.breath_seconds = Fraction(5)
        self.rep_seconds: Fraction | None = None  # repetitions are self-paced by default
        tempo = self.setting(m.Tempo)
        if tempo is not None:
            seen: set[str] = set()
            for rate in tempo.rates:  # the first rate given for a unit counts
                if rate.unit in seen:
                    continue
                seen.add(rate.unit)
                if rate.unit == "count":
                    self.count_seconds = _fraction(rate.seconds)
                elif rate.unit == "breath":
                    self.breath_seconds = _fraction(rate.seconds)
                elif rate.unit == "rep":
                    self.rep_seconds = _fraction(rate.seconds)
        self.sides = self.setting(m.Sides) or m.Sides("none")
        self.switch = self.setting(m.Switch)
        self.switch_line = self.switch.span.line if self.switch else self.sides.span.line
        self._longest: dict[tuple[int, bool], tuple[int, int]] = {}
        self._choices: dict[int, list[int | None]] = {}
        self.scale = 1
        self.scale = math.lcm(*(t.denominator for t in self._every_time()))

    def setting(self, kind: type[Any]) -> Any:
        """The first statement of a kind: the exercise's, else the routine's."""
        if self.exercise is not None:
            found = self.exercise.first(kind)
            if found is not None:
                return found
        return self.routine.first(kind)

    def limits(self) -> Iterator[tuple[str | None, m.Limit]]:
        """Every limit written where this interpreter's steps are (group name or None)."""
        holder: m.Routine | m.Exercise = self.exercise or self.routine
        for item in holder.items:
            if isinstance(item, m.Limit):
                yield None, item
            elif isinstance(item, m.Group):
                yield from ((item.name, limit) for limit in item.limits)

    def _every_time(self) -> Iterator[Fraction]:
        """Every time in seconds the routine can produce (to choose the tick)."""
        yield Fraction(1)
        blocks = [self.body, *(h.body for h in self.handlers)]
        amounts: list[m.Amount | None] = [self.switch.amount if self.switch else None]
        quantities: list[m.Quantity] = []
        for block in blocks:
            for step in m.walk_steps(block):
                if step.amount is not None and step.amount.unit == "rep":
                    yield from (t for _, t in self.rep_choices(step) if t is not None)
                else:
                    amounts.append(step.amount)
                if step.by_side is not None:
                    amounts += [step.by_side.left, step.by_side.right]
                quantities += [c.at for c in step.cues if c.at is not None]
            for repeat in _repeats(block):
                if repeat.rest is not None:
                    amounts.append(repeat.rest.amount)
                if repeat.count.duration is not None:
                    quantities += [repeat.count.duration.low, repeat.count.duration.high]
        limits = [*self.routine.limits, *(limit for item in self.routine.items
                                          if isinstance(item, m.Group) for limit in item.limits)]
        limits += [limit for _, limit in self.limits()]
        quantities += [m.Quantity(limit.value, limit.unit) for limit in limits
                       if limit.unit in ("s", "count", "breath")]
        for amount in amounts:
            yield from (t for t in self._grid(amount) if t is not None)
        yield from (self.exact(q) for q in quantities)

    # --- amounts -----------------------------------------------------------------------

    def exact(self, quantity: m.Quantity) -> Fraction:
        """A quantity in seconds, exactly (counts and breaths by the tempo)."""
        value = _fraction(quantity.value)
        if quantity.unit == "count":
            return value * self.count_seconds
        if quantity.unit == "breath":
            return value * self.breath_seconds
        return value

    def ticks(self, quantity: m.Quantity) -> int:
        value = self.exact(quantity) * self.scale
        assert value.denominator == 1, quantity
        return int(value)

    def _grid(self, amount: m.Amount | None) -> list[Fraction | None]:
        """The grid of an amount, in seconds; [None] for an untimed step."""
        if amount is None:
            return [None]
        low, high = _fraction(amount.low.value), _fraction(amount.high.value)
        if low == high:
            return [self.exact(amount.high)]
        if low > high:
            raise ValueError(f"inverted range {amount} (a diagnostic, not a run)")
        step = Fraction(1, math.lcm(low.denominator, high.denominator))
        if self.ends_only:
            step = high - low
        values: list[Fraction | None] = []
        value = low
        while value <= high:
            values.append(self.exact(m.Quantity(float(value), amount.unit)))
            value += step
        return values

    def per_rep(self, step: m.Step) -> Fraction | None:
        """Seconds one repetition takes: the step's `, Xs each`, else the tempo's, else
        None (self-paced)."""
        if step.rep_time is not None:
            return self.exact(step.rep_time.high)
        return self.rep_seconds

    def rep_choices(self, step: m.Step) -> list[tuple[int, Fraction | None]]:
        """Every number of repetitions a run may do (whole numbers from the low end to the
        high end; only the ends with ``ends_only``), each with its time in seconds."""
        assert step.amount is not None
        low, high = int(step.amount.low.value), int(step.amount.high.value)
        counts = [low, high] if self.ends_only and low != high else list(range(low, high + 1))
        per = self.per_rep(step)
        return [(n, None if per is None else n * per) for n in counts]

    def choices(self, amount: m.Amount | None) -> list[int | None]:
        """The grid of an amount, in ticks."""
        if id(amount) not in self._choices:
            values = [None if t is None else t * self.scale for t in self._grid(amount)]
            assert all(t is None or t.denominator == 1 for t in values)
            self._choices[id(amount)] = [None if t is None else int(t) for t in values]
        return self._choices[id(amount)]

    # --- sequences -----------------------------------------------------------------------

    def sequence(self, parts: list[Callable[[], Iterator[Seq]]]) -> Iterator[Seq]:
        """Every concatenation of one alternative of each part, in order."""
        if not parts:
            yield ()
            return
        for head in parts[0]():
            for tail in self.sequence(parts[1:]):
                yield head + tail

    def block(self, items: tuple[m.BlockItem, ...], side: str | None,
              path: Passes) -> Iterator[Seq]:
        return self.sequence([_bind(self.item, i, side, path) for i in items])

    def item(self, item: m.BlockItem, side: str | None, path: Passes) -> Iterator[Seq]:
        if isinstance(item, m.Step):
            yield from self.step(item, side, path)
        elif isinstance(item, m.Repeat):
            yield from self.repeat(item, side, path, alternating=False)
        elif isinstance(item, m.SideOnly) and (side is None or side == item.side):
            # `left only:` runs on its side; where no side is known, as if not there.
            yield from self.block(item.body, side, path)
        else:  # a posture block is not performed, nor a block for the other side
            yield ()

    def step(self, step: m.Step, side: str | None, path: Passes) -> Iterator[Seq]:
        effort = None
        if step.intensity is not None and step.intensity.effort_high is not None:
            effort = step.intensity.effort_high
        cues = tuple((c.span.line, self.ticks(c.at) if c.at else 0) for c in step.cues)
        line, exercise = step.span.line, self.exercise_line
        if step.amount is not None and step.amount.unit == "rep":
            for reps, time in self.rep_choices(step):
                ticks = None if time is None else int(time * self.scale)
                yield (Entry("step", line, step.kind, side, path, ticks, effort, cues, exercise,
                             reps),)
            return
        amount = step.amount  # per side: that side's; on no side, the longer
        if step.by_side is not None and side is not None:
            amount = step.by_side.left if side == "left" else step.by_side.right
        for ticks in self.choices(amount):
            yield (Entry("step", line, step.kind, side, path, ticks, effort, cues, exercise),)

    def switch_to(self, side: str, path: Passes) -> Iterator[Seq]:
        amount = self.switch.amount if self.switch else None
        for ticks in self.choices(amount):
            yield (Entry("switch", self.switch_line, "switch", side, path, ticks, None, (),
                         self.exercise_line),)

    def rest_between(self, repeat: m.Repeat, side: str | None, path: Passes) -> Iterator[Seq]:
        assert repeat.rest is not None
        for ticks in self.choices(repeat.rest.amount):
            yield (Entry("restBetween", repeat.rest.span.line, "rest", side, path, ticks,
                         None, (), self.exercise_line),)

    # --- repeats -------------------------------------------------------------------------

    def repeat(self, repeat: m.Repeat, side: str | None, path: Passes,
               alternating: bool) -> Iterator[Seq]:
        if side is not None and not _has_steps(repeat.body, side):
            yield ()  # nothing of it runs on this side: no passes, no rests between
            return
        low, high = self.pass_range(repeat, alternating)
        for n in range(low, high + 1):
            for seq in self.passes(repeat, 1, n, side, path, alternating):
                yield (RepeatRun(repeat.span.line, n), *seq)

    def passes(self, repeat: m.Repeat, k: int, n: int, side: str | None, path: Passes,
               alternating: bool) -> Iterator[Seq]:
        if k > n:
            yield ()
            return
        for this in self.one_pass(repeat, k, side, path, alternating):
            for later in self.passes(repeat, k + 1, n, side, path, alternating):
                yield this + later

    def one_pass(self, repeat: m.Repeat, k: int, side: str | None, path: Passes,
                 alternating: bool) -> Iterator[Seq]:
        inside = (*path, (repeat.span.line, k))
        parts: list[Callable[[], Iterator[Seq]]] = []
        if k >= 2 and repeat.rest is not None:
            parts.append(_bind(self.rest_between, repeat, side, inside))
        if alternating:
            first = self.sides.first or "left"
            second = _other(first)
            if k >= 2:
                parts.append(_bind(self.switch_to, first, inside))
            parts.append(_bind(self.block, repeat.body, first, inside))
            parts.append(_bind(self.switch_to, second, inside))
            parts.append(_bind(self.block, repeat.body, second, inside))
        else:
            parts.append(_bind(self.block, repeat.body, side, inside))
        return self.sequence(parts)

    def pass_range(self, repeat: m.Repeat, alternating: bool) -> tuple[int, int]:
        count = repeat.count
        if count.mode == "times":
            assert count.low is not None and count.high is not None
            if count.high == 0:
                return (0, 0)
            low = max(count.low, 1)
            if low > count.high:
                raise ValueError(f"inverted repeat count on line {repeat.span.line}")
            return (low, count.high)
        if count.mode == "up_to":
            assert count.high is not None
            if count.high < 1:
                raise ValueError(f"`repeat up to {count.high}` on line {repeat.span.line}")
            return (1, count.high)
        if count.mode == "at_least":
            assert count.low is not None
            low = max(count.low, 1)
            if count.high is not None:
                if low > count.high:
                    raise ValueError(f"inverted open repeat on line {repeat.span.line}")
                return (low, count.high)
            line = repeat.span.line
            if line in self.trial:
                return (low, self.trial[line])
            caps = self.open_caps()
            if line not in caps:
                raise ValueError(f"an open repeat no limit caps (line {line})")
            return (low, caps[line])
        assert count.duration is not None
        shortest_box = self.ticks(count.duration.low)
        longest_box = self.ticks(count.duration.high)
        longest_pass, longest_gap = self.longest(repeat, alternating)
        if longest_pass == 0 and longest_gap == 0:
            raise ValueError(f"a time box of passes that take no time (line {repeat.span.line})")

        def fitting(bound: int) -> int:
            k = 0
            while (k + 1) * longest_pass + k * longest_gap <= bound:
                k += 1
            return k

        most = fitting(longest_box)
        return (min(max(fitting(shortest_box), 1), most), most)

    def longest(self, repeat: m.Repeat, alternating: bool) -> tuple[int, int]:
        """P, the longest one pass can take (found by enumerating pass 1: every choice in it
        is made in every way), and G, the longest extra time a later pass brings before its
        body (the rest between, and the switch back for an alternating repeat)."""
        cache_key = (repeat.span.line, alternating)
        if cache_key not in self._longest:
            longest_pass = max(_total(seq) for seq in
                               self.one_pass(repeat, 1, None, (), alternating))
            gap = 0
            if repeat.rest is not None:
                gap += max(t or 0 for t in self.choices(repeat.rest.amount))
            if alternating:
                amount = self.switch.amount if self.switch else None
                gap += max(t or 0 for t in self.choices(amount))
            self._longest[cache_key] = (longest_pass, gap)
        return self._longest[cache_key]

    def capping_limits(self) -> list[_Limit]:
        """The limits that bound this interpreter's runs: the routine's; in an exercise,
        its own and the routine's but those counted per routine (which bound the whole)."""
        if self.exercise is None:
            return checked_limits(self, self.routine, self.source)
        own = checked_limits(self, self.exercise, self.source)
        theirs = [c for c in checked_limits(self, self.routine, self.source)
                  if not (c.subject in ("cycles", "contractions", "total")
                          and c.scope == "routine")]
        return own + theirs

    def open_caps(self) -> dict[int, int]:
        """The cap of each open repeat of the body with no ``at most``, by line: one pass
        more at a time while no run breaks a capping limit."""
        if self._caps is not None:
            return self._caps
        limits = [c for c in self.capping_limits()
                  if c.code == "L101" and c.subject in ("cycles", "contractions", "total")]
        boxed: set[int] = set()
        for repeat in _repeats(self.body):
            if repeat.count.mode == "for":
                boxed |= {r.span.line for r in _repeats(repeat.body)}
        open_repeats = [r for r in _repeats(self.body)
                        if r.count.mode == "at_least" and r.count.high is None
                        and r.span.line not in boxed]
        trial = {r.span.line: max(r.count.low or 0, 1) for r in open_repeats}
        caps: dict[int, int] = {}

        def breaks(line: int, passes: int) -> bool:
            # The ends of ranges are enough: these limits only grow with every amount.
            tried = _Interpreter(self.routine, True, self.exercise, source=self.source,
                                 trial={**trial, line: passes})
            for number, seq in enumerate(tried.routine_runs()):
                if number > MAX_CAP_RUNS:
                    raise ValueError("too many runs to cap an open repeat")
                run = _split(seq, tried.scale)
                tally = _tally(run.entries)
                if any(_breaks(c, run.entries, tally) for c in limits):
                    return True
            return False

        for repeat in open_repeats:
            line = repeat.span.line
            passes = trial[line]
            if limits and not breaks(line, passes):
                while not breaks(line, passes + 1):
                    passes += 1
                    if passes > trial[line] + REACH:
                        raise ValueError(f"the cap of the open repeat on line {line} is "
                                         "beyond the reference's reach")
            elif not limits:
                continue
            caps[line] = trial[line] = passes
        self._caps = caps
        return caps

    # --- the routine ---------------------------------------------------------------------

    @property
    def exercise_line(self) -> int | None:
        return self.exercise.span.line if self.exercise else None

    def routine_runs(self) -> Iterator[Seq]:
        body = self.body
        root = self.root
        mode, first = self.sides.mode, self.sides.first
        if mode == "none":
            return self.block(body, None, root)
        if mode == "one":
            return self.block(body, first, root)
        first = first or "left"
        second = _other(first)
        if mode == "each":
            return self.sequence([
                _bind(self.block, body, first, root),
                _bind(self.switch_to, second, root),
                _bind(self.block, body, second, root),
            ])
        # alternating: top-level steps once with no side, top-level repeats alternate.
        parts: list[Callable[[], Iterator[Seq]]] = []
        for item in body:
            if isinstance(item, (m.Step, m.SideOnly)):
                parts.append(_bind(self.item, item, None, root))
            elif isinstance(item, m.Repeat):
                parts.append(_bind(self.repeat, item, None, root, True))
        return self.sequence(parts)

    def handler_runs(self, handler: m.SafetyHandler) -> Iterator[Seq]:
        return self.block(handler.body, None, ())


def _has_steps(items: tuple[m.BlockItem, ...], side: str) -> bool:
    """Whether a block has a step that runs on ``side``."""
    for item in items:
        if isinstance(item, m.Step):
            return True
        if isinstance(item, m.Repeat) and _has_steps(item.body, side):
            return True
        if isinstance(item, m.SideOnly) and item.side == side and _has_steps(item.body, side):
            return True
    return False


class _Programme:
    """A routine with exercises: one interpreter per exercise, all on one tick, and one for
    the routine itself (its tempo gives the routine-wide limits their ticks)."""

    def __init__(self, routine: m.Routine, ends_only: bool = False, source: str = "") -> None:
        self.routine = routine
        self.top = _Interpreter(routine, ends_only, source=source)
        self.parts = [_Interpreter(routine, ends_only, exercise, source=source)
                      for exercise in routine.items if isinstance(exercise, m.Exercise)]
        self.scale = math.lcm(self.top.scale, *(part.scale for part in self.parts))
        for interpreter in (self.top, *self.parts):
            interpreter.scale = self.scale

    def routine_runs(self) -> Iterator[Seq]:
        return self.top.sequence([part.routine_runs for part in self.parts])


def _interpreter(routine: m.Routine, ends_only: bool,
                 source: str = "") -> _Interpreter | _Programme:
    if any(isinstance(item, m.Exercise) for item in routine.items):
        return _Programme(routine, ends_only, source)
    return _Interpreter(routine, ends_only, source=source)


def _bind(function: Callable[..., Iterator[Seq]], *args: object) -> Callable[[], Iterator[Seq]]:
    return lambda: function(*args)


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _split(seq: Seq, scale: int) -> Run:
    return Run(tuple(i for i in seq if isinstance(i, Entry)),
               tuple(i for i in seq if isinstance(i, RepeatRun)), scale)


# --- reading a routine -------------------------------------------------------------------


def load(source: str | ParsedFile) -> ParsedFile:
    parsed = parse(source) if isinstance(source, str) else source
    if parsed.routine is None or not parsed.ok:
        problems = "; ".join(f"{d.code} {d.message}" for d in parsed.diagnostics)
        raise ValueError(f"the reference needs a routine that parses cleanly: {problems}")
    if any(isinstance(item, m.Parameter) for item in parsed.routine.items):
        return load(_written_out(parsed))
    return parsed


def _written_out(parsed: ParsedFile) -> str:
    """A routine with parameters as the coach would write it with the defaults by hand:
    each ``{name}`` replaced by the default as written in its declaration, and the
    declarations made comments (so every line keeps its number). The tools fill parameters
    their own way (``dsl.model.values``); this is the plain reading of the language."""
    assert parsed.routine is not None
    lines = parsed.source.split("\n")
    written: dict[str, str] = {}
    for item in parsed.routine.items:
        if isinstance(item, m.Parameter):
            span = item.default.span
            written.setdefault(item.name, lines[span.line - 1][span.column - 1:span.end_column - 1])
            lines[item.span.line - 1] = "#"
    text = "\n".join(lines)
    for name, value in written.items():
        text = text.replace(f"{{{name}}}", value)
    return text



def runs(source: str | ParsedFile, ends_only: bool = False) -> Iterator[Run]:
    """Every run of the routine (its body; settings and handlers are not performed)."""
    parsed = load(source)
    assert parsed.routine is not None
    interpreter = _interpreter(parsed.routine, ends_only, parsed.source)
    for seq in interpreter.routine_runs():
        yield _split(seq, interpreter.scale)


def count_runs(source: str | ParsedFile, cap: int | None = None,
               ends_only: bool = False) -> int:
    """How many runs the routine has (counted by enumerating, stopping past ``cap``)."""
    count = 0
    parsed = load(source)
    assert parsed.routine is not None
    for _ in _interpreter(parsed.routine, ends_only, parsed.source).routine_runs():
        count += 1
        if cap is not None and count > cap:
            break
    return count



# --- figures -----------------------------------------------------------------------------

UNDER_STRETCH = frozenset({"hold", "contract", "relax", "deepen"})
_STEP_LIMITS = {"contraction": "contract", "hold": "hold", "breath-hold": "hold-breath"}
_SCOPE = re.compile(r"\b(?:per|a)\s+(side|routine|session)\s*$")


def pass_boundary(a: Entry, b: Entry) -> bool:
    """At some level L both have the same passes before L, and at L the same repeat with b's
    pass one more than a's."""
    for level in range(min(len(a.passes), len(b.passes))):
        (repeat_a, pass_a), (repeat_b, pass_b) = a.passes[level], b.passes[level]
        if repeat_a != repeat_b:
            return False
        if pass_b == pass_a + 1:
            return True
        if pass_b != pass_a:
            return False
    return False


def cycles_by_side(entries: tuple[Entry, ...]) -> dict[str | None, int]:
    """Contraction cycles: maximal runs of consecutive `contract` entries on one side with no
    pass boundary between neighbours; each counted on the side it is on."""
    counts: dict[str | None, int] = {}
    previous: Entry | None = None
    for entry in entries:
        if entry.kind == "contract":
            continues = (previous is not None and previous.kind == "contract"
                         and previous.side == entry.side and previous.exercise == entry.exercise
                         and not pass_boundary(previous, entry))
            if not continues:
                counts[entry.side] = counts.get(entry.side, 0) + 1
        previous = entry
    return counts


def limit_scope(limit: m.Limit, source: str) -> str:
    """``side`` or ``routine``: as written on the limit's line, else the subject's default
    (``total`` per routine, the counted limits per side). Read from the text because the
    model cannot tell a written ``per side`` from the default."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    span = limit.span
    line = lines[span.line - 1]
    text = line[span.column - 1:span.end_column - 1] if span.line == span.end_line else line
    found = _SCOPE.search(text)
    if found:
        return "side" if found.group(1) == "side" else "routine"
    return "routine" if limit.subject == "total" else "side"


@dataclass(frozen=True)
class _Limit:
    code: str  # L101 for everyone, L102 for a group
    line: int
    subject: str
    scope: str
    bound: float  # a count, a percentage, or ticks


@dataclass
class _Tally:
    """Everything one run contributes, in ticks and counts."""

    summary: dict[str, int]
    per_side: dict[str | None, dict[str, int]]
    starts: dict[Key, int]
    cues: dict[CueKey, int]


def _tally(entries: tuple[Entry, ...]) -> _Tally:
    cycles = cycles_by_side(entries)
    per_side: dict[str | None, dict[str, int]] = {}
    starts: dict[Key, int] = {}
    cues: dict[CueKey, int] = {}
    clock = 0
    for entry in entries:
        key = entry.key
        if key in starts:
            raise AssertionError(f"two entries with the key {key} in one run")
        starts[key] = clock
        for line, offset in entry.cues:
            cues[(key, line)] = clock + offset
        side = per_side.get(entry.side)
        if side is None:
            side = per_side[entry.side] = {
                "timeUnderStretch": 0, "contractions": 0, "cycles": cycles.get(entry.side, 0),
                "total": 0}
        if entry.ticks is not None:
            side["total"] += entry.ticks
            if entry.kind in UNDER_STRETCH:
                side["timeUnderStretch"] += entry.ticks
            clock += entry.ticks
        if entry.kind == "contract":
            side["contractions"] += 1
    summary = {
        "duration": clock,
        "steps": len(entries),
        "untimedSteps": sum(1 for e in entries if e.ticks is None),
        "contractions": sum(1 for e in entries if e.kind == "contract"),
        "cycles": sum(cycles.values()),
    }
    if any(e.reps is not None for e in entries):
        summary["reps"] = sum(e.reps for e in entries if e.reps is not None)
    return _Tally(summary, per_side, starts, cues)


def _breaks(limit: _Limit, entries: tuple[Entry, ...], tally: _Tally) -> bool:
    """Whether this run breaks the limit."""
    subject = limit.subject
    if subject in ("cycles", "contractions"):
        if limit.scope == "routine":
            return tally.summary[subject] > limit.bound
        return any(side[subject] > limit.bound for side in tally.per_side.values())
    if subject == "effort":
        return any(e.effort is not None and e.effort > limit.bound for e in entries)
    if subject in _STEP_LIMITS:
        kind = _STEP_LIMITS[subject]
        return any(e.kind == kind and e.ticks is not None and e.ticks > limit.bound
                   for e in entries)
    assert subject == "total"
    if limit.scope == "routine":
        return tally.summary["duration"] > limit.bound
    return any(side["total"] > limit.bound for side in tally.per_side.values())


def checked_limits(interpreter: _Interpreter, routine: m.Routine | m.Exercise,
                   source: str) -> list[_Limit]:
    """The routine's limits (L101) and its groups' (L102), bounds in ticks."""
    limits = [*(("L101", limit) for limit in routine.limits),
              *(("L102", limit) for item in routine.items if isinstance(item, m.Group)
                for limit in item.limits)]
    checked: list[_Limit] = []
    for code, limit in limits:
        if limit.unit in ("s", "count", "breath"):
            bound = float(interpreter.ticks(m.Quantity(limit.value, limit.unit)))
        else:
            bound = float(limit.value)
        checked.append(_Limit(code, limit.span.line, limit.subject,
                              limit_scope(limit, source), bound))
    return checked


def _widen(ranges: dict[Any, tuple[int, int]], key: Any, value: int) -> None:
    found = ranges.get(key)
    if found is None:
        ranges[key] = (value, value)
    elif value < found[0]:
        ranges[key] = (value, found[1])
    elif value > found[1]:
        ranges[key] = (found[0], value)


@dataclass
class Figures:
    """Min and max of every figure over all runs, in seconds (times) and counts.

    ``summary``: duration, steps, untimedSteps, contractions, cycles. ``per_side``: by side
    value (None for no side), timeUnderStretch, contractions, cycles; a side value that some
    runs do not use counts 0 in those runs. ``starts``: by entry key; ``cues``: by (entry
    key, cue line), the cue's time. ``performed``: in how many runs each entry key is
    performed (``optional(key)`` is ``performed[key] < runs``). ``passes``: by repeat line,
    over every repeat run reached (handlers' repeats included); a repeat never reached has
    no item. ``handlers``: by handler line, the duration of its body performed on its own.
    ``broken``: ``(code, limit line)`` of every limit some run breaks.
    """

    runs: int = 0
    summary: dict[str, Range] = field(default_factory=dict)
    per_side: dict[str | None, dict[str, Range]] = field(default_factory=dict)
    starts: dict[Key, Range] = field(default_factory=dict)
    cues: dict[CueKey, Range] = field(default_factory=dict)
    performed: dict[Key, int] = field(default_factory=dict)
    passes: dict[int, tuple[int, int]] = field(default_factory=dict)
    handlers: dict[int, Range] = field(default_factory=dict)
    broken: set[tuple[str, int]] = field(default_factory=set)
    sections: list[dict[str, Range]] = field(default_factory=list)
    """A routine with exercises: for each exercise in order, its summary's figures (as
    ``summary``) over the runs of that exercise alone."""

    def optional(self, key: Key) -> bool:
        return self.performed[key] < self.runs


def figures(source: str | ParsedFile, ends_only: bool = False) -> Figures:
    """Enumerate every run once and gather every figure (and the broken limits)."""
    parsed = load(source)
    routine = parsed.routine
    assert routine is not None
    interpreter = _interpreter(routine, ends_only, parsed.source)
    checked = _limits_checked(interpreter, parsed.source)
    summary: dict[str, tuple[int, int]] = {}
    starts: dict[Key, tuple[int, int]] = {}
    cues: dict[CueKey, tuple[int, int]] = {}
    passes: dict[int, tuple[int, int]] = {}
    side_tallies: list[dict[str | None, dict[str, int]]] = []
    result = Figures()
    for seq in interpreter.routine_runs():
        run = _split(seq, interpreter.scale)
        result.runs += 1
        tally = _tally(run.entries)
        for name, value in tally.summary.items():
            _widen(summary, name, value)
        for key, value in tally.starts.items():
            _widen(starts, key, value)
            result.performed[key] = result.performed.get(key, 0) + 1
        for cue_key, value in tally.cues.items():
            _widen(cues, cue_key, value)
        for repeat_run in run.repeat_runs:
            _widen(passes, repeat_run.line, repeat_run.n)
        side_tallies.append(tally.per_side)
        parts: dict[int | None, tuple[tuple[Entry, ...], _Tally]] = {None: (run.entries, tally)}
        for check, where in checked:
            if (check.code, check.line) in result.broken:
                continue
            if where not in parts:
                entries = tuple(e for e in run.entries if e.exercise == where)
                parts[where] = (entries, _tally(entries))
            if _breaks(check, *parts[where]):
                result.broken.add((check.code, check.line))
    scale = interpreter.scale

    def seconds(ticks: tuple[int, int]) -> Range:
        return (Fraction(ticks[0], scale), Fraction(ticks[1], scale))

    def counted(counts: tuple[int, int]) -> Range:
        return (Fraction(counts[0]), Fraction(counts[1]))

    result.summary = {name: (seconds if name == "duration" else counted)(value)
                      for name, value in summary.items()}
    result.starts = {key: seconds(value) for key, value in starts.items()}
    result.cues = {key: seconds(value) for key, value in cues.items()}
    zero = {"timeUnderStretch": 0, "contractions": 0, "cycles": 0}
    for side in {side for per_side in side_tallies for side in per_side}:
        ranges: dict[str, tuple[int, int]] = {}
        for per_side in side_tallies:
            for name in zero:
                _widen(ranges, name, per_side.get(side, zero)[name])
        result.per_side[side] = {
            name: (seconds if name == "timeUnderStretch" else counted)(value)
            for name, value in ranges.items()}
    exercises = interpreter.parts if isinstance(interpreter, _Programme) else []
    for part in (interpreter.top if isinstance(interpreter, _Programme) else interpreter,
                 *exercises):
        for handler in part.handlers:
            totals: dict[str, tuple[int, int]] = {}
            for seq in part.handler_runs(handler):
                _widen(totals, "total", _total(seq))
                for repeat_run in _split(seq, scale).repeat_runs:
                    _widen(passes, repeat_run.line, repeat_run.n)
            result.handlers[handler.span.line] = seconds(totals["total"])
    result.passes = passes
    for part in exercises:
        own: dict[str, tuple[int, int]] = {}
        for seq in part.routine_runs():
            for name, value in _tally(_split(seq, scale).entries).summary.items():
                _widen(own, name, value)
        result.sections.append({name: (seconds if name == "duration" else counted)(value)
                                for name, value in own.items()})
    return result


def _limits_checked(interpreter: _Interpreter | _Programme,
                    source: str) -> list[tuple[_Limit, int | None]]:
    """Each limit to check, with what it bounds: the whole run (None), or the part of one
    exercise (its line)."""

    def limit(code: str, written: m.Limit, part: _Interpreter) -> _Limit:
        if written.unit in ("s", "count", "breath"):
            bound = float(part.ticks(m.Quantity(written.value, written.unit)))
        else:
            bound = float(written.value)
        return _Limit(code, written.span.line, written.subject, limit_scope(written, source),
                      bound)

    def code(group: str | None) -> str:
        return "L101" if group is None else "L102"

    if isinstance(interpreter, _Interpreter):
        return [(limit(code(group), written, interpreter), None)
                for group, written in interpreter.limits()]
    checked: list[tuple[_Limit, int | None]] = []
    routine_wide = list(interpreter.top.limits())
    for group, written in routine_wide:
        whole = limit(code(group), written, interpreter.top)
        if whole.subject in ("cycles", "contractions", "total") and whole.scope == "routine":
            checked.append((whole, None))
    for part in interpreter.parts:
        line = part.exercise_line
        own = [(group, limit(code(group), written, part)) for group, written in part.limits()]
        theirs = [(group, limit(code(group), written, part)) for group, written in routine_wide]
        theirs = [(group, lim) for group, lim in theirs if not (
            lim.subject in ("cycles", "contractions", "total") and lim.scope == "routine")]

        def same(a: tuple[str | None, _Limit], b: tuple[str | None, _Limit]) -> bool:
            return a[0] == b[0] and a[1].subject == b[1].subject and _per(a[1]) == _per(b[1])

        for mine in own:
            # Left to the routine's limit on the same thing when that one is stricter.
            if not any(same(mine, other) and other[1].bound < mine[1].bound
                       for other in theirs):
                checked.append((mine[1], line))
        for other in theirs:
            if not any(same(other, mine) and mine[1].bound <= other[1].bound for mine in own):
                checked.append((other[1], line))
    return checked


def _per(limit: _Limit) -> str:
    """What a limit counts over, as the model's ``per``: each step for the limits on one
    step, else its scope."""
    return "step" if limit.subject in (*_STEP_LIMITS, "effort") else limit.scope


def broken_limits(source: str | ParsedFile, ends_only: bool = False) -> set[tuple[str, int]]:
    """``(code, limit line)`` of every limit some run breaks: ``L101`` for the routine's
    limits, ``L102`` for limits inside a ``for <group>:`` block."""
    return figures(source, ends_only).broken


# --- variants that change steps ----------------------------------------------------------
#
# docs/language.md, "Variants that change steps", read plainly: under a step,
# `variant NAME: AMOUNT` runs the step with that amount, `variant NAME: leave out` leaves it
# out, `variant NAME:` with steps under it runs those steps instead; `variant NAME only:`
# runs its block in that variant alone. Every other variant's change is as if not written.
# A repeat, one-side block or handler left with nothing in it is left out. One variant is in
# force in each exercise: the one chosen for it, else the one chosen for the routine.


def variant_names(items: tuple[Any, ...]) -> list[str]:
    """The variants that change something among ``items``, in the order first written."""
    names: list[str] = []

    def note(name: str) -> None:
        if name not in names:
            names.append(name)

    def walk(found: tuple[Any, ...]) -> None:
        for item in found:
            if isinstance(item, m.Step):
                for detail in item.details:
                    if isinstance(detail, m.StepChange):
                        note(detail.name)
                        walk(detail.steps)
            elif isinstance(item, m.VariantOnly):
                note(item.name)
                walk(item.body)
            elif isinstance(item, (m.Repeat, m.SideOnly, m.SafetyHandler)):
                walk(item.body)
            elif isinstance(item, m.Exercise):
                walk(item.items)

    walk(items)
    return names


def _in_variant(items: tuple[Any, ...], name: str | None) -> tuple[Any, ...]:
    """A block's items as they run with the variant ``name`` in force (None: none is)."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, m.Step):
            changes = [d for d in item.details if isinstance(d, m.StepChange)]
            mine = [c for c in changes if c.name == name]
            plain = m.Step(item.kind, item.amount, item.intensity, item.text,
                           tuple(d for d in item.details if not isinstance(d, m.StepChange)),
                           item.span, item.rep_time, item.pace, item.vague, item.by_side)
            if not mine:
                out.append(plain)
            elif mine[0].leave_out:
                pass
            elif mine[0].amount is not None:
                # The new amount stands where `briefly` stood.
                out.append(m.Step(plain.kind, mine[0].amount, plain.intensity, plain.text,
                                  plain.details, plain.span, plain.rep_time, plain.pace,
                                  None, mine[0].by_side))
            else:
                out.extend(_in_variant(mine[0].steps, name))
        elif isinstance(item, m.VariantOnly):
            if item.name == name:
                out.extend(_in_variant(item.body, name))
        elif isinstance(item, m.Repeat):
            body = _in_variant(item.body, name)
            if _holds_a_step(body) or not _holds_a_step(item.body):
                out.append(m.Repeat(item.count, body, item.rest, item.span))
        elif isinstance(item, m.SideOnly):
            body = _in_variant(item.body, name)
            if _holds_a_step(body) or not _holds_a_step(item.body):
                out.append(m.SideOnly(item.side, body, item.span))
        elif isinstance(item, m.SafetyHandler):
            body = _in_variant(item.body, name)
            if _holds_a_step(body) or not _holds_a_step(item.body):
                out.append(m.SafetyHandler(item.signal, body, item.text, item.span))
        else:
            out.append(item)
    return tuple(out)


def _holds_a_step(items: tuple[Any, ...]) -> bool:
    """Whether a block holds a step anywhere: one whose every step a variant leaves out
    goes with them, standing cues and all."""
    for item in items:
        if isinstance(item, m.Step):
            return True
        if isinstance(item, (m.Repeat, m.SideOnly, m.VariantOnly)) and _holds_a_step(item.body):
            return True
    return False


def in_variant(routine: m.Routine, whole: str | None = None,
               exercises: dict[int, str] | None = None) -> m.Routine:
    """The routine that runs with the variant ``whole`` chosen for the routine and, for an
    exercise (by its index from 0), ``exercises[index]`` instead; None: no variant."""
    exercises = exercises or {}
    items: list[Any] = []
    index = 0
    for item in routine.items:
        if isinstance(item, m.Exercise):
            name = exercises.get(index, whole)
            items.append(m.Exercise(item.title, _in_variant(item.items, name), item.span))
            index += 1
        else:
            items.extend(_in_variant((item,), whole))
    return m.Routine(routine.title, tuple(items), routine.span)


def in_variant_parsed(parsed: ParsedFile, whole: str | None = None,
                      exercises: dict[int, str] | None = None) -> ParsedFile:
    """``in_variant`` on a parsed file (parameters written out first, as ``load`` does):
    the same source, so every line number and ``per`` as written stays the same."""
    loaded = load(parsed)
    assert loaded.routine is not None
    return ParsedFile(loaded.path, loaded.text, in_variant(loaded.routine, whole, exercises),
                      loaded.comments, loaded.diagnostics)


MAX_CHECKED_CHOICES = 64
"""docs/language.md: the checks run on each way of choosing one variant or none per
exercise, up to this many ways (beyond it, on each variant chosen for the whole routine
or for one exercise alone)."""


def checked_choices(routine: m.Routine) -> list[tuple[str | None, dict[int, str]]]:
    """Every choice the checks hold to the limits: no variant; each variant for the whole
    routine; and, with exercises, each exercise's own variants, alone or (up to
    ``MAX_CHECKED_CHOICES`` ways) in every combination. Some may run the same routine."""
    choices: list[tuple[str | None, dict[int, str]]] = [(None, {})]
    choices += [(name, {}) for name in variant_names(routine.items)]
    exercises = [item for item in routine.items if isinstance(item, m.Exercise)]
    options = [variant_names(e.items) for e in exercises]
    ways = math.prod(len(o) + 1 for o in options) if options else 0
    if len(exercises) >= 2 and ways <= MAX_CHECKED_CHOICES:
        def every(index: int) -> Iterator[dict[int, str]]:
            if index == len(options):
                yield {}
                return
            for rest in every(index + 1):
                yield rest  # no variant in this exercise
                for name in options[index]:
                    yield {index: name, **rest}
        choices += [(None, chosen) for chosen in every(0) if chosen]
    else:
        choices += [(None, {index: name}) for index, option in enumerate(options)
                    for name in option]
    return choices
