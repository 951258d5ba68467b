"""Sessions and programmes as a coach wrote them: files that plan routines rather than
being one.

A **session** does routines in order (``do calf-wall``), each named by its ``id:`` or by a
path relative to the session's file, with rests and setups between them, and limits of its
own that hold across the whole session. Under a ``do`` line, what this use changes: the
sides, the variants, the values of the routine's parameters.

A **programme** does sessions (or routines on their own) on a schedule, for some weeks,
with parameters that progress week by week; it may have stages a person moves up and back
between, on the answers they give at the end of a session.

Like ``dsl.model``, these are immutable records that keep their source spans out of
equality, so the formatter can prove it lost nothing.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from dsl.model import (
    NO_SPAN,
    Amount,
    Count,
    Limit,
    Node,
    Note,
    RoutineId,
    Sides,
    Span,
    Step,
    _only,
)

DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The days of the week, Monday first, as the JSON and iCalendar's BYDAY (in capitals)
take them."""

DAY_WORDS: dict[str, tuple[str, ...]] = {
    **{d: (d,) for d in DAY_NAMES},
    "monday": ("mon",), "tuesday": ("tue",), "wednesday": ("wed",), "thursday": ("thu",),
    "friday": ("fri",), "saturday": ("sat",), "sunday": ("sun",),
    "weekdays": DAY_NAMES[:5], "weekends": DAY_NAMES[5:],
}
"""Every word ``on`` takes for days: each day short or long, ``weekdays``, ``weekends``."""

EVERY_DAY_WORDS: tuple[str, ...] = ("daily",)
"""``do morning-legs daily``: every day of the week."""

SCORED_ANSWERS: tuple[str, ...] = ("pain", "effort")
"""Answers given as a number out of 10 (``pain at most 2``)."""

TIMED_ANSWERS: tuple[str, ...] = ("settled",)
"""Answers given as yes or no about a time (``settled within 24 hours``: the soreness
after the last session settled within that time)."""

ANSWER_UNITS: dict[str, int] = {"hours": 1, "hour": 1, "days": 24, "day": 24}
"""Units of ``within``, in hours."""

SESSION_STEP_KINDS: tuple[str, ...] = ("rest", "setup")
"""The steps a session may have between its routines: a rest, or a setup (getting to the
mat, fetching a towel). Anything a person does with their body belongs in a routine."""


class Reference(Node, frozen=True):
    """A routine or session named by its ``id:`` (``calf-wall``) or by a path relative to
    the file that names it (``"calf-wall-stretch.stretch"``, ``is_path``)."""

    value: str
    is_path: bool = False
    span: Span = NO_SPAN


class VariantPick(Node, frozen=True):
    """``harder`` or ``calf/easier``: a variant chosen for a use, for the whole routine or
    for one of its exercises (by ``id:``, as ``stretch compile --variant`` takes it)."""

    name: str
    exercise: str | None = None
    span: Span = NO_SPAN

    @property
    def text(self) -> str:
        return self.name if self.exercise is None else f"{self.exercise}/{self.name}"


class UseVariants(Node, frozen=True):
    """``variant: harder, calf/easier`` under a ``do`` line."""

    picks: tuple[VariantPick, ...]
    span: Span = NO_SPAN


class Setting(Node, frozen=True):
    """``set hold: 45s`` under a ``do`` line: a value for one of the routine's parameters
    in this use (``Amount`` for a measured one, ``Count`` for a repeat count)."""

    name: str
    value: Amount | Count
    span: Span = NO_SPAN
    name_span: Span = NO_SPAN


UseItem: TypeAlias = Sides | UseVariants | Setting


class Use(Node, frozen=True):
    """``do calf-wall``: one routine (or session) of a session, with what this use changes
    under it, in the order written."""

    reference: Reference
    items: tuple[UseItem, ...] = ()
    span: Span = NO_SPAN

    @property
    def sides(self) -> Sides | None:
        return next(iter(_only(self.items, Sides)), None)

    @property
    def variants(self) -> tuple[VariantPick, ...]:
        return tuple([p for v in _only(self.items, UseVariants) for p in v.picks])

    @property
    def settings(self) -> tuple[Setting, ...]:
        return _only(self.items, Setting)


SessionItem: TypeAlias = RoutineId | Limit | Note | Use | Step


class Session(Node, frozen=True):
    """A whole session file: ``items`` in the order written."""

    title: str
    items: tuple[SessionItem, ...] = ()
    span: Span = NO_SPAN

    @property
    def id(self) -> str | None:
        found = _only(self.items, RoutineId)
        return found[0].value if found else None

    @property
    def uses(self) -> tuple[Use, ...]:
        return _only(self.items, Use)

    @property
    def limits(self) -> tuple[Limit, ...]:
        return _only(self.items, Limit)

    @property
    def notes(self) -> tuple[Note, ...]:
        return _only(self.items, Note)


# --- programmes ------------------------------------------------------------------------


class Weeks(Node, frozen=True):
    """``weeks: 6``: how long the programme runs."""

    count: int
    span: Span = NO_SPAN


class StartDate(Node, frozen=True):
    """``start: 2026-12-07``: the date of the programme's first week (ISO 8601; the week
    begins that day, whatever day of the week it is)."""

    year: int
    month: int
    day: int
    span: Span = NO_SPAN

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


