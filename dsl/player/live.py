"""The live terminal player: a countdown, a progress bar and keys, redrawn with plain ANSI.

Keys: space pauses and resumes, enter goes on from an untimed step (or ends a range
early), p signals pain, s stops the repeat after this pass, q quits. The terminal is put
back as it was on every way out, Ctrl-C included.
"""

from __future__ import annotations

import os
import select
import shutil
import sys
import termios
import time
import tty
from typing import TextIO

from dsl.player.engine import Engine, Event, Ranges, format_seconds
from dsl.timeline.document import CountRange, Document, Intensity, Pass, TimelineEntry

KEYS = {" ": "toggle", "\r": "ready", "\n": "ready", "p": "pain", "c": "cramp",
        "d": "dizziness", "n": "numbness", "s": "stop", "q": "quit", "\x03": "quit"}
"""Key to input; c, d and n signal cramp, dizziness and numbness."""

_FRAME = 0.1  # seconds between redraws


def play(document: Document, *, speed: float = 1.0, ranges: Ranges = "high",
         stdin: TextIO | None = None, stdout: TextIO | None = None) -> Engine:
    """Play on the terminal until the routine ends or the client quits."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    fd = source.fileno()
    saved = termios.tcgetattr(fd)
    engine = Engine(document, ranges=ranges)
    recent: list[Event] = []
    out.write("\x1b[?1049h\x1b[?25l")  # the alternate screen, cursor hidden
    try:
        tty.setcbreak(fd)
        recent += engine.start()
        last = time.monotonic()
        while not engine.ended:
            _draw(out, engine, recent)
            due = engine.time_to_next()
            wait = _FRAME if due is None else max(0.0, min(_FRAME, due / speed))
            ready, _, _ = select.select([fd], [], [], wait)
            moment = time.monotonic()
            recent += engine.advance((moment - last) * speed)
            last = moment
            if ready:
                for char in os.read(fd, 64).decode("utf-8", "replace"):
                    if char in KEYS:
                        recent += engine.press(KEYS[char])
            del recent[:-6]
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        out.write("\x1b[?25h\x1b[?1049l")
        out.flush()
    out.write(f"stretch: {_ending(engine)} after {_clock(engine.now)}\n")
    return engine


def _ending(engine: Engine) -> str:
    return {"done": "routine done", "quit": "stopped"}.get(
        engine.end_reason or "", f"stopped ({engine.end_reason}: no safety steps for it)")


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _draw(out: TextIO, engine: Engine, recent: list[Event]) -> None:
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
    lines = screen(engine, width)
    lines.append("")
    lines += [f"  {e.line()}"[:width] for e in recent[-4:]]
    out.write("\x1b[H\x1b[2J" + "\r\n".join(lines) + "\r\n")
    out.flush()


def screen(engine: Engine, width: int = 80) -> list[str]:
    """The display as lines of text (no colours), for the terminal and for tests."""
    document = engine.document
    title = str(document.get("metadata", {}).get("title", ""))
    rule = "-" * width
    lines = [f"{title}  {'(paused)' if engine.paused else ''}".rstrip()
             + f"  elapsed {_clock(engine.now)}", rule]
    if engine.prompting:
        lines += ["Safety steps done.", "Press enter to go on with the routine, or q to stop."]
        return [*lines, rule, _help(engine)]
    entry = engine.entry
    if entry is None:
        return [*lines, rule, _help(engine)]
    where = []
    if engine.section is not None:
        section = engine.section
        where.append(f"{section['title']} ({section['index'] + 1} of {len(engine.sections)})")
    if engine.track.handler is not None:
        where.append(f"SAFETY: {engine.words(engine.track.handler.get('text')) or 'take care'}")
    if entry.get("side"):
        where.append(f"{str(entry['side']).upper()} side")
    where += [_pass_label(engine, p) for p in entry.get("passes", [])]
    lines.append("  ·  ".join(where))
    kind = str(entry["kind"]).upper().replace("-", " ")
    text = engine.words(entry.get("text"), entry) or (
        "Change sides" if entry["kind"] == "switch" else "")
    lines.append(f"{kind}{_intensity(entry.get('intensity'))}{_manner(entry)}")
    lines.append(f"  {text}")
    lines.append(_countdown(engine, entry, width))
    for cue in engine.last_cues:  # several cues at one offset are all shown
        who = "partner" if cue.get("forPartner") else "cue"
        lines.append(f"  » ({who}) {engine.words(cue['text'], entry)}")
    standing = [engine.standing(t, entry) for t in _standing_texts(document, entry)]
    if standing:
        lines.append("  Keep in mind: " + standing[0])
        lines += [f"                {cue}" for cue in standing[1:3]]
    following = _next_entry(engine)
    if following is not None:
        amount = _amount(following)
        upcoming_words = engine.words(following.get("text"), following) or ""
        upcoming = engine.sections.get(following.get("section", ""))
        then = f"{upcoming['title']}: " if upcoming is not None \
            and upcoming is not engine.section else ""
        lines.append(
            f"Next: {then}{following['kind']}{amount} {upcoming_words}".rstrip())
    return [line[:width] for line in lines] + [rule, _help(engine)]


def _help(engine: Engine) -> str:
    return "space pause · enter go on · p pain · s stop after this pass · q quit"


def _countdown(engine: Engine, entry: TimelineEntry, width: int) -> str:
    reps = entry.get("reps")
    if engine.step_length is None and reps is not None:
        return (f"  {_reps(reps)} at your own pace ({_clock(engine.step_elapsed)}) - press "
                "enter when done")
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


def _next_entry(engine: Engine) -> TimelineEntry | None:
    timeline = engine.track.timeline
    following = engine.track.index + 1
    return timeline[following] if 0 <= following < len(timeline) else None
