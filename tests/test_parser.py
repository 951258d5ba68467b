"""Each construct of the language parses into the model it means."""

from __future__ import annotations

import pytest

from dsl import model as m
from dsl.syntax.parser import ParsedFile, parse


def routine(body: str) -> m.Routine:
    parsed = parse('routine "Test"\n' + body)
    assert parsed.diagnostics == (), parsed.diagnostics
    assert parsed.routine is not None
    return parsed.routine


def only(body: str) -> object:
    [item] = routine(body).items
    return item


def step(line: str) -> m.Step:
    item = only(f"  {line}\n")
    assert isinstance(item, m.Step)
    return item


def q(value: float, unit: m.Unit) -> m.Quantity:
    return m.Quantity(value, unit)


@pytest.mark.parametrize(
    ("written", "low", "high"),
    [
        ("30s", q(30, "s"), q(30, "s")),
        ("1m30s", q(90, "s"), q(90, "s")),
        ("2m", q(120, "s"), q(120, "s")),
        ("1.5s", q(1.5, "s"), q(1.5, "s")),
        ("30 seconds", q(30, "s"), q(30, "s")),
        ("30 sec", q(30, "s"), q(30, "s")),
        ("2 minutes", q(120, "s"), q(120, "s")),
        ("2min", q(120, "s"), q(120, "s")),
        ("5 counts", q(5, "count"), q(5, "count")),
        ("1 count", q(1, "count"), q(1, "count")),
        ("3 breaths", q(3, "breath"), q(3, "breath")),
        ("10-30s", q(10, "s"), q(30, "s")),
        ("1-2m", q(60, "s"), q(120, "s")),
        ("45s-1m30s", q(45, "s"), q(90, "s")),
        ("5-15 counts", q(5, "count"), q(15, "count")),
        ("2-3 breaths", q(2, "breath"), q(3, "breath")),
    ],
)
def test_amounts_carry_their_unit(written: str, low: m.Quantity, high: m.Quantity) -> None:
    parsed = step(f"hold {written}")
    assert parsed.amount is not None
    assert (parsed.amount.low, parsed.amount.high) == (low, high)


def test_a_step_with_amount_intensity_text_and_cues() -> None:
    parsed = only(
        '  contract 5-15 counts gently "Drag the heel back"\n'
        '    cue "Keep breathing"\n'
        '    cue at 5 counts "Halfway"\n'
        '    partner at 2s "Resist the push"\n'
        '    image "heel.png" "The heel"\n'
        '    variant easier "Press more softly"\n'
    )
    assert parsed == m.Step(
        "contract",
        m.Amount(q(5, "count"), q(15, "count")),
        m.Intensity("gentle"),
        "Drag the heel back",
        (
            m.Cue("Keep breathing"),
            m.Cue("Halfway", q(5, "count")),
            m.Cue("Resist the push", q(2, "s"), for_partner=True),
            m.Media("image", "heel.png", "The heel"),
            m.Variant("easier", "Press more softly"),
        ),
    )
    assert isinstance(parsed, m.Step)
    assert [c.text for c in parsed.cues] == ["Keep breathing", "Halfway", "Resist the push"]
    assert len(parsed.media) == 1 and len(parsed.variants) == 1


@pytest.mark.parametrize(
    ("written", "intensity"),
    [
        ("gently", m.Intensity("gentle")),
        ("moderately", m.Intensity("moderate")),
        ("firmly", m.Intensity("firm")),
        ("to mild discomfort", m.Intensity("mild-discomfort")),
        ("to mild tension", m.Intensity("mild-tension")),
        ("at 30%", m.Intensity(None, 30, 30)),
        ("at 20-40%", m.Intensity(None, 20, 40)),
    ],
)
def test_intensity(written: str, intensity: m.Intensity) -> None:
    assert step(f"contract 6s {written}").intensity == intensity


def test_every_step_kind_parses_and_untimed_steps_have_no_amount() -> None:
    for kind in m.STEP_KINDS:
        parsed = step(f'{kind} "Do it"')
        assert (parsed.kind, parsed.amount, parsed.text) == (kind, None, "Do it")


