"""The player's engine: runs a compiled document's timeline on a clock it is handed.

It knows nothing of the language: it reads only the JSON document (the proof that the
contract is enough). Drivers move its clock (``advance``) and pass on the client's inputs
(``press``); it answers with events. The scripted driver and the live terminal share it, so
what the conformance suite checks is what the terminal does. The rules it follows are the
ones docs/json.md gives every player.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from dsl.model import placeholders
from dsl.timeline.document import (
    Document,
    SafetyHandler,
    Section,
    Sound,
    TimedCue,
    TimelineEntry,
)

Pass = tuple[str, int]
RunKey = tuple[Pass | str, ...]
"""A run of a repeat: the outer repeats' passes it is in, then the repeat's id."""
EPSILON = 1e-6

INPUTS = ("ready", "pause", "resume", "toggle", "skip", "back", "stop", "quit",
          "pain", "cramp", "dizziness", "numbness")
"""What a client can do: ``toggle`` is pause or resume; ``skip`` ends the current step
now, ``back`` goes back to the step played before it; signals run safety handlers."""
SIGNALS = ("pain", "cramp", "dizziness", "numbness")

Ranges = Literal["low", "high"]
Passes = Literal["fewest", "most"]

_SIDE_WORDS = {"left": placeholders.side_words("left"),
               "right": placeholders.side_words("right")}


def format_seconds(value: float) -> str:
    """``12.0``, ``1.25``: at least one decimal, at most three."""
    text = f"{round(value, 3):.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at session time ``time`` (seconds since the start)."""

    time: float
    name: str
    fields: tuple[tuple[str, Any], ...] = ()

    def line(self) -> str:
        """The event as one line of the event log (see docs/json.md)."""
        parts = [f"t={format_seconds(self.time)}", self.name]
        for key, value in self.fields:
            parts.append(f"{key}={_value(key, value)}")
        return " ".join(parts)


def _value(key: str, value: Any) -> str:
    import json

    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_seconds(value)
    if key in ("text", "title"):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass
class _Track:
    """A timeline being played (the routine's or a safety handler's) and where we are."""

    timeline: list[TimelineEntry]
    handler: SafetyHandler | None = None
    index: int = -1
    stop_request: RunKey | None = None  # the run the client asked to stop
    played: list[int] = field(default_factory=list)  # the entries started, for ``back``


