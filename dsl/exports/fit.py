"""A routine or a session as a FIT workout, the file a watch plays step by step.

The run is the compiled document's timeline as the shared run choice picks it
(``--ranges``, ``--passes``: ``dsl.timeline.runs``), so the watch does what ``stretch play``
plays with the same flags. ``workout`` turns that run into workout steps: one per entry
(a time in milliseconds, or *open*: until the lap button, for an untimed step), with a
repeat's passes folded back into one FIT repeat step when every pass is the same (nested
inside an outer repeat's pass where the passes nest). What a FIT repeat cannot say is
written out: a repeat with a rest between passes (no rest after the last), passes that
alternate sides, passes that differ (a ``left only:`` block), and everything with
``flat``. ``fit_bytes`` encodes the steps with ``fit-tool``.

The file is the same bytes for the same document and flags: ``time_created`` is
``SOURCE_DATE_EPOCH`` (else 2000-01-01T00:00:00Z; a malformed value is an error), and
nothing else depends on the clock or the machine.

``fit-tool`` is an optional dependency (``pip install 'stretch-dsl[fit]'``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dsl.timeline.runs import Passes, Ranges

INSTALL = "pip install 'stretch-dsl[fit]'"
FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""``time_created`` when ``SOURCE_DATE_EPOCH`` is not set."""
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
FIRST_CREATED = FIT_EPOCH + dt.timedelta(seconds=0x10000000)
LAST_CREATED = FIT_EPOCH + dt.timedelta(seconds=0xFFFFFFFE)
"""FIT counts time in whole seconds from ``FIT_EPOCH`` in 32 bits: all ones means "no
time", and below ``0x10000000`` a device's seconds since it was switched on."""
NAME_LENGTH = 32
"""The most characters a step's name has: watches show a line of about this much; the
whole words are in the step's notes."""
TEXT_BYTES = 254
"""The most UTF-8 bytes of a FIT text field (255 with its terminating NUL)."""
ELLIPSIS = "…"


class ExportError(Exception):
    """A routine or session that cannot be written as a workout as asked (a usage error)."""


@dataclass(frozen=True)
class Step:
    """One workout step: ``seconds`` None is open (it lasts until the lap button)."""

    name: str
    notes: str
    seconds: float | None
    rest: bool


@dataclass(frozen=True)
class Repeat:
    """A FIT repeat step: its ``body`` played ``count`` times, or, with ``until`` (seconds
    from the start of the first pass), again as long as less than that has passed."""

    body: tuple[Item, ...]
    count: int
    until: float | None


Item = Step | Repeat


@dataclass(frozen=True)
class _Played:
    """An entry of the chosen run with what the watch needs of it: ``passes`` name each
    repeat with its part in a session, so repeats of two parts never meet."""

    step: Step
    passes: tuple[tuple[str, int], ...]


def workout(document: dict[str, Any], *, ranges: Ranges = "high", passes: Passes = "most",
            flat: bool = False) -> tuple[Item, ...]:
    """The workout's steps for a compiled routine or session, in the order the watch
    plays them: the run ``ranges`` and ``passes`` choose (``dsl.timeline.runs``)."""
    from dsl.timeline.runs import RunChoice, chosen_run

    run = []
    for played in chosen_run(document, RunChoice(ranges, passes)):
        entry = played.entry
        part = entry.get("part")
        prefix = "" if part is None else f"{part}."
        run.append(_Played(
            Step(step_name(entry["speech"], entry["sideLabel"]), cut(entry["speech"]),
                 None if played.untimed else played.length, entry["kind"] == "rest"),
            tuple((prefix + p["repeat"], int(p["pass"])) for p in entry["passes"])))
    return _fold(run, 0, _repeats(document), flat)


