"""The words a voice says: the one generator of spoken text.

Every output that speaks or prints an instruction for the person stretching takes its words
from here (through the compiled document's ``speech`` fields, or these functions): the
JSON, ``stretch audio``, the players, the exports. docs/voice.md is the style table these
functions follow; tests/test_voice.py holds them to it.

The words are built from a compiled timeline entry (its kind, amount as written,
intensity, pace, text and side), never from the source, so a player that has only the JSON
could build the same sentences. Each sentence starts with a capital and ends with a full
stop (a question keeps its question mark); numbers are said with their units in words
("30 seconds", "5 counts", "1 breath"); no text a voice says holds a hyphen, an underscore
or a unit letter such as ``30s``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from dsl.model import printer

# --- the style table -----------------------------------------------------------------

VERBS: dict[str, str] = {
    "setup": "Get into position",
    "hold": "Hold",
    "contract": "Contract",
    "relax": "Relax",
    "inhale": "Breathe in",
    "exhale": "Breathe out",
    "hold-breath": "Hold your breath",
    "breathe": "Breathe",
    "rest": "Rest",
    "release": "Release",
    "deepen": "Deepen the stretch",
    "move": "Move",
}
"""What each kind of step says with no amount: ``hold`` is "Hold.", ``hold-breath`` "Hold
your breath."."""

TAKE_FORM: dict[str, str] = {
    "setup": "to get into position",
}
"""Kinds said "Take 10 seconds to get into position." when timed, not "... for 10
seconds"."""

INTENSITY: dict[str, str] = {
    "gentle": "gently", "moderate": "moderately", "firm": "firmly",
    "mild-discomfort": "to mild discomfort", "mild-tension": "to mild tension",
}

SIGNAL_PHRASES: dict[str, str] = {
    "pain": "If you feel pain",
    "cramp": "If you get a cramp",
    "dizziness": "If you feel dizzy",
    "numbness": "If you feel numbness or tingling",
}

STOP_ON_PAIN = "If you feel pain, stop."
"""What a routine without a pain handler says: a player stops it on pain."""

UNTIMED_ENDING = "Go on when you are ready."
"""The last sentence of an untimed step: the person says when they are done."""

_UNIT_NOUNS = printer.SPOKEN_NOUNS


# --- the sentences -------------------------------------------------------------------


def entry_speech(entry: Mapping[str, Any], *, side_start: bool = False) -> str:
    """What a voice says when a timeline entry starts: the action, then the author's text,
    then, for an untimed step, that the person goes on when ready. ``side_start``: the
    entry is the first on its side (no switch said it), so it opens with "Left side."."""
    sentences: list[str] = []
    side = entry.get("side")
    if side_start and side is not None and entry["kind"] != "switch":
        sentences.append(f"{side.capitalize()} side.")
    sentences.append(_action(entry))
    said = sentence(entry.get("text") or "")
    if said:
        sentences.append(said)
    if entry.get("waitForUser"):
        sentences.append(UNTIMED_ENDING)
    return " ".join(sentences)


def cue_speech(cue: Mapping[str, Any]) -> str:
    """A cue as a sentence; one for a partner says so."""
    said = sentence(cue["text"])
    return f"For your partner: {said}" if cue.get("forPartner") else said


def handler_speech(handler: Mapping[str, Any]) -> str:
    """What a voice says as a safety handler starts: its text as a sentence, or "Stop."
    without one. Its steps say their own words as they run."""
    return sentence(handler.get("text") or "") or "Stop."


def warning(handler: Mapping[str, Any]) -> str:
    """What to do on a handler's signal, said before the routine starts: "If you feel
    pain: Ease off. Release. Rest for 30 seconds."; the handler's words, then its steps'."""
    said = [handler_speech(handler), *(entry_speech(e) for e in handler["timeline"])]
    return f"{SIGNAL_PHRASES[handler['signal']]}: {' '.join(said)}"


def opening(title: str, handlers: Sequence[Mapping[str, Any]]) -> str:
    """What a track opens with: the title, then what to do on each signal the routine has
    a safety handler for (pain always: without a handler, the routine stops)."""
    said = [s for s in (sentence(title),) if s]
    signals = set()
    for handler in handlers:
        if handler["signal"] in signals:
            continue  # the first handler for a signal is the one that runs
        signals.add(handler["signal"])
        said.append(warning(handler))
    if "pain" not in signals:
        said.append(STOP_ON_PAIN)
    return " ".join(said)


def closing(title: str) -> str:
    """What a track ends with."""
    return f"That is the end of {_inline(title)}. Well done."


# --- the action ----------------------------------------------------------------------