class Engine:
    """Plays one compiled document. Times are seconds; ``now`` is the session clock."""

    def __init__(self, document: Document, *, ranges: Ranges = "high",
                 passes: Passes = "most") -> None:
        self.document = document
        self.ranges = ranges
        self.passes = passes  # "fewest": every repeat stops as soon as the rule allows
        self.repeats = {r["id"]: r for r in document.get("repeats", [])}
        self.handlers: dict[str, SafetyHandler] = {}
        for handler in document.get("safetyHandlers", []):
            self.handlers.setdefault(handler["signal"], handler)
        # A routine with exercises: each exercise by id, and its own handlers by signal.
        self.sections: dict[str, Section] = {s["id"]: s for s in document.get("sections", [])}
        self.section_handlers: dict[str, dict[str, SafetyHandler]] = {}
        for section in self.sections.values():
            own = self.section_handlers[section["id"]] = {}
            for handler in section["safetyHandlers"]:
                own.setdefault(handler["signal"], handler)
        self.section: Section | None = None  # the exercise being played
        self.routine = _Track(list(document["timeline"]))
        self.track = self.routine
        self.now = 0.0
        self.active = 0.0  # session time not paused: what the display calls elapsed
        self.done = 0.0  # seconds of the routine's timed steps played (handlers not counted)
        self.paused = False
        self.ended = False
        self.end_reason: str | None = None
        self.prompting = False  # after a safety handler: waiting for the client to go on
        self.step_elapsed = 0.0
        self.step_length: float | None = None
        # What is due in the current step, by offset: its sounds (rank 0) and cues (rank 1).
        self.cues: list[tuple[float, int, TimedCue | Sound]] = []
        self.last_cues: list[TimedCue] = []  # the cues given most recently, all at one offset
        self.auto_ready: float | None = None  # scripted mode: untimed steps end by themselves
        # The side in progress: the side of the latest routine entry that has one, the
        # routine's first side before that. It fills the side words of texts the compiler
        # could not fill (docs/json.md, "Placeholders").
        sides = document.get("metadata", {}).get("sides") or {}
        self.side: str | None = sides.get("first") if sides.get("mode") != "none" else None

    # --- what drivers read -----------------------------------------------------------

    @property
    def entry(self) -> TimelineEntry | None:
        """The timeline entry being played (None before the start, after the end, and
        while prompting after a safety handler)."""
        track = self.track
        if self.ended or self.prompting or not 0 <= track.index < len(track.timeline):
            return None
        return track.timeline[track.index]

    def words(self, text: str | None, entry: TimelineEntry | None = None) -> str | None:
        """A text as the client sees it: an entry's text with a side is already filled in;
        any other text is a template, filled with the side in progress."""
        if text is None or (entry is not None and entry.get("side") is not None):
            return text
        return placeholders.fill(text, _SIDE_WORDS.get(self.side or "", {}))

    def standing(self, text: str, entry: TimelineEntry) -> str:
        """A standing cue's text (always a template) beside ``entry``."""
        return placeholders.fill(text, _SIDE_WORDS.get(entry.get("side") or self.side or "", {}))

    @property
    def waiting(self) -> bool:
        """True while the engine waits for ``ready`` (an untimed step, or the prompt after
        a safety handler)."""
        return not self.ended and (self.prompting or (
            self.entry is not None and self.step_length is None))

    def time_to_next(self) -> float | None:
        """Seconds until the engine does something by itself, or None if it waits."""
        if self.ended or self.paused:
            return None
        deadlines = []
        if self.cues:
            deadlines.append(self.cues[0][0] - self.step_elapsed)
        if self.step_length is not None and not self.prompting:
            deadlines.append(self.step_length - self.step_elapsed)
        elif self.auto_ready is not None:
            deadlines.append(self.auto_ready - self.step_elapsed)
        return max(min(deadlines), 0.0) if deadlines else None

    # --- what drivers do -------------------------------------------------------------

    def start(self) -> list[Event]:
        """Begin the session: the start event and the first step."""
        metadata = self.document.get("metadata", {})
        events = [self._event("start", title=metadata.get("title"),
                              schema=self.document.get("schemaVersion"),
                              steps=len(self.routine.timeline))]
        events += self._go_to(self._next_index(self.routine, -1, events))
        return events

    def advance(self, seconds: float) -> list[Event]:
        """Let ``seconds`` of session time pass; events are stamped at their exact time."""
        events: list[Event] = []
        remaining = seconds
        while not self.ended:
            step = self.time_to_next()
            if step is None or step > remaining + EPSILON:
                self._tick(remaining)
                break
            self._tick(step)
            remaining = max(remaining - step, 0.0)
            events += self._due()
        return events

    def press(self, name: str, *, auto: bool = False) -> list[Event]:
        """The client's input: one of ``INPUTS``."""
        if self.ended:
            return []
        if name == "toggle":
            name = "resume" if self.paused else "pause"
        if name == "quit":
            return self._end("quit", [self._event("quit")])
        if name in SIGNALS:
            return self._signal(name)
        if name == "pause" and not self.paused:
            self.paused = True
            return [self._event("pause")]
        if name == "resume" and self.paused:
            self.paused = False
            return [self._event("resume")]
        if not self.paused and name == "ready":
            return self._ready(auto)
        if not self.paused and name == "stop":
            return self._stop()
        if not self.paused and name == "skip" and self.entry is not None:
            return [self._event("skip-step", index=self.track.index), *self._finish()]
        if not self.paused and name == "back" and self.entry is not None:
            return self._back()
        return [self._event("ignored", input=name)]

    # --- inside ------------------------------------------------------------------------

    def _event(self, event: str, **fields: Any) -> Event:
        return Event(self.now, event, tuple(fields.items()))

    def _tick(self, seconds: float) -> None:
        self.now += seconds
        if not self.paused:
            self.active += seconds
            self.step_elapsed += seconds

    def _due(self) -> list[Event]:
        events: list[Event] = []
        while self.cues and self.cues[0][0] <= self.step_elapsed + EPSILON:
            offset, rank, due = self.cues.pop(0)
            if rank == _SOUND:
                events.append(self._sound(cast(Sound, due)))
                continue
            cue = cast(TimedCue, due)
            if not self.last_cues or float(self.last_cues[0]["offset"]) != offset:
                self.last_cues = []
            self.last_cues.append(cue)
            events.append(self._event("cue", index=self.track.index, offset=float(cue["offset"]),
                                      partner=bool(cue.get("forPartner")),
                                      text=self.words(cue["text"], self.entry)))
            events.append(self._event("say", text=self.words(cue["speech"], self.entry)))
        if self.prompting or self.entry is None:
            if self.prompting and self.auto_ready is not None and \
                    self.step_elapsed >= self.auto_ready - EPSILON:
                events += self._ready(True)
            return events
        if self.step_length is not None and self.step_elapsed >= self.step_length - EPSILON:
            events += self._finish()
        elif self.step_length is None and self.auto_ready is not None and \
                self.step_elapsed >= self.auto_ready - EPSILON:
            events += self._ready(True)
        return events

    def _ready(self, auto: bool) -> list[Event]:
        if self.prompting:
            self.prompting = False
            events = [self._event("continue", auto=auto)]
            return events + self._go_to(self._next_index(self.routine, self.routine.index, events))
        entry = self.entry
        if entry is None:
            return [self._event("ignored", input="ready")]
        duration = entry.get("duration")
        if duration is None:
            return [self._event("ready", index=self.track.index, auto=auto), *self._finish()]
        if self.step_elapsed >= float(duration["min"]) - EPSILON:
            # A range: the client may end it anywhere between its low and high end.
            return [self._event("ready", index=self.track.index, auto=auto), *self._finish()]
        return [self._event("ignored", input="ready")]

    def _finish(self) -> list[Event]:
        events: list[Event] = []
        track = self.track
        following = self._next_index(track, track.index, events)
        return events + self._go_to(following)

    def _go_to(self, index: int) -> list[Event]:
        track = self.track
        if track.handler is None and self.entry is not None and self.step_length is not None:
            self.done += min(self.step_elapsed, self.step_length)
        self.cues = []
        self.last_cues = []
        self.step_elapsed = 0.0
        if index >= len(track.timeline):
            track.index = index
            if track.handler is None:
                return self._end("done", [])
            return self._handler_end()
        track.index = index
        track.played.append(index)
        entry = track.timeline[index]
        if track.handler is None and entry.get("side") is not None:
            self.side = entry.get("side")
        if track.stop_request is not None and track.stop_request not in _run_keys(entry):
            track.stop_request = None  # the repeat ended on its own
        duration = entry.get("duration")
        if duration is None:
            self.step_length = None
        else:
            self.step_length = float(duration["max" if self.ranges == "high" else "min"])
        # Sounds first at one offset (a beep, then words), then cues in the order listed.
        length = self.step_length
        due: list[tuple[float, int, TimedCue | Sound]] = [
            (_sound_offset(sound, length), _SOUND, sound) for sound in entry["sounds"]
            if (length or 0) >= sound["minLength"]]  # an untimed step's: its start sound
        due += [(float(c["offset"]), _CUE, c) for c in entry.get("cues", [])]
        self.cues = sorted(due, key=lambda item: (item[0], item[1]))
        name = "step" if track.handler is None else "handler-step"
        events = []
        section = self.sections.get(entry.get("section", ""))
        if track.handler is None and section is not None and section is not self.section:
            # The first step of the next exercise: say which one it is.
            self.section = section
            events.append(self._event("exercise", id=section["id"], index=section["index"],
                                      title=section["title"]))
        fields: dict[str, Any] = {
            "index": index, "kind": entry["kind"], "side": entry.get("side"),
            "seconds": self.step_length if self.step_length is not None else "untimed"}
        reps = entry.get("reps")
        if reps is not None:  # repetitions: the count the client does (contract 2.1.0)
            low, high = reps["min"], reps["max"]
            fields["reps"] = f"{high}" if low == high else f"{low}-{high}"
        fields["passes"] = ",".join(
            f"{p['repeat']}:{p['pass']}" for p in entry.get("passes", [])) or None
        fields["text"] = self.words(entry.get("text"), entry)
        events.append(self._event(name, **fields))
        if self.cues and self.cues[0][:2] == (0.0, _SOUND):  # the start sound, then words
            events.append(self._sound(cast(Sound, self.cues.pop(0)[2])))
        events.append(self._event("say", text=self.words(entry["speech"], entry)))
        return events + self._due()

    def _back(self) -> list[Event]:
        """Go back to the entry started before the current one on this track (the
        current one again at the first), from its start."""
        played = self.track.played
        current = played.pop()
        target = played.pop() if played else current
        return [self._event("back", index=current, to=target), *self._go_to(target)]

    def _sound(self, sound: Sound) -> Event:
        return self._event("sound", kind=sound["kind"], count=sound["count"])

    def _next_index(self, track: _Track, index: int, events: list[Event]) -> int:
        """The entry after ``index``, skipping the rest of a repeat run when the client asked
        to stop and the pass-boundary rule allows it (docs/json.md)."""
        following, skips = self._following(track.timeline, index, track.stop_request,
                                           self.passes == "fewest")
        for run, number in skips:
            events.append(self._event("skip", repeat=run[-1], after=number, reason="user"))
            if track.stop_request == run:
                track.stop_request = None
        return following

    def _following(self, timeline: list[TimelineEntry], index: int, stop: RunKey | None,
                   fewest: bool) -> tuple[int, list[tuple[RunKey, int]]]:
        """The entry played after ``index`` when the run ``stop`` was asked to stop (and,
        with ``fewest``, every run stops as soon as it may), with the runs skipped and the
        pass each was skipped after. Changes nothing: the display asks it too."""
        if index < 0:
            return 0, []
        skips: list[tuple[RunKey, int]] = []
        current = _passes(timeline[index])
        following = index + 1
        while following < len(timeline):
            upcoming = _passes(timeline[following])
            level = _boundary(current, upcoming)
            if level is None:
                break
            repeat_id, number = current[level]
            outer = current[:level]
            run: RunKey = (*outer, repeat_id)
            if not (run == stop or fewest) or number < self.required(repeat_id):
                break
            skips.append((run, number))
            while following < len(timeline) and _in_run(_passes(timeline[following]), run):
                following += 1
        return following, skips

    def required(self, repeat_id: str) -> int:
        """The fewest passes a repeat may stop after."""
        # Time boxes need no clock here: the timeline holds only the passes that fit at
        # their longest, and passes.min says how many the client must do (docs/json.md).
        repeat = self.repeats.get(repeat_id)
        passes = repeat.get("passes") if repeat is not None else None
        return int(passes.get("min", 0)) if passes is not None else 0

    def upcoming(self, track: _Track | None = None, fewest: bool = False) -> Iterator[int]:
        """The indexes of the entries still to come on the current track, in order, as
        things stand (the stop request made, the passes chosen); with ``fewest``, as if
        every repeat stopped as soon as it may. Changes nothing."""
        track = track or self.track
        timeline = track.timeline
        index = track.index
        stop = track.stop_request
        fewest = fewest or self.passes == "fewest"
        while index < len(timeline):
            index, skips = self._following(timeline, index, stop, fewest)
            if any(run == stop for run, _ in skips):
                stop = None
            if index >= len(timeline):
                return
            if stop is not None and stop not in _run_keys(timeline[index]):
                stop = None
            yield index

    def stopping_after(self) -> tuple[int, int] | None:
        """When the client asked to stop the repeat the current entry is in: the pass it
        stops after (the rule may hold it to a later one) and the pass it is on; else
        None."""
        stop = self.track.stop_request
        entry = self.entry
        if stop is None or entry is None:
            return None
        for key, (repeat_id, number) in zip(_run_keys(entry), _passes(entry), strict=False):
            if key == stop:
                return max(number, self.required(repeat_id)), number
        return None

    def _stop(self) -> list[Event]:
        # A safety handler's repeats stop like the routine's: each timeline keeps its own
        # request (a request made before a signal waits for the routine to resume).
        entry = self.entry
        if entry is None or not entry.get("passes"):
            return [self._event("ignored", input="stop")]
        keys = _run_keys(entry)
        self.track.stop_request = keys[-1]
        return [self._event("stop-request", repeat=keys[-1][-1])]

    def _signal(self, signal: str) -> list[Event]:
        if self.track is not self.routine or self.prompting:
            return [self._event("ignored", input=signal)]
        events = [self._event("signal", name=signal)]
        if self.entry is not None and self.step_length is not None:  # the step broken off
            self.done += min(self.step_elapsed, self.step_length)
        # In an exercise, its own handler for the signal, else the routine's.
        own = self.section_handlers.get(self.section["id"], {}) if self.section else {}
        handler = own.get(signal) or self.handlers.get(signal)
        self.paused = False
        if handler is None:
            return self._end(signal, events)
        events.append(self._event("handler", id=handler["id"], signal=signal,
                                  text=self.words(handler.get("text"))))
        events.append(self._event("say", text=self.words(handler["speech"])))
        self.track = _Track(list(handler["timeline"]), handler)
        return events + self._go_to(self._next_index(self.track, -1, events))

    def _handler_end(self) -> list[Event]:
        handler = self.track.handler
        assert handler is not None
        self.track = self.routine
        self.prompting = True
        self.step_length = None
        self.step_elapsed = 0.0
        return [self._event("handler-end", id=handler["id"]), self._event("prompt")]

    def _end(self, reason: str, events: list[Event]) -> list[Event]:
        self.ended = True
        self.end_reason = reason
        self.cues = []
        if reason == "done":  # the routine's end: its sound and its closing words
            events = [*events, self._event("sound", kind="end", count=None)]
            closing = self.document.get("announcements", {}).get("closing")
            if closing:
                events.append(self._event("say", text=closing))
        return [*events, self._event("end", reason=reason)]


