"""``dsl.model.variants`` on the cases a generator meets seldom: changes nested in the steps
a change puts in place, blocks a variant empties, an exercise's choice beside the
routine's, and the choices the checks run on (``alternatives``, ``combinations``).

The figures of every variant are proved against the reference in
tests/test_exact_figures.py; these pin down the model each choice gives.
"""

from __future__ import annotations

from dsl import model as m
from dsl.format.formatter import format_routine
from dsl.lsp.symbols import outline
from dsl.model.variants import (
    BASE,
    MAX_COMBINATIONS,
    Choice,
    alternatives,
    changed_by,
    combinations,
    has_changes,
    with_variant,
)
from dsl.syntax.parser import parse


def routine_of(text: str) -> m.Routine:
    parsed = parse(text)
    assert parsed.ok and parsed.routine is not None, parsed.diagnostics
    return parsed.routine


def steps_of(items: tuple[m.BlockItem, ...]) -> list[str]:
    """The steps of a block as ``kind amount`` (repeats and side blocks entered), to compare
    what a variant runs at a glance."""
    found: list[str] = []
    for step in m.walk_steps(items):
        amount = "" if step.amount is None else f" {step.amount.high.value:g}"
        found.append(step.kind + amount)
    return found


def written(routine: m.Routine) -> str:
    """The routine as the printer writes it (every change gone once a variant is made)."""
    return format_routine(routine)


NESTED = '''routine "Nested"
  hold 30s
    variant harder:
      hold 40s
        variant harder: 50s
        variant easier: leave out
      repeat 2:
        contract 5s
          variant harder: 6s
        relax 5s
          variant harder: leave out
      variant harder only:
        deepen 10s
  rest 10s
'''


def test_changes_in_the_steps_a_change_puts_in_place_are_made_for_the_same_variant() -> None:
    harder = with_variant(routine_of(NESTED), Choice("harder"))
    assert steps_of(harder.body) == ["hold 50", "contract 6", "deepen 10", "rest 10"]
    assert not has_changes(harder)
    (hold, repeat, deepen, _rest) = harder.body
    assert isinstance(hold, m.Step) and hold.changes == () and hold.details == ()
    assert isinstance(repeat, m.Repeat) and len(repeat.body) == 1  # the relax is left out
    assert isinstance(deepen, m.Step) and deepen.kind == "deepen"  # the only block, in place


def test_a_change_for_another_variant_inside_a_change_never_runs() -> None:
    # `variant easier: leave out` stands in harder's steps: with easier chosen, the outer
    # step has no change for it and runs as written; the steps under harder never run.
    routine = routine_of(NESTED)
    easier = with_variant(routine, Choice("easier"))
    assert steps_of(easier.body) == ["hold 30", "rest 10"]
    assert with_variant(routine, BASE) == easier
    assert written(easier) == 'routine "Nested"\n  hold 30s\n  rest 10s\n'


EMPTIED = '''routine "Emptied"
  sides: each
  on pain:
    release 5s
      variant easier: leave out
  repeat 3:
    posture:
      "Tall spine"
    contract 5s
      variant easier: leave out
    repeat 2:
      relax 5s
        variant easier: leave out
  left only:
    hold 10s
      variant easier: leave out
  hold 30s
'''


def test_a_repeat_a_side_block_and_a_handler_whose_steps_are_all_left_out_are_left_out(
        ) -> None:
    routine = routine_of(EMPTIED)
    easier = with_variant(routine, Choice("easier"))
    assert easier.handlers == ()
    # The outer repeat goes too, its standing cues with it: they stood for steps that no
    # longer run.
    assert [type(item) for item in easier.body] == [m.Step]
    (hold,) = easier.body
    assert isinstance(hold, m.Step) and steps_of((hold,)) == ["hold 30"]
    # As written, everything is there, each change gone.
    base = with_variant(routine, BASE)
    assert steps_of(base.body) == ["contract 5", "relax 5", "hold 10", "hold 30"]
    assert len(base.handlers) == 1


PROGRAMME = '''routine "Two exercises"
  variant chair "On a chair"
  on pain:
    release 5s
      variant harder: 10s
  exercise "Calf":
    id: calf
    hold 30s
      variant harder: 60s
      variant easier: 20s
  exercise "Hip":
    hold 40s
      variant harder: 80s
      variant chair: leave out
    variant easier only:
      rest 5s
'''