def _action(entry: Mapping[str, Any]) -> str:
    kind = entry["kind"]
    if kind == "switch":
        side = entry.get("side")
        where = f"the {side} side" if side else "sides"
        duration = entry.get("duration")
        if duration is not None and duration["max"] > 0:
            return f"Take {_amount(duration['original'])} to change to {where}."
        return f"Change to {where}."
    how = _how(entry)
    reps = entry.get("reps")
    duration = entry.get("duration")
    if reps is not None:
        count = printer.spoken_range(reps["min"], reps["max"], _UNIT_NOUNS["rep"])
        per = entry.get("secondsPerRep")
        each = "" if per is None else f", {printer.spoken_amount(per, per, 's')} each"
        paced = " at your own pace" if per is None else ""
        # Only ``move`` counts repetitions (V110).
        return f"Do {count}{how}{each}{paced}."
    if entry.get("vague"):
        return f"{VERBS[kind]}{how} {entry['vague']}."
    if duration is None:
        return f"{VERBS[kind]}{how}."
    original = duration["original"]
    if kind in TAKE_FORM:
        return f"Take {_amount(original)} {TAKE_FORM[kind]}{how}."
    if kind == "breathe" and original["unit"] == "breath":
        return f"Take {_amount(original)}{how}."
    return f"{VERBS[kind]}{how} for {_amount(original)}."


def _how(entry: Mapping[str, Any]) -> str:
    """The intensity and the pace, after the verb: " gently", " to mild tension slowly"."""
    words = []
    intensity = entry.get("intensity")
    if intensity is not None:
        if intensity["level"] is not None:
            words.append(INTENSITY[intensity["level"]])
        else:
            effort = intensity["effort"]
            said = printer.spoken_range(effort["min"], effort["max"], None)
            words.append(f"at {said} percent effort")
    if entry.get("pace"):
        words.append(entry["pace"])
    return "".join(f" {w}" for w in words)


def _amount(original: Mapping[str, Any]) -> str:
    """An amount as written, in words ("20 to 30 seconds", "5 counts")."""
    return printer.spoken_amount(original["min"], original["max"], original["unit"])


# --- free text -----------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def sentence(text: str) -> str:
    """An author's text as the voice says it: speakable, a capital first, a full stop
    last (a question keeps its question mark; "!" becomes a full stop)."""
    said = speakable(text).strip().rstrip(" !.;:,")
    if not said.strip(" ?"):
        return ""
    if said.startswith(("{side}", "{other}")):  # filled later: "{Side}" gives "Left"
        said = "{" + said[1].upper() + said[2:]
    else:
        said = said[0].upper() + said[1:]
    if said.endswith("?"):
        return said
    return said + "."


def _inline(text: str) -> str:
    """A text inside a sentence: speakable, without its closing punctuation."""
    return speakable(text).strip().rstrip(" !.?;:,")


_SPOKEN_UNITS = (
    # 1m30s, 2m, 45s, 4 s: a time as written is said in words
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?m\s?(\d+(?:\.\d+)?)\s?s\b"),
     lambda m: f"{printer.spoken_written(m[1], 'minute')} "
               f"{printer.spoken_written(m[2], 'second')}"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?-\s?(\d+(?:\.\d+)?)\s?s\b"),
     lambda m: f"{m[1]} to {printer.spoken_written(m[2], 'second', many=True)}"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?-\s?(\d+(?:\.\d+)?)\s?m\b"),
     lambda m: f"{m[1]} to {printer.spoken_written(m[2], 'minute', many=True)}"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?s\b"),
     lambda m: printer.spoken_written(m[1], "second")),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?m\b"),
     lambda m: printer.spoken_written(m[1], "minute")),
    (re.compile(r"(\d+(?:\.\d+)?)\s?%"), lambda m: f"{m[1]} percent"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s?[-\u2013\u2014]\s?(\d+(?:\.\d+)?)"),
     lambda m: f"{m[1]} to {m[2]}"),
)


_PLAIN = re.compile(r"[^\d_\-\u2010\u2011\u2013\u2014%]*")
"""A text with no digit, underscore, hyphen, dash or percent sign: speakable as it is."""


def speakable(text: str) -> str:
    """A free text with nothing a voice stumbles on: times written as units are said in
    words (``30s`` is "30 seconds", ``10-20`` is "10 to 20"), a hyphen or an underscore
    inside a word is a space, a dash between words is a comma. Side placeholders
    (``{side}``) are kept: they are filled later, like the text's."""
    said = text
    if not _PLAIN.fullmatch(text):  # most texts have no number, dash or underscore
        said = said.replace("_", " ")
        for pattern, spoken in _SPOKEN_UNITS:
            said = pattern.sub(spoken, said)
        said = re.sub(r"(?<=[\w}])[-\u2010\u2011](?=[\w{])", " ", said)
        said = re.sub(r"\s*[-\u2013\u2014]+\s*", ", ", said)
    said = " ".join(said.split())
    said = re.sub(r"^[,\s]+|(?<=[,.;:!?])\s*,", "", said)
    return said.replace(" ,", ",").strip()

