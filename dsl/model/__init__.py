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

from dsl.model.placeholders import SIDE_WORDS

Unit = Literal["s", "count", "breath", "rep"]
"""Units an amount can be measured in. Minutes are converted to seconds when parsed.
``rep`` counts repetitions of a movement: untimed unless a time per rep is given."""

StepKind = Literal[
    "setup", "hold", "contract", "relax", "inhale", "exhale", "hold-breath", "breathe", "rest",
    "release", "deepen", "move",
]
STEP_KINDS: tuple[StepKind, ...] = (
    "setup", "hold", "contract", "relax", "inhale", "exhale", "hold-breath", "breathe", "rest",
    "release", "deepen", "move",
)
"""``hold`` holds a stretch; ``hold-breath`` holds the breath (after an inhale or exhale);
``move`` is a counted movement (``move 10 reps "Ankle circles"``)."""
PACE_WORDS = ("slowly", "quickly", "steadily", "smoothly")
"""How a movement is done: kept and shown, never timed (like an intensity)."""
VAGUE_AMOUNTS = ("briefly",)
"""Words that stand for an amount without giving one: the step is untimed."""
PACED_KINDS: tuple[StepKind, ...] = (
    "move", "contract", "relax", "inhale", "exhale", "breathe", "release", "deepen")
"""Step kinds that are a movement, so a pace word says something about them."""
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


DEFAULT_SECONDS: dict[Unit, float] = {"s": 1.0, "count": 1.0, "breath": 5.0}
"""Seconds per unit when the routine states no tempo: 1 count = 1s, 1 breath = 5s."""

SHORTEST_RATE = 0.0005
"""A tempo rate below this many seconds is ignored (it would round to 0 ms)."""


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


_NOT_COMPARED = frozenset({"span", "scope_span", "written_per", "written_open", "name_span"})
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


class StepChange(Node, frozen=True):
    """How a variant changes the step it is written under (docs/language.md, "Variants that
    change steps"): ``variant harder: 60s`` gives the step another amount (``by_side`` for
    ``left 30s, right 45s``); ``variant easier: leave out`` (``leave_out``) leaves it out;
    ``variant harder:`` with steps written under it (``steps``) puts them in its place.
    ``dsl.model.variants.with_variant`` makes the change when ``name`` is chosen."""

    name: str
    amount: Amount | None = None
    by_side: SideAmounts | None = None
    leave_out: bool = False
    steps: tuple[BlockItem, ...] = ()
    span: Span = NO_SPAN


StepDetail: TypeAlias = Cue | Media | Variant | StepChange


class SideAmounts(Node, frozen=True):
    """``left 30s, right 45s``: a step's amount on each side. ``first`` is the side written
    first (printed back first)."""

    left: Amount
    right: Amount
    first: Side = "left"
    span: Span = NO_SPAN

    def on(self, side: Side) -> Amount:
        return self.left if side == "left" else self.right

    @property
    def longest(self) -> Amount:
        """The amount with the longer high end (left on a tie): what the step takes where
        the side is not known, so every limit holds whichever side it runs on."""
        left, right = self.left, self.right
        if right.high.unit == left.high.unit and right.high.value > left.high.value:
            return right
        return left

class Word(Node, frozen=True):
    """A word kept as written: a pace (``slowly``) or a vague amount (``briefly``)."""

    value: str
    span: Span = NO_SPAN


class Step(Node, frozen=True):
    """One thing the client does. No amount means untimed: the player waits for them.

    ``by_side`` is a per-side amount (``hold left 30s, right 45s``); ``amount`` is then its
    ``longest`` (what readers that know no side see), and ``amount_on`` picks a side's.
    Repetitions (``10 reps``) are untimed too, the player counting them, unless a time per
    rep is given: ``rep_time`` (``, 3s each``) or the routine's ``tempo: 1 rep = 3s``.
    ``pace`` (``slowly``) says how; ``vague`` (``briefly``) stands where no amount is."""

    kind: StepKind
    amount: Amount | None = None
    intensity: Intensity | None = None
    text: str | None = None
    details: tuple[StepDetail, ...] = ()
    span: Span = NO_SPAN
    rep_time: Amount | None = None
    pace: Word | None = None
    vague: Word | None = None
    by_side: SideAmounts | None = None

    def amount_on(self, side: Side | None) -> Amount | None:
        """The amount the step runs with on ``side`` (None: the side is not known)."""
        if self.by_side is None or side is None:
            return self.amount
        return self.by_side.on(side)

    @property
    def cues(self) -> tuple[Cue, ...]:
        return _only(self.details, Cue)

    @property
    def media(self) -> tuple[Media, ...]:
        return _only(self.details, Media)

    @property
    def variants(self) -> tuple[Variant, ...]:
        return _only(self.details, Variant)

    @property
    def changes(self) -> tuple[StepChange, ...]:
        return _only(self.details, StepChange)


