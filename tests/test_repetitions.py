"""Repetitions (`move 10 reps`), time per rep (`, 3s each`, `tempo: 1 rep = 3s`), pace words
(`slowly`) and vague amounts (`briefly`): reading, writing back, timing, counting, the
document, the checker, the editor and the player. Every run of generated routines with
repetitions is checked against the reference in tests/test_exact_figures.py."""

from __future__ import annotations

import pytest

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.lsp.hover import TempoInForce, describe_amount
from dsl.lsp.words import keyword_doc
from dsl.player.engine import Engine
from dsl.player.live import screen
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.document import Document
from dsl.timeline.expand import DEFAULT_SECONDS

CALF = '''routine "Calf and foot"
  move 10 reps "Ankle circles"
  repeat 3, rest 30s between:
    move 15 reps slowly "Heel drops"
  move 8-12 reps, 3s each "Toe curls"
  hold briefly "Stand still"
'''


def lint(text: str) -> list[Diagnostic]:
    return check(parse(text, "r.stretch"))


def compiled(text: str) -> Document:
    parsed = parse(text, "r.stretch")
    assert parsed.routine is not None and parsed.ok, parsed.diagnostics
    return compile_routine(parsed.routine)


def steps(text: str) -> list[m.Step]:
    parsed = parse(text)
    assert parsed.ok and parsed.routine is not None, parsed.diagnostics
    return m.walk_steps(parsed.routine.body)


def test_the_forms_read_into_the_model() -> None:
    ankles, drops, toes, still = steps(CALF)
    assert (ankles.kind, ankles.amount) == ("move", m.Amount(m.Quantity(10, "rep"),
                                                             m.Quantity(10, "rep")))
    assert ankles.rep_time is None and ankles.pace is None
    assert drops.pace == m.Word("slowly")
    assert toes.rep_time == m.Amount(m.Quantity(3, "s"), m.Quantity(3, "s"))
    assert (still.amount, still.vague) == (None, m.Word("briefly"))


@pytest.mark.parametrize("line", [
    'move 1 rep "Roll down"',
    'move 8-12 reps, 2 counts each gently smoothly "Toe curls"',
    'exhale 6s smoothly "Breathe out"',
    'hold briefly to mild tension "Pause"',
    'move 10 reps quickly',
])
def test_fmt_writes_every_word_back(line: str) -> None:
    text = f'routine "R"\n  {line}  # kept\n'
    assert format_text(text, "r.stretch").formatted == text


def test_fmt_writes_the_canonical_spelling() -> None:
    text = 'routine "R"\n  move 10 rep,3 sec each   slowly\n'
    assert format_text(text, "r.stretch").formatted == (
        'routine "R"\n  move 10 reps, 3s each slowly\n')


def test_self_paced_repetitions_are_untimed_and_counted() -> None:
    document = compiled(CALF)
    first = document["timeline"][0]
    assert (first["duration"], first["waitForUser"]) == (None, True)
    assert (first["reps"], first["secondsPerRep"]) == ({"min": 10, "max": 10}, None)
    assert "pace" not in first and "vague" not in first
    drop = document["timeline"][1]
    assert drop["pace"] == "slowly"
    toes = document["timeline"][-2]
    assert toes["duration"] == {"min": 24, "max": 36,
                                "original": {"min": 8, "max": 12, "unit": "rep"}}
    assert toes["secondsPerRep"] == 3
    still = document["timeline"][-1]
    assert (still["vague"], still["waitForUser"], "reps" in still) == ("briefly", True, False)
    # 10 + 3 x 15 + 8..12
    assert document["summary"]["reps"] == {"min": 63, "max": 67}
    assert document["body"][0]["type"] == "step"
    assert document["body"][0]["reps"] == {"min": 10, "max": 10}


