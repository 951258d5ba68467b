"""Parameters: values the coach sets for each client (``parameter hold: 30s, 20-60s``).

The declaration and its uses as the parser builds them; the routine with the values filled
in (``dsl.model.values``); ``--set`` on compile (C002-C005, on wording, position and exit
code); the JSON's ``parameters``; and the checks over the whole allowed range, proved
against brute force: every whole value of every parameter, written into the routine as
plain text and linted as a routine without parameters, finds exactly what the checks at
the corners find.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

import dsl
from dsl import model as m
from dsl.cli import app
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.model import printer
from dsl.model.values import MAX_CORNERS, corners, defaults, in_words, uses, with_values
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.contract import validation_errors

EXAMPLE = ROOT / "examples" / "hamstring-as-prescribed.stretch"

CALF = '''routine "Calf stretch"
  parameter hold: 30s, 20-60s "How long to hold each stretch"
  parameter rounds: 3, 2-5 "Rounds"
  parameter breaths: 5 breaths, 3-8 breaths "Breaths to count"
  sides: each
  repeat {rounds} times, rest {hold} between:
    hold {hold} gently "Hold for {hold} on the {side} leg, {{about}} {breaths}"
    breathe {breaths}
  note "Do {rounds} rounds"
'''


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def routine_of(text: str) -> m.Routine:
    parsed = parse(text)
    assert parsed.ok, parsed.diagnostics
    assert parsed.routine is not None
    return parsed.routine


# --- the declaration and its uses ---------------------------------------------------


def test_a_declaration_is_a_default_a_range_and_a_text() -> None:
    hold, rounds, breaths = routine_of(CALF).parameters
    assert hold.name == "hold" and hold.text == "How long to hold each stretch"
    assert hold.default == m.Amount(m.Quantity(30, "s"), m.Quantity(30, "s"))
    assert hold.allowed == m.Amount(m.Quantity(20, "s"), m.Quantity(60, "s"))
    assert not hold.is_count
    assert rounds.default == m.Count(3, 3) and rounds.allowed == m.Count(2, 5)
    assert rounds.is_count
    assert breaths.allowed == m.Amount(m.Quantity(3, "breath"), m.Quantity(8, "breath"))
    assert hold.name_span == m.Span(2, 13, 2, 17)


def test_minutes_are_seconds_and_the_text_is_optional() -> None:
    (box,) = routine_of('routine "x"\n  parameter box: 2m, 1-3m\n  repeat for {box}:\n'
                        '    hold 30s\n').parameters
    assert box.default.low == m.Quantity(120, "s") and box.text is None
    assert box.allowed == m.Amount(m.Quantity(60, "s"), m.Quantity(180, "s"))


def test_uses_name_their_parameter_and_stand_where_they_are_written() -> None:
    routine = routine_of(CALF)
    repeat = routine.body[0]
    assert isinstance(repeat, m.Repeat)
    assert repeat.count.parameter == "rounds"
    assert repeat.rest is not None and repeat.rest.amount.parameter == "hold"
    step = repeat.body[0]
    assert isinstance(step, m.Step) and step.amount is not None
    assert step.amount.parameter == "hold" and step.amount.span == m.Span(7, 10, 7, 16)
    assert uses(routine) == {"hold", "rounds", "breaths", "side"}


def test_the_routine_knows_its_parameter_names() -> None:
    # (With sides, the side words too.)
    assert routine_of(CALF).placeholder_names == {
        "hold", "rounds", "breaths", "side", "Side", "other", "Other"}


def test_fmt_writes_parameters_back() -> None:
    written = ('routine "Calf stretch"\n  parameter   hold :30s ,20-60 s\n'
               '  repeat {rounds}  x :\n    hold {hold}\n  parameter rounds: 3, 2-5 "Rounds"\n')
    assert format_text(written).formatted == (
        'routine "Calf stretch"\n  parameter hold: 30s, 20-60s\n'
        '  repeat {rounds} times:\n    hold {hold}\n  parameter rounds: 3, 2-5 "Rounds"\n')
    assert format_text(EXAMPLE.read_text(encoding="utf-8")).formatted == EXAMPLE.read_text(
        encoding="utf-8")


# --- the routine with its values ----------------------------------------------------


def test_with_values_fills_amounts_counts_and_texts() -> None:
    filled = with_values(routine_of(CALF), {"hold": 45, "rounds": 4})
    repeat = filled.body[0]
    assert isinstance(repeat, m.Repeat)
    assert (repeat.count.low, repeat.count.high) == (4, 4)
    assert repeat.rest is not None
    assert repeat.rest.amount.low == repeat.rest.amount.high == m.Quantity(45, "s")
    hold, breathe = repeat.body
    assert isinstance(hold, m.Step) and isinstance(breathe, m.Step)
    assert hold.amount is not None and hold.amount.high == m.Quantity(45, "s")
    assert breathe.amount is not None and breathe.amount.high == m.Quantity(5, "breath")
    # Side words stay for the compiler, and literal braces stay doubled: still a template.
    assert hold.text == "Hold for 45 seconds on the {side} leg, {{about}} 5 breaths"
    assert filled.notes[0].text == "Do 4 rounds"
    assert [p.value for p in filled.parameters] == [45, 4, 5]
    # The printer still writes the uses as the coach did.
    assert printer.step(hold) == 'hold {hold} gently "Hold for 45 seconds on the {side} ' \
        'leg, {{about}} 5 breaths"'


def test_a_routine_without_parameters_is_left_as_it_is() -> None:
    routine = routine_of('routine "x"\n  hold 30s "Lean {side}"\n')
    assert with_values(routine) is routine
    assert with_values(routine, {}) is routine


def test_defaults_and_values_in_words() -> None:
    routine = routine_of(CALF)
    assert defaults(routine) == {"hold": 30, "rounds": 3, "breaths": 5}
    hold, rounds, breaths = routine.parameters
    assert [in_words(hold, v) for v in (1, 30, 60, 90, 150.5)] == [
        "1 second", "30 seconds", "1 minute", "1 minute 30 seconds", "2 minutes 30.5 seconds"]
    assert in_words(rounds, 4) == "4"
    assert [in_words(breaths, v) for v in (1, 3)] == ["1 breath", "3 breaths"]


def test_corners_are_every_combination_of_the_ends() -> None:
    routine = routine_of(CALF)
    assert corners(routine) == [
        {"hold": h, "rounds": r, "breaths": b}
        for h in (20, 60) for r in (2, 5) for b in (3, 8)]
    fixed = routine_of('routine "x"\n  parameter hold: 30s, 30s\n  hold {hold}\n')
    assert corners(fixed) == [{"hold": 30}]


def test_more_corners_than_the_cap_are_not_tried() -> None:
    names = "abcdefg"
    text = 'routine "x"\n' + "".join(f"  parameter {n}: 30s, 20-40s\n" for n in names) + \
        "".join(f"  hold {{{n}}}\n" for n in names)
    assert 2 ** len(names) > MAX_CORNERS
    assert corners(routine_of(text)) == []
    codes = [d.code for d in check(parse(text))]
    assert codes == ["V123"]


# --- compiling ------------------------------------------------------------------------


def test_compile_records_the_parameters_and_the_values_used() -> None:
    result = invoke("compile", str(EXAMPLE), "--set", "hold=45s")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert validation_errors(document) == []
    assert document["schemaVersion"] == "2.2.0"
    assert document["parameters"] == [
        {"name": "hold", "text": "Hold as your therapist sets, 20 to 60 seconds",
         "default": 30, "range": {"min": 20, "max": 60}, "unit": "s", "value": 45,
         "span": {"line": 11, "column": 3, "endLine": 11, "endColumn": 78}},
        {"name": "rounds", "text": "Rounds on each leg", "default": 3,
         "range": {"min": 2, "max": 4}, "unit": None, "value": 3,
         "span": {"line": 12, "column": 3, "endLine": 12, "endColumn": 48}},
    ]
    holds = [e for e in document["timeline"] if e["kind"] == "hold"]
    assert len(holds) == 6  # 3 rounds on each side
    assert {e["duration"]["min"] for e in holds} == {45}
    assert {e["text"] for e in holds} == {
        "Hinge forward from the hips and hold for 45 seconds"}


def test_compile_takes_the_defaults_without_set() -> None:
    document = dsl.compile_file(EXAMPLE).document
    assert document is not None
    assert [p["value"] for p in document["parameters"]] == [30, 3]
    holds = [e for e in document["timeline"] if e["kind"] == "hold"]
    assert {e["duration"]["max"] for e in holds if e["duration"] is not None} == {30}


def test_set_in_every_unit_and_repeatable(tmp_path: Path) -> None:
    path = tmp_path / "units.stretch"
    path.write_text(
        'routine "x"\n  parameter hold: 1m, 30s-2m\n  parameter count: 5 counts, 3-8 counts\n'
        '  parameter breaths: 3 breaths, 2-5 breaths\n  parameter rounds: 2, 1-3\n'
        '  repeat {rounds} times:\n    hold {hold}\n    contract {count}\n'
        '    breathe {breaths}\n    relax 5s\n', encoding="utf-8")
    compiled = dsl.compile_file(path, settings=[
        "hold=1m30s", "count=4 counts", "breaths=5breaths", "rounds=3"])
    assert compiled.errors == []
    assert compiled.document is not None
    assert [p["value"] for p in compiled.document["parameters"]] == [90, 4, 5, 3]
    assert dsl.compile_file(path, settings=["hold=90 seconds"]).errors == []


# (setting, code, line:col, message, hint)
SET_ERRORS = [
    ("hodl=45s", "C002", "3:1", "`--set hodl=45s`: this routine has no parameter `hodl`",
     "did you mean `hold`?"),
    ("sets=3", "C002", "3:1", "`--set sets=3`: this routine has no parameter `sets`",
     "its parameters are `hold`, `rounds`"),
    ("hold=90s", "C003", "11:13", "`--set hold=90s`: `90s` is outside the range of `hold` "
     "(20-60s)", "choose a value from 20-60s"),
    ("rounds=5", "C003", "12:13", "`--set rounds=5`: `5` is outside the range of `rounds` "
     "(2-4)", "choose a value from 2-4"),
    ("hold=long", "C004", "11:13", "`--set hold=long`: `long` is not a value",
     "write a value from 20-60s, such as `--set hold=60s`"),
    ("hold", "C004", "11:13", "`--set hold` gives `hold` no value",
     "write a value from 20-60s, such as `--set hold=60s`"),
    ("rounds=2.5", "C004", "12:13", "`--set rounds=2.5`: `2.5` is not a whole number of "
     "repeats", "write a value from 2-4, such as `--set rounds=4`"),
    ("hold=45", "C005", "11:13", "`--set hold=45`: `45` has no unit",
     "write a value from 20-60s, such as `--set hold=60s`"),
    ("hold=5 counts", "C005", "11:13", "`--set hold=5 counts`: `hold` is measured in "
     "seconds, not counts", "write a value from 20-60s, such as `--set hold=60s`"),
    ("rounds=30s", "C005", "12:13", "`--set rounds=30s`: `rounds` is a number of repeats, "
     "written without a unit", "write a value from 2-4, such as `--set rounds=4`"),
]


@pytest.mark.parametrize(("setting", "code", "where", "message", "hint"), SET_ERRORS)
def test_a_setting_that_cannot_be_used_is_a_clear_error(
        setting: str, code: str, where: str, message: str, hint: str) -> None:
    result = invoke("compile", str(EXAMPLE.relative_to(ROOT)), "--set", setting)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"error[{code}]: {message}\n" in result.stderr
    assert f"--> examples/hamstring-as-prescribed.stretch:{where}\n" in result.stderr
    assert f"= help: {hint}\n" in result.stderr
    assert "not compiled: examples/hamstring-as-prescribed.stretch has errors" in result.stderr


def test_every_bad_setting_is_reported_at_once() -> None:
    compiled = dsl.compile_file(EXAMPLE, settings=["hold=90s", "rounds=x", "sets=3"])
    assert [d.code for d in compiled.errors] == ["C003", "C004", "C002"]
    assert compiled.text is None


def test_set_on_a_routine_without_parameters() -> None:
    compiled = dsl.compile_file(ROOT / "examples" / "box-breathing.stretch",
                                settings=["hold=30s"])
    (error,) = compiled.errors
    assert (error.code, error.message, error.hint) == (
        "C002", "`--set hold=30s`: this routine declares no parameters",
        'leave out --set, or declare the parameter: `parameter hold: 30s, 20-60s "..."`')


def test_set_on_many_files_into_a_folder(tmp_path: Path) -> None:
    result = invoke("compile", str(EXAMPLE), str(EXAMPLE.with_name("box-breathing.stretch")),
                    "--out-dir", str(tmp_path), "--set", "hold=40s", "-j", "1")
    assert result.exit_code == 1
    assert "C002" in result.stderr
    written = json.loads((tmp_path / "hamstring-as-prescribed.json").read_text("utf-8"))
    assert written["parameters"][0]["value"] == 40
    assert not (tmp_path / "box-breathing.json").exists()


def test_set_in_a_fresh_process_exits_cleanly() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dsl", "compile", str(EXAMPLE), "--set", "hold=2m"],
        capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 1
    assert "error[C003]" in done.stderr and "Traceback" not in done.stderr


def test_compile_routine_reads_the_values_from_the_model() -> None:
    routine = with_values(routine_of(CALF), {"rounds": 2})
    document = compile_routine(routine)
    assert [p["value"] for p in document["parameters"]] == [30, 2, 5]
    assert validation_errors(document) == []
    plain = compile_routine(routine_of('routine "x"\n  hold 30s\n'))
    assert "parameters" not in plain
    # Unfilled, at the defaults; filling a filled routine again keeps its values.
    at_defaults = compile_routine(routine_of(CALF))
    assert at_defaults["timeline"][0]["duration"] == {
        "min": 30, "max": 30, "original": {"min": 30, "max": 30, "unit": "s"}}
    assert with_values(routine) == routine


# --- checking over the whole range ----------------------------------------------------


def test_a_limit_broken_at_one_end_of_the_range_names_the_values() -> None:
    text = ('routine "Calf stretch"\n  parameter hold: 30s, 20-90s\n'
            '  parameter rounds: 3, 2-5\n  parameter spare: 3, 1-4\n  limit hold 60s\n'
            '  repeat {rounds} times:\n    hold {hold}\n')
    found = [(d.code, d.span.line, d.span.column, d.message) for d in check(parse(text))]
    assert found == [
        ("V122", 4, 13, "the parameter `spare` is never used"),
        ("L101", 7, 5, "with hold = 1m30s, this hold lasts 1m30s, longer than "
         "`limit hold 60s` allows"),
    ]


def test_a_parameter_inside_a_time_box_is_an_error() -> None:
    text = ('routine "x"\n  parameter hold: 30s, 20-60s\n  parameter box: 3m, 2-5m\n'
            '  repeat for {box}, rest {hold} between:\n    hold {hold}\n')
    found = [(d.code, d.span.line, d.span.column, d.message, d.hint)
             for d in parse(text).diagnostics]
    hint = ("how many passes fit would jump with its value, so its range cannot be checked: "
            "write the amount out here, or repeat a set number of times "
            "(`repeat {rounds} times:`)")
    assert found == [
        ("P140", 4, 26, "`{hold}` is used inside a `repeat for` time box", hint),
        ("P140", 5, 10, "`{hold}` is used inside a `repeat for` time box", hint),
    ]


def test_the_misspelt_name_is_fixed() -> None:
    from dsl.lint.fixing import fix_text

    text = 'routine "x"\n  parameter hold: 30s, 20-60s\n  hold {hodl}\n'
    fixed = fix_text(text)
    assert fixed.text == 'routine "x"\n  parameter hold: 30s, 20-60s\n  hold {hold}\n'


# The brute force: a routine with parameters, and the same routine written out by hand
# at every whole value of every parameter. What the checks find on the routine with
# parameters (at the defaults and at the corners) must be exactly what linting the
# written-out routines finds, together.

TEMPLATE_LIMITS = (
    "limit hold 45s", "limit total 4m", "limit total 2m per side", "limit cycles 3",
    "limit contractions 5", "limit contraction 8s",
)


@st.composite
def parameterised(draw: st.DrawFn) -> tuple[str, dict[str, range]]:
    """A routine using a hold (with a cue), a contraction, a rest, a switch, a repeat count
    and a time box's length from parameters (some written out instead), with a few
    limits; and each parameter's values."""
    ranges: dict[str, range] = {}
    declarations = ['routine "Brute force"']
    lines: list[str] = []

    def parameter(name: str, unit: str, low: int, high: int) -> str:
        chosen = range(low, high + 1)
        ranges[name] = chosen
        default = draw(st.sampled_from(chosen))
        declarations.append(f"  parameter {name}: {default}{unit}, {low}-{high}{unit}")
        return f"{{{name}}}"

    def amount(name: str, lowest: int, widest: int) -> str:
        low = draw(st.integers(lowest, lowest + 10))
        high = draw(st.integers(low, low + widest))
        if draw(st.booleans()):
            return parameter(name, "s", low, high)
        return f"{low}s"

    sides = draw(st.sampled_from(["each", "alternating", "none"]))
    lines.append(f"  sides: {sides}")
    lines.extend(f"  {limit}" for limit in draw(
        st.lists(st.sampled_from(TEMPLATE_LIMITS), max_size=3, unique=True)))
    lines.append("  on pain:\n    release 5s")
    if sides != "none":
        lines.append(f"  switch {amount('switch', 0, 5)}")
    rounds = "{rounds}" if draw(st.booleans()) else "2"
    if rounds == "{rounds}":
        low = draw(st.integers(1, 3))
        parameter("rounds", "", low, draw(st.integers(low, low + 3)))
    lines.append(f"  repeat {rounds} times, rest {amount('rest', 1, 10)} between:")
    lines.append(f"    hold {amount('hold', 2, 40)}")
    lines.append("      cue at 10s \"Breathe out\"")
    lines.append(f"    contract {amount('press', 2, 8)}")
    lines.append("    relax 5s")
    if draw(st.booleans()):
        lines.append(f"  repeat for {amount('box', 10, 60)}:\n    hold 20s")
    return "\n".join(declarations + lines) + "\n", ranges


