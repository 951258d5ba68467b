"""The compiled document's types: one TypedDict per object of the JSON Schema.

``schema/routine.schema.json`` is the contract app developers read; these types are the
same contract for Python. The compiler builds them and the player reads them, so mypy checks
both ends against it. Every property is required (the schema lists them all under
``required``), enums are ``Literal`` types and nullable fields are ``X | None``.
``tests/test_document_types.py`` walks the schema and these types side by side and fails on
any difference (a property, a required set, a type or an enum), so neither can change alone.

Keys are the document's own camelCase names. Numbers the schema calls ``number`` are
``float`` (whole ones are written as ints, which ``float`` accepts); ``integer`` is ``int``.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypeAlias, TypedDict

# --- enums ---------------------------------------------------------------------------

Unit: TypeAlias = Literal["s", "count", "breath", "rep"]
"""The unit an amount was written in (minutes are converted to seconds)."""
StepKind: TypeAlias = Literal[
    "setup", "hold", "contract", "relax", "inhale", "exhale", "hold-breath", "breathe", "rest",
    "release", "deepen", "move",
]
Pace: TypeAlias = Literal["slowly", "quickly", "steadily", "smoothly"]
Vague: TypeAlias = Literal["briefly"]
EntryKind: TypeAlias = Literal[StepKind, "switch"]
"""A timeline entry's kind: a step's kind, or ``switch`` for a change of sides."""
Origin: TypeAlias = Literal["step", "switch", "restBetween"]
Side: TypeAlias = Literal["left", "right"]
SideLabel: TypeAlias = Literal["Left side", "Right side"]
SidesMode: TypeAlias = Literal["each", "alternating", "one", "none"]
Level: TypeAlias = Literal["beginner", "intermediate", "advanced"]
PartnerMode: TypeAlias = Literal["none", "optional", "required"]
Period: TypeAlias = Literal["day", "week", "month"]
IntensityLevel: TypeAlias = Literal["gentle", "moderate", "firm", "mild-discomfort",
                                    "mild-tension"]
MediaKind: TypeAlias = Literal["image", "video"]
RepeatMode: TypeAlias = Literal["times", "upTo", "for", "atLeast"]
Signal: TypeAlias = Literal["pain", "cramp", "dizziness", "numbness"]
Scope: TypeAlias = Literal["routine", "repeat", "handler", "exercise"]
LimitSubject: TypeAlias = Literal[
    "cycles", "contractions", "contraction", "hold", "breath-hold", "effort", "total",
]
LimitUnit: TypeAlias = Literal["s", "count", "breath", "rep", "times", "percent"]
LimitScope: TypeAlias = Literal["side", "routine", "step"]


# --- small pieces ($defs) ------------------------------------------------------------


class Span(TypedDict):
    """Where a node stands in the source: 1-based, the end column exclusive."""

    line: int
    column: int
    endLine: int
    endColumn: int


class SecondsRange(TypedDict):
    min: float
    max: float


class CountRange(TypedDict):
    min: int
    max: int


class PercentRange(TypedDict):
    min: float
    max: float


class Original(TypedDict):
    """An amount as the author wrote it, before conversion to seconds."""

    min: float
    max: float
    unit: Unit


class Duration(TypedDict):
    """Seconds (converted with the tempo), with the amount as written."""

    min: float
    max: float
    original: Original


class SideAmounts(TypedDict):
    """A step's amount on each side (``hold left 30s, right 45s``)."""

    left: Duration
    right: Duration


class Intensity(TypedDict):
    """A named level or an effort range: one of the two is set."""

    level: IntensityLevel | None
    effort: PercentRange | None


class Media(TypedDict):
    kind: MediaKind
    source: str
    caption: str | None


class Variant(TypedDict):
    name: str
    text: str
    span: Span


class CueTime(TypedDict):
    """A cue's ``at`` as written."""

    value: float
    unit: Unit


class Cue(TypedDict):
    """A cue in the structured tree: its offset from the step's start."""

    text: str
    forPartner: bool
    offset: float
    at: CueTime | None
    span: Span


class TimedCue(TypedDict):
    """A cue in a timeline: its offset and its time from the start."""

    text: str
    forPartner: bool
    offset: float
    at: CueTime | None
    time: SecondsRange
    span: Span
    speech: str
    """The cue as a voice says it (contract 2.2.0)."""


SoundKind: TypeAlias = Literal["start", "switch", "halfway", "lastSeconds"]
SoundAnchor: TypeAlias = Literal["start", "middle", "end"]


