"""Variants that change steps, from the user's side: the forms as written and formatted,
the parser's and the checker's messages about them, ``--variant`` on compile and play
(C006-C008, on wording, position and exit code), the JSON's ``variantTimelines`` and
``chosenVariants``, and every variant held to the limits.

(``tests/test_variants.py`` proves the figures of every variant against the brute-force
reference; this file is about what the coach and the app developer see.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner, Result

import dsl
from dsl import model as m
from dsl.cli import app
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.model.variants import Choice
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.contract import validation_errors

EXAMPLE = ROOT / "examples" / "towel-hamstring-three-ways.stretch"
SHOWN = "examples/towel-hamstring-three-ways.stretch"

PROGRAMME = '''routine "Leg programme"
  id: legs
  limit hold 60s

  exercise "Calf stretch":
    id: calf
    variant wall "Hands on the wall"
    hold 30s "Lean into the wall"
      variant harder: 45s
      variant easier: leave out
    variant wall only:
      hold 10s "Press the hands into the wall"

  exercise "Hamstring stretch":
    id: hamstring
    hold 30s "Hinge forward"
      variant harder:
        hold 40s "Hinge forward"
        hold 10s "Reach a little further"
    rest 10s
'''


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def write(tmp_path: Path, text: str, name: str = "routine.stretch") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def kinds_and_seconds(timeline: list[dict[str, object]]) -> list[tuple[object, object]]:
    found = []
    for entry in timeline:
        duration = entry["duration"]
        found.append((entry["kind"], duration["max"] if isinstance(duration, dict) else None))
    return found


# --- as written ------------------------------------------------------------------------


def test_the_forms_are_read_into_the_model() -> None:
    parsed = parse('routine "x"\n  hold 30s "a"\n    variant harder: left 40s, right 50s\n'
                   '    variant easier: leave out\n    variant chair:\n      rest 5s\n'
                   '  variant harder only:\n    hold 10s "b"\n  variant chair "On a chair"\n')
    assert parsed.ok, parsed.diagnostics
    assert parsed.routine is not None
    step, only, _ = parsed.routine.items
    assert isinstance(step, m.Step) and isinstance(only, m.VariantOnly)
    harder, easier, chair = step.changes
    assert harder.by_side is not None and harder.amount is not None
    assert (harder.by_side.left.high.value, harder.by_side.right.high.value,
            harder.amount.high.value) == (40, 50, 50)
    assert easier.leave_out and not chair.leave_out
    assert [s.kind for s in m.walk_steps(chair.steps)] == ["rest"]
    assert only.name == "harder" and [s.text for s in m.walk_steps(only.body)] == ["b"]
    # The steps of every variant are the routine's steps as written.
    assert [s.kind for s in m.walk_steps(parsed.routine.body)] == ["hold", "rest", "hold"]


def test_fmt_writes_every_form_back_in_the_canonical_layout() -> None:
    untidy = ('routine "x"\n  hold 30s "a"\n    variant HARDER:   60s\n'
              '    variant easier : leave   out\n    variant chair\n      rest 5s\n'
              '  variant harder only\n    hold 10s "b"\n')
    tidy = ('routine "x"\n  hold 30s "a"\n    variant harder: 60s\n'
            '    variant easier: leave out\n    variant chair:\n      rest 5s\n'
            '  variant harder only:\n    hold 10s "b"\n')
    assert format_text(untidy).formatted == tidy
    assert format_text(tidy).formatted == tidy
    assert format_text(PROGRAMME).formatted == PROGRAMME
    assert format_text(EXAMPLE.read_text("utf-8")).formatted == EXAMPLE.read_text("utf-8")


def test_two_changes_for_one_variant_on_a_step_is_p141() -> None:
    parsed = parse('routine "x"\n  hold 30s "a"\n    variant harder: 60s\n'
                   '    variant harder: leave out\n')
    (found,) = parsed.diagnostics
    assert (found.code, found.span.line, found.span.column, found.span.end_column) == (
        "P141", 4, 5, 30)
    assert found.message == "variant `harder` already changes this step on line 3"
    assert found.hint == ("say the change once: one `variant harder: ...` line under a step "
                          "(to put several steps in its place, indent them under "
                          "`variant harder:`)")


def test_an_undeclared_name_in_a_change_or_block_is_r102() -> None:
    parsed = parse('routine "x"\n  variant chair "On a chair"\n  hold 30s "a"\n'
                   '    variant chiar: 20s\n  variant stool only:\n    hold 5s "b"\n')
    found = [d for d in check(parsed) if d.code == "R102"]
    assert [(d.span.line, d.span.column, d.message, d.hint) for d in found] == [
        (4, 5, "unknown variant `chiar`", 'did you mean `chair`? declare it on the routine: '
         '`variant chiar "..."` (`easier` and `harder` need no declaration)'),
        (5, 3, "unknown variant `stool`", 'declare it on the routine: `variant stool "..."` '
         '(`easier` and `harder` need no declaration)'),
    ]


def test_a_variant_declared_on_an_exercise_is_known_in_it_only() -> None:
    assert [d for d in check(parse(PROGRAMME)) if d.code == "R102"] == []
    moved = PROGRAMME.replace('    hold 30s "Hinge forward"\n      variant harder:',
                              '    hold 30s "Hinge forward"\n      variant wall: 20s\n'
                              '      variant harder:')
    (found,) = [d for d in check(parse(moved)) if d.code == "R102"]
    assert found.message == "unknown variant `wall`"
    assert found.hint is not None and found.hint.startswith(
        "declare it on the exercise or the routine")


# --- compiling -------------------------------------------------------------------------


def test_without_a_choice_the_document_holds_every_variant() -> None:
    compiled = dsl.compile_file(EXAMPLE, source_path=SHOWN)
    document = compiled.document
    assert compiled.errors == [] and document is not None
    assert validation_errors(document) == []
    assert "chosenVariants" not in document
    runs = document["variantTimelines"]
    assert [(r["variant"], r["section"]) for r in runs] == [
        ("chair", None), ("easier", None), ("harder", None)]
    assert list(runs[0]) == ["variant", "section", "standingCues", "safetyHandlers", "body",
                             "repeats", "timeline", "summary", "announcements"]
    # As written: 30 s holds, no contraction; harder: 45 s holds and a contraction a round.
    holds = [e["duration"] for e in document["timeline"] if e["kind"] == "hold"]
    assert {d["max"] for d in holds if d is not None} == {30} and None not in holds
    harder = runs[2]
    holds = [e["duration"] for e in harder["timeline"] if e["kind"] == "hold"]
    assert {d["max"] for d in holds if d is not None} == {45} and None not in holds
    assert harder["summary"]["contractions"] == {"min": 4, "max": 4}
    chair = runs[0]
    assert [e["text"] for e in chair["timeline"] if e["kind"] in ("setup", "release")][:2] == [
        "Sit on the front of a chair with the left heel on the floor, toes up",
        "Sit up tall and put the left foot down flat"]
    assert not [e for e in chair["timeline"] if e["kind"] == "rest" and e["origin"] == "step"]


@pytest.mark.parametrize("name", ["chair", "easier", "harder"])
def test_each_entry_is_what_compiling_with_that_variant_writes(name: str) -> None:
    whole = dsl.compile_file(EXAMPLE, source_path=SHOWN).document
    chosen = dsl.compile_file(EXAMPLE, source_path=SHOWN, variants=[name]).document
    assert whole is not None and chosen is not None
    assert validation_errors(chosen) == []
    (entry,) = [r for r in whole["variantTimelines"] if r["variant"] == name]
    for key in ("standingCues", "safetyHandlers", "body", "repeats", "timeline", "summary"):
        assert json.dumps(entry[key]) == json.dumps(chosen[key]), key
    assert chosen["chosenVariants"] == [{"variant": name, "section": None}]
    assert "variantTimelines" not in chosen
    for key in ("metadata", "variants", "limits", "parameters"):
        assert chosen[key] == whole[key]  # type: ignore[literal-required]


def test_exercise_scopes_and_the_override(tmp_path: Path) -> None:
    path = write(tmp_path, PROGRAMME)
    whole = dsl.compile_file(path).document
    assert whole is not None
    assert [(r["variant"], r["section"]) for r in whole["variantTimelines"]] == [
        ("harder", None), ("easier", None), ("wall", None),
        ("harder", "e1"), ("easier", "e1"), ("wall", "e1"), ("harder", "e2")]
    for entry in whole["variantTimelines"]:
        assert [s["id"] for s in entry["sections"]] == ["e1", "e2"]

    def run(*choices: str) -> list[tuple[object, object]]:
        document = dsl.compile_file(path, variants=list(choices)).document
        assert document is not None
        return kinds_and_seconds(document["timeline"])  # type: ignore[arg-type]

    base = [("hold", 30), ("hold", 30), ("rest", 10)]
    harder = [("hold", 45), ("hold", 40), ("hold", 10), ("rest", 10)]
    assert run() == base
    assert run("harder") == harder
    # By its id, its number, its section id: the same exercise.
    for calf in ("calf", "1", "e1"):
        assert run(f"{calf}/harder") == [("hold", 45), ("hold", 30), ("rest", 10)]
    # The exercise's own choice replaces the routine's there.
    assert run("harder", "calf/easier") == [("hold", 40), ("hold", 10), ("rest", 10)]
    assert run("calf/wall", "hamstring/harder") == [
        ("hold", 30), ("hold", 10), ("hold", 40), ("hold", 10), ("rest", 10)]
    chosen = dsl.compile_file(path, variants=["harder", "calf/easier"]).document
    assert chosen is not None
    assert chosen["chosenVariants"] == [{"variant": "harder", "section": None},
                                        {"variant": "easier", "section": "e1"}]


def test_a_block_whose_steps_are_all_left_out_goes_with_them(tmp_path: Path) -> None:
    path = write(tmp_path, 'routine "x"\n  repeat 3 times, rest 5s between:\n'
                 '    hold 30s "a"\n      variant easier: leave out\n  hold 20s "b"\n')
    document = dsl.compile_file(path, variants=["easier"]).document
    assert document is not None
    assert kinds_and_seconds(document["timeline"]) == [("hold", 20)]  # type: ignore[arg-type]
    assert document["repeats"] == []


def test_a_routine_without_changes_is_the_same_whatever_is_chosen() -> None:
    path = ROOT / "examples" / "hip-flexor-lunge.stretch"
    plain = dsl.compile_file(path).text
    assert plain is not None and "variantTimelines" not in plain
    assert dsl.compile_file(path, variants=["harder"]).text == plain


def test_compile_routine_takes_a_choice() -> None:
    parsed = parse(PROGRAMME)
    assert parsed.routine is not None
    document = compile_routine(parsed.routine, choice=Choice("harder", ((0, "easier"),)))
    assert kinds_and_seconds(document["timeline"]) == [  # type: ignore[arg-type]
        ("hold", 40), ("hold", 10), ("rest", 10)]


# --- --variant that cannot be used -------------------------------------------------------

# (choices, code, line:col, message, hint)
CHOICE_ERRORS = [
    (["hardr"], "C006", "4:1", "`--variant hardr`: this routine has no variant `hardr`",
     "did you mean `harder`?"),
    (["stool"], "C006", "4:1", "`--variant stool`: this routine has no variant `stool`",
     "its variants are `easier`, `harder`, `chair`"),
    (["harder", "easier"], "C008", "4:1", "`--variant easier`: the routine has variant "
     "`harder` chosen already", "one variant applies at a time: choose one for the whole "
     "routine, and one for an exercise with `--variant EXERCISE/NAME`"),
    (["calf/harder"], "C007", "4:1", "`--variant calf/harder`: this routine has no exercises",
     "choose the variant for the whole routine: `--variant NAME`"),
]


@pytest.mark.parametrize(("choices", "code", "where", "message", "hint"), CHOICE_ERRORS)
def test_a_choice_that_cannot_be_made_is_a_clear_error(
        choices: list[str], code: str, where: str, message: str, hint: str) -> None:
    args = [arg for choice in choices for arg in ("--variant", choice)]
    result = invoke("compile", SHOWN, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"error[{code}]: {message}\n" in result.stderr
    assert f"--> {SHOWN}:{where}\n" in result.stderr
    assert f"= help: {hint}\n" in result.stderr
    assert f"not compiled: {SHOWN} has errors" in result.stderr


def test_choices_in_a_routine_with_exercises_are_checked_per_exercise(tmp_path: Path) -> None:
    path = write(tmp_path, PROGRAMME)
    compiled = dsl.compile_file(path, variants=["clf/harder", "hamstring/wall", "9/easier",
                                                "calf/harder", "calf/easier"])
    assert [(d.code, d.message, d.hint, d.span.line) for d in compiled.errors] == [
        ("C007", "`--variant clf/harder`: this routine has no exercise `clf`",
         "did you mean `calf`?", 1),
        ("C006", "`--variant hamstring/wall`: exercise \"Hamstring stretch\" has no variant "
         "`wall`", "its variants are `easier`, `harder`", 14),
        ("C007", "`--variant 9/easier`: this routine has no exercise `9`",
         "name an exercise by its `id:` or its number, 1 to 2", 1),
        ("C008", "`--variant calf/easier`: exercise \"Calf stretch\" has variant `harder` "
         "chosen already", "one variant applies at a time: choose one for the whole routine, "
         "and one for an exercise with `--variant EXERCISE/NAME`", 5),
    ]
    assert compiled.text is None


# --- every variant is checked ------------------------------------------------------------


def test_a_limit_a_variant_breaks_is_reported_with_the_variant() -> None:
    text = EXAMPLE.read_text("utf-8").replace("  limit contractions 3\n",
                                              "  limit contractions 2\n")
    found = [d for d in check(parse(text, SHOWN)) if d.severity == "error"]
    assert [(d.code, d.span.line, d.message) for d in found] == [
        ("L101", 35, "with variant `harder` and rounds = 3, contraction 3 on the left side "
         "breaks `limit contractions 2`")]



def test_compiling_is_refused_whichever_variant_is_chosen(tmp_path: Path) -> None:
    # The routine breaks its limit in one variant: an app could switch to it, so no
    # variant of it is compiled.
    path = write(tmp_path, EXAMPLE.read_text("utf-8").replace(
        "  limit contractions 3\n", "  limit contractions 2\n"))
    for choices in ([], ["easier"], ["harder"]):
        compiled = dsl.compile_file(path, variants=choices)
        assert [d.code for d in compiled.errors] == ["L101"] and compiled.text is None


def test_a_limit_only_one_exercise_s_variant_breaks(tmp_path: Path) -> None:
    text = PROGRAMME.replace("        hold 40s", "        hold 70s")
    found = [d for d in check(parse(text)) if d.code == "L101"]
    assert [(d.span.line, d.message) for d in found] == [
        (18, "with variant `harder`, this hold lasts 1m10s, longer than `limit hold 60s` "
         "allows")]
    path = write(tmp_path, text)
    assert [d.code for d in dsl.compile_file(path, variants=["calf/easier"]).errors] == [
        "L101"]


# --- playing -----------------------------------------------------------------------------


def test_play_takes_variant_on_a_routine_and_on_its_compiled_json(tmp_path: Path) -> None:
    played = invoke("play", SHOWN, "--script", "--variant", "harder")
    assert played.exit_code == 0, played.output
    compiled = tmp_path / "towel.json"
    compiled.write_text(invoke("compile", SHOWN).stdout, encoding="utf-8")
    switched = invoke("play", str(compiled), "--script", "--variant", "harder")
    assert switched.exit_code == 0, switched.output
    assert switched.stdout == played.stdout
    assert sum("kind=contract" in line for line in played.stdout.splitlines()) == 4
    plain = invoke("play", str(compiled), "--script")
    assert "kind=contract" not in plain.stdout


def test_play_refuses_a_variant_a_compiled_routine_does_not_hold(tmp_path: Path) -> None:
    compiled = tmp_path / "towel.json"
    compiled.write_text(invoke("compile", SHOWN).stdout, encoding="utf-8")
    result = invoke("play", str(compiled), "--script", "--variant", "stool")
    assert result.exit_code == 1
    assert (f"stretch: {compiled}: no variant `stool` in this compiled routine (it has "
            "chair, easier, harder)") in result.stderr
    result = invoke("play", str(compiled), "--script", "--variant", "easier",
                    "--variant", "harder")
    assert result.exit_code == 1
    assert ("a compiled routine holds one variant at a time; to combine variants, compile "
            "the routine with each --variant") in result.stderr
    result = invoke("play", SHOWN, "--script", "--variant", "hardr")
    assert result.exit_code == 1
    assert "error[C006]: `--variant hardr`: this routine has no variant `hardr`" \
        in result.stderr


def test_past_64_ways_the_largest_whole_routine_figures_are_still_checked() -> None:
    # Seven exercises with two variants each: 3^7 ways. In the first four harder is the
    # longest, in the last three easier: no single variant for the whole routine reaches
    # the limit, only the mix of each exercise's longest does.
    exercises = []
    for number in range(1, 8):
        longer, shorter = ("harder", "easier") if number <= 4 else ("easier", "harder")
        exercises.append(
            f'  exercise "Stretch {number}":\n    hold 30s "Hold"\n'
            f'      variant {longer}: 60s\n      variant {shorter}: 40s\n')
    # As written: 7 x 30 s = 210 s. All harder: 4 x 60 + 3 x 40 = 360 s; all easier:
    # 4 x 40 + 3 x 60 = 340 s; the mix: 7 x 60 = 420 s.
    text = 'routine "Seven"\n  limit total 6m30s\n\n' + "\n".join(exercises)
    found = [d for d in check(parse(text)) if d.code == "L101"]
    assert len(found) == 1
    assert found[0].message.startswith(
        'with variant `harder` in exercise "Stretch 1" and variant `harder` in exercise '
        '"Stretch 2"')
    assert 'variant `easier` in exercise "Stretch 7", ' in found[0].message
    assert "7m" in found[0].message
    within = text.replace("limit total 6m30s", "limit total 7m")
    assert [d for d in check(parse(within)) if d.code == "L101"] == []


# (the line under the step, the column of the word it stops at, message, hint)
SLIPS = [
    ("variant easier: skip", 21, "`skip` is not a change a variant can make",
     "to leave the step out in that variant, write `variant easier: leave out`"),
    ("variant harder 60s", 20, "a variant's amount comes after a colon",
     "write it as `variant harder: 60s`"),
    ('variant harder: 60s "Hold longer"', 25, "a variant's change on one line is an amount alone",
     "to change more, write `variant harder:` and, indented under it, the step as it runs "
     'in that variant (`... 60s "Hold longer"`)'),
    ("variant harder only:\n      hold 5s", 20, "a `variant ... only:` block stands among the "
     "steps, not under one", "indent `variant harder only:` as much as the steps; to change "
     "this step in that variant, write `variant harder:` with the steps that take its place "
     "indented under it"),
]


@pytest.mark.parametrize(("line", "column", "message", "hint"), SLIPS)
def test_a_change_written_wrongly_gets_the_right_form_in_its_hint(
        line: str, column: int, message: str, hint: str) -> None:
    parsed = parse(f'routine "x"\n  hold 30s "a"\n    {line}\n')
    (found,) = parsed.diagnostics
    assert (found.code, found.message, found.hint) == ("P142", message, hint)
    assert (found.span.line, found.span.column) == (3, column)


def test_an_amount_a_variant_gives_replaces_briefly(tmp_path: Path) -> None:
    path = write(tmp_path, 'routine "x"\n  hold briefly "a"\n    variant harder: 10s\n')
    document = dsl.compile_file(path, variants=["harder"]).document
    assert document is not None
    (entry,) = document["timeline"]
    assert "vague" not in entry and entry["duration"] is not None
    assert entry["duration"]["max"] == 10