_SOUND, _CUE = 0, 1


def _sound_offset(sound: Sound, length: float | None) -> float:
    """When a sound is due in a step ``length`` seconds long (untimed: only from the
    start)."""
    anchor = {"start": 0.0, "middle": (length or 0) / 2, "end": length or 0}[sound["from"]]
    return anchor + float(sound["offset"])


def _passes(entry: TimelineEntry) -> list[Pass]:
    return [(p["repeat"], int(p["pass"])) for p in entry.get("passes", [])]


def _boundary(current: list[Pass], upcoming: list[Pass]) -> int | None:
    """The level at which ``upcoming`` starts the next pass of the run ``current`` is in."""
    for level, (here, there) in enumerate(zip(current, upcoming, strict=False)):
        if here == there:
            continue
        if here[0] == there[0] and there[1] == here[1] + 1:
            return level
        return None
    return None


def _in_run(passes: list[Pass], run: RunKey) -> bool:
    level = len(run) - 1
    return len(passes) > level and tuple(passes[:level]) == run[:-1] and \
        passes[level][0] == run[-1]


def _run_keys(entry: TimelineEntry) -> list[RunKey]:
    """One key per repeat run the entry is in: its outer passes, then the repeat id."""
    passes = _passes(entry)
    return [(*passes[:level], passes[level][0]) for level in range(len(passes))]
