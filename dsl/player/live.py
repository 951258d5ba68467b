"""The live terminal player: a countdown, a progress bar and keys, redrawn with plain ANSI.

Keys: space pauses and resumes, enter goes on from an untimed step (or ends a range
early), the right arrow skips the rest of the step and the left one goes back a step, p
signals pain, s stops the repeat after this pass, q quits. The terminal is put
back as it was on every way out, Ctrl-C included.

The display fits the terminal as it is on every frame (a resize redraws it at once): from
60 columns by 14 rows up, the full display (lines dropped by importance when rows are
short); below that, one compact line. Elapsed time is the time played: it stands still
while paused. The routine's progress and time left come from the durations of the entries
still to come, as the player will play them: a range when the client may still end ranges
or repeats early, and the untimed steps counted apart (their length is the client's).
"""

from __future__ import annotations

import math
import os
import select
import signal
import sys
import termios
import textwrap
import time
import tty
import unicodedata
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from dsl.player.engine import Engine, Event, Passes, Ranges, format_seconds
from dsl.timeline.document import CountRange, Document, Intensity, Pass, TimelineEntry

if TYPE_CHECKING:
    from dsl.player.voice import Voice

KEYS = {" ": "toggle", "\r": "ready", "\n": "ready", "p": "pain", "c": "cramp",
        "d": "dizziness", "n": "numbness", "s": "stop", "q": "quit", "\x03": "quit"}
"""Key to input; c, d and n signal cramp, dizziness and numbness."""
ARROWS = {"\x1b[C": "skip", "\x1bOC": "skip", "\x1b[D": "back", "\x1bOD": "back"}
"""The right arrow ends the step now, the left one goes back to the step before."""

FULL = (60, 14)
"""The smallest terminal (columns, rows) the full display is laid out for."""

_FRAME = 0.1  # seconds between redraws
_NOTICE = 3.0  # seconds a notice stays on screen


def play(document: Document, *, speed: float = 1.0, ranges: Ranges = "high",
         passes: Passes = "most", voice: Voice | None = None, untimed: float | None = None,
         stdin: TextIO | None = None, stdout: TextIO | None = None) -> Engine:
    """Play on the terminal until the routine ends or the client quits. With ``untimed``,
    an untimed step goes on by itself after that many seconds (the prompt after a safety
    handler still waits: the client says when to go on)."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    fd = source.fileno()
    saved = termios.tcgetattr(fd)
    engine = Engine(document, ranges=ranges, passes=passes)
    view = View(engine)
    resized = [True]

    def on_resize(number: int, frame: FrameType | None) -> None:
        resized[0] = True

    previous = signal.signal(signal.SIGWINCH, on_resize)
    out.write("\x1b[?1049h\x1b[?25l")  # the alternate screen, cursor hidden
    try:
        tty.setcbreak(fd)
        view.took(engine.start(), voice)
        last = time.monotonic()
        while not engine.ended:
            engine.auto_ready = None if engine.prompting else untimed
            if voice is not None:
                voice.poll()
                if voice.problem is not None and view.voice_problem is None:
                    view.voice_problem = voice.problem
                    view.notify(voice.problem, 10.0)
            _draw(out, view.frame(*_size(out)), clear=resized[0])
            resized[0] = False
            due = engine.time_to_next()
            wait = _FRAME if due is None else max(0.0, min(_FRAME, due / speed))
            ready, _, _ = select.select([fd], [], [], wait)
            moment = time.monotonic()
            view.took(engine.advance((moment - last) * speed), voice)
            last = moment
            if ready:
                for name in inputs(os.read(fd, 64).decode("utf-8", "replace")):
                    if not engine.ended:
                        view.took(engine.press(name), voice)
    finally:
        signal.signal(signal.SIGWINCH, previous)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        out.write("\x1b[?25h\x1b[?1049l")
        out.flush()
    if voice is not None:
        voice.finish(let_finish=engine.end_reason == "done")
    out.write(f"stretch: {_ending(engine)} after {_clock(engine.active)}\n")
    if view.voice_problem is not None:
        out.write(f"stretch: {view.voice_problem}\n")
    return engine


def inputs(typed: str) -> list[str]:
    """The inputs in what was typed: keys, arrows; other escape sequences (the up arrow,
    a function key) are passed over whole, so their letters are not taken for keys."""
    found: list[str] = []
    at = 0
    while at < len(typed):
        arrow = next((seq for seq in ARROWS if typed.startswith(seq, at)), None)
        if arrow is not None:
            found.append(ARROWS[arrow])
            at += len(arrow)
        elif typed[at] == "\x1b" and typed[at + 1:at + 2] in ("[", "O"):
            at += 2
            while at < len(typed) and not ("@" <= typed[at] <= "~"):
                at += 1  # parameters, up to the final character
            at += 1
        else:
            if typed[at] in KEYS:
                found.append(KEYS[typed[at]])
            at += 1
    return found


def _ending(engine: Engine) -> str:
    return {"done": "routine done", "quit": "stopped"}.get(
        engine.end_reason or "", f"stopped ({engine.end_reason}: no safety steps for it)")


def _clock(seconds: float) -> str:
    whole = int(seconds)
    if whole >= 3600:
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"


def _size(out: TextIO) -> tuple[int, int]:
    """The terminal's columns and rows, read anew (a resize changes them)."""
    try:
        columns, rows = os.get_terminal_size(out.fileno())
    except (OSError, ValueError):
        columns, rows = 0, 0
    # A terminal that does not say its size (0 by 0): the common 80 by 24.
    return (columns, rows) if columns > 0 and rows > 0 else (80, 24)


