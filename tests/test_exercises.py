"""Several exercises in one routine: `exercise "Title":` blocks, end to end.

The model (what an exercise takes from its routine), the parser's diagnostics (P135-P137),
the formatter, the expansion, the checker (each exercise checked as a routine of its own,
limits counted per routine over the whole), the compiled sections and the player. The
figures themselves are checked against the exhaustive reference in
tests/test_exact_figures.py (generated routines of two exercises) and the rule fixtures
under tests/fixtures/lint/rules/.
"""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.player.engine import Engine
from dsl.player.live import screen
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.contract import validation_errors
from dsl.timeline.document import Document
from dsl.timeline.expand import expand

PROGRAMME = EXAMPLES / "daily-leg-programme.stretch"

TWO = '''routine "Daily legs"
  sides: each
  switch 5s "Change legs"
  tempo: 1 count = 2s
  position: standing
  limit hold 60s
  limit total 3m
  on pain "Too far"
    release 5s "Ease off"
  posture:
    "Breathe slowly"
  exercise "Calf":
    id: calf
    hold 30s "Lean into the wall"
  exercise "Hip flexor":
    sides: none
    position: kneeling lunge
    limit hold 20 counts
    on pain "Pinching in the hip"
      release 4s "Ease the hips back"
    posture:
      "Tuck the pelvis"
    hold 10 counts "Shift the hips forward"
'''


def routine_of(text: str) -> m.Routine:
    parsed = parse(text)
    assert parsed.ok and parsed.routine is not None, parsed.diagnostics
    return parsed.routine


def compiled(text: str) -> Document:
    document = compile_routine(routine_of(text))
    assert validation_errors(document) == []
    return document


def one(text: str) -> Diagnostic:
    found = parse(text).diagnostics
    assert len(found) == 1, found
    return found[0]


# --- the model --------------------------------------------------------------------------------


def test_an_exercise_takes_the_routines_settings_it_does_not_set() -> None:
    routine = routine_of(TWO)
    calf, hip = routine.exercises
    seen = m.as_routine(routine, calf)
    assert seen.title == "Calf" and seen.id == "calf"
    assert seen.sides.mode == "each" and seen.first(m.Position) == m.Position("standing")
    assert seen.tempo is not None and seen.first(m.Switch) is not None
    # Limits counted per routine bound the whole routine, not each exercise.
    assert [(lim.subject, lim.value) for lim in seen.limits] == [("hold", 60)]
    assert [h.text for h in seen.handlers] == ["Too far"]
    assert [p.cues[0].value for p in seen.items if isinstance(p, m.Posture)] == [
        "Breathe slowly"]
    seen = m.as_routine(routine, hip)
    assert seen.sides.mode == "none" and seen.first(m.Position) == m.Position("kneeling lunge")
    # 20 counts at 2s a count is 40s: stricter than the routine's 60s, which gives way.
    assert [(lim.subject, lim.value, lim.unit) for lim in seen.limits] == [
        ("hold", 20, "count")]
    assert [h.text for h in seen.handlers] == ["Pinching in the hip"]
    # Every node keeps its span: findings point at the line written.
    assert seen.first(m.Switch) is routine.first(m.Switch)


def test_the_stricter_of_two_limits_on_the_same_thing_is_kept() -> None:
    routine = routine_of('routine "r"\n  limit hold 30s\n  exercise "A":\n'
                         '    limit hold 45s\n    hold 20s\n')
    seen = m.as_routine(routine, routine.exercises[0])
    assert [(lim.value, lim.span.line) for lim in seen.limits] == [(30, 2)]


def test_a_routine_without_exercises_has_none() -> None:
    assert routine_of('routine "r"\n  hold 30s\n').exercises == ()


# --- the parser's diagnostics -----------------------------------------------------------------


def test_a_step_beside_the_exercises_is_p135() -> None:
    found = one('routine "r"\n  breathe 30s "Settle"\n  exercise "A":\n    hold 30s\n')
    assert (found.code, found.span) == ("P135", m.Span(2, 3, 2, 23))
    assert found.message == "a step outside the exercises of a routine that has exercises"
    assert found.hint == ('indent it under an `exercise "...":` (a warm-up can be an '
                          'exercise of its own: `exercise "Warm-up":`)')
    found = one('routine "r"\n  exercise "A":\n    hold 30s\n  repeat 2:\n    hold 5s\n')
    assert (found.code, found.span) == ("P135", m.Span(4, 3, 4, 9))
    assert found.message == "a repeat outside the exercises of a routine that has exercises"


def test_standing_cues_may_stay_beside_the_exercises() -> None:
    assert parse('routine "r"\n  posture:\n    "Breathe"\n  exercise "A":\n    hold 3s\n'
                 ).diagnostics == ()


