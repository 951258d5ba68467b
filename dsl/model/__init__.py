"""The routine as a coach wrote it: typed, immutable, every node with its source span.

The parser builds these; the checker, compiler and formatter only read them. Spans are
excluded from equality, so two routines that say the same thing compare equal however
they were laid out (the formatter relies on that to prove it lost nothing).

The routine keeps its statements in the order they were written (``Routine.items``);
properties such as ``Routine.targets`` look things up for readers who want them by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias, TypeVar

Unit = Literal["s", "count", "breath"]
"""Units an amount can be measured in. Minutes are converted to seconds when parsed."""

StepKind = Literal[
    "setup", "hold", "contract", "relax", "inhale", "exhale", "hold-breath", "breathe", "rest",
    "release", "deepen",
]
STEP_KINDS: tuple[StepKind, ...] = (
    "setup", "hold", "contract", "relax", "inhale", "exhale", "hold-breath", "breathe", "rest",
    "release", "deepen",
)
"""``hold`` holds a stretch; ``hold-breath`` holds the breath (after an inhale or exhale)."""
Side = Literal["left", "right"]
SidesMode = Literal["each", "alternating", "one", "none"]
PartnerMode = Literal["none", "optional", "required"]
PARTNER_MODES: tuple[PartnerMode, ...] = ("none", "optional", "required")
IntensityLevel = Literal["gentle", "moderate", "firm", "mild-discomfort", "mild-tension"]
LEVELS = ("beginner", "intermediate", "advanced")
PERIODS = ("day", "week", "month")
SIGNALS = ("pain", "cramp", "dizziness", "numbness")
LimitSubject = Literal[
    "cycles", "contractions", "contraction", "hold", "breath-hold", "effort", "total"
]
LIMIT_SUBJECTS: tuple[LimitSubject, ...] = (
    "cycles", "contractions", "contraction", "hold", "breath-hold", "effort", "total",
)
COUNTED_LIMITS = ("cycles", "contractions")
"""Limits on how many times something happens (the others bound an amount)."""
STEP_LIMITS = ("contraction", "hold", "breath-hold", "effort")
"""Limits that bound each step on its own: `per side` or `per routine` means nothing there."""
LimitScope = Literal["side", "routine", "step"]


def default_scope(subject: LimitSubject) -> LimitScope:
    """What a limit counts over when it says no `per`: counted limits per side, `total`
    over the whole routine, the others each step on its own."""
    if subject in COUNTED_LIMITS:
        return "side"
    return "routine" if subject == "total" else "step"


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node stands in its file: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


NO_SPAN = Span(0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment, kept beside the model so the formatter can put it back."""

    line: int
    column: int
    text: str  # including the leading '#'
    own_line: bool  # True when nothing but the comment stands on its line


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of quoted text, such as one posture cue or one indication."""

    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One measured amount: ``30s`` is (30, "s"), ``5 counts`` is (5, "count")."""

    value: float
    unit: Unit


@dataclass(frozen=True, slots=True)
class Amount:
    """A quantity or a range of them; a single quantity has ``low == high``."""

    low: Quantity
    high: Quantity
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def unit(self) -> Unit:
        return self.high.unit