def _draw(out: TextIO, lines: list[str], *, clear: bool) -> None:
    # Each line overwrites the one before and clears what is left of it, so nothing
    # flickers; no line feed after the last, so the screen never scrolls.
    out.write(("\x1b[2J" if clear else "") + "\x1b[H"
              + "\r\n".join(f"{line}\x1b[K" for line in lines) + "\x1b[J")
    out.flush()


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells (wide characters take two); control
    characters shown as ``?``, so a text can never move the cursor."""
    kept: list[str] = []
    cells = 0
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf"):
            char = "?"
        size = 0 if unicodedata.combining(char) else \
            2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if cells + size > width:
            break
        kept.append(char)
        cells += size
    return "".join(kept)


@dataclass
class Forecast:
    """The routine's time: played so far and left, in seconds of timed steps."""

    done: float
    low: float  # the least left: every range ended and every repeat stopped when allowed
    high: float  # the most left, as the player plays it unless the client ends things
    untimed: tuple[int, int]  # the untimed steps still to come, fewest and most

    @property
    def fraction(self) -> float:
        total = self.done + self.high
        return self.done / total if total > 0 else 1.0


@dataclass
class View:
    """What the display shows beside the engine's state: notices and the forecast."""

    engine: Engine
    notice: str | None = None
    notice_until: float = 0.0
    voice_problem: str | None = None
    _ahead: dict[tuple[object, ...], tuple[float, float, int, int]] = field(
        default_factory=dict)

    def notify(self, text: str, seconds: float = _NOTICE) -> None:
        self.notice, self.notice_until = text, time.monotonic() + seconds

    def took(self, events: list[Event], voice: Voice | None) -> None:
        """Events just given: notices for what the client should know, words for the voice."""
        for event in events:
            message = self._notice(event)
            if message is not None:
                self.notify(message)
        if voice is not None:
            voice.hear(events, self.engine)

    def _notice(self, event: Event) -> str | None:
        engine = self.engine
        fields = dict(event.fields)
        if event.name == "skip":
            return f"Repeat stopped after pass {fields['after']}"
        if event.name != "ignored":
            return None
        if engine.paused:
            return "Paused: space goes on"
        asked = fields.get("input")
        entry = engine.entry
        if asked == "stop":
            return "Nothing to stop: this step is not in a repeat"
        if asked == "ready" and entry is not None and entry.get("duration"):
            low = float(entry["duration"]["min"])  # type: ignore[index]
            if low < float(entry["duration"]["max"]):  # type: ignore[index]
                return f"This step ends by itself (enter ends it after {_short(low)}s)"
            return "This step ends by itself"
        if engine.prompting:
            return "Safety steps done: enter goes on, q stops"
        if asked in ("pain", "cramp", "dizziness", "numbness"):
            return "The safety steps are under way"
        return None

    def current_notice(self) -> str | None:
        return self.notice if self.notice and time.monotonic() < self.notice_until else None

    def forecast(self) -> Forecast:
        engine = self.engine
        routine = engine.routine
        key = (routine.index, routine.stop_request, engine.ended)
        if key not in self._ahead:
            self._ahead.clear()
            self._ahead[key] = _ahead(engine)
        low, high, fewest_untimed, most_untimed = self._ahead[key]
        done = engine.done
        entry = engine.entry
        if engine.track is routine and entry is not None and engine.step_length is not None:
            elapsed = min(engine.step_elapsed, engine.step_length)
            done += elapsed
            high += engine.step_length - elapsed
            duration = entry.get("duration")
            low += max(float(duration["min"]) - elapsed, 0.0) if duration else 0.0
        return Forecast(done, low, high, (fewest_untimed, most_untimed))

    def frame(self, width: int, height: int) -> list[str]:
        """The screen for a terminal ``width`` by ``height``: the full display from 60x14
        up, else one compact line."""
        if width < FULL[0] or height < FULL[1]:
            return [fit(compact(self.engine, self.forecast()), width)]
        return screen(self.engine, width, height, self)