def test_an_exercise_inside_another_block_is_p136() -> None:
    found = one('routine "r"\n  exercise "A":\n    hold 3s\n    exercise "B":\n'
                '      hold 3s\n')
    assert (found.code, found.span) == ("P136", m.Span(4, 5, 4, 13))
    assert found.message == "an exercise inside another block"
    assert found.hint == ("exercises stand at the routine's level, one after the other: "
                          'indent `exercise "B":` as much as the routine\'s settings')


def test_partner_and_frequency_in_an_exercise_are_p137() -> None:
    found = one('routine "r"\n  exercise "A":\n    frequency: daily\n    hold 3s\n')
    assert (found.code, found.span) == ("P137", m.Span(3, 5, 3, 14))
    assert found.message == "`frequency:` is set for the whole routine"
    assert found.hint == ("move `frequency: daily` to the routine's settings: it says how "
                          "the whole routine is done, not one exercise or block")
    found = one('routine "r"\n  exercise "A":\n    partner: required\n    hold 3s\n')
    assert (found.code, found.message) == ("P137", "`partner:` is set for the whole routine")


def test_every_mistake_in_a_programme_is_reported_at_once() -> None:
    text = ('routine "r"\n  hold 3s\n  exercise "A":\n    partner: none\n    hold 3s\n'
            '    exercise "B":\n      hold 3s\n')
    assert [(d.code, d.span.line) for d in parse(text).diagnostics] == [
        ("P135", 2), ("P137", 4), ("P136", 6)]


def test_a_broken_line_beside_the_exercises_is_one_diagnostic() -> None:
    # The line is mended into a step to read on; that step is no P135 of its own.
    text = 'routine "r"\n  hodl 30s\n  exercise "A":\n    hold 3s\n'
    assert [(d.code, d.span.line) for d in parse(text).diagnostics] == [("P103", 2)]


# --- fmt ----------------------------------------------------------------------------------------


def test_fmt_lays_out_exercises_and_keeps_their_comments() -> None:
    text = ('routine   "r"\n  sides: each  # both legs\n  exercise   "A"\n'
            '    # the calf\n    hold 30s\n\n  exercise "B":\n    hold 20s  # gently\n')
    result = format_text(text)
    assert result.formatted == (
        'routine "r"\n  sides: each, left first  # both legs\n  exercise "A":\n'
        '    # the calf\n    hold 30s\n\n  exercise "B":\n    hold 20s  # gently\n')
    assert format_text(result.formatted).formatted == result.formatted
    assert routine_of(result.formatted) == routine_of(text)


def test_the_example_is_in_the_canonical_layout() -> None:
    text = PROGRAMME.read_text(encoding="utf-8")
    assert format_text(text).formatted == text


# --- the expansion and the checker --------------------------------------------------------------


def test_exercises_run_in_order_each_on_its_own_sides() -> None:
    expansion = expand(routine_of(TWO))
    assert [(p.kind, p.side, p.seconds, p.section) for p in expansion.performed] == [
        ("hold", "left", (30.0, 30.0), 0), ("switch", "right", (5.0, 5.0), 0),
        ("hold", "right", (30.0, 30.0), 0), ("hold", None, (20.0, 20.0), 1)]
    assert [(s.exercise.title, s.start, s.stop) for s in expansion.sections] == [
        ("Calf", 0, 3), ("Hip flexor", 3, 4)]


def test_a_cycle_ends_with_its_exercise() -> None:
    text = ('routine "r"\n  limit cycles 1 per routine\n  on pain "x"\n    release 2s\n'
            '  exercise "A":\n    contract 5s\n  exercise "B":\n    contract 5s\n'
            '    relax 5s\n')
    assert compiled(text)["summary"]["cycles"] == {"min": 2, "max": 2}
    [found] = [d for d in check(parse(text)) if d.code == "L101"]
    assert found.span.line == 8
    assert found.message == "contract-relax cycle 2 breaks `limit cycles 1 per routine`"


def test_an_inherited_setting_is_reported_once_at_its_line() -> None:
    text = ('routine "r"\n  sides: each\n  sides: none\n  exercise "A":\n    hold 3s\n'
            '  exercise "B":\n    hold 3s\n')
    found = [(d.code, d.span.line) for d in check(parse(text))]
    assert found.count(("R104", 3)) == 1


def test_routine_too_long_counts_every_exercise() -> None:
    # 6,400 steps each: neither exercise is too long, the two together are.
    text = ('routine "r"\n  exercise "A":\n    repeat 80:\n      repeat 80:\n        hold 1s\n'
            '  exercise "B":\n    repeat 80:\n      repeat 80:\n        hold 1s\n')
    assert [(d.code, d.span.line) for d in check(parse(text)) if d.code == "L103"] == [
        ("L103", 1)]


