"""The words of the language, listed once.

The parser's model builder reads meanings from these tables, the printer writes them back,
the Pygments lexer, hover and completion take their word lists from here, and syntax
errors know which words start a statement. The grammar (dsl/syntax/grammar.lark) and the
editors' grammars (editors/vscode/syntaxes/stretch.tmLanguage.json) spell the same words
in their own formats; tests/test_words.py fails when either lists a word this module does
not, or leaves one out.
"""

from __future__ import annotations

from dsl import model as m
from dsl.model import plans

PLAN_SETTINGS: tuple[str, ...] = ("weeks", "start")
"""A programme's settings: ``weeks: 6``, ``start: 2026-12-07``."""

SETTINGS: tuple[str, ...] = (
    "id", "targets", "equipment", "position", "level", "partner", "frequency", "tempo",
    "sides", "indications", "contraindications", "posture", *PLAN_SETTINGS,
)
"""Settings and lists: the word before a ``:``."""

PLAN_STATEMENTS: tuple[str, ...] = (
    "session", "programme", "do", "set", "progress", "start", "stage", "step",
)
"""Words that start a statement or a block of a session or a programme only: ``do
calf-wall``, ``set hold: 40s``, ``progress hold: ...``, ``start stage: early``, ``stage
early:``, ``step back when ...`` (``move up when ...`` starts with the step word
``move``)."""

STATEMENTS: tuple[str, ...] = (
    "routine", "exercise", "switch", "limit", "note", "image", "video", "variant", "on", "for",
    "repeat", "cue", "partner", "parameter", *PLAN_STATEMENTS,
)
"""Words that start a statement or a block (besides settings and steps)."""

STEP_KINDS: tuple[str, ...] = m.STEP_KINDS

LINE_STARTS: frozenset[str] = frozenset((*SETTINGS, *STATEMENTS, *STEP_KINDS))
"""Every word a statement can start with."""

ROUTINE_LINE_STARTS: frozenset[str] = LINE_STARTS - {*PLAN_STATEMENTS, *PLAN_SETTINGS}
"""Every word a statement of a routine can start with."""

MEDIA_KINDS: tuple[str, ...] = ("image", "video")

INTENSITY_WORDS: dict[str, m.IntensityLevel] = {
    "gently": "gentle", "moderately": "moderate", "firmly": "firm",
}
"""``hold 30s gently``: the adverb and the level it names."""

MILD_SENSATIONS: dict[str, m.IntensityLevel] = {
    "discomfort": "mild-discomfort", "tension": "mild-tension",
}
"""``to mild tension``: the last word and the level it names."""

UNIT_WORDS: dict[str, tuple[m.Unit, int]] = {
    "reps": ("rep", 1), "rep": ("rep", 1),
    "counts": ("count", 1), "count": ("count", 1),
    "breaths": ("breath", 1), "breath": ("breath", 1),
    "seconds": ("s", 1), "second": ("s", 1), "secs": ("s", 1), "sec": ("s", 1),
    "minutes": ("s", 60), "minute": ("s", 60), "mins": ("s", 60), "min": ("s", 60),
    "s": ("s", 1), "m": ("s", 60),
}
"""Every spelling of a unit after a number (``5 counts``, ``30 sec``): its unit and how
many seconds (or counts, breaths) one of it is. Longest first within a family, so a
pattern made of them tries ``counts`` before ``count``."""

DURATION_SUFFIXES: tuple[str, ...] = ("sec", "min", "s", "m")
"""Units written onto the number: ``30s``, ``2min``, ``1m30s``."""

PLURALS: dict[m.Unit, str] = {"count": "counts", "breath": "breaths", "rep": "reps"}
"""The plural the printer writes for a counted unit."""

SIDE_WORDS: tuple[str, ...] = ("left", "right")
SIDES_MODES: tuple[str, ...] = ("each", "alternating")
SIDES_WORDS: tuple[str, ...] = (*SIDES_MODES, *SIDE_WORDS, "first", "only", "none")
"""``sides: each, left first``, ``sides: right only``, ``sides: none``."""

FREQUENCY_WORDS: dict[str, tuple[int, str]] = {
    "daily": (1, "day"), "weekly": (1, "week"), "monthly": (1, "month"),
}
"""``frequency: daily``: once a period."""

LIMIT_SCOPES: dict[str, m.LimitScope] = {"side": "side", "routine": "routine",
                                         "session": "routine"}
"""``per side``, ``per routine`` (``per session`` is another way to say it)."""

TIMES_WORDS: tuple[str, ...] = ("times", "x")
PER_WORDS: tuple[str, ...] = ("per", "a")
PLAN_CONNECTIVES: tuple[str, ...] = ("from", "every", "weeks", "when", "after", "sessions",
                                      "within", "not", "back")
"""Small words of a programme: ``30s from week 3``, ``+1 every 2 weeks up to 3``,
``move up after 3 sessions when pain at most 2``, ``step back when not settled within 2
days``."""
CONNECTIVES: tuple[str, ...] = ("to", "mild", "at", "up", "between", "least", "most", "or",
                                 "more", *TIMES_WORDS, *PER_WORDS, *PLAN_CONNECTIVES)
"""Small words inside statements: ``up to 3``, ``3 times a week``, ``rest 30s between``,
``to mild tension``, ``at 30%``, ``repeat at least 4``, ``4 or more, at most 6``, and
the programme's."""

PACE_WORDS: tuple[str, ...] = m.PACE_WORDS
VAGUE_AMOUNTS: tuple[str, ...] = m.VAGUE_AMOUNTS

DAY_WORDS: tuple[str, ...] = (*plans.DAY_WORDS, *plans.EVERY_DAY_WORDS)
"""``do morning-legs on mon, wed, fri``, ``on weekdays``, ``daily``."""

ANSWERS: tuple[str, ...] = (*plans.SCORED_ANSWERS, *plans.TIMED_ANSWERS)
"""The answers a stage's conditions ask for: ``pain at most 2``, ``settled within 24
hours``."""

ANSWER_UNITS: tuple[str, ...] = tuple(plans.ANSWER_UNITS)
"""``within 24 hours``, ``within 2 days``."""

VARIANT_NAMES: tuple[str, ...] = ("easier", "harder")
"""The variant names editors suggest (any name is allowed)."""

CHANGE_WORDS: tuple[str, ...] = ("leave", "out")
"""``variant easier: leave out``: with that variant the step is left out."""

VALUES: tuple[str, ...] = (
    *m.SIGNALS, *m.LIMIT_SUBJECTS, *m.LEVELS, *m.PARTNER_MODES, *m.PERIODS,
    *FREQUENCY_WORDS, *VARIANT_NAMES, *DAY_WORDS, *ANSWERS,
)
"""Words that name a value: signals, limit subjects, levels, partner modes, periods,
frequencies, variant names, days, answers."""

ALL_WORDS: frozenset[str] = frozenset((
    *LINE_STARTS, *INTENSITY_WORDS, *MILD_SENSATIONS, *UNIT_WORDS, *SIDES_WORDS,
    *LIMIT_SCOPES, *CONNECTIVES, *VALUES, *PACE_WORDS, *VAGUE_AMOUNTS, *CHANGE_WORDS,
    *ANSWER_UNITS,
))
"""Every word the language gives a meaning to."""