def _ahead(engine: Engine) -> tuple[float, float, int, int]:
    """Seconds and untimed steps still to come after the routine's current entry: the
    least (ranges at their low end, repeats stopped when allowed) and the most (as the
    player plays them)."""
    if engine.ended:
        return 0.0, 0.0, 0, 0
    timeline = engine.routine.timeline
    low = high = 0.0
    fewest = most = 0
    for index in engine.upcoming(engine.routine, fewest=True):
        duration = timeline[index].get("duration")
        if duration is None:
            fewest += 1
        else:
            low += float(duration["min"])
    played = "max" if engine.ranges == "high" else "min"
    for index in engine.upcoming(engine.routine):
        duration = timeline[index].get("duration")
        if duration is None:
            most += 1
        else:
            high += float(duration[played])  # type: ignore[literal-required]
    return low, high, fewest, most


def _left(forecast: Forecast) -> str:
    low, high = _clock(math.ceil(forecast.low - 1e-6)), _clock(math.ceil(forecast.high - 1e-6))
    text = f"{high} left" if low == high else f"{low}-{high} left"
    fewest, most = forecast.untimed
    if most:
        count = str(most) if fewest == most else f"{fewest}-{most}"
        text += f" + {count} untimed"
    return text


def _total(forecast: Forecast, width: int) -> str:
    """The routine's progress bar, its percentage and the time left."""
    percent = f"{int(forecast.fraction * 100):3d}%"
    left = _left(forecast)
    bar_width = max(5, min(30, width - len(left) - len(percent) - 12))
    done = min(int(bar_width * forecast.fraction), bar_width)
    return f"Total [{'#' * done}{'.' * (bar_width - done)}] {percent}  {left}"


def compact(engine: Engine, forecast: Forecast) -> str:
    """The whole display on one line, for a terminal too small for the full one."""
    parts: list[str] = []
    if engine.paused:
        parts.append("PAUSED")
    entry = engine.entry
    if engine.ended:
        parts.append("done")
    elif engine.prompting:
        parts.append("Safety steps done: enter goes on, q stops")
    elif entry is not None:
        here = str(entry["kind"]).upper().replace("-", " ")
        if entry.get("side"):
            here += f" {str(entry['side']).upper()}"
        if engine.track.handler is not None:
            here = f"SAFETY {here}"
        parts.append(here)
        if engine.step_length is None:
            parts.append("press enter")
        else:
            left = max(engine.step_length - engine.step_elapsed, 0.0)
            parts.append(f"{math.ceil(left - 1e-6)}s")
        stopping = engine.stopping_after()
        if stopping is not None:
            parts.append(f"stop after pass {stopping[0]}")
    parts.append(f"{int(forecast.fraction * 100)}% {_left(forecast)}")
    following = _next_words(engine)
    if following:
        parts.append(following)
    return " · ".join(parts)