def _written_out(text: str, values: dict[str, int]) -> str:
    """The routine with each parameter's line blanked (as a comment, so lines keep their
    numbers) and each `{name}` replaced by its value, as a coach would write it by hand."""
    out = re.sub(r"^  parameter .*$", "  # parameter", text, flags=re.MULTILINE)
    for name, value in values.items():
        out = out.replace(f"{{{name}}}", str(value) if name == "rounds" else f"{value}s")
    return out


def _found(text: str) -> set[tuple[str, int]]:
    """What the checks find, by code and place; a broken limit by the limit's line (the
    step where a total passes its limit moves with the values: the limit is what breaks)."""
    return {(d.code, d.related[0].span.line if d.related else d.span.line)
            for d in check(parse(text)) if d.code not in ("V121", "V122", "V123")}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parameterised())
def test_the_corners_find_what_every_value_finds(case: tuple[str, dict[str, range]]) -> None:
    text, ranges = case
    assert parse(text).ok, text
    brute: set[tuple[str, int]] = set()
    names = list(ranges)
    for combination in itertools.product(*(ranges[n] for n in names)):
        brute |= _found(_written_out(text, dict(zip(names, combination, strict=True))))
    assert _found(text) == brute, text


# --- the terminal player ----------------------------------------------------------------


