"""The founding routine says everything the coach's handout says.

Walks through the instructions of the hip and hamstring handout in order and asserts
that each has its place in examples/hip-and-hamstring.stretch.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from dsl import model as m
from dsl.syntax.parser import parse_file


@pytest.fixture(scope="module")
def routine() -> m.Routine:
    parsed = parse_file(EXAMPLES / "hip-and-hamstring.stretch")
    assert parsed.diagnostics == ()
    assert parsed.routine is not None
    return parsed.routine


def steps(items: tuple[m.BlockItem, ...]) -> list[m.Step]:
    return m.walk_steps(items)


def test_title_and_targets_with_anatomical_detail(routine: m.Routine) -> None:
    assert routine.title == "Hip and Hamstring Stretch"
    hamstrings, hips = routine.targets
    assert hamstrings.name == "hamstrings"
    assert [d.name for d in hamstrings.details] == [
        "semitendinosus", "semimembranosus", "biceps femoris"]
    assert hips.name == "hip extensors"


def test_contraction_on_the_front_leg_runs_once_per_side(routine: m.Routine) -> None:
    assert routine.sides == m.Sides("each", "left")
    switch = routine.first(m.Switch)
    assert switch is not None and switch.text is not None and "other leg" in switch.text
    setup = steps(routine.body)[0]
    assert setup.kind == "setup" and setup.text is not None and "front leg" in setup.text


def test_every_posture_reminder_is_a_standing_cue(routine: m.Routine) -> None:
    posture = routine.first(m.Posture)
    assert posture is not None
    cues = " | ".join(c.value for c in posture.cues)
    for reminder in ("spine straight", "chest forward onto your thigh", "tummy",
                     "Lock your arms below the knee", "head toward the wall"):
        assert reminder in cues


def test_the_picture_is_media(routine: m.Routine) -> None:
    media = routine.first(m.Media)
    assert media is not None and media.kind == "image"


def test_both_contractions_with_counts_tempo_and_intensity(routine: m.Routine) -> None:
    assert routine.tempo == m.Tempo((m.TempoRate("count", 1),))
    press, drag = [s for s in steps(routine.body) if s.kind == "contract"]
    count: m.Unit = "count"
    assert press.amount == m.Amount(m.Quantity(5, count), m.Quantity(5, count))
    assert drag.amount == m.Amount(m.Quantity(5, count), m.Quantity(15, count))
    assert press.intensity == drag.intensity == m.Intensity("gentle")  # "gingerly"
    assert press.text is not None and "heel straight down" in press.text
    assert drag.text is not None and "drag your heel back" in drag.text


def test_relax_and_breathing_with_a_cue_inside_the_step(routine: m.Routine) -> None:
    repeat = routine.first(m.Repeat)
    assert repeat is not None
    kinds = [s.kind for s in steps(repeat.body)]
    assert kinds == ["rest", "contract", "contract", "relax", "inhale", "exhale", "deepen"]
    inhale, exhale, deepen = steps(repeat.body)[4:]
    assert inhale.text == "Take a deep breath in"
    assert exhale.text is not None and "draw your chest" in exhale.text
    assert deepen.text is not None and "Creep your toes" in deepen.text
    press = steps(repeat.body)[1]
    assert press.cues and "prepares the hamstrings" in press.cues[0].text


def test_rest_30s_before_each_contraction_and_at_most_3_cycles(routine: m.Routine) -> None:
    repeat = routine.first(m.Repeat)
    assert repeat is not None
    assert repeat.count == m.RepeatCount("up_to", 1, 3)
    rest = steps(repeat.body)[0]
    assert rest.kind == "rest" and rest.amount is not None and rest.amount.high.value == 30
    assert rest.text is not None and "breathing slowly" in rest.text
    assert m.Limit("cycles", 3, "times", "side") in routine.limits


def test_the_final_hold_is_untimed(routine: m.Routine) -> None:
    hold = [s for s in steps(routine.body) if s.kind == "hold"][-1]
    assert hold.amount is None
    assert hold.text is not None and "calm" in hold.text and "deep" in hold.text


def test_ouch_has_a_pain_handler(routine: m.Routine) -> None:
    [handler] = routine.handlers
    assert handler.signal == "pain" and handler.text is not None and "Ouch" in handler.text
    release, relax = steps(handler.body)
    assert release.kind == "release" and release.text is not None and "back out" in release.text
    assert relax.kind == "relax" and relax.amount is not None and relax.amount.high.value == 30


def test_exit_by_walking_the_hands_back(routine: m.Routine) -> None:
    last = steps(routine.body)[-1]
    assert last.kind == "release" and last.text is not None and "walk them back" in last.text


def test_partner_and_notes(routine: m.Routine) -> None:
    assert routine.partner is not None and routine.partner.mode == "optional"
    notes = " ".join(n.text for n in routine.notes)
    assert "assisted session" in notes
    assert "semitendinosus" in notes  # "review the anatomy"
    assert "behind the knee" in notes


def test_indications(routine: m.Routine) -> None:
    indications = [t.value for t in routine.indications]
    assert len(indications) == 7
    for phrase in ("reach your toes", "Lower back pain", "ligament sprain", "calf strain",
                   "Inflexible hip", "sciatica", "spasm"):
        assert any(phrase in i for i in indications), phrase
