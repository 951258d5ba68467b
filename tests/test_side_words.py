"""Sides in the words: `{side}` and friends filled per side in the compiled timeline (a
template where the side is not known), `left only:` blocks, amounts per side, and what
fmt, the checker, the player and the editor make of them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import quoted

from dsl import model as m
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.lint.config import DEFAULT
from dsl.lsp.completion import complete
from dsl.lsp.symbols import outline
from dsl.model import placeholders
from dsl.player.engine import Engine
from dsl.player.live import screen
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine, dumps
from dsl.timeline.contract import validation_errors
from dsl.timeline.expand import expand

LUNGE = '''routine "Side-lying quad stretch"
  sides: each, left first
  switch 5s "Roll over: now the {side} leg"
  on pain "Ease the {side} leg down"
    release "Bring the {other} knee down"

  posture:
    "{Side} hip on top"
  setup "Lie on your {other} side"
  hold left 30s, right 45s "Reach back with your {side} hand, {{gently}}"
    cue at 20s "Bring the {other} knee down if it lifts"
  left only:
    hold 10s "Only on the left: turn the {side} toes in"
  release "{Side} leg down"
'''


def compiled(text: str) -> Any:
    parsed = parse(text)
    assert parsed.routine is not None and not parsed.diagnostics, parsed.diagnostics
    document = json.loads(dumps(compile_routine(parsed.routine)))
    assert validation_errors(document) == []
    return document


def entries(text: str) -> list[tuple[str | None, str, str | None, float | None]]:
    document = compiled(text)
    return [(e["side"], e["kind"], e["text"], e["duration"] and e["duration"]["max"])
            for e in document["timeline"]]


def test_side_words_are_filled_on_each_side() -> None:
    assert entries(LUNGE) == [
        ("left", "setup", "Lie on your right side", None),
        ("left", "hold", "Reach back with your left hand, {gently}", 30),
        ("left", "hold", "Only on the left: turn the left toes in", 10),
        ("left", "release", "Left leg down", None),
        ("right", "switch", "Roll over: now the right leg", 5),
        ("right", "setup", "Lie on your left side", None),
        ("right", "hold", "Reach back with your right hand, {gently}", 45),
        ("right", "release", "Right leg down", None),
    ]


def test_cues_are_filled_and_keep_their_times() -> None:
    document = compiled(LUNGE)
    holds = [e for e in document["timeline"] if e["stepId"] == "s3"]
    assert [(c["text"], c["time"]) for e in holds for c in e["cues"]] == [
        ("Bring the right knee down if it lifts", {"min": 20, "max": 20}),
        ("Bring the left knee down if it lifts", {"min": 65, "max": 65}),
    ]


def test_where_the_side_is_not_known_the_json_carries_the_template() -> None:
    document = compiled(LUNGE)
    handler = document["safetyHandlers"][0]
    assert handler["text"] == "Ease the {side} leg down"
    assert handler["timeline"][0]["side"] is None
    assert handler["timeline"][0]["text"] == "Bring the {other} knee down"
    hold = document["body"][2]
    assert hold["text"] == "Reach back with your {side} hand, {{gently}}"
    assert document["metadata"]["switch"]["text"] == "Roll over: now the {side} leg"
    assert document["standingCues"][0]["cues"][0]["text"] == "{Side} hip on top"


def test_a_per_side_amount_is_in_the_tree_and_the_entries() -> None:
    document = compiled(LUNGE)
    hold = document["body"][2]
    assert list(hold)[4:6] == ["duration", "durationBySide"]
    assert hold["duration"]["max"] == 45  # the longer, whatever the side
    assert (hold["durationBySide"]["left"]["max"], hold["durationBySide"]["right"]["max"]) \
        == (30, 45)
    assert document["summary"]["perSide"] == [
        {"side": "left", "timeUnderStretch": {"min": 40, "max": 40},
         "contractions": {"min": 0, "max": 0}, "cycles": {"min": 0, "max": 0}},
        {"side": "right", "timeUnderStretch": {"min": 45, "max": 45},
         "contractions": {"min": 0, "max": 0}, "cycles": {"min": 0, "max": 0}},
    ]


def test_a_one_side_block_is_a_tree_node() -> None:
    block = compiled(LUNGE)["body"][3]
    assert (block["type"], block["id"], block["side"]) == ("sideOnly", "o1", "left")
    assert [node["id"] for node in block["body"]] == ["s4"]


def test_alternating_runs_a_one_side_block_in_its_half_of_each_pass() -> None:
    text = ('routine "Calf"\n  sides: alternating, right first\n  switch 2s\n  repeat 2:\n'
            '    hold left 5s, right 8s "Lean on the {side} leg"\n    right only:\n'
            '      relax 3s "Shake the {side} foot"\n')
    assert entries(text) == [
        ("right", "hold", "Lean on the right leg", 8),
        ("right", "relax", "Shake the right foot", 3),
        ("left", "switch", None, 2),
        ("left", "hold", "Lean on the left leg", 5),
        ("right", "switch", None, 2),
        ("right", "hold", "Lean on the right leg", 8),
        ("right", "relax", "Shake the right foot", 3),
        ("left", "switch", None, 2),
        ("left", "hold", "Lean on the left leg", 5),
    ]


def test_a_repeat_with_nothing_on_a_side_runs_no_passes_there() -> None:
    text = ('routine "Calf"\n  sides: each, left first\n  repeat 3, rest 5s between:\n'
            '    left only:\n      hold 10s\n  release\n')
    parsed = parse(text)
    assert parsed.routine is not None
    kinds = [(p.side, p.kind) for p in expand(parsed.routine).performed]
    assert kinds == [("left", "hold"), ("left", "rest"), ("left", "hold"), ("left", "rest"),
                     ("left", "hold"), ("left", "release"), ("right", "switch"),
                     ("right", "release")]


def test_limits_are_checked_with_each_sides_amount() -> None:
    text = ('routine "Calf"\n  sides: each, left first\n  limit hold 40s\n'
            '  hold left 30s, right 45s "Lean in"\n')
    found = [d for d in check(parse(text), DEFAULT) if d.code == "L101"]
    assert [(d.span.line, d.span.column, d.message) for d in found] == [
        (4, 3, "this hold on the right side lasts 45s, longer than `limit hold 40s` allows")]
    fine = text.replace("right 45s", "right 40s")
    assert [d.code for d in check(parse(fine), DEFAULT) if d.code == "L101"] == []


def test_fmt_keeps_the_new_forms_and_the_braces_byte_for_byte() -> None:
    assert format_text(LUNGE).formatted == LUNGE
    messy = ('routine "Calf"\n  sides:   each, right first\n  hold   right 45s ,left 30s  '
             '"Say \\"{side}\\" {{x}}"  # why\n  right   only :   # only\n     rest 3s\n')
    assert format_text(messy).formatted == (
        'routine "Calf"\n  sides: each, right first\n'
        '  hold right 45s, left 30s "Say \\"{side}\\" {{x}}"  # why\n'
        '  right only:  # only\n    rest 3s\n')


def test_a_side_named_twice_is_p132() -> None:
    parsed = parse('routine "Calf"\n  sides: each, left first\n  hold right 30s, right 45s\n')
    assert [(d.code, d.span.line, d.span.column, d.message, d.hint)
            for d in parsed.diagnostics] == [
        ("P132", 3, 8, "both amounts are for the right side",
         "give the second amount to the other side: `right ...` becomes `left ...`")]


@pytest.mark.parametrize(("text", "offset", "column"), [
    ("plain {side}", 6, 6),
    ('say \\"{side}', 5, 6),  # `\"` is one character of the text, two of the file
    ("a \\\\ {side}", 4, 5),
])
def test_a_text_offset_maps_to_the_file_through_escapes(
        text: str, offset: int, column: int) -> None:
    assert placeholders.written_offset(text, offset) == column


def test_the_brace_is_pointed_at_past_escapes() -> None:
    text = 'routine "Calf"\n  sides: each, left first\n  hold 30s "A \\"b\\" \\\\ {leg}"\n'
    [found] = [d for d in check(parse(text), DEFAULT) if d.code == "V113"]
    line = text.splitlines()[2]
    assert line[found.span.column - 1:found.span.end_column - 1] == "{leg}"


def test_placeholder_names_are_the_side_words_with_sides() -> None:
    assert m.Routine("x").placeholder_names == frozenset()
    sided = m.Routine("x", (m.Sides("each", "left"),))
    assert sided.placeholder_names == frozenset({"side", "Side", "other", "Other"})


def test_the_player_fills_templates_with_the_side_in_progress() -> None:
    engine = Engine(compiled(LUNGE))
    assert engine.words("The {side} leg, {{x}}") == "The left leg, {x}"
    engine.start()
    engine.press("ready")  # past the untimed setup: the left hold
    events = engine.advance(5) + engine.press("pain")
    texts = [dict(e.fields).get("text") for e in events if e.name in ("handler", "handler-step")]
    assert texts == ["Ease the left leg down", "Bring the right knee down"]
    lines = screen(engine)
    assert any("Bring the right knee down" in line for line in lines)


def test_the_terminal_shows_the_filled_words_and_standing_cues() -> None:
    engine = Engine(compiled(LUNGE))
    engine.start()
    engine.press("ready")  # past the untimed setup
    lines = screen(engine)
    assert any("Reach back with your left hand, {gently}" in line for line in lines)
    assert any("Left hip on top" in line for line in lines)


def test_completion_offers_the_side_words_after_a_brace() -> None:
    lines = ['routine "x"', "  sides: each, left first", '  hold 30s "Reach with your {si']
    labels = [i.label for i in complete(lines, 3, len(lines[2]) + 1)]
    assert labels == ["side", "Side", "other", "Other"]
    assert complete(lines[:1] + lines[2:], 2, len(lines[2]) + 1) == []  # no sides
    doubled = ['routine "x"', "  sides: each", '  hold 30s "Reach {{']
    assert complete(doubled, 3, len(doubled[2]) + 1) == []


def test_the_outline_shows_the_one_side_block_and_the_amounts() -> None:
    parsed = parse(LUNGE)
    assert parsed.routine is not None
    [routine] = outline(parsed.routine)
    names = [s.name for s in routine.children]
    assert "hold left 30s, right 45s" in names
    block = next(s for s in routine.children if s.name == "left only")
    assert [s.name for s in block.children] == ["hold 10s"]


def test_a_missing_comma_between_per_side_amounts_is_p133() -> None:
    parsed = parse('routine "Calf"\n  sides: each, left first\n'
                   '  hold left 30s right 45s "Lean"  # x\n')
    assert [(d.code, d.span.line, d.span.column, d.message, d.hint)
            for d in parsed.diagnostics] == [
        ("P133", 3, 17, "the two amounts of a per-side step need a comma between them",
         'write it as `hold left 30s, right 45s "Lean"`')]


def test_placeholders_and_doubled_braces_are_highlighted() -> None:
    from pygments.token import String

    from dsl.format.highlight import token_types

    found = [(kind, text) for kind, text in token_types(
        'routine "x"\n  hold 30s "Reach {side} {{x}} {"\n') if text in ("{side}", "{{", "{")]
    assert found == [(String.Interpol, "{side}"), (String.Escape, "{{"), (String.Double, "{")]


@settings(max_examples=150, deadline=None)
@given(st.text(st.sampled_from('ab {}"\\sideothrSO'), max_size=16))
def test_any_text_is_filled_per_side_and_kept_as_written_elsewhere(text: str) -> None:
    source = ('routine "x"\n  sides: each, left first\n  on pain ' + quoted(text) + "\n"
              "    release " + quoted(text) + "\n  hold 1s " + quoted(text) + "\n")
    assert format_text(source).formatted == source  # fmt keeps it byte for byte
    document = compiled(source)
    assert [e["text"] for e in document["timeline"] if e["kind"] == "hold"] == [
        placeholders.fill(text, placeholders.side_words("left")),
        placeholders.fill(text, placeholders.side_words("right"))]
    handler = document["safetyHandlers"][0]
    assert (handler["text"], handler["timeline"][0]["text"], document["body"][0]["text"]) \
        == (text, text, text)


def test_per_side_amounts_in_different_units_are_p134() -> None:
    parsed = parse('routine "Calf"\n  sides: each, left first\n'
                   '  hold right 5 breaths, left 30s "Lean"\n')
    assert [(d.code, d.span.line, d.span.column, d.message, d.hint)
            for d in parsed.diagnostics] == [
        ("P134", 3, 30, "the right side's amount is in breaths, the left side's in seconds",
         "write both sides' amounts in the same unit")]


def test_completion_in_text_offers_side_words_then_parameters() -> None:
    lines = ['routine "x"', "  sides: each", '  parameter hold: 30s, 20-60s',
             '  hold {hold} "Hold for {']
    labels = [i.label for i in complete(lines, 4, len(lines[3]) + 1)]
    assert labels == ["side", "Side", "other", "Other", "hold"]
    amount = ['routine "x"', "  sides: each", '  parameter hold: 30s, 20-60s', "  hold {"]
    assert [i.label for i in complete(amount, 4, len(amount[3]) + 1)] == ["hold"]
