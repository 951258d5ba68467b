"""Sessions and programmes read, print and format without losing a word.

Generated sessions and programmes (every statement they can hold, in any order the grammar
allows, with untidy spacing and comments) must parse without a diagnostic, format to text
that parses to the same plan with the same comments, and format to themselves again; the
printer's line for each statement must read back as that statement.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.format.formatter import format_text
from dsl.model import plans
from dsl.syntax.parser import parse

SETTINGS = settings(max_examples=150, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

IDS = st.sampled_from(["calf-wall", "towel-hamstring", "box-breathing", "morning"])
PATHS = st.sampled_from(['"calf.stretch"', '"routines/towel hamstring.stretch"'])
REFERENCES = st.one_of(IDS, PATHS)
GAP = st.sampled_from([" ", "  ", "\t"])
COMMENT = st.sampled_from(["", "", "  # why", " # the coach's note"])


@st.composite
def _amount(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["20s", "45 s", "1m30s", "3 breaths", "5 counts", "2"]))


@st.composite
def _use(draw: st.DrawFn) -> list[str]:
    lines = [f"do {draw(REFERENCES)}" + draw(st.sampled_from(["", ":"]))]
    if draw(st.booleans()):
        lines.append("  sides: " + draw(st.sampled_from(["left only", "each, right first",
                                                            "alternating"])))
    if draw(st.booleans()):
        picks = draw(st.lists(st.sampled_from(["harder", "easier", "calf/easier"]),
                              min_size=1, max_size=2))
        lines.append("  variant: " + ", ".join(picks))
    for name in draw(st.lists(st.sampled_from(["hold", "rounds"]), max_size=2)):
        lines.append(f"  set {name}:{draw(GAP)}{draw(_amount())}")
    if len(lines) == 1:
        lines[0] = lines[0].rstrip(":")
    return lines


@st.composite
def sessions(draw: st.DrawFn) -> str:
    body: list[str] = []
    if draw(st.booleans()):
        body.append("id: " + draw(IDS))
    for _ in range(draw(st.integers(0, 2))):
        body.append("limit " + draw(st.sampled_from(
            ["total 25m", "contractions 6", "cycles 4 per session", "contractions 3 per side"])))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["use", "use", "rest", "setup", "note"]))
        if kind == "use":
            body.extend(draw(_use()))
        elif kind == "rest":
            body.append('rest 30s "Walk to the mat"')
        elif kind == "setup":
            body.append('setup "Fetch a towel"')
        else:
            body.append('note "Warm up first"')
    return _text('session "Generated"', body, draw)


@st.composite
def _schedule(draw: st.DrawFn) -> str:
    days = draw(st.one_of(st.just("daily"), st.lists(st.sampled_from(
        ["mon", "Tuesday", "wed", "weekdays", "weekends", "sun"]), min_size=1, max_size=3,
        unique=True).map(lambda d: "on " + ", ".join(d))))
    line = f"do {draw(REFERENCES)} {days}"
    times = draw(st.lists(st.sampled_from(["07:30", "8:00", "18:05"]), max_size=2))
    if times:
        line += " at " + ", ".join(times)
    if draw(st.booleans()):
        line += ' "after a workout"'
    return line


@st.composite
def _progression(draw: st.DrawFn) -> str:
    name, first, later, step = draw(st.sampled_from([
        ("hold", "20s", ["30s", "40s"], "+5s"), ("rounds", "1", ["2", "3"], "+1"),
        ("breaths", "3 breaths", ["4 breaths", "5 breaths"], "+1 breath")]))
    steps = []
    week = 1
    for value in later[:draw(st.integers(0, 2))]:
        week += draw(st.integers(1, 2))
        steps.append(f"{value} from week {week}")
    if draw(st.booleans()):
        rate = draw(st.sampled_from(["a week", "per week", "every 2 weeks"]))
        steps.append(f"{step} {rate} up to {later[-1]}")
    if not steps:
        steps.append(f"{later[0]} from week 2")
    return f"progress {name}: {first}, " + ", ".join(steps)


@st.composite
def _condition(draw: st.DrawFn) -> str:
    return draw(st.sampled_from([
        "pain at most 2", "effort at least 4", "settled within 24 hours",
        "not settled within 2 days", "pain at most 1.5"]))


@st.composite
def programmes(draw: st.DrawFn) -> str:
    body: list[str] = []
    if draw(st.booleans()):
        body.append("weeks: " + str(draw(st.integers(1, 12))))
    if draw(st.booleans()):
        body.append("start: 2027-01-04")
    for _ in range(draw(st.integers(0, 2))):
        body.append(draw(_schedule()))
    for _ in range(draw(st.integers(0, 2))):
        body.append(draw(_progression()))
    stages: list[str] = draw(st.lists(st.sampled_from(["early", "middle", "late"]),
                                      max_size=2, unique=True))
    start_at_first: bool = draw(st.booleans())
    if stages and start_at_first:
        body.append(f"start stage: {stages[0]}")
    for name in stages:
        title = draw(st.sampled_from(["", ' "Gentle range"']))
        body.append(f"stage {name}{title}" + ("" if title else ":"))
        body.append("  " + draw(_schedule()))
        for _ in range(draw(st.integers(0, 2))):
            direction = draw(st.sampled_from(["move up", "step back"]))
            after = draw(st.sampled_from(["", " after 3 sessions"]))
            conditions = draw(st.lists(_condition(), min_size=1, max_size=3))
            body.append(f"  {direction}{after} when " + ", ".join(conditions))
    if not body:
        body.append("do calf-wall daily")
    return _text('programme "Generated"', body, draw)


def _text(head: str, body: list[str], draw: st.DrawFn) -> str:
    lines = [head + draw(COMMENT)]
    for line in body:
        indent = "  " + " " * (len(line) - len(line.lstrip()))
        words = line.strip().replace(", ", "," + draw(GAP))
        lines.append(indent + words + draw(COMMENT))
        if draw(st.integers(0, 6)) == 0:
            lines.append("")
    return "\n".join(lines) + "\n"


def _check_round_trip(text: str) -> None:
    parsed = parse(text)
    assert parsed.diagnostics == (), (text, [d.message for d in parsed.diagnostics])
    assert parsed.plan is not None
    result = format_text(text)
    assert result.formatted is not None, text
    again = parse(result.formatted)
    assert again.plan == parsed.plan, (text, result.formatted)
    assert [c.text for c in again.comments] == [c.text for c in parsed.comments]
    assert format_text(result.formatted).formatted == result.formatted


@SETTINGS
@given(sessions())
def test_a_session_formats_without_losing_a_word(text: str) -> None:
    _check_round_trip(text)


@SETTINGS
@given(programmes())
def test_a_programme_formats_without_losing_a_word(text: str) -> None:
    _check_round_trip(text)


def test_a_schedule_keeps_its_days_as_written_and_knows_the_days() -> None:
    parsed = parse('programme "P"\n  do calf on Tuesday, weekends at 8:00\n')
    assert parsed.plan is not None
    (line,) = parsed.plan.items
    assert isinstance(line, plans.Schedule)
    assert line.day_words == ("tuesday", "weekends") and line.days == ("tue", "sat", "sun")
    formatted = format_text('programme "P"\n  do calf on Tuesday, weekends at 8:00\n').formatted
    assert formatted == 'programme "P"\n  do calf on tuesday, weekends at 08:00\n'