def _repeats(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The repeats by id: a session's by its part and id (``2.r1``), as in ``_Played``."""
    if document.get("kind") != "session":
        return {r["id"]: r for r in document.get("repeats", [])}
    return {f"{part['index']}.{r['id']}": r for part in document.get("parts", [])
            if part.get("kind") == "routine" for r in part["routine"].get("repeats", [])}


def _fold(run: list[_Played], level: int, repeats: dict[str, Any],
          flat: bool) -> tuple[Item, ...]:
    """The steps of ``run`` (entries that share their passes above ``level``): each repeat
    run at ``level`` folded into a repeat step where FIT can say it."""
    items: list[Item] = []
    index = 0
    while index < len(run):
        played = run[index]
        if len(played.passes) <= level:
            items.append(played.step)
            index += 1
            continue
        repeat_id = played.passes[level][0]
        end = index + 1
        # One run of the repeat: a pass numbered 1 again starts another run.
        while (end < len(run) and len(run[end].passes) > level
               and run[end].passes[level][0] == repeat_id
               and run[end].passes[level][1] >= run[end - 1].passes[level][1]):
            end += 1
        bodies = [_fold(pass_entries, level + 1, repeats, flat)
                  for pass_entries in _passes(run[index:end], level)]
        repeat = repeats.get(repeat_id, {})
        foldable = (not flat and len(bodies) > 1 and not repeat.get("restBetween")
                    and not repeat.get("alternatesSides")
                    and all(body == bodies[0] for body in bodies))
        if not foldable:
            items += [item for body in bodies for item in body]
        elif repeat.get("mode") == "for":
            # A time box: the watch repeats while less than the passes' length has passed,
            # so it plays the passes the run chose and never runs past the box.
            items.append(Repeat(bodies[0], len(bodies), len(bodies) * _length(bodies[0])))
        else:
            items.append(Repeat(bodies[0], len(bodies), None))
        index = end
    return tuple(items)


def _passes(run: list[_Played], level: int) -> list[list[_Played]]:
    """A repeat run split into its passes."""
    passes: list[list[_Played]] = []
    for played in run:
        if not passes or passes[-1][0].passes[level][1] != played.passes[level][1]:
            passes.append([])
        passes[-1].append(played)
    return passes


def _length(items: tuple[Item, ...]) -> float:
    """Seconds one pass takes (a time box holds no untimed step: the checker stops it)."""
    total = 0.0
    for item in items:
        if isinstance(item, Step):
            total += item.seconds or 0.0
        else:
            total += item.count * _length(item.body)
    return total


def expanded(items: tuple[Item, ...]) -> list[Step]:
    """The steps in the order a watch plays them, repeats unrolled."""
    steps: list[Step] = []
    for item in items:
        if isinstance(item, Step):
            steps.append(item)
        else:
            steps += expanded(item.body) * item.count
    return steps


def step_name(speech: str, side_label: str | None) -> str:
    """A step's name: the side (``Left:``, ``Right:``) for a step on one side, then its
    words (without a leading "Left side.", said already), cut at a word to at most
    ``NAME_LENGTH`` characters ending with "…" when longer."""
    if side_label is None:
        return short(speech)
    if speech.startswith(side_label + "."):
        speech = speech[len(side_label) + 1:]
    return short(f"{side_label.split()[0]}: {speech.strip()}")


def short(words: str) -> str:
    """Words cut at a word to at most ``NAME_LENGTH`` characters, ending with "…" when
    longer."""
    return _cut(words, NAME_LENGTH, len)


def cut(words: str) -> str:
    """A text as a FIT text field holds it: whole, or cut at a word to ``TEXT_BYTES``
    bytes of UTF-8 ending with "…"."""
    return _cut(words, TEXT_BYTES, lambda text: len(text.encode("utf-8")))


def _cut(words: str, limit: int, size: Callable[[str], int]) -> str:
    words = " ".join(words.split())
    if size(words) <= limit:
        return words
    room = limit - size(ELLIPSIS)
    kept = words[:room]  # a character is at least one byte
    while size(kept) > room:
        kept = kept[:-1]
    if " " in kept and not words[len(kept)].isspace():
        kept = kept[:kept.rindex(" ")]  # the last word that fits whole
    return kept.rstrip(" ,.;:-") + ELLIPSIS


def created() -> dt.datetime:
    """The file's creation time: ``SOURCE_DATE_EPOCH``, else ``FIXED_CREATED``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch:  # unset, or set to nothing as some build scripts do
        return FIXED_CREATED
    # The reproducible-builds rule: a malformed value is an error, never silently replaced.
    if not epoch.strip().isdigit():
        raise ExportError("SOURCE_DATE_EPOCH must be a whole number of seconds since "
                          f"1970-01-01 UTC, not `{epoch}`")
    seconds = int(epoch)
    if not FIRST_CREATED.timestamp() <= seconds <= LAST_CREATED.timestamp():
        raise ExportError(f"SOURCE_DATE_EPOCH {seconds} is outside the times a FIT file "
                          f"can hold ({FIRST_CREATED:%Y-%m-%d} to {LAST_CREATED:%Y-%m-%d})")
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def fit_bytes(document: dict[str, Any], *, ranges: Ranges = "high", passes: Passes = "most",
              flat: bool = False, stamp: dt.datetime | None = None) -> bytes:
    """A compiled routine or session as a FIT workout file's bytes, created at ``stamp``
    (default: ``created()``)."""
    try:
        from fit_tool.fit_file_builder import FitFileBuilder
        from fit_tool.profile.messages.file_id_message import FileIdMessage
        from fit_tool.profile.messages.workout_message import WorkoutMessage
        from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport
    except ImportError:
        raise ExportError(f"writing FIT needs the `fit-tool` package: {INSTALL}") from None
    stamp = stamp or created()
    steps = _messages(workout(document, ranges=ranges, passes=passes, flat=flat))
    if not steps:
        raise ExportError("the run has no steps: there is nothing for a watch to play")
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = round(stamp.timestamp() * 1000)  # milliseconds since 1970
    message = WorkoutMessage()
    message.workout_name = cut(document.get("metadata", {}).get("title") or "Stretching")
    message.sport = Sport.TRAINING
    message.sub_sport = SubSport.FLEXIBILITY_TRAINING
    message.num_valid_steps = len(steps)
    # What the voice says first: the title, and what to do on pain, a cramp, dizziness.
    opening = document.get("announcements", {}).get("opening")
    if opening:
        message.workout_description = cut(opening)
    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    builder.add(file_id)
    builder.add(message)
    builder.add_all(steps)
    data: bytes = builder.build().to_bytes()
    return data


def _messages(items: tuple[Item, ...]) -> list[Any]:
    """The workout step messages: a repeat step follows its body and points back at the
    body's first step (``duration_step``), so nested repeats point into their outer body."""
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import Intensity, WorkoutStepDuration, WorkoutStepTarget

    messages: list[Any] = []

    def add(items: tuple[Item, ...]) -> None:
        for item in items:
            message = WorkoutStepMessage()
            if isinstance(item, Step):
                message.message_index = len(messages)
                message.workout_step_name = item.name
                # The type first: the value's meaning (and scale) depends on it.
                if item.seconds is None:
                    message.duration_type = WorkoutStepDuration.OPEN
                else:
                    message.duration_type = WorkoutStepDuration.TIME
                    message.duration_time = round(item.seconds, 3)
                message.target_type = WorkoutStepTarget.OPEN
                message.intensity = Intensity.REST if item.rest else Intensity.ACTIVE
                if item.notes:
                    message.notes = item.notes
                messages.append(message)
                continue
            first = len(messages)
            add(item.body)
            message.message_index = len(messages)
            message.duration_step = first
            if item.until is None:
                message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
                message.target_repeat_steps = item.count
            else:
                message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_TIME
                message.target_repeat_time = round(item.until, 3)
            messages.append(message)

    add(items)
    return messages