def test_the_tempo_times_every_rep_without_its_own_time() -> None:
    document = compiled(CALF.replace('routine "Calf and foot"\n',
                                     'routine "Calf and foot"\n  tempo: 2 reps = 5s\n'))
    ankles, *_ = document["timeline"]
    assert (ankles["duration"], ankles["secondsPerRep"]) == (
        {"min": 25, "max": 25, "original": {"min": 10, "max": 10, "unit": "rep"}}, 2.5)
    assert document["timeline"][-2]["secondsPerRep"] == 3  # its own `, 3s each` wins


def test_a_routine_without_repetitions_has_no_new_fields() -> None:
    document = compiled('routine "R"\n  hold 30s "Lean"\n')
    assert "reps" not in document["summary"]
    assert set(document["timeline"][0]) == {
        "index", "kind", "origin", "stepId", "side", "text", "duration", "waitForUser",
        "intensity", "cues", "media", "variants", "start", "passes", "optional",
        "standingCues", "span",
        # contract 2.2.0, on every entry:
        "key", "speech", "sideLabel", "passStart", "passEnd", "sounds", "progress"}


def test_a_part_of_a_repetition_is_p207() -> None:
    (found,) = parse('routine "R"\n  move 10.5 reps\n', "r.stretch").diagnostics
    assert (found.code, found.span.line, found.span.column) == ("P207", 2, 8)
    assert found.message == "repetitions are a whole number"
    assert found.hint == "count whole repetitions: `10 reps`, not `10.5 reps`"


def test_self_paced_repetitions_in_a_time_box_are_v107_with_the_rep_hint() -> None:
    found = [d for d in lint('routine "R"\n  repeat for 1m:\n    move 10 reps\n')
             if d.code == "V107"]
    assert len(found) == 1
    assert (found[0].span.line, found[0].span.column) == (3, 5)
    assert found[0].hint == ("give each repetition a time (`, 3s each`, or `tempo: 1 rep = "
                             "3s`), or repeat a number of times instead (`repeat 3:`)")
    assert not [d for d in lint('routine "R"\n  repeat for 1m:\n    move 10 reps, 2s each\n')
                if d.code == "V107"]


def test_a_total_limit_cannot_check_self_paced_repetitions() -> None:
    found = [d for d in lint('routine "R"\n  limit total 5m\n  move 10 reps "Circles"\n')
             if d.code == "L104"]
    assert len(found) == 1


def test_briefly_is_no_untimed_hold_note() -> None:
    assert not [d for d in lint('routine "R"\n  hold briefly "Pause"\n') if d.code == "S106"]


def test_the_editor_explains_the_words() -> None:
    rates = dict(DEFAULT_SECONDS)
    assert describe_amount("10 reps", TempoInForce(rates, frozenset())) == (
        "`10 reps`: 10 repetitions, self-paced: the player shows the count and waits "
        "(`, 3s each` or `tempo: 1 rep = 3s` times them)")
    assert describe_amount("10 reps", TempoInForce({**rates, "rep": 3.0}, frozenset({"rep"}))) == (
        "`10 reps`: 10 reps = 30 s at 1 rep = 3s (the routine's tempo)")
    move = keyword_doc("move", None, True, "10")
    assert move is not None and move.startswith("**move** (step): a counted movement")
    assert keyword_doc("slowly", "reps", False, None) == (
        "**slowly**: how the movement is done: kept and shown like an intensity, never timed")
    assert keyword_doc("each", "3s", False, None) == (
        "**each**: `, 3s each`: how long one repetition takes")


def test_the_player_shows_the_count_or_counts_down() -> None:
    engine = Engine(compiled(CALF))
    engine.start()
    text = "\n".join(screen(engine, 100))
    assert "  10 reps at your own pace (0:00) - press enter when done" in text
    assert "Next: move 15 reps Heel drops" in text
    engine.press("ready")
    assert "MOVE  (slowly)" in "\n".join(screen(engine, 100))
    timed = Engine(compiled('routine "R"\n  move 10 reps, 3s each "Circles"\n'))
    timed.start()
    timed.advance(7)
    assert "left  rep 3 of 10" in "\n".join(screen(timed, 100))
