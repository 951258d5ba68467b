"""The words of the language, as an editor needs them: a one-line scanner and what each
keyword means (short texts from docs/language.md), for hover and completion.

The scanner reads one line at a time and never fails, so hover and completion keep
working while the rest of the file has syntax errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dsl import model as m
from dsl.model import words

_NUM = r"\d+(?:\.\d+)?"
_DURATION = rf"{_NUM}(?:{'|'.join(words.DURATION_SUFFIXES)})(?:{_NUM}(?:sec|s))?"
_UNIT_WORD = f"(?:{'|'.join(words.UNIT_WORDS)})"
AMOUNT_PATTERN = (
    rf"(?:{_DURATION}-{_DURATION}|(?:{_NUM}-)?{_DURATION}|(?:{_NUM}-)?{_NUM}[ \t]+{_UNIT_WORD})"
    r"(?![A-Za-z0-9])"
)

_TOKEN = re.compile(
    rf"""
    (?P<comment>\#.*)
    |(?P<string>"(?:[^"\\]|\\.)*"?)
    |(?P<amount>{AMOUNT_PATTERN})
    |(?P<percent>(?:{_NUM}-)?{_NUM}%)
    |(?P<number>{_NUM})
    |(?P<word>[A-Za-z][A-Za-z0-9'-]*)
    |(?P<punct>[:,()=-])
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of a line: ``kind`` is comment, string, amount, percent, number, word,
    punct, space or other; ``start`` and ``end`` are 0-based code-point offsets."""

    kind: str
    text: str
    start: int
    end: int


def scan(line: str) -> list[Token]:
    """Split one line into tokens (never fails: unknown characters are ``other``)."""
    tokens = []
    for match in _TOKEN.finditer(line):
        kind = match.lastgroup or "other"
        tokens.append(Token(kind, match.group(), match.start(), match.end()))
    return tokens


def meaningful(tokens: list[Token]) -> list[Token]:
    """The tokens that say something: no spaces and no comment."""
    return [t for t in tokens if t.kind not in ("space", "comment")]


# --- what the keywords mean ----------------------------------------------------------

STEP_DOCS: dict[str, str] = {
    "setup": "getting into position",
    "hold": "holding a stretch",
    "contract": 'a muscle contraction (the "C" in contract-relax)',
    "relax": "letting go after a contraction",
    "inhale": "one breath in",
    "exhale": "one breath out",
    "hold-breath": "holding the breath in or out (box breathing)",
    "breathe": "breathing for a while (`breathe 3 breaths`)",
    "rest": "a rest, in or out of the stretch",
    "deepen": "moving deeper into the stretch",
    "release": "coming out of the stretch (the exit)",
    "move": "a counted movement (`move 10 reps \"Ankle circles\"`): self-paced unless timed "
            "by `, 3s each` or `tempo: 1 rep = 3s`",
}
_STEP_USAGE = (
    '`KIND [amount] [intensity] ["text"]`. A step with no amount is untimed: the player '
    "waits until the client says they are ready."
)

SETTING_DOCS: dict[str, str] = {
    "id": "a short name for apps and libraries: letters, digits, `-`",
    "targets": "the muscles or groups the routine stretches; details in parentheses: "
               "`hamstrings (semitendinosus, biceps femoris)`",
    "equipment": "what the client needs: `equipment: mat, yoga block`, or `equipment: none`",
    "position": "the starting position, in a few words",
    "level": "`beginner`, `intermediate` or `advanced`",
    "partner": "`none`, `optional` or `required`, with an optional note",
    "frequency": "how often to do the routine: `2-3 times a day`, `3 times a week`, `daily`",
    "tempo": "how long a count or a breath lasts: `tempo: 1 count = 1s, 1 breath = 6s`. "
             "Without it, 1 count is 1 second and 1 breath is 5 seconds",
    "sides": "which sides the steps run on: `each, left first`, `alternating, right first`, "
             "`left only`, `right only` or `none` (both sides at once, the default)",
    "indications": "a block of quoted lines: who the routine helps",
    "contraindications": "a block of quoted lines: who should not do it",
}

STATEMENT_DOCS: dict[str, str] = {
    "routine": 'the routine: `routine "Title"`; everything in it is indented under this line',
    "exercise": 'one exercise of a routine that holds several, run in order: `exercise '
                '"Calf stretch":` with its own settings and steps indented under it; what it '
                "does not set (sides, tempo, position...) it takes from the routine",
    "switch": "what happens between sides: `switch 5s \"Change legs\"`; without it the player "
              "shows \"change sides\" and waits for the client",
    "limit": "a safety limit the checker holds the routine to, with repeats and sides expanded "
             "and the high end of every range taken: `limit cycles 3`, `limit hold 60s`",
    "note": "anything else worth saying; as many as you like",
    "parameter": "a value the coach sets for each client, with a default and the range "
    "allowed: `parameter hold: 30s, 20-60s \"How long to hold\"`; steps use it as "
    "`{hold}`, `stretch compile --set hold=45s` sets it",
    "image": 'a picture: `image "path or URL" "caption"`, on the routine or on a step',
    "video": 'a video: `video "path or URL" "caption"`, on the routine or on a step',
    "variant": "a named way to do the routine or a step: `variant easier \"...\"`; under a "
               "step, how that variant changes it: `variant harder: 60s`, `variant easier: "
               "leave out`, or `variant harder:` with the steps that take its place indented "
               "under it; among steps, `variant harder only:` with steps that run only with "
               "that variant. A name other than `easier` or `harder` must be declared on the "
               "routine (or the exercise)",
    "posture": "standing cues that hold throughout: for the whole routine, or for the repeat "
               "they stand in; one quoted line each",
    "on": "what the player does when the client signals `pain` (or `cramp`, `dizziness`, "
          "`numbness`): `on pain \"Ouch\"` with steps indented under it",
    "for": "limits and notes that apply only to some clients: `for pregnant clients:`",
    "repeat": "the steps indented under it, more than once: `repeat 3:`, `repeat 2-4:`, "
              "`repeat up to 3:`, `repeat for 2-3m:`, `repeat at least 4:`, "
              "`repeat 3, rest 30s between:`",
    "cue": 'something said during the step, at its start or later: `cue at 10s "..."`',
    "left only": "steps that run only on the left side (its turn with `sides: each`, its half "
                 "of each pass with `alternating`), indented under `left only:`",
    "right only": "steps that run only on the right side (its turn with `sides: each`, its "
                  "half of each pass with `alternating`), indented under `right only:`",
}
PLAN_DOCS: dict[str, str] = {
    "session": 'a session: routines done in order, with rests or setups between them: '
               '`session "Morning Legs"`, its `do` lines indented under it',
    "programme": 'a programme: sessions (or routines) on a schedule, for some weeks, with '
                 'values that progress week by week: `programme "Six Weeks"`',
    "do": "a routine or session, by its `id:` (`do calf-wall`) or by a path relative to "
          "this file (`do \"calf-wall.stretch\"`); in a programme, with when: `do "
          "morning-legs on mon, wed at 07:30`, `do box-breathing daily`",
    "weeks": "how many weeks the programme runs: `weeks: 6`",
    "start": "the date of the programme's first week: `start: 2026-12-07`; `start stage: "
             "early` sets the stage the person starts at",
    "progress": "a parameter's value week by week, for every routine that declares it: "
                "`progress hold: 20s, 30s from week 3, +5s a week up to 45s`",
    "stage": 'a stage of the programme, with its own schedule and the rules to move up or '
             'step back: `stage early "Gentle range":`',
    "move up": "when the person moves to the next stage, on the answers they give: `move "
               "up after 3 sessions when pain at most 2, settled within 24 hours`",
    "step back": "when the person goes back a stage: `step back when pain at least 5`",
}
"""The statements of sessions and programmes (completion and hover)."""
USE_DOCS: dict[str, str] = {
    "sides": "the sides this use works: `sides: left only`",
    "variant": "the variants this use chooses, for the routine or one of its exercises: "
               "`variant: harder, calf/easier`",
    "set": "a value for one of the routine's parameters in this use: `set hold: 40s`",
}
"""What may stand under a session's ``do`` line."""
CHANGE_DOCS: dict[str, str] = {
    "leave out": "with this variant the step is left out (a repeat or block left empty goes "
                 "too)",
    "only": "a block whose steps run only when this variant is chosen (`variant harder "
            "only:`); without it they are left out",
}
"""What the words after ``variant NAME`` mean: ``variant easier: leave out``, ``variant
harder only:``."""
_PARTNER_CUE = 'an instruction for the partner during the step: `partner at 2s "..."`'

LIMIT_DOCS: dict[str, str] = {
    "cycles": "at most this many contract-relax cycles per side (one or more `contract` "
              "steps followed by a `relax` or `rest`)",
    "contractions": "at most this many contractions per side",
    "contraction": "no single contraction longer than this",
    "hold": "no single hold longer than this",
    "breath-hold": "no breath held longer than this",
    "effort": "no contraction harder than this share of the client's maximum",
    "total": "the whole routine takes at most this long",
}

WORD_DOCS: dict[str, str] = {
    "gently": "a contraction's effort, in words: gently (light)",
    "moderately": "a contraction's effort, in words: moderately",
    "firmly": "a contraction's effort, in words: firmly (strong)",
    "mild": "how far to take a stretch: `to mild tension` or `to mild discomfort`",
    "tension": "take the stretch to mild tension",
    "discomfort": "take the stretch to mild discomfort",
    "each": "sides: everything on one side, switch, everything on the other",
    "alternating": "sides: each pass of a repeat on one side, switch, then the other; then "
                   "the next pass",
    "left": "the left side",
    "right": "the right side",
    "first": "the side done first",
    "only": "one side only",
    "none": "nothing: no partner, no equipment, or both sides at once",
    "times": "how many times",
    "between": "a rest between passes of a repeat (not after the last)",
    "up": "`repeat up to 3`: at most 3 times; the client may stop after any pass",
    "least": "`repeat at least 4`: an open repeat, 4 passes or more up to its cap (its "
             "`at most`, or the most that keep the routine's limits)",
    "more": "`repeat 4 or more`: an open repeat, 4 passes or more up to its cap (its "
            "`at most`, or the most that keep the routine's limits)",
    "most": "`, at most 6`: the most passes an open repeat may run",
    "per": "`per routine`: count all sides together (counted limits are per side otherwise)",
    "pain": "the client signals pain", "cramp": "the client signals a cramp",
    "dizziness": "the client signals dizziness", "numbness": "the client signals numbness",
    "beginner": "level: beginner", "intermediate": "level: intermediate",
    "advanced": "level: advanced",
    "optional": "a partner helps if there is one", "required": "the routine needs a partner",
    "easier": "an easier way to do this", "harder": "a harder way to do this",
    "daily": "once a day", "weekly": "once a week", "monthly": "once a month",
    "count": "a count; its length comes from the tempo (1 count = 1s by default)",
    "counts": "counts; their length comes from the tempo (1 count = 1s by default)",
    "breath": "a breath; its length comes from the tempo (1 breath = 5s by default)",
    "breaths": "breaths; their length comes from the tempo (1 breath = 5s by default)",
    "rep": "a repetition of a movement: self-paced unless `, 3s each` or `tempo: 1 rep = 3s` "
           "times it",
    "reps": "repetitions of a movement: self-paced (the player shows the count) unless `, 3s "
            "each` or `tempo: 1 rep = 3s` times them",
    **dict.fromkeys(m.PACE_WORDS, "how the movement is done: kept and shown like an intensity, "
                                  "never timed"),
    "briefly": "a vague amount: the step is untimed (the player waits for the client)",
}


def change_doc(word: str) -> str | None:
    """Markdown for a word after ``variant NAME`` (``leave``, ``out``, ``only``), or None."""
    key = word.lower()
    if key in ("leave", "out"):
        return f"**leave out**: {CHANGE_DOCS['leave out']}"
    if key == "only":
        return f"**variant ... only:** {CHANGE_DOCS['only']}"
    return None


def keyword_doc(word: str, previous: str | None, first: bool, next_text: str | None) -> str | None:
    """Markdown saying what ``word`` means where it stands, or None if it is no keyword.

    ``previous`` is the word or sign before it on the line, ``first`` whether it starts
    the line, ``next_text`` the token after it (``:`` tells a setting from a step).
    """
    key = word.lower()
    if previous == "limit" and key in LIMIT_DOCS:
        return f"**limit {key}**: {LIMIT_DOCS[key]}"
    if first:
        if f"{key} {next_text}" in PLAN_DOCS:  # `move up`: not the step `move`
            return f"**{key} {next_text}**: {PLAN_DOCS[f'{key} {next_text}']}"
        if key == "partner":
            if next_text == ":":
                return f"**partner:** (setting): {SETTING_DOCS['partner']}"
            return f"**partner** (on a step): {_PARTNER_CUE}"
        if key in STEP_DOCS:
            return f"**{key}** (step): {STEP_DOCS[key]}\n\n{_STEP_USAGE}"
        if key in SETTING_DOCS:
            return f"**{key}:** (setting): {SETTING_DOCS[key]}"
        if key in STATEMENT_DOCS:
            return f"**{key}**: {STATEMENT_DOCS[key]}"
        if key in PLAN_DOCS:
            return f"**{key}**: {PLAN_DOCS[key]}"
        if next_text == "only" and f"{key} only" in STATEMENT_DOCS:
            return f"**{key} only:** {STATEMENT_DOCS[f'{key} only']}"
        return None
    if key == "rest" and previous == ",":
        return "**rest ... between**: a rest between passes of the repeat (not after the last)"
    if key == "for" and previous == "repeat":
        return ("**repeat for**: a time box: the passes that fit in this time with every step "
                "at its longest, never longer; those that fit in the low end are required")
    if key == "to" and previous == "up":
        return WORD_DOCS["up"]
    if key == "to":
        return f"**to mild ...**: {WORD_DOCS['mild']}"
    if key == "each" and previous not in ("sides", ":"):
        return "**each**: `, 3s each`: how long one repetition takes"
    if key == "at" and previous in ("repeat", ","):
        return WORD_DOCS["least"] if previous == "repeat" else WORD_DOCS["most"]
    if key == "at" and previous in ("cue", "partner"):
        return "**at**: when the cue is said, measured from the step's start"
    if key == "at":
        return "**at N%**: a contraction's effort as a share of the client's maximum"
    if key == "x":
        return WORD_DOCS["times"]
    if key in WORD_DOCS:
        return f"**{key}**: {WORD_DOCS[key]}"
    return None


# --- what completion offers ------------------------------------------------------------

ROUTINE_ITEMS: tuple[str, ...] = (
    "id:", "targets:", "equipment:", "position:", "level:", "partner:", "frequency:",
    "tempo:", "sides:", "switch", "limit", "indications:", "contraindications:", "note",
    "image", "video", "variant", "on", "for", "posture:", "exercise", "repeat", "left only:",
    "right only:", "parameter", *m.STEP_KINDS,
)
EXERCISE_ITEMS: tuple[str, ...] = tuple(
    word for word in ROUTINE_ITEMS if word not in ("partner:", "frequency:", "exercise"))
"""What an exercise may hold: a routine's statements but those of the whole routine."""
BLOCK_ITEMS: tuple[str, ...] = (*m.STEP_KINDS, "repeat", "posture:", "left only:", "right only:")
VARIANT_ONLY = "variant {} only:"
"""A block of steps that runs only with one variant, offered with each variant's name
wherever ``left only:`` is."""
STEP_DETAILS: tuple[str, ...] = ("cue", "partner", "image", "video", "variant")
GROUP_ITEMS: tuple[str, ...] = ("limit", "note")
SESSION_ITEMS: tuple[str, ...] = ("id:", "limit", "note", "do", "rest", "setup")
PROGRAMME_ITEMS: tuple[str, ...] = (
    "id:", "note", "weeks:", "start:", "start stage:", "do", "progress", "stage")
STAGE_ITEMS: tuple[str, ...] = ("do", "note", "move up", "step back")
USE_ITEMS: tuple[str, ...] = ("sides:", "variant:", "set")
INTENSITIES: tuple[str, ...] = (
    "gently", "moderately", "firmly", "to mild tension", "to mild discomfort", "at",
)
UNITS: tuple[str, ...] = ("s", "min", "counts", "breaths", "seconds", "minutes")
UNITS_FOR_ONE: tuple[str, ...] = ("s", "min", "count", "breath", "second", "minute")
"""The units offered after a lone ``1``: "1 breath", not "1 breaths"."""
SIDES: tuple[str, ...] = (
    "each, left first", "each, right first", "alternating, left first",
    "alternating, right first", "left only", "right only", "none",
)


def statement_doc(keyword: str) -> str | None:
    """The documentation completion shows beside a statement keyword."""
    word = keyword.rstrip(":")
    if word == "partner" and not keyword.endswith(":"):
        return _PARTNER_CUE
    return (STEP_DOCS.get(word) or SETTING_DOCS.get(word) or STATEMENT_DOCS.get(word)
            or PLAN_DOCS.get(word))
