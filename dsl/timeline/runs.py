"""One run of a compiled timeline, chosen in advance: what a fixed output plays.

A live player lets the person choose as they go (end a range early, stop a repeat after a
pass, take their time over an untimed step). An audio track, a watch workout or a printed
plan cannot ask, so the choice is made up front with one set of flags shared by every
output (``--ranges``, ``--passes``, ``--untimed``: ``dsl.cli.application``). ``chosen_run``
turns a document and that choice into the entries played, each with its start, its length,
the cues given and the sounds resolved (docs/json.md, "Speech, sounds and progress").

It reads only the JSON document, as any player would.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from dsl.model import placeholders
from dsl.timeline.document import Document, Sound, TimedCue, TimelineEntry

Ranges = Literal["low", "high"]
"""Ranged amounts (``10-30s``) played at their low or high end."""
Passes = Literal["fewest", "most"]
"""Optional passes (beyond a repeat's minimum) all skipped, or all played."""

DEFAULT_UNTIMED = 10.0
"""Seconds an untimed step lasts in a fixed output unless ``--untimed`` says otherwise."""


@dataclass(frozen=True)
class RunChoice:
    """How a fixed output plays what a live player would let the person choose."""

    ranges: Ranges = "high"
    passes: Passes = "most"
    untimed: float = DEFAULT_UNTIMED


@dataclass(frozen=True)
class Played:
    """A timeline entry as the run plays it. ``entry`` has its side words filled with the
    side in progress (its ``text``, ``speech`` and its cues')."""

    entry: TimelineEntry
    start: float
    length: float
    untimed: bool
    cues: tuple[tuple[float, TimedCue], ...]
    """The cues given, with their times from the run's start: those whose offset is at
    most the entry's length as played (a range played at its low end can end before a
    cue)."""
    sounds: tuple[tuple[float, Sound], ...]
    """The sounds given, with their times from the run's start, in time order."""


def chosen_run(document: Document | Mapping[str, Any], choice: RunChoice) -> list[Played]:
    """The entries ``choice`` plays, in order, with their times from the start.

    An entry in an optional pass is played with ``passes="most"`` and skipped with
    ``"fewest"`` (its ``optional`` flag says so: the rule of docs/json.md, "Repeats and
    passes", applied at every pass boundary allowed). A timed entry lasts its
    ``duration.min`` or ``duration.max``; an untimed one ``choice.untimed``."""
    played: list[Played] = []
    now = 0.0
    side = _first_side(document)
    for entry in document["timeline"]:
        if entry["optional"] and choice.passes == "fewest":
            continue
        duration = entry["duration"]
        untimed = duration is None
        if duration is None:
            length = choice.untimed
        else:
            length = float(duration["min"] if choice.ranges == "low" else duration["max"])
        if entry["side"] is not None:
            side = entry["side"]
        filled = _filled(entry, side)
        # As the reference player does: a cue is due once the step has run its offset,
        # before the step ends at the same moment.
        cues = tuple((now + cue["offset"], cue) for cue in filled["cues"]
                     if cue["offset"] <= length)
        played.append(Played(filled, now, length, untimed, cues,
                             tuple(sorted(_sounds(filled, now, length),
                                          key=lambda pair: pair[0]))))
        now += length
    return played


def run_length(run: list[Played]) -> float:
    """How long the run lasts, in seconds."""
    return run[-1].start + run[-1].length if run else 0.0


def _sounds(entry: TimelineEntry, start: float, length: float) -> list[tuple[float, Sound]]:
    anchors = {"start": 0.0, "middle": length / 2, "end": length}
    return [(start + anchors[sound["from"]] + sound["offset"], sound)
            for sound in entry["sounds"] if length >= sound["minLength"]]


def _first_side(document: Document | Mapping[str, Any]) -> str | None:
    """The side in progress before any entry has one: ``metadata.sides.first`` (a
    session's first routine's)."""
    metadata: Any = document.get("metadata")
    if document.get("kind") == "session":
        parts: list[Any] = document.get("parts") or []  # type: ignore[assignment]
        routines = [p["routine"] for p in parts if p.get("kind") == "routine"]
        if not routines:
            return None
        metadata = routines[0]["metadata"]
    sides = metadata["sides"]
    first: str | None = sides["first"] if sides["mode"] != "none" else None
    return first


def _filled(entry: TimelineEntry, side: str | None) -> TimelineEntry:
    """An entry with its templates filled with the side in progress (docs/json.md,
    "Placeholders"): entries with a side of their own are filled already."""
    if entry["side"] is not None or side is None:
        return entry
    words = placeholders.side_words(side)  # type: ignore[arg-type]
    filled = dict(entry)
    if entry["text"] is not None:
        filled["text"] = placeholders.fill(entry["text"], words)
    filled["speech"] = placeholders.fill(entry["speech"], words)
    filled["cues"] = [{**cue, "text": placeholders.fill(cue["text"], words),
                       "speech": placeholders.fill(cue["speech"], words)}
                      for cue in entry["cues"]]
    return filled  # type: ignore[return-value]