@dataclass(frozen=True, slots=True)
class Intensity:
    """How hard: a named level (``gently``, ``to mild discomfort``) or a % of full effort."""

    level: IntensityLevel | None = None
    effort_low: float | None = None
    effort_high: float | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# --- routine settings ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoutineId:
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Target:
    """A muscle or muscle group, with optional anatomical detail in parentheses."""

    name: str
    details: tuple[Target, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Targets:
    targets: tuple[Target, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Equipment:
    items: tuple[Text, ...]  # empty for ``equipment: none``
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Position:
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Level:
    value: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Partner:
    mode: PartnerMode
    text: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Frequency:
    """``3 times a day`` is (3, 3, "day"); ``daily`` is (1, 1, "day")."""

    low: int
    high: int
    period: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class TempoRate:
    """``1 count = 1s``: how many seconds one count (or one breath) lasts."""

    unit: Unit
    seconds: float
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Tempo:
    rates: tuple[TempoRate, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Sides:
    """Which sides the body runs on: ``each`` side in turn, ``alternating`` pass by pass,
    ``one`` side only, or ``none`` (both sides at once)."""

    mode: SidesMode
    first: Side | None = None  # the side done first, or the only side
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Switch:
    """What happens between sides: ``switch 5s "Change legs"``."""

    amount: Amount | None = None
    text: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Limit:
    """A declared safety limit, such as ``limit cycles 3`` or ``limit hold 60s``.

    ``value`` is a count for ``cycles`` and ``contractions``, a Quantity in seconds, counts
    or breaths for ``contraction``, ``hold``, ``breath-hold`` and ``total``, a percentage
    for ``effort``. ``per`` is what the checker counts over: ``side`` or ``routine`` for
    counted limits and ``total`` (``default_scope`` when not written), ``step`` for the
    limits on one step. ``written_per`` and ``scope_span`` are the ``per ...`` as written,
    if any (kept so the formatter can print back a `per` that means nothing, which L105
    reports, instead of dropping the author's words).
    """

    subject: LimitSubject
    value: float
    unit: Unit | Literal["times", "percent"]
    per: LimitScope = "side"
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    scope_span: Span | None = field(default=None, compare=False, repr=False)
    written_per: Literal["side", "routine"] | None = field(default=None, compare=False,
                                                           repr=False)


@dataclass(frozen=True, slots=True)
class Indications:
    items: tuple[Text, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Contraindications:
    items: tuple[Text, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Posture:
    """Standing cues that hold for the whole routine, or for the block they stand in."""

    cues: tuple[Text, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Media:
    kind: Literal["image", "video"]
    source: str  # a path relative to the routine file, or a URL
    caption: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Variant:
    """An easier or harder way (or any named way) to do the routine or one step."""

    name: str
    text: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


# --- steps and blocks ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cue:
    """Something said during a step; ``at`` is measured from the step's start."""

    text: str
    at: Quantity | None = None
    for_partner: bool = False
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


StepDetail: TypeAlias = Cue | Media | Variant


@dataclass(frozen=True, slots=True)
class Step:
    """One thing the client does. No amount means untimed: the player waits for them."""

    kind: StepKind
    amount: Amount | None = None
    intensity: Intensity | None = None
    text: str | None = None
    details: tuple[StepDetail, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    @property
    def cues(self) -> tuple[Cue, ...]:
        return _only(self.details, Cue)

    @property
    def media(self) -> tuple[Media, ...]:
        return _only(self.details, Media)

    @property
    def variants(self) -> tuple[Variant, ...]:
        return _only(self.details, Variant)


@dataclass(frozen=True, slots=True)
class RepeatCount:
    """How often a repeat runs.

    ``times``: between ``low`` and ``high`` passes (equal for a fixed count);
    ``up_to``: at most ``high`` passes, the player may stop after any;
    ``for``: passes until ``duration`` has run out (never past its upper end).
    """

    mode: Literal["times", "up_to", "for"]
    low: int | None = None
    high: int | None = None
    duration: Amount | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class RestBetween:
    """``, rest 30s between``: a rest inserted between passes (not after the last)."""

    amount: Amount
    text: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Repeat:
    count: RepeatCount
    body: tuple[BlockItem, ...]
    rest: RestBetween | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


BlockItem: TypeAlias = Step | Repeat | Posture


@dataclass(frozen=True, slots=True)
class SafetyHandler:
    """What the player does when the client signals ``pain`` (or cramp, dizziness...)."""

    signal: str
    body: tuple[BlockItem, ...]
    text: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Group:
    """Limits and notes for a group of people: ``for pregnant clients:``."""

    name: str
    items: tuple[Limit | Note, ...]
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    @property
    def limits(self) -> tuple[Limit, ...]:
        return _only(self.items, Limit)

    @property
    def notes(self) -> tuple[Note, ...]:
        return _only(self.items, Note)


RoutineItem: TypeAlias = (
    RoutineId | Targets | Equipment | Position | Level | Partner | Frequency | Tempo | Sides
    | Switch | Limit | Indications | Contraindications | Note | Media | Variant | SafetyHandler
    | Group | Step | Repeat | Posture
)


@dataclass(frozen=True, slots=True)
class Routine:
    """A whole routine file. ``items`` are its statements in the order written."""

    title: str
    items: tuple[RoutineItem, ...] = ()
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def first(self, kind: type[_T]) -> _T | None:
        """The first statement of this kind, or None (later duplicates are a lint matter)."""
        for item in self.items:
            if isinstance(item, kind):
                return item
        return None

    @property
    def id(self) -> str | None:
        found = self.first(RoutineId)
        return found.value if found else None

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(t for decl in _only(self.items, Targets) for t in decl.targets)

    @property
    def sides(self) -> Sides:
        return self.first(Sides) or Sides("none")

    @property
    def tempo(self) -> Tempo | None:
        return self.first(Tempo)

    @property
    def partner(self) -> Partner | None:
        return self.first(Partner)

    @property
    def limits(self) -> tuple[Limit, ...]:
        return _only(self.items, Limit)

    @property
    def handlers(self) -> tuple[SafetyHandler, ...]:
        return _only(self.items, SafetyHandler)

    @property
    def notes(self) -> tuple[Note, ...]:
        return _only(self.items, Note)

    @property
    def indications(self) -> tuple[Text, ...]:
        return tuple(t for decl in _only(self.items, Indications) for t in decl.items)

    @property
    def contraindications(self) -> tuple[Text, ...]:
        return tuple(t for decl in _only(self.items, Contraindications) for t in decl.items)

    @property
    def body(self) -> tuple[BlockItem, ...]:
        """The statements the client performs (steps, repeats, standing cues), in order."""
        return tuple(i for i in self.items if isinstance(i, (Step, Repeat, Posture)))


_T = TypeVar("_T")


def _only(items: tuple[object, ...], kind: type[_T]) -> tuple[_T, ...]:
    return tuple(i for i in items if isinstance(i, kind))


def walk_steps(items: tuple[BlockItem, ...]) -> list[Step]:
    """Every step in a block, repeats entered, in source order (not expanded)."""
    found: list[Step] = []
    for item in items:
        if isinstance(item, Step):
            found.append(item)
        elif isinstance(item, Repeat):
            found.extend(walk_steps(item.body))
    return found