Sound = TypedDict("Sound", {
    "kind": SoundKind, "from": SoundAnchor, "offset": float, "minLength": float,
    "count": int | None,
})
"""A sound cue of a timeline entry (contract 2.2.0): given at ``from`` (the entry's start,
middle or end as played) plus ``offset`` seconds, when the entry as played lasts at least
``minLength`` seconds. ``count`` is the number a countdown says, or None."""


# --- the structured tree -------------------------------------------------------------


class RestBetween(TypedDict):
    duration: Duration
    text: str | None
    span: Span


class StepNode(TypedDict):
    type: Literal["step"]
    id: str
    kind: StepKind
    text: str | None
    duration: Duration | None
    durationBySide: NotRequired[SideAmounts]
    waitForUser: bool
    intensity: Intensity | None
    cues: list[Cue]
    media: list[Media]
    variants: list[Variant]
    span: Span
    # Contract 2.1.0, only on the steps that have them (see docs/json.md, "Repetitions"):
    reps: NotRequired[CountRange]  # a step in repetitions: how many
    secondsPerRep: NotRequired[float | None]  # null: self-paced, the client taps through
    pace: NotRequired[Pace]  # `slowly`, `quickly`, `steadily`, `smoothly`
    vague: NotRequired[Vague]  # `briefly`: an untimed amount


class Cap(TypedDict):
    """What caps an open repeat (``mode`` atLeast): its ``at most`` (``by`` atMost), the
    limit one more pass would break (``by`` limit; ``limit`` its index in ``limits``), or
    nothing (``by`` null: uncapped, L106, which stops compiling unless turned off)."""

    by: Literal["atMost", "limit"] | None
    limit: int | None


class RepeatNode(TypedDict):
    type: Literal["repeat"]
    id: str
    mode: RepeatMode
    passes: CountRange
    timeBound: Duration | None
    restBetween: RestBetween | None
    body: list[Node]
    span: Span
    cap: NotRequired[Cap]  # open repeats only (contract 2.1.0)


class PostureNode(TypedDict):
    type: Literal["posture"]
    id: str
    cues: list[str]
    span: Span


class SideOnlyNode(TypedDict):
    """``left only:``: items that run only while that side is worked."""

    type: Literal["sideOnly"]
    id: str
    side: Side
    body: list[Node]
    span: Span


class SectionNode(TypedDict):
    """An exercise of a routine that holds several, in the tree: its steps, repeats and
    standing cues as written (the ``sections`` entry with the same ``id`` says the rest)."""

    type: Literal["section"]
    id: str
    title: str
    body: list[Node]
    span: Span


Node: TypeAlias = StepNode | RepeatNode | PostureNode | SideOnlyNode | SectionNode


class Repeat(TypedDict):
    """A row of the ``repeats`` table."""

    id: str
    mode: RepeatMode
    passes: CountRange
    timeBound: Duration | None
    restBetween: RestBetween | None
    alternatesSides: bool
    span: Span
    cap: NotRequired[Cap]  # open repeats only (contract 2.1.0)


# --- the timeline --------------------------------------------------------------------


# A repeat pass an entry is inside. The functional form because `pass` is a Python keyword.
Pass = TypedDict("Pass", {"repeat": str, "pass": int})


class TimelineEntry(TypedDict):
    index: int
    kind: EntryKind
    origin: Origin
    stepId: str | None
    side: Side | None
    text: str | None
    duration: Duration | None
    durationBySide: NotRequired[SideAmounts]
    waitForUser: bool
    intensity: Intensity | None
    cues: list[TimedCue]
    media: list[Media]
    variants: list[Variant]
    start: SecondsRange
    passes: list[Pass]
    optional: bool
    standingCues: list[str]
    span: Span
    section: NotRequired[str]
    """The id of the exercise (``sections``) the entry belongs to, in a routine with
    exercises; absent otherwise."""
    reps: NotRequired[CountRange]  # as on the step node (contract 2.1.0)
    secondsPerRep: NotRequired[float | None]
    pace: NotRequired[Pace]
    vague: NotRequired[Vague]
    # What a voice and a display need (contract 2.2.0, on every entry):
    key: str
    speech: str
    sideLabel: SideLabel | None
    passStart: list[str]
    passEnd: list[str]
    sounds: list[Sound]
    progress: SecondsRange


# --- the routine's settings ----------------------------------------------------------


class Source(TypedDict):
    path: str | None


class Target(TypedDict):
    name: str
    details: list[str]


class Partner(TypedDict):
    mode: PartnerMode
    text: str | None


class Frequency(TypedDict):
    min: int
    max: int
    per: Period


