"""The scripted player: a virtual clock, inputs from a script, the event log as output.

Inputs are ``NAME@SECONDS`` (session time), for example ``ready@12,pain@40``. Inputs at a
time apply after everything the routine does by itself at that time. An untimed step waits
for the next ``ready``; when the script holds no more ``ready``, it goes on by itself after
``auto_ready`` seconds (so a demo never hangs). See docs/json.md, "The event log".
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from dsl.player.engine import INPUTS, Engine, Event, Passes, Ranges
from dsl.timeline.document import Document

_INPUT = re.compile(r"^\s*([a-z-]+)\s*@\s*(\d+(?:\.\d+)?)\s*$")


class ScriptError(ValueError):
    """An input script that cannot be read; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Input:
    time: float
    name: str


def parse_inputs(text: str, origin: str = "--events") -> list[Input]:
    """Inputs from ``ready@12,pain@40`` or from a file with one input a line (``#``
    comments and blank lines allowed), in time order (ties keep their written order)."""
    found: list[Input] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        where = f"{origin}: line {number}" if len(lines) > 1 else origin
        for item in (part.strip() for part in line.split("#", 1)[0].split(",")):
            if not item:
                continue
            match = _INPUT.match(item)
            if match is None:
                raise ScriptError(f"{where}: expected NAME@SECONDS such as `ready@12`, "
                                  f"found `{item}`")
            name, seconds = match.group(1), float(match.group(2))
            if name not in INPUTS:
                raise ScriptError(f"{where}: unknown input `{name}`; use one of "
                                  + ", ".join(INPUTS))
            found.append(Input(seconds, name))
    return sorted(found, key=lambda i: i.time)


def run(document: Document, inputs: list[Input], *, auto_ready: float = 10.0,
        ranges: Ranges = "high", passes: Passes = "most", real_time: bool = False,
        speed: float = 1.0, max_seconds: float = 86_400.0) -> Iterator[Event]:
    """Play the document on a virtual clock and yield its events in order.

    With ``real_time`` the clock also sleeps (divided by ``speed``). A session that would
    wait for ever (paused with no input left) ends with reason ``stalled``; one longer than
    ``max_seconds`` with reason ``too-long``.
    """
    engine = Engine(document, ranges=ranges, passes=passes)
    pending = list(inputs)
    yield from engine.start()
    while not engine.ended:
        engine.auto_ready = None if any(i.name == "ready" for i in pending) else auto_ready
        internal = engine.time_to_next()
        at_internal = engine.now + internal if internal is not None else math.inf
        at_input = max(pending[0].time, engine.now) if pending else math.inf
        target = min(at_internal, at_input)
        if target == math.inf:
            yield from engine._end("stalled", [])
        elif target > max_seconds:
            yield from engine._end("too-long", [])
        else:
            if real_time and target > engine.now:
                time.sleep((target - engine.now) / speed)
            yield from engine.advance(target - engine.now)
            # On a tie the routine goes first: inputs apply to what runs after it.
            if at_input < at_internal and not engine.ended:
                yield from engine.press(pending.pop(0).name)
