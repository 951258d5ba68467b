"""The routine as a coach wrote it: typed, immutable, every node with its source span.

The parser builds these; the checker, compiler and formatter only read them. Spans are
excluded from equality, so two routines that say the same thing compare equal however
they were laid out (the formatter relies on that to prove it lost nothing).

The routine keeps its statements in the order they were written (``Routine.items``);
properties such as ``Routine.targets`` look things up for readers who want them by name.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, Literal, TypeAlias, TypeVar

import msgspec

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


class Record(msgspec.Struct, frozen=True, gc=False):
    """An immutable record of the model: equal when every field is equal.

    The model's types are msgspec structs rather than dataclasses: a frozen dataclass
    costs about half a millisecond to create (its methods are generated source, compiled
    when the module is imported), some 20 ms of every command's start-up for the whole
    model, and its instances are slower to build and larger. ``gc=False``: a routine is a
    tree, so its nodes cannot form reference cycles for the collector to find.
    """


_NOT_COMPARED = frozenset({"span", "scope_span", "written_per", "name_span"})
"""Fields that say where and how something was written, not what it says: equality,
hashing and ``repr`` leave them out, so a routine equals itself however it is laid out."""

_compared_fields: dict[type, Callable[[Any], object]] = {}


def _compared(node: Node) -> object:
    """The values of a node's compared fields (a getter worked out once per type)."""
    kind = type(node)
    getter = _compared_fields.get(kind)
    if getter is None:
        names = [n for n in kind.__struct_fields__ if n not in _NOT_COMPARED]
        # (With one name, attrgetter gives the bare value: it compares the same.)
        getter = attrgetter(*names) if names else (lambda _: ())
        _compared_fields[kind] = getter
    return getter(node)


class Node(msgspec.Struct, frozen=True, gc=False, eq=False):
    """A node of the routine: a record that also knows where it stands in its file
    (``span``), which takes no part in equality."""

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return _compared(self) == _compared(other)

    def __ne__(self, other: object) -> bool:
        # Spelled out: the struct's own `!=` would otherwise compare identities.
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.__class__, _compared(self)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__struct_fields__
                          if name not in _NOT_COMPARED)
        return f"{self.__class__.__qualname__}({shown})"


class Span(Record, frozen=True):
    """Where a node stands in its file: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


NO_SPAN = Span(0, 0, 0, 0)


class Comment(Record, frozen=True):
    """A ``#`` comment, kept beside the model so the formatter can put it back."""

    line: int
    column: int
    text: str  # including the leading '#'
    own_line: bool  # True when nothing but the comment stands on its line


class Text(Node, frozen=True):
    """A piece of quoted text, such as one posture cue or one indication."""

    value: str
    span: Span = NO_SPAN


class Quantity(Record, frozen=True):
    """One measured amount: ``30s`` is (30, "s"), ``5 counts`` is (5, "count")."""

    value: float
    unit: Unit


class Amount(Node, frozen=True):
    """A quantity or a range of them; a single quantity has ``low == high``.

    ``parameter`` names the routine's parameter when the amount was written ``{hold}``:
    as parsed its ends are zero seconds; ``dsl.model.values`` fills them with
    the parameter's value (keeping the name, so the printer writes ``{hold}`` back)."""

    low: Quantity
    high: Quantity
    span: Span = NO_SPAN
    parameter: str | None = None

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def unit(self) -> Unit:
        return self.high.unit


class Intensity(Node, frozen=True):
    """How hard: a named level (``gently``, ``to mild discomfort``) or a % of full effort."""

    level: IntensityLevel | None = None
    effort_low: float | None = None
    effort_high: float | None = None
    span: Span = NO_SPAN


# --- routine settings ----------------------------------------------------------------


class RoutineId(Node, frozen=True):
    value: str
    span: Span = NO_SPAN


class Target(Node, frozen=True):
    """A muscle or muscle group, with optional anatomical detail in parentheses."""

    name: str
    details: tuple[Target, ...] = ()
    span: Span = NO_SPAN