class Sides(TypedDict):
    mode: SidesMode
    first: Side | None


class Tempo(TypedDict):
    declared: bool
    secondsPerCount: float
    secondsPerBreath: float


class Switch(TypedDict):
    duration: Duration | None
    text: str | None
    span: Span


class Metadata(TypedDict):
    title: str
    id: str | None
    targets: list[Target]
    equipment: list[str] | None
    position: str | None
    level: Level | None
    partner: Partner | None
    frequency: Frequency | None
    sides: Sides
    tempo: Tempo
    switch: Switch | None
    notes: list[str]
    media: list[Media]
    indications: list[str]
    contraindications: list[str]


class Limit(TypedDict):
    subject: LimitSubject
    value: float
    unit: LimitUnit
    seconds: float | None
    per: LimitScope
    group: str | None
    span: Span


class Group(TypedDict):
    name: str
    notes: list[str]
    span: Span


class StandingCue(TypedDict):
    text: str
    span: Span


class StandingCues(TypedDict):
    """A posture block: cues that hold throughout its scope."""

    id: str
    scope: Scope
    within: str | None
    cues: list[StandingCue]
    span: Span


class SafetyHandler(TypedDict):
    id: str
    signal: Signal
    text: str | None
    body: list[Node]
    timeline: list[TimelineEntry]
    duration: SecondsRange
    span: Span
    speech: str
    """What to do on the signal, as a voice says it (contract 2.2.0)."""


class Announcements(TypedDict):
    """What a voice says before the first entry and after the last (contract 2.2.0)."""

    opening: str
    closing: str


class SideSummary(TypedDict):
    side: Side | None
    timeUnderStretch: SecondsRange
    contractions: CountRange
    cycles: CountRange


class Summary(TypedDict):
    duration: SecondsRange
    steps: CountRange
    untimedSteps: CountRange
    contractions: CountRange
    cycles: CountRange
    perSide: list[SideSummary]
    reps: NotRequired[CountRange]  # repetitions of every run, when the routine counts any (2.1.0)


class Section(TypedDict):
    """One exercise of a routine that holds several, in the order they run."""

    id: str
    index: int
    title: str
    exerciseId: str | None
    libraryId: str | None
    metadata: Metadata
    limits: list[Limit]
    variants: list[Variant]
    safetyHandlers: list[SafetyHandler]
    timeline: EntryRange
    start: SecondsRange
    summary: Summary
    span: Span


class EntryRange(TypedDict):
    """Where an exercise's entries stand in the timeline: ``first`` and ``count``."""

    first: int
    count: int


class ParameterRange(TypedDict):
    min: float
    max: float


class Parameter(TypedDict):
    """A value the coach sets (``parameter hold: 30s, 20-60s``): its range and the value
    this document was compiled with, in ``unit`` (None: a number of repeats)."""

    name: str
    text: str | None
    default: float
    range: ParameterRange
    unit: Unit | None
    value: float
    span: Span


class ChosenVariant(TypedDict):
    """A variant chosen: for the whole routine (``section`` null) or for one exercise."""

    variant: str
    section: str | None


class VariantTimeline(TypedDict):
    """The routine run with one variant chosen (``variant``, for the whole routine when
    ``section`` is null, else for that exercise alone): the fields of the document that a
    variant changes, each as the document itself would hold them."""

    variant: str
    section: str | None
    standingCues: list[StandingCues]
    safetyHandlers: list[SafetyHandler]
    body: list[Node]
    repeats: list[Repeat]
    timeline: list[TimelineEntry]
    summary: Summary
    announcements: Announcements
    sections: NotRequired[list[Section]]


class Document(TypedDict):
    """A compiled routine: what ``compile_routine`` returns and a player reads.
    ``parameters`` is there only when the routine declares parameters."""

    schemaVersion: str
    source: Source
    metadata: Metadata
    variants: list[Variant]
    limits: list[Limit]
    groups: list[Group]
    standingCues: list[StandingCues]
    safetyHandlers: list[SafetyHandler]
    body: list[Node]
    repeats: list[Repeat]
    timeline: list[TimelineEntry]
    summary: Summary
    announcements: Announcements
    sections: NotRequired[list[Section]]
    """A routine with exercises: each exercise, in order; absent otherwise."""
    parameters: NotRequired[list[Parameter]]
    variantTimelines: NotRequired[list[VariantTimeline]]
    """A routine with variants that change steps, compiled without ``--variant``: the
    routine run with each variant (contract 2.1.0)."""
    chosenVariants: NotRequired[list[ChosenVariant]]
    """Compiled with ``--variant``: the variants the timeline runs with."""
