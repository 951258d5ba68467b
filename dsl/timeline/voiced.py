"""What a player needs beyond the steps to speak, beep and show progress (contract 2.2.0):
each timeline entry's ``speech``, ``sideLabel``, ``passStart``/``passEnd``, ``sounds`` and
``progress``, and each of its cues' ``speech``. docs/json.md, "Speech, sounds and
progress", says what each means; ``dsl.timeline.voice`` makes the words.

The compiler hands the timeline's entries through ``voiced`` as it makes them (the
timeline is streamed): an entry is held back until the next one is known, because where a
pass ends depends on what follows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dsl.timeline import document as doc
from dsl.timeline.voice import cue_speech, entry_speech

HALFWAY_FROM = 20
"""The shortest step, in seconds as played, that gets a halfway sound."""
COUNTDOWN = 3
"""The last seconds counted down: 3, 2, 1."""
COUNTDOWN_FROM = 10
"""The shortest step, in seconds as played, that gets the countdown."""

_SIDE_LABELS: dict[str | None, doc.SideLabel | None] = {
    "left": "Left side", "right": "Right side", None: None}


def sounds(entry: Mapping[str, Any]) -> list[doc.Sound]:
    """An entry's sound cues: ``start`` (``switch`` for a change of sides) as it starts;
    for a timed entry also ``halfway`` and the countdown ``lastSeconds`` 3, 2, 1, each
    given only when the entry as played is at least ``minLength`` seconds long."""
    return _SOUNDS[entry["kind"] == "switch", entry["duration"] is not None]


def _sounds(first: doc.SoundKind, timed: bool) -> list[doc.Sound]:
    found: list[doc.Sound] = [
        {"kind": first, "from": "start", "offset": 0, "minLength": 0, "count": None}]
    if not timed:
        return found
    found.append({"kind": "halfway", "from": "middle", "offset": 0,
                  "minLength": HALFWAY_FROM, "count": None})
    for count in range(COUNTDOWN, 0, -1):
        found.append({"kind": "lastSeconds", "from": "end", "offset": -count,
                      "minLength": COUNTDOWN_FROM, "count": count})
    return found


# Every entry's sounds are one of four lists, shared (the document is never changed).
_SOUNDS = {(switch, timed): _sounds("switch" if switch else "start", timed)
           for switch in (False, True) for timed in (False, True)}


def progress(start: doc.SecondsRange, total: doc.SecondsRange) -> doc.SecondsRange:
    """The fraction of the routine done when an entry starts, as ``start`` is: ``min`` in
    the shortest run (``start.min`` of ``total.min``), ``max`` in the longest
    (``start.max`` of ``total.max``). Each to three decimals, as every number of the
    document, and at most 1 (an entry in an optional pass is not in the shortest run: its
    ``min`` can reach 1); 0 of nothing is 0."""
    return {"min": _fraction(start["min"], total["min"]),
            "max": _fraction(start["max"], total["max"])}


def _fraction(done: float, whole: float) -> float:
    if whole <= 0:
        return 0
    value = round(min(1.0, done / whole), 3)
    return int(value) if value.is_integer() else value


def voiced(entries: Iterator[doc.TimelineEntry],
           total: doc.SecondsRange) -> Iterator[doc.TimelineEntry]:
    """The entries with their voice fields, in order. ``total`` is the duration the
    progress is a fraction of (the summary's)."""
    previous: doc.TimelineEntry | None = None
    seen: dict[str, int] = {}
    side: str | None = None
    # A step's words are the same wherever it runs on the same side: made once.
    said: dict[tuple[str, str | None, bool], str] = {}
    for entry in entries:
        key = entry["key"]
        if key in seen:  # the same place twice (a step written twice alike): numbered
            seen[key] += 1
            entry["key"] = f"{key}~{seen[key]}"
        else:
            seen[key] = 1
        starts = entry["side"] is not None and entry["side"] != side
        if entry["side"] is not None:
            side = entry["side"]
        step = entry["stepId"]
        if step is None:
            entry["speech"] = entry_speech(entry, side_start=starts)
        else:
            words = said.get((step, entry["side"], starts))
            if words is None:
                words = said[step, entry["side"], starts] = entry_speech(
                    entry, side_start=starts)
            entry["speech"] = words
        for cue in entry["cues"]:
            cue["speech"] = cue_speech(cue)
        entry["sideLabel"] = _SIDE_LABELS[entry["side"]]
        entry["passStart"] = _opened(previous, entry)
        entry["passEnd"] = []
        entry["sounds"] = sounds(entry)
        entry["progress"] = progress(entry["start"], total)
        if previous is not None:
            previous["passEnd"] = _opened(entry, previous)[::-1]
            yield previous
        previous = entry
    if previous is not None:
        previous["passEnd"] = [p["repeat"] for p in previous["passes"]][::-1]
        yield previous


def _opened(before: doc.TimelineEntry | None, entry: doc.TimelineEntry) -> list[str]:
    """The repeats whose pass ``entry`` is in but ``before`` is not (outermost first):
    from the first level where their passes differ, every level of ``entry``'s."""
    passes = entry["passes"]
    if before is None:
        return [p["repeat"] for p in passes]
    earlier = before["passes"]
    if earlier is passes:  # the compiler shares one list between entries of one pass
        return []
    level = 0
    while (level < len(passes) and level < len(earlier)
           and passes[level]["repeat"] == earlier[level]["repeat"]
           and passes[level]["pass"] == earlier[level]["pass"]):
        level += 1
    return [p["repeat"] for p in passes[level:]]