class Targets(Node, frozen=True):
    targets: tuple[Target, ...]
    span: Span = NO_SPAN


class Equipment(Node, frozen=True):
    items: tuple[Text, ...]  # empty for ``equipment: none``
    span: Span = NO_SPAN


class Position(Node, frozen=True):
    value: str
    span: Span = NO_SPAN


class Level(Node, frozen=True):
    value: str
    span: Span = NO_SPAN


class Partner(Node, frozen=True):
    mode: PartnerMode
    text: str | None = None
    span: Span = NO_SPAN


class Frequency(Node, frozen=True):
    """``3 times a day`` is (3, 3, "day"); ``daily`` is (1, 1, "day")."""

    low: int
    high: int
    period: str
    span: Span = NO_SPAN


class TempoRate(Node, frozen=True):
    """``1 count = 1s``: how many seconds one count (or one breath) lasts."""

    unit: Unit
    seconds: float
    span: Span = NO_SPAN


class Tempo(Node, frozen=True):
    rates: tuple[TempoRate, ...]
    span: Span = NO_SPAN


class Sides(Node, frozen=True):
    """Which sides the body runs on: ``each`` side in turn, ``alternating`` pass by pass,
    ``one`` side only, or ``none`` (both sides at once)."""

    mode: SidesMode
    first: Side | None = None  # the side done first, or the only side
    span: Span = NO_SPAN


class Switch(Node, frozen=True):
    """What happens between sides: ``switch 5s "Change legs"``."""

    amount: Amount | None = None
    text: str | None = None
    span: Span = NO_SPAN


class Limit(Node, frozen=True):
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
    span: Span = NO_SPAN
    scope_span: Span | None = None
    written_per: Literal["side", "routine"] | None = None


class Indications(Node, frozen=True):
    items: tuple[Text, ...]
    span: Span = NO_SPAN


class Contraindications(Node, frozen=True):
    items: tuple[Text, ...]
    span: Span = NO_SPAN


class Posture(Node, frozen=True):
    """Standing cues that hold for the whole routine, or for the block they stand in."""

    cues: tuple[Text, ...]
    span: Span = NO_SPAN


class Note(Node, frozen=True):
    text: str
    span: Span = NO_SPAN


class Media(Node, frozen=True):
    kind: Literal["image", "video"]
    source: str  # a path relative to the routine file, or a URL
    caption: str | None = None
    span: Span = NO_SPAN


class Variant(Node, frozen=True):
    """An easier or harder way (or any named way) to do the routine or one step."""

    name: str
    text: str
    span: Span = NO_SPAN


# --- steps and blocks ----------------------------------------------------------------


class Cue(Node, frozen=True):
    """Something said during a step; ``at`` is measured from the step's start."""

    text: str
    at: Quantity | None = None
    for_partner: bool = False
    span: Span = NO_SPAN


StepDetail: TypeAlias = Cue | Media | Variant


class Step(Node, frozen=True):
    """One thing the client does. No amount means untimed: the player waits for them."""

    kind: StepKind
    amount: Amount | None = None
    intensity: Intensity | None = None
    text: str | None = None
    details: tuple[StepDetail, ...] = ()
    span: Span = NO_SPAN

    @property
    def cues(self) -> tuple[Cue, ...]:
        return _only(self.details, Cue)

    @property
    def media(self) -> tuple[Media, ...]:
        return _only(self.details, Media)

    @property
    def variants(self) -> tuple[Variant, ...]:
        return _only(self.details, Variant)


class RepeatCount(Node, frozen=True):
    """How often a repeat runs.

    ``times``: between ``low`` and ``high`` passes (equal for a fixed count);
    ``up_to``: at most ``high`` passes, the player may stop after any;
    ``for``: passes until ``duration`` has run out (never past its upper end).
    """

    mode: Literal["times", "up_to", "for"]
    low: int | None = None
    high: int | None = None
    duration: Amount | None = None
    span: Span = NO_SPAN
    parameter: str | None = None  # ``repeat {rounds} times``: as for ``Amount.parameter``