def screen(engine: Engine, width: int = 80, height: int | None = None,
           view: View | None = None) -> list[str]:
    """The full display as lines of text (no colours), for the terminal and for tests;
    with ``height``, the least important lines are left out until it fits."""
    view = view or View(engine)
    document = engine.document
    title = str(document.get("metadata", {}).get("title", ""))
    rule = "-" * width
    elapsed = f"elapsed {_clock(engine.active)}"
    heading = fit(f"{title}{'  (paused)' if engine.paused else ''}",
                  max(width - len(elapsed) - 2, 0))
    lines: list[tuple[str, int]] = [  # (line, how soon it is left out: 0 never)
        (heading + " " * max(width - len(heading) - len(elapsed), 2) + elapsed, 0),
        (rule, 0)]
    notice = view.current_notice()
    entry = engine.entry
    if engine.prompting:
        lines += [("Safety steps done.", 0), ("Press enter to go on with the routine, or q "
                                              "to stop.", 0)]
    elif entry is not None:
        lines += _step_lines(engine, entry, width)
    if notice is not None:
        lines.append((f"» {notice}", 1))
    stopping = engine.stopping_after()
    if stopping is not None:
        after, this = stopping
        lines.append(("» Stopping after this pass" if after == this else
                      f"» Stopping after pass {after} (the fewest this repeat allows)", 0))
    following = _next_words(engine)
    if following:
        lines.append((following, 1))
    lines.append((_total(view.forecast(), width), 0))
    lines += [(rule, 2), (_help(engine, width), 1)]
    if height is not None:
        while len(lines) > height and any(level for _, level in lines):
            worst = max(level for _, level in lines)
            drop = max(i for i, (_, level) in enumerate(lines) if level == worst)
            del lines[drop]
    shown = [fit(line, width) for line, _ in lines]
    return shown[:height] if height is not None else shown


def _step_lines(engine: Engine, entry: TimelineEntry, width: int) -> list[tuple[str, int]]:
    document = engine.document
    where = []
    if engine.section is not None:
        section = engine.section
        where.append(f"{section['title']} ({section['index'] + 1} of {len(engine.sections)})")
    if engine.track.handler is not None:
        where.append(f"SAFETY: {engine.words(engine.track.handler.get('text')) or 'take care'}")
    if entry.get("side"):
        where.append(f"{str(entry['side']).upper()} side")
    where += [_pass_label(engine, p) for p in entry.get("passes", [])]
    lines: list[tuple[str, int]] = [("  ·  ".join(where), 1)]
    kind = str(entry["kind"]).upper().replace("-", " ")
    text = engine.words(entry.get("text"), entry) or (
        "Change sides" if entry["kind"] == "switch" else "")
    lines.append((f"{kind}{_intensity(entry.get('intensity'))}{_manner(entry)}", 0))
    wrapped = textwrap.wrap(text, max(width - 2, 10)) or [""]
    lines += [(f"  {part}", 0 if number == 0 else 3) for number, part in enumerate(wrapped)]
    lines.append((_countdown(engine, entry, width), 0))
    for cue in engine.last_cues:  # several cues at one offset are all shown
        who = "partner" if cue.get("forPartner") else "cue"
        lines.append((f"  » ({who}) {engine.words(cue['text'], entry)}", 2))
    standing = [engine.standing(t, entry) for t in _standing_texts(document, entry)]
    if standing:
        lines.append(("  Keep in mind: " + standing[0], 3))
        lines += [(f"                {cue}", 4) for cue in standing[1:3]]
    return lines


def _next_words(engine: Engine) -> str:
    """What really comes next: after the stop asked for, the passes chosen, the end of a
    safety handler or of the routine."""
    if engine.ended:
        return ""
    track = engine.track
    following = next(engine.upcoming(), None)
    if following is None:
        if track.handler is not None and not engine.prompting:
            return "Next: back to the routine, when you are ready"
        return "Next: the end of the routine"
    upcoming_entry = track.timeline[following]
    words = engine.words(upcoming_entry.get("text"), upcoming_entry) or ""
    section = engine.sections.get(upcoming_entry.get("section", ""))
    then = f"{section['title']}: " if section is not None \
        and section is not engine.section else ""
    return f"Next: {then}{upcoming_entry['kind']}{_amount(upcoming_entry)} {words}".rstrip()