class StartStage(Node, frozen=True):
    """``start stage: early``: the stage the therapist starts the person at."""

    name: str
    span: Span = NO_SPAN


class TimeOfDay(Node, frozen=True):
    """``07:30``: a time of day on the 24-hour clock, in the person's own time zone."""

    hour: int
    minute: int
    span: Span = NO_SPAN

    @property
    def text(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


class Schedule(Node, frozen=True):
    """``do morning-legs on mon, wed, fri at 07:30``: when a session (or a routine, as a
    session of one) is done. ``day_words`` are as written (``daily``, or day names,
    ``weekdays``, ``weekends``); ``days`` gives the days they name. ``moment`` is a time
    named in words instead of, or beside, a clock time (``"after a workout"``)."""

    reference: Reference
    day_words: tuple[str, ...]
    times: tuple[TimeOfDay, ...] = ()
    moment: str | None = None
    span: Span = NO_SPAN

    @property
    def days(self) -> tuple[str, ...]:
        """The days of the week it names, Monday first, each once."""
        if any(word in EVERY_DAY_WORDS for word in self.day_words):
            return DAY_NAMES
        named = {day for word in self.day_words for day in DAY_WORDS.get(word, ())}
        return tuple(day for day in DAY_NAMES if day in named)


class ProgressFrom(Node, frozen=True):
    """``30s from week 3``: the value from that week on (until a later step)."""

    value: Amount | Count
    week: int
    span: Span = NO_SPAN


class ProgressBy(Node, frozen=True):
    """``+5s a week up to 45s`` (or ``+1 every 2 weeks up to 3``): the value grows by
    ``step`` each ``every`` weeks, never past ``up_to``."""

    step: Amount | Count
    every: int
    up_to: Amount | Count
    span: Span = NO_SPAN
    written_per: Literal["a", "per"] | None = None  # ``a week`` or ``per week``; None: every


ProgressStep: TypeAlias = ProgressFrom | ProgressBy


class Progression(Node, frozen=True):
    """``progress hold: 20s, 30s from week 3``: a parameter's value week by week, for every
    routine of the programme that declares a parameter of that name. ``first`` is week 1's
    value; ``steps`` change it later."""

    parameter: str
    first: Amount | Count
    steps: tuple[ProgressStep, ...]
    span: Span = NO_SPAN
    name_span: Span = NO_SPAN


class Condition(Node, frozen=True):
    """One answer a person gives at the end of a session, as a condition: ``pain at most
    2``, ``effort at least 3``, ``settled within 24 hours`` (``negated``: ``not settled
    within 24 hours``). ``hours`` is the time of a timed answer."""

    answer: str
    at_most: float | None = None
    at_least: float | None = None
    hours: float | None = None
    negated: bool = False
    span: Span = NO_SPAN
    written_unit: str = "hours"  # ``within 2 days`` prints back in days


class StageRule(Node, frozen=True):
    """``move up when ...`` or ``step back when ...``: the person moves when every
    condition holds, at the end of each of ``after`` sessions in a row (1 when not
    written). Several rules of one direction are alternatives."""

    direction: Literal["up", "back"]
    conditions: tuple[Condition, ...]
    after: int | None = None
    span: Span = NO_SPAN


StageItem: TypeAlias = Schedule | Note | StageRule


class Stage(Node, frozen=True):
    """``stage early "Gentle range"``: one stage of a programme, its own schedule and the
    rules to move up to the next stage (in the order written) or step back to the one
    before."""

    name: str
    title: str | None = None
    items: tuple[StageItem, ...] = ()
    span: Span = NO_SPAN

    @property
    def schedule(self) -> tuple[Schedule, ...]:
        return _only(self.items, Schedule)

    @property
    def rules(self) -> tuple[StageRule, ...]:
        return _only(self.items, StageRule)


ProgrammeItem: TypeAlias = (
    RoutineId | Note | Weeks | StartDate | StartStage | Schedule | Progression | Stage
)


class Programme(Node, frozen=True):
    """A whole programme file: ``items`` in the order written."""

    title: str
    items: tuple[ProgrammeItem, ...] = ()
    span: Span = NO_SPAN

    @property
    def id(self) -> str | None:
        found = _only(self.items, RoutineId)
        return found[0].value if found else None

    @property
    def weeks(self) -> Weeks | None:
        return next(iter(_only(self.items, Weeks)), None)

    @property
    def start(self) -> StartDate | None:
        return next(iter(_only(self.items, StartDate)), None)

    @property
    def start_stage(self) -> StartStage | None:
        return next(iter(_only(self.items, StartStage)), None)

    @property
    def schedule(self) -> tuple[Schedule, ...]:
        """The schedule lines outside stages (done whatever the stage)."""
        return _only(self.items, Schedule)

    @property
    def progressions(self) -> tuple[Progression, ...]:
        return _only(self.items, Progression)

    @property
    def stages(self) -> tuple[Stage, ...]:
        return _only(self.items, Stage)

    @property
    def notes(self) -> tuple[Note, ...]:
        return _only(self.items, Note)

    @property
    def references(self) -> tuple[Reference, ...]:
        """Every session or routine it names, in the order written."""
        lines = [*self.schedule, *[s for stage in self.stages for s in stage.schedule]]
        lines.sort(key=lambda s: (s.span.line, s.span.column))
        return tuple([s.reference for s in lines])


Plan: TypeAlias = Session | Programme
"""A file that plans routines rather than being one."""