class RestBetween(Node, frozen=True):
    """``, rest 30s between``: a rest inserted between passes (not after the last)."""

    amount: Amount
    text: str | None = None
    span: Span = NO_SPAN


class Repeat(Node, frozen=True):
    count: RepeatCount
    body: tuple[BlockItem, ...]
    rest: RestBetween | None = None
    span: Span = NO_SPAN


BlockItem: TypeAlias = Step | Repeat | Posture


class SafetyHandler(Node, frozen=True):
    """What the player does when the client signals ``pain`` (or cramp, dizziness...)."""

    signal: str
    body: tuple[BlockItem, ...]
    text: str | None = None
    span: Span = NO_SPAN


class Parameter(Node, frozen=True):
    """A value the coach sets for each client: ``parameter hold: 30s, 20-60s "..."``.

    ``default`` and ``allowed`` are amounts (``Amount``: seconds, counts or breaths) for a
    parameter used where an amount goes, whole numbers (``Count``) for one used as a repeat
    count. ``dsl.model.values`` fills the routine's ``{name}`` uses with a value."""

    name: str
    default: Amount | Count
    allowed: Amount | Count
    text: str | None = None
    span: Span = NO_SPAN
    name_span: Span = NO_SPAN
    value: float | None = None  # the value it runs with, once ``with_values`` set it

    @property
    def is_count(self) -> bool:
        """Whether it counts repeats (``parameter rounds: 3, 2-5``) rather than measures."""
        return isinstance(self.default, Count)


class Count(Node, frozen=True):
    """Whole numbers from ``low`` to ``high`` (equal for one number): a repeat count's
    value or range, as a parameter declares it."""

    low: int
    high: int
    span: Span = NO_SPAN


class Group(Node, frozen=True):
    """Limits and notes for a group of people: ``for pregnant clients:``."""

    name: str
    items: tuple[Limit | Note, ...]
    span: Span = NO_SPAN

    @property
    def limits(self) -> tuple[Limit, ...]:
        return _only(self.items, Limit)

    @property
    def notes(self) -> tuple[Note, ...]:
        return _only(self.items, Note)


RoutineItem: TypeAlias = (
    RoutineId | Targets | Equipment | Position | Level | Partner | Frequency | Tempo | Sides
    | Switch | Limit | Indications | Contraindications | Note | Media | Variant | SafetyHandler
    | Group | Parameter | Step | Repeat | Posture
)


class Routine(Node, frozen=True):
    """A whole routine file. ``items`` are its statements in the order written."""

    title: str
    items: tuple[RoutineItem, ...] = ()
    span: Span = NO_SPAN

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
        return tuple([t for decl in _only(self.items, Targets) for t in decl.targets])

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
    def parameters(self) -> tuple[Parameter, ...]:
        return _only(self.items, Parameter)

    @property
    def placeholder_names(self) -> frozenset[str]:
        """Every name a ``{name}`` in this routine's texts may use: its parameters'."""
        return frozenset([p.name for p in self.parameters])

    @property
    def body(self) -> tuple[BlockItem, ...]:
        """The statements the client performs (steps, repeats, standing cues), in order."""
        # Lists, not generators, below: these are read many times per routine, and a
        # generator costs a frame switch per item.
        return tuple([i for i in self.items if isinstance(i, _BODY_KINDS)])


_T = TypeVar("_T")
_BODY_KINDS = (Step, Repeat, Posture)


def _only(items: tuple[object, ...], kind: type[_T]) -> tuple[_T, ...]:
    return tuple([i for i in items if isinstance(i, kind)])


def walk_steps(items: tuple[BlockItem, ...]) -> list[Step]:
    """Every step in a block, repeats entered, in source order (not expanded)."""
    found: list[Step] = []
    for item in items:
        if isinstance(item, Step):
            found.append(item)
        elif isinstance(item, Repeat):
            found.extend(walk_steps(item.body))
    return found