def _help(engine: Engine, width: int) -> str:
    if width >= 86:
        return ("space pause · enter go on · ← back · → skip · p pain · s stop after this "
                "pass · q quit")
    if width >= 67:
        return "space pause · enter on · ← back · → skip · p pain · s stop · q quit"
    return "space pause · enter go on · p pain · s stop · q quit"


def _countdown(engine: Engine, entry: TimelineEntry, width: int) -> str:
    reps = entry.get("reps")
    if engine.step_length is None and reps is not None:
        return (f"  {_reps(reps)} at your own pace ({_clock(engine.step_elapsed)}) - press "
                "enter when done")
    if engine.step_length is None and engine.auto_ready is not None:
        wait = math.ceil(max(engine.auto_ready - engine.step_elapsed, 0.0) - 1e-6)
        return f"  on in {wait}s by itself - or press enter when ready"
    if engine.step_length is None:
        return f"  waiting for you ({_clock(engine.step_elapsed)}) - press enter when ready"
    length = engine.step_length
    left = max(length - engine.step_elapsed, 0.0)
    bar_width = max(10, width - 50)
    done = int(bar_width * (engine.step_elapsed / length)) if length > 0 else bar_width
    bar = "#" * min(done, bar_width) + "." * (bar_width - min(done, bar_width))
    note = ""
    duration = entry.get("duration")
    if duration and duration.get("min") != duration.get("max"):
        note = f" (enter ends it after {_short(float(duration['min']))}s)"
    per = entry.get("secondsPerRep")
    if reps is not None and per:  # timed repetitions: which one the client is on
        current = min(int(engine.step_elapsed // per) + 1, int(reps["max"]))
        note = f"  rep {current} of {_reps(reps).removesuffix(' reps')}{note}"
    return f"  [{bar}] {left:4.0f}s left{note}"


def _short(seconds: float) -> str:
    return str(int(seconds)) if seconds == int(seconds) else format_seconds(seconds)


def _pass_label(engine: Engine, item: Pass) -> str:
    repeat = engine.repeats.get(item["repeat"])
    if repeat is None:  # not in the document's table of repeats: nothing to count against
        return f"pass {item['pass']}"
    passes = repeat.get("passes", {})
    mode = repeat.get("mode")
    if mode == "upTo":
        most = f"up to {passes.get('max')}"
    elif mode == "atLeast":
        most = f"{passes.get('min')} or more (up to {passes.get('max')})"
    elif mode == "for":
        bound = repeat.get("timeBound")
        most = f"for up to {_clock(float(bound.get('max', 0) if bound else 0))}"
    elif passes.get("min") == passes.get("max"):
        most = str(passes.get("max"))
    else:
        most = f"{passes.get('min')}-{passes.get('max')}"
    return f"pass {item['pass']} of {most}"


def _intensity(intensity: Intensity | None) -> str:
    if not intensity:
        return ""
    if intensity.get("level"):
        return f"  ({str(intensity['level']).replace('-', ' ')})"
    effort = intensity.get("effort")
    low, high = (effort.get("min"), effort.get("max")) if effort else (None, None)
    return f"  (at {low}%)" if low == high else f"  (at {low}-{high}%)"


def _reps(reps: CountRange) -> str:
    low, high = reps["min"], reps["max"]
    return f"{high} reps" if low == high else f"{low}-{high} reps"


def _manner(entry: TimelineEntry) -> str:
    """A step's pace or vague amount as written (``slowly``, ``briefly``)."""
    words = [str(w) for w in (entry.get("pace"), entry.get("vague")) if w]
    return f"  ({', '.join(words)})" if words else ""


def _amount(entry: TimelineEntry) -> str:
    duration = entry.get("duration")
    reps = entry.get("reps")
    if reps is not None:
        return f" {_reps(reps)}"
    if duration is None:
        return ""
    low, high = _short(float(duration["min"])), _short(float(duration["max"]))
    return f" {low}s" if low == high else f" {low}-{high}s"


def _standing_texts(document: Document, entry: TimelineEntry) -> list[str]:
    blocks = {block["id"]: block for block in document.get("standingCues", [])}
    return [cue["text"] for ref in entry.get("standingCues", []) if ref in blocks
            for cue in blocks[ref]["cues"]]