# --- the compiled document --------------------------------------------------------------------


def test_the_document_keeps_the_sections() -> None:
    document = compiled(TWO)
    calf, hip = document["sections"]
    assert (calf["id"], calf["index"], calf["title"], calf["exerciseId"],
            calf["libraryId"]) == ("e1", 0, "Calf", "calf", None)
    assert calf["metadata"]["sides"] == {"mode": "each", "first": "left"}
    assert calf["metadata"]["position"] == "standing"
    assert hip["metadata"]["position"] == "kneeling lunge"
    assert hip["metadata"]["tempo"]["secondsPerCount"] == 2
    assert calf["timeline"] == {"first": 0, "count": 3}
    assert hip["timeline"] == {"first": 3, "count": 1}
    assert (calf["start"], hip["start"]) == ({"min": 0, "max": 0}, {"min": 65, "max": 65})
    assert calf["summary"]["duration"] == {"min": 65, "max": 65}
    assert hip["summary"]["duration"] == {"min": 20, "max": 20}
    assert document["summary"]["duration"] == {"min": 85, "max": 85}
    assert [e["section"] for e in document["timeline"]] == ["e1", "e1", "e1", "e2"]
    assert [h["text"] for h in hip["safetyHandlers"]] == ["Pinching in the hip"]
    assert [h["text"] for h in document["safetyHandlers"]] == ["Too far"]
    assert [(lim["subject"], lim["per"]) for lim in calf["limits"]] == [("hold", "step")]
    assert [n["type"] for n in document["body"]] == ["posture", "section", "section"]
    # The hip flexor's standing cue holds in it alone, beside the routine's.
    scopes = {c["id"]: (c["scope"], c["within"]) for c in document["standingCues"]}
    assert scopes == {"p1": ("routine", None), "p2": ("exercise", "e2")}
    assert document["timeline"][3]["standingCues"] == ["p1", "p2"]


def test_a_routine_without_exercises_has_no_section_fields() -> None:
    document = compiled('routine "r"\n  hold 30s\n')
    assert "sections" not in document
    assert "section" not in document["timeline"][0]


def test_a_switch_takes_its_time_at_its_exercises_tempo() -> None:
    document = compiled('routine "r"\n  sides: each\n  switch 2 counts\n  exercise "A":\n'
                        '    hold 3s\n  exercise "B":\n    tempo: 1 count = 3s\n    hold 3s\n')
    switches = [(e["section"], e["duration"]) for e in document["timeline"]
                if e["kind"] == "switch"]
    assert [(section, duration and duration["max"]) for section, duration in switches] == [
        ("e1", 2), ("e2", 6)]


def test_the_library_id_joins_the_routines_and_the_exercises() -> None:
    document = compiled(PROGRAMME.read_text(encoding="utf-8"))
    assert [s["libraryId"] for s in document["sections"]] == [
        "daily-leg-programme/calf", "daily-leg-programme/hamstring",
        "daily-leg-programme/hip-flexor"]


# --- the player ---------------------------------------------------------------------------------


def test_the_player_announces_each_exercise_and_runs_its_own_handler() -> None:
    engine = Engine(compiled(TWO))
    events = engine.start()
    assert [e.line() for e in events][:2] == [
        't=0.0 start title="Daily legs" schema=2.2.0 steps=4',
        't=0.0 exercise id=e1 index=0 title="Calf"']
    text = "\n".join(screen(engine, 100))
    assert "Calf (1 of 2)  ·  LEFT side" in text
    events = engine.advance(65)
    assert 'exercise id=e2 index=1 title="Hip flexor"' in [e.line()[7:] for e in events]
    text = "\n".join(screen(engine, 100))
    assert "Hip flexor (2 of 2)" in text
    events = engine.press("pain")
    assert [e.line() for e in events][1] == (
        't=65.0 handler id=h2 signal=pain text="Pinching in the hip"')


def test_the_screen_names_the_next_exercise() -> None:
    engine = Engine(compiled(TWO))
    engine.start()
    engine.advance(40)  # the calf stretch's last step: the hip flexor stretch is next
    assert 'Next: Hip flexor: hold 20s Shift the hips forward' in "\n".join(
        screen(engine, 100))


def test_the_programme_example_plays_to_the_end() -> None:
    from dsl.player.scripted import run

    document = compile_routine(routine_of(Path(PROGRAMME).read_text(encoding="utf-8")))
    events = list(run(document, []))
    assert [e.fields[2][1] for e in events if e.name == "exercise"] == [
        "Calf stretch at the wall", "Seated hamstring stretch", "Kneeling hip flexor stretch"]
    assert events[-1].line() == "t=505.0 end reason=done"