def test_play_takes_set() -> None:
    result = invoke("play", str(EXAMPLE), "--script", "--set", "hold=50s", "--set", "rounds=2")
    assert result.exit_code == 0, result.output
    holds = [line for line in result.stdout.splitlines() if "kind=hold" in line]
    assert len(holds) == 4  # 2 rounds on each side
    assert all("seconds=50.0" in line and 'text="Hinge forward from the hips and hold for '
               '50 seconds"' in line for line in holds)


def test_play_refuses_a_bad_setting_and_a_compiled_file(tmp_path: Path) -> None:
    result = invoke("play", str(EXAMPLE), "--script", "--set", "hold=70s")
    assert result.exit_code == 1
    assert "error[C003]: `--set hold=70s`: `70s` is outside the range of `hold` (20-60s)" \
        in result.stderr
    compiled = tmp_path / "hamstring.json"
    compiled.write_text(invoke("compile", str(EXAMPLE)).stdout, encoding="utf-8")
    result = invoke("play", str(compiled), "--script", "--set", "hold=45s")
    assert result.exit_code == 2
    assert ("--set gives values to a .stretch file's parameters; a compiled routine has them "
            "already (compile it again with --set)") in result.stderr


def test_uses_wait_for_a_file_without_syntax_errors() -> None:
    # The declaration's line is broken: its uses are not reported as unknown (an echo).
    text = ('routine "Calf stretch"\n  parametr hold: 30s, 20-60s\n'
            '  repeat {rounds} times:\n    hold {hold}\n  parameter rounds: 3, 2-5\n')
    found = [(d.code, d.span.line) for d in parse(text).diagnostics]
    assert found == [("P103", 2)]