class RepeatCount(Node, frozen=True):
    """How often a repeat runs.

    ``times``: between ``low`` and ``high`` passes (equal for a fixed count);
    ``up_to``: at most ``high`` passes, the player may stop after any;
    ``for``: passes until ``duration`` has run out (never past its upper end);
    ``at_least``: an open repeat, at least ``low`` passes and at most ``high`` (``at most
    M``) or, with ``high`` None, as many as every limit that applies allows (the cap is
    worked out by ``dsl.timeline.expand``). ``written_open`` is how the author opened it
    (``at least 4`` or ``4 or more``), kept so the formatter prints back their words.
    """

    mode: Literal["times", "up_to", "for", "at_least"]
    low: int | None = None
    high: int | None = None
    duration: Amount | None = None
    span: Span = NO_SPAN
    written_open: Literal["at least", "or more"] = "at least"
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


class SideOnly(Node, frozen=True):
    """``left only:``: a block that runs only while ``side`` is being worked (on its turn
    with ``sides: each``, in its passes with ``alternating``)."""

    side: Side
    body: tuple[BlockItem, ...]
    span: Span = NO_SPAN


class VariantOnly(Node, frozen=True):
    """``variant harder only:``: a block that runs only when the variant ``name`` is chosen
    (``dsl.model.variants.with_variant`` puts its steps in place or leaves them out)."""

    name: str
    body: tuple[BlockItem, ...]
    span: Span = NO_SPAN


BlockItem: TypeAlias = Step | Repeat | Posture | SideOnly | VariantOnly


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


ExerciseItem: TypeAlias = (
    RoutineId | Targets | Equipment | Position | Level | Tempo | Sides | Switch | Limit
    | Indications | Contraindications | Note | Media | Variant | SafetyHandler | Group | Step
    | Repeat | Posture | SideOnly | VariantOnly
)
"""What an exercise can hold: a routine's settings and statements, less ``partner:``,
``frequency:`` (which say how the whole routine is done) and exercises themselves."""


class _Statements(Node, frozen=True):
    """What a routine and an exercise share: statements in the order written, and the
    look-ups by name. (Defined once so an exercise reads exactly like a routine.)"""

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
        """Every name a ``{placeholder}`` in this routine's texts may use: its parameters',
        and the side words when the routine has sides (docs/language.md, "Sides in the
        words", "Parameters")."""
        names = frozenset([p.name for p in self.parameters])
        if self.sides.mode == "none":
            return names
        return names | _SIDE_WORDS

    @property
    def body(self) -> tuple[BlockItem, ...]:
        """The statements the client performs (steps, repeats, standing cues), in order."""
        # Lists, not generators, below: these are read many times per routine, and a
        # generator costs a frame switch per item.
        return tuple([i for i in self.items if isinstance(i, _BODY_KINDS)])


class Exercise(_Statements, frozen=True):
    """``exercise "Calf stretch":``, one of the exercises of a routine that holds several,
    run in the order written. It holds what a routine holds (``ExerciseItem``) and inherits
    the routine's settings it does not set itself: ``as_routine`` gives the exercise seen
    as a routine of its own, which is what the checker and the expansion read."""


RoutineItem: TypeAlias = (
    RoutineId | Targets | Equipment | Position | Level | Partner | Frequency | Tempo | Sides
    | Switch | Limit | Indications | Contraindications | Note | Media | Variant | SafetyHandler
    | Group | Exercise | Parameter | Step | Repeat | Posture | SideOnly | VariantOnly
)


class Routine(_Statements, frozen=True):
    """A whole routine file. ``items`` are its statements in the order written."""

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        """The routine's exercises in order; empty for a routine of one exercise (steps
        written straight in the routine)."""
        return tuple([i for i in self.items if i.__class__ is Exercise])


_T = TypeVar("_T")
_BODY_KINDS = (Step, Repeat, Posture, SideOnly, VariantOnly)
_SIDE_WORDS = frozenset(SIDE_WORDS)


def _only(items: tuple[object, ...], kind: type[_T]) -> tuple[_T, ...]:
    return tuple([i for i in items if isinstance(i, kind)])


def walk_steps(items: tuple[BlockItem, ...]) -> list[Step]:
    """Every step in a block, repeats entered, in source order (not expanded). In a routine
    as written, that is the steps of every variant too (``variant harder only:`` blocks,
    the steps a ``variant harder:`` puts in a step's place, after that step)."""
    found: list[Step] = []
    for item in items:
        if isinstance(item, Step):
            found.append(item)
            for detail in item.details:  # (read for every step: kept lean)
                if detail.__class__ is StepChange and detail.steps:
                    found.extend(walk_steps(detail.steps))
        elif isinstance(item, (Repeat, SideOnly, VariantOnly)):
            found.extend(walk_steps(item.body))
    return found