@pytest.mark.parametrize(
    ("header", "count", "rest"),
    [
        ("repeat 3:", m.RepeatCount("times", 3, 3), None),
        ("repeat 3 times:", m.RepeatCount("times", 3, 3), None),
        ("repeat 3x", m.RepeatCount("times", 3, 3), None),
        ("repeat 2-4:", m.RepeatCount("times", 2, 4), None),
        ("repeat up to 3:", m.RepeatCount("up_to", 1, 3), None),
        ("repeat for 2-3m:", m.RepeatCount("for", duration=m.Amount(q(120, "s"), q(180, "s"))),
         None),
        ("repeat 3, rest 30s between:", m.RepeatCount("times", 3, 3),
         m.RestBetween(m.Amount(q(30, "s"), q(30, "s")))),
        ('repeat 3, rest 30s between "Breathe":', m.RepeatCount("times", 3, 3),
         m.RestBetween(m.Amount(q(30, "s"), q(30, "s")), "Breathe")),
    ],
)
def test_repeat_headers(header: str, count: m.RepeatCount, rest: m.RestBetween | None) -> None:
    parsed = only(f"  {header}\n    hold 10s\n")
    assert isinstance(parsed, m.Repeat)
    assert (parsed.count, parsed.rest) == (count, rest)
    assert parsed.body == (m.Step("hold", m.Amount(q(10, "s"), q(10, "s"))),)


def test_nested_repeats_and_standing_cues_in_a_block() -> None:
    parsed = only(
        "  repeat 2:\n"
        "    posture:\n"
        '      "Stay tall"\n'
        "    repeat 3:\n"
        "      inhale 4 counts\n"
        "      exhale 6 counts\n"
        "    rest 10s\n"
    )
    assert isinstance(parsed, m.Repeat)
    posture, inner, rest = parsed.body
    assert posture == m.Posture((m.Text("Stay tall"),))
    assert isinstance(inner, m.Repeat) and inner.count.high == 3
    assert [s.kind for s in m.walk_steps(parsed.body)] == ["inhale", "exhale", "rest"]
    assert isinstance(rest, m.Step)


@pytest.mark.parametrize(
    ("written", "sides"),
    [
        ("each", m.Sides("each", "left")),
        ("each, right first", m.Sides("each", "right")),
        ("alternating, left first", m.Sides("alternating", "left")),
        ("left only", m.Sides("one", "left")),
        ("right only", m.Sides("one", "right")),
        ("none", m.Sides("none")),
    ],
)
def test_sides(written: str, sides: m.Sides) -> None:
    assert routine(f"  sides: {written}\n").sides == sides


def test_no_sides_declared_means_none() -> None:
    assert routine('  hold 10s\n').sides == m.Sides("none")


@pytest.mark.parametrize(
    ("written", "limit"),
    [
        ("limit cycles 3", m.Limit("cycles", 3, "times")),
        ("limit contractions 6 per routine", m.Limit("contractions", 6, "times", "routine")),
        ("limit contraction 10s", m.Limit("contraction", 10, "s", "step")),
        ("limit hold 2m", m.Limit("hold", 120, "s", "step")),
        ("limit breath-hold 2 counts", m.Limit("breath-hold", 2, "count", "step")),
        ("limit effort 50%", m.Limit("effort", 50, "percent", "step")),
        ("limit total 20m", m.Limit("total", 1200, "s", "routine")),
        ("limit total 20m per side", m.Limit("total", 1200, "s", "side")),
        ("limit hold 1m per side", m.Limit("hold", 60, "s", "step")),
    ],
)
def test_limits(written: str, limit: m.Limit) -> None:
    assert only(f"  {written}\n") == limit


def test_settings() -> None:
    parsed = routine(
        "  id: calf-2\n"
        "  targets: calves (gastrocnemius, soleus), achilles tendon\n"
        "  equipment: wall, yoga block\n"
        "  position: standing\n"
        "  level: Beginner\n"
        '  partner: required "Your partner holds the heel"\n'
        "  frequency: 2-3 times a day\n"
        "  tempo: 1 count = 1s, 2 breaths = 9s\n"
        '  switch 5s "Change legs"\n'
        '  note "Warm up first"\n'
        '  video "https://example.org/calf.mp4"\n'
        '  variant harder "Bend the back knee"\n'
    )
    assert parsed.id == "calf-2"
    assert parsed.targets == (
        m.Target("calves", (m.Target("gastrocnemius"), m.Target("soleus"))),
        m.Target("achilles tendon"),
    )
    assert parsed.first(m.Equipment) == m.Equipment((m.Text("wall"), m.Text("yoga block")))
    assert parsed.first(m.Position) == m.Position("standing")
    assert parsed.first(m.Level) == m.Level("beginner")
    assert parsed.partner == m.Partner("required", "Your partner holds the heel")
    assert parsed.first(m.Frequency) == m.Frequency(2, 3, "day")
    assert parsed.tempo == m.Tempo((m.TempoRate("count", 1), m.TempoRate("breath", 4.5)))
    assert parsed.first(m.Switch) == m.Switch(m.Amount(q(5, "s"), q(5, "s")), "Change legs")
    assert [n.text for n in parsed.notes] == ["Warm up first"]
    assert parsed.first(m.Media) == m.Media("video", "https://example.org/calf.mp4")
    assert parsed.first(m.Variant) == m.Variant("harder", "Bend the back knee")