def test_an_exercise_choice_replaces_the_routine_choice_in_that_exercise_only() -> None:
    routine = routine_of(PROGRAMME)
    calf, hip = routine.exercises
    both = with_variant(routine, Choice("harder", ((0, "easier"),)))
    new_calf, new_hip = both.exercises
    assert steps_of(new_calf.body) == ["hold 20"]  # easier, chosen for the calf
    assert steps_of(new_hip.body) == ["hold 80"]  # harder, the routine's choice
    assert steps_of(both.handlers[0].body) == ["release 10"]  # the routine's own: harder
    # The exercise's choice does not reach another exercise nor the routine's handlers.
    hip_only = with_variant(routine, Choice(exercises=((1, "easier"),)))
    assert steps_of(hip_only.exercises[0].body) == ["hold 30"]
    assert steps_of(hip_only.exercises[1].body) == ["hold 40", "rest 5"]
    assert steps_of(hip_only.handlers[0].body) == ["release 5"]
    # An exercise's choice of a variant it does not use runs it as written.
    chair = with_variant(routine, Choice(exercises=((0, "chair"),)))
    assert steps_of(chair.exercises[0].body) == ["hold 30"]
    assert Choice("harder", ((0, "easier"),)).for_exercise(0) == "easier"
    assert Choice("harder", ((0, "easier"),)).for_exercise(1) == "harder"
    assert (calf.title, hip.title) == ("Calf", "Hip")


def test_alternatives_are_the_routine_wide_variants_then_each_exercise_own() -> None:
    # First-use order over the whole routine (its handlers and exercises entered), then
    # exercise by exercise, each in the order its own changes are written.
    assert alternatives(routine_of(PROGRAMME)) == [
        Choice("harder"), Choice("easier"), Choice("chair"),
        Choice(exercises=((0, "harder"),)), Choice(exercises=((0, "easier"),)),
        Choice(exercises=((1, "harder"),)), Choice(exercises=((1, "chair"),)),
        Choice(exercises=((1, "easier"),)),
    ]
    assert changed_by(routine_of(PROGRAMME).items) == ["harder", "easier", "chair"]
    plain = routine_of('routine "R"\n  hold 30s\n    variant easier "Less far"\n')
    assert not has_changes(plain) and alternatives(plain) == [] and combinations(plain) == []
    assert with_variant(plain, Choice("easier")) is plain


def test_combinations_add_each_way_of_choosing_per_exercise_once() -> None:
    routine = routine_of(PROGRAMME)
    found = combinations(routine)
    assert found[:8] == alternatives(routine)
    extra = found[8:]
    # 3 choices for the calf (none, harder, easier) x 4 for the hip = 12 ways; the base
    # (none, none), the 5 an alternative already runs (one exercise changed alone), and
    # (harder, harder) and (easier, easier), what `Choice("harder")` and `Choice("easier")`
    # run, are not repeated: 4 are left.
    assert len(found) == len(set(found))
    effects = [tuple(c.for_exercise(i) for i in range(2)) for c in extra]
    assert len(effects) == len(set(effects))
    assert (None, None) not in effects and ("harder", "harder") not in effects
    assert sorted(effects) == [("easier", "chair"), ("easier", "harder"),
                               ("harder", "chair"), ("harder", "easier")]
    assert all(len(c.exercises) == 2 and c.routine is None for c in extra)


def _many(names: tuple[int, ...]) -> m.Routine:
    """A routine of exercises, each with changes for its own count of variants."""
    lines = ['routine "Many"']
    for number, count in enumerate(names):
        lines += [f'  exercise "E{number}":', "    hold 30s"]
        lines += [f"      variant {'pq'[number]}{'abcdefghi'[k]}: {k + 1}s"
                  for k in range(count)]
    return routine_of("\n".join(lines) + "\n")


def test_combinations_stop_at_the_cap_and_keep_the_alternatives() -> None:
    # Each exercise offers none or one of its variants: 8 x 8 = 64 ways, at the cap.
    at_cap = _many((7, 7))
    assert MAX_COMBINATIONS == 64
    found = combinations(at_cap)
    first = alternatives(at_cap)
    assert len(first) == 14 + 14  # each name for the whole routine, then per exercise
    assert found[:len(first)] == first
    # Then every other way: 64, but the base and the 14 with one exercise changed alone.
    assert len(found) == len(first) + 64 - 1 - 14
    # 8 x 9 = 72 ways: past the cap, the checks run on the alternatives alone.
    past = _many((7, 8))
    assert combinations(past) == alternatives(past)
    assert len(alternatives(past)) == 15 + 15
    # One exercise: its alternatives are every choice.
    one = _many((3,))
    assert combinations(one) == alternatives(one)
    assert len(one.exercises) == 1 and len(combinations(one)) == 3 + 3


def test_the_outline_shows_changes_and_only_blocks() -> None:
    # Found by the fuzzing of generated routines: the editor's outline raised on a step's
    # change and on a `variant ... only:` block (no outline for a new model node).
    routine = routine_of(NESTED)
    (symbol,) = outline(routine)
    hold = symbol.children[0]
    (change,) = hold.children
    assert change.name == "variant harder"
    assert [c.name for c in change.children] == ["hold 40s", "repeat 2", "variant harder only"]
    assert [c.name for c in change.children[0].children] == ["variant harder: 50s",
                                                             "variant easier: leave out"]