# --- an exercise seen as a routine ---------------------------------------------------------

_INHERITED_KINDS: tuple[type, ...] = (
    Targets, Equipment, Position, Level, Partner, Frequency, Tempo, Sides, Switch,
    Indications, Contraindications, Note, Media,
)
"""Settings an exercise takes from its routine when it gives none of that kind itself."""


def whole_routine_limit(limit: Limit) -> bool:
    """A routine-level limit that bounds the whole routine, not each exercise: one counted
    ``per routine`` (``limit total 20m``, ``limit cycles 6 per routine``)."""
    return limit.per == "routine"


def as_routine(routine: Routine, exercise: Exercise) -> Routine:
    """The exercise as a routine of its own: what the checker's rules and the expansion
    read, so that they need to know nothing about exercises (docs/language.md,
    "Exercises").

    It holds, in this order: the routine's settings of each kind the exercise does not set
    (``sides:``, ``tempo:``, ``switch``, ``position:``...); the routine's limits, except
    those counted per routine (they bound the whole routine: ``whole_routine_limit``); the
    routine's groups, the same way; the routine's safety handlers for signals the exercise
    has none for; the routine's variants of other names; the routine's standing cues
    (``posture``); then everything the exercise says. A limit both give on the same thing
    (in the routine or in a group of the same name) is kept once, the stricter: both hold,
    so the stricter is the one that counts. Every node keeps its span, so findings point
    at the line that says it."""
    own_kinds = {item.__class__ for item in exercise.items}
    tempo = exercise.tempo or routine.tempo  # what a limit in counts means in the exercise
    own_signals = {h.signal for h in exercise.handlers}
    own_variants = {v.name for v in exercise.items if isinstance(v, Variant)}
    own_groups = {g.name: g for g in exercise.items if isinstance(g, Group)}
    dropped: set[int] = set()  # ids of the exercise's limits a stricter routine one beats
    inherited: list[RoutineItem] = []
    for item in routine.items:
        kind = item.__class__
        if kind in _INHERITED_KINDS:
            if kind not in own_kinds:
                inherited.append(item)
        elif isinstance(item, Limit):
            if _stricter(item, exercise.limits, dropped, tempo):
                inherited.append(item)
        elif isinstance(item, Group):
            mine = own_groups.get(item.name)
            items = tuple([i for i in item.items if isinstance(i, Note)
                           or _stricter(i, mine.limits if mine else (), dropped, tempo)])
            if items:
                inherited.append(Group(item.name, items, item.span))
        elif isinstance(item, SafetyHandler):
            if item.signal not in own_signals:
                inherited.append(item)
        elif isinstance(item, Variant):
            if item.name not in own_variants:
                inherited.append(item)
        elif isinstance(item, Posture):
            inherited.append(item)
    own: list[RoutineItem] = []
    for item in exercise.items:
        if isinstance(item, Group) and dropped:
            item = Group(item.name, tuple([i for i in item.items if id(i) not in dropped]),
                         item.span)
        if id(item) not in dropped:
            own.append(item)
    return Routine(exercise.title, (*inherited, *own), exercise.span)


def _stricter(limit: Limit, own: tuple[Limit, ...], dropped: set[int],
              tempo: Tempo | None) -> bool:
    """Whether a routine's limit applies to an exercise whose own limits are ``own``: not
    when counted per routine, nor when the exercise bounds the same thing as strictly (in
    seconds at the exercise's tempo, for `limit hold 60s` beside `limit hold 20 counts`);
    when it is the stricter, the exercise's limits on the same thing go into ``dropped``."""
    if whole_routine_limit(limit):
        return False
    same = [lim for lim in own if (lim.subject, lim.per) == (limit.subject, limit.per)]
    bound = _bound(limit, tempo)
    if any(_bound(lim, tempo) <= bound for lim in same):
        return False
    dropped.update(id(lim) for lim in same)
    return True


def _bound(limit: Limit, tempo: Tempo | None) -> float:
    """A limit's value, in seconds when it is in counts or breaths (at the tempo)."""
    unit = limit.unit
    if unit != "count" and unit != "breath":
        return limit.value
    rate = DEFAULT_SECONDS[unit]
    for given in tempo.rates if tempo is not None else ():
        if given.unit == unit and given.seconds >= SHORTEST_RATE:
            rate = given.seconds
    return limit.value * rate