@pytest.mark.parametrize(
    ("written", "frequency"),
    [
        ("daily", m.Frequency(1, 1, "day")),
        ("weekly", m.Frequency(1, 1, "week")),
        ("3 times a week", m.Frequency(3, 3, "week")),
        ("2 x per day", m.Frequency(2, 2, "day")),
    ],
)
def test_frequency(written: str, frequency: m.Frequency) -> None:
    assert only(f"  frequency: {written}\n") == frequency


def test_equipment_none_is_empty() -> None:
    assert only("  equipment: none\n") == m.Equipment(())


def test_lists_safety_handler_and_group() -> None:
    parsed = routine(
        "  indications:\n"
        '    "Tight calves"\n'
        "  contraindications:\n"
        '    "Achilles injury"\n'
        '  on pain "Too far"\n'
        '    release "Ease off"\n'
        "    rest 30s\n"
        "  on cramp:\n"
        '    release "Stand up"\n'
        "  for pregnant clients:\n"
        "    limit breath-hold 2 counts\n"
        '    note "Keep breathing"\n'
    )
    assert [t.value for t in parsed.indications] == ["Tight calves"]
    assert [t.value for t in parsed.contraindications] == ["Achilles injury"]
    pain, cramp = parsed.handlers
    assert (pain.signal, pain.text, [s.kind for s in m.walk_steps(pain.body)]) == (
        "pain", "Too far", ["release", "rest"])
    assert (cramp.signal, cramp.text) == ("cramp", None)
    group = parsed.first(m.Group)
    assert group is not None and group.name == "pregnant clients"
    assert group.limits == (m.Limit("breath-hold", 2, "count", "step"),)
    assert group.notes == (m.Note("Keep breathing"),)


def test_text_escapes() -> None:
    assert step(r'hold "Say \"ouch\" \\ stop"').text == 'Say "ouch" \\ stop'
    assert step(r'hold "a \n stays"').text == r"a \n stays"


def test_spans_point_at_the_statement_not_past_it() -> None:
    parsed = parse('routine "T"\n  hold 30s gently "Lean"  # a comment\n')
    assert parsed.routine is not None
    [item] = parsed.routine.items
    assert isinstance(item, m.Step)
    assert item.span == m.Span(2, 3, 2, 25)
    assert item.amount is not None and item.amount.span == m.Span(2, 8, 2, 11)
    assert item.intensity is not None and item.intensity.span == m.Span(2, 12, 2, 18)
    assert parsed.routine.span == m.Span(1, 1, 2, 25)


def test_equality_ignores_positions() -> None:
    a = parse('routine "T"\n  hold 30s\n').routine
    b = parse('\n\nroutine   "T"\n\n      hold   30 seconds\n').routine
    assert a == b


def test_comments_are_collected_with_their_positions() -> None:
    parsed = parse(
        "# before\n"
        'routine "T"  # title\n'
        "  # inside\n"
        "  hold 30s  # end of line\n"
        "# at the end"
    )
    assert [(c.line, c.column, c.text, c.own_line) for c in parsed.comments] == [
        (1, 1, "# before", True),
        (2, 14, "# title", False),
        (3, 3, "# inside", True),
        (4, 13, "# end of line", False),
        (5, 1, "# at the end", True),
    ]


def test_parse_result_is_ok_only_without_errors() -> None:
    assert parse('routine "T"\n  hold 30s\n').ok
    bad = parse('routine "T"\n  hold 30\n')
    assert isinstance(bad, ParsedFile) and not bad.ok and bad.routine is None


def test_keywords_end_at_a_word_boundary() -> None:
    # `at` once lexed as the `a` of `3 times a day` after a counted amount.
    assert step("contract 5 counts at 30%").intensity == m.Intensity(None, 30, 30)
    assert step("relax 2 breaths at 10%").intensity == m.Intensity(None, 10, 10)
    [problem] = parse('routine "T"\n  holding 30s\n').diagnostics
    assert (problem.code, problem.message) == ("P103", "unknown statement `holding`")


def test_a_comment_on_a_last_line_without_a_line_break() -> None:
    parsed = parse('routine "T"\n  hold 30s  # the end')
    assert parsed.diagnostics == ()
    assert parsed.comments[-1].text == "# the end"
