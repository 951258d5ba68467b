"""Each fix, on the smallest routine that needs it: the exact text it writes, that only
its own edits change the file (comments and everything else byte for byte), and that the
finding is gone. Every code the registry says can fix has a case here."""

from __future__ import annotations

import pytest

from dsl import codes
from dsl.diagnostics import Diagnostic
from dsl.lint.checker import check
from dsl.lint.config import DEFAULT, Config
from dsl.lint.fixing import apply_edits, fix_text, fixes
from dsl.lint.rules import Context, Edit, Fix, Fixable
from dsl.model import Span
from dsl.syntax.parser import parse

# code, the routine, the routine fixed, the fix's title
CASES: list[tuple[str, str, str, str]] = [
    ("S105",
     'routine "PNF"\n  limit cycles 3\n  # the work\n  contract 6s gently "Push"  # push\n'
     '  relax 10s "Let go"\n',
     'routine "PNF"\n  limit cycles 3\n  on pain "Too far"\n    release "Ease off"\n'
     '    relax 30s\n  # the work\n  contract 6s gently "Push"  # push\n'
     '  relax 10s "Let go"\n',
     "Add an `on pain` handler"),
    ("S104",
     'routine "PNF"\n  sides: each, left first\n  repeat 2-3:\n    contract 6s "Push"\n'
     '    relax 10s\n',
     'routine "PNF"\n  sides: each, left first\n  limit contractions 3\n  repeat 2-3:\n'
     '    contract 6s "Push"\n    relax 10s\n',
     "Add `limit contractions 3`"),
    ("S103",
     'routine "PNF"\n  repeat 3:\n    contract 6s "Push"  # push\n      cue "Breathe"\n'
     '    deepen "Further"\n',
     'routine "PNF"\n  repeat 3:\n    contract 6s "Push"  # push\n      cue "Breathe"\n'
     '    relax 2 breaths "Let go"\n    deepen "Further"\n',
     'Add `relax 2 breaths "Let go"` after the contraction'),
    ("L101",
     'routine "PNF"\n  limit cycles 3\n  on pain "x"\n    release\n  repeat 2-4 times:\n'
     '    contract 5s gently\n    relax 10s\n',
     'routine "PNF"\n  limit cycles 3\n  on pain "x"\n    release\n  repeat 2-3 times:\n'
     '    contract 5s gently\n    relax 10s\n',
     "Lower the repeat to `repeat 2-3 times`"),
    ("L102",
     'routine "PNF"\n  sides: each\n  for older clients:\n    limit contractions 4 per routine\n'
     '  repeat up to 5:\n    contract 5s gently\n    relax 10s\n',
     'routine "PNF"\n  sides: each\n  for older clients:\n    limit contractions 4 per routine\n'
     '  repeat up to 2:\n    contract 5s gently\n    relax 10s\n',
     "Lower the repeat to `repeat up to 2`"),
    ("L105",
     'routine "Calf"\n  limit hold 60s per side  # why\n  hold 30s\n',
     'routine "Calf"\n  limit hold 60s  # why\n  hold 30s\n',
     "Remove `per side`"),
    ("V101",
     'routine "Calf"\n  hold 30-10s\n',
     'routine "Calf"\n  hold 10-30s\n',
     "Write `10-30s`"),
    ("V101",
     'routine "Calf"\n  repeat 4-2 times:\n    hold 10s\n',
     'routine "Calf"\n  repeat 2-4 times:\n    hold 10s\n',
     "Write `2-4 times`"),
    ("V101",
     'routine "Calf"\n  frequency: 3-1 times a day\n  hold 10s\n',
     'routine "Calf"\n  frequency: 1-3 times a day\n  hold 10s\n',
     "Write `frequency: 1-3 times a day`"),
    ("V101",
     'routine "Calf"\n  contract 5s at 40-20%\n  relax 5s\n',
     'routine "Calf"\n  contract 5s at 20-40%\n  relax 5s\n',
     "Write `at 20-40%`"),
    ("V102",
     'routine "Calf"\n  repeat 0-3:\n    hold 10s\n',
     'routine "Calf"\n  repeat 1-3:\n    hold 10s\n',
     "Write `repeat 1-3`"),
    ("V105",
     'routine "Calf"\n  sides: each, left first\n  # both sides\n  hold 30s\n'
     '  switch 5s "Change legs"  # swap\n  hold 10s\n',
     'routine "Calf"\n  sides: each, left first\n  switch 5s "Change legs"  # swap\n'
     '  # both sides\n  hold 30s\n  hold 10s\n',
     "Move the `switch` up with the settings"),
    ("V106",
     'routine "Calf"\n  sides: alternating, right first  # sides\n  hold 30s\n',
     'routine "Calf"\n  sides: each, right first  # sides\n  hold 30s\n',
     "Write `sides: each, right first`"),
    ("R104",
     'routine "Calf"\n  level: beginner\n  level: advanced\n  hold 30s\n',
     'routine "Calf"\n  level: beginner\n  hold 30s\n',
     "Remove the second `level:`"),
    ("T101",
     'routine "Calf"\n  targets: calves, hamstrngs (semitendinosus)\n  hold 30s\n',
     'routine "Calf"\n  targets: calves, hamstrings (semitendinosus)\n  hold 30s\n',
     "Replace `hamstrngs` with `hamstrings`"),
    ("X101",
     'routine "Calf"\n  hold 30s  # stretch: ignore[S106]\n',
     'routine "Calf"\n  hold 30s\n',
     "Remove `S106` from the suppression"),
    ("X101",
     'routine "Calf"\n  hold 30s  # stretch: ignore[S106, V101] keep this\n',
     'routine "Calf"\n  hold 30s  # keep this\n',
     "Remove `S106` from the suppression"),
    ("V109",
     'routine "Calf"\n  hold 30s "Lean\x1b in\u202e"  # why\n',
     'routine "Calf"\n  hold 30s "Lean in"  # why\n',
     "Delete the control characters"),
    ("X102",
     'routine "Calf"\n  hold "Lean in"  # stretch: ignore[S1O6]\n',
     'routine "Calf"\n  hold "Lean in"  # stretch: ignore[S106]\n',
     "Replace `S1O6` with `S106`"),
    ("P103",
     'routine "Calf"\n  hodl 30s "Lean in"\n',
     'routine "Calf"\n  hold 30s "Lean in"\n',
     "Replace `hodl` with `hold`"),
    ("P115",
     'routine "Calf"\n  hold 30s gentley "Lean in"  # soft\n',
     'routine "Calf"\n  hold 30s gently "Lean in"  # soft\n',
     "Replace `gentley` with `gently`"),
    ("P201",
     'routine "Calf"\n  level: beginer\n  hold 30s\n',
     'routine "Calf"\n  level: beginner\n  hold 30s\n',
     "Replace `beginer` with `beginner`"),
    ("P202",
     'routine "Calf"\n  partner: optinal\n  hold 30s\n',
     'routine "Calf"\n  partner: optional\n  hold 30s\n',
     "Replace `optinal` with `optional`"),
    ("P203",
     'routine "Calf"\n  limit cycle 3\n  hold 30s\n',
     'routine "Calf"\n  limit cycles 3\n  hold 30s\n',
     "Replace `cycle` with `cycles`"),
    ("P205",
     'routine "Calf"\n  on pian "Ease off"\n    relax 10s\n  hold 30s\n',
     'routine "Calf"\n  on pain "Ease off"\n    relax 10s\n  hold 30s\n',
     "Replace `pian` with `pain`"),
    ("P206",
     'routine "Calf"\n  frequency: 3 times a weak\n  hold 30s\n',
     'routine "Calf"\n  frequency: 3 times a week\n  hold 30s\n',
     "Replace `weak` with `week`"),
    ("P209",
     'routine "Calf"\n  limit cycles 3 per routin\n  hold 30s\n',
     'routine "Calf"\n  limit cycles 3 per routine\n  hold 30s\n',
     "Replace `routin` with `routine`"),
    ("P139",
     'routine "Calf"\n  parameter hold: 30s, 20-60s\n  hold {hodl} "Lean in"\n',
     'routine "Calf"\n  parameter hold: 30s, 20-60s\n  hold {hold} "Lean in"\n',
     "Replace `{hodl}` with `{hold}`"),
    ("P104",
     'routine "Calf"\n  hold 30s Lean into the wall  # c\n',
     'routine "Calf"\n  hold 30s "Lean into the wall"  # c\n',
     "Put `Lean into the wall` in double quotes"),
    ("V113",
     'routine "Lunge"\n  sides: each, left first\n  hold 30s "Say \\"hi\\", {sied} hand"  # x\n',
     'routine "Lunge"\n  sides: each, left first\n  hold 30s "Say \\"hi\\", {side} hand"  # x\n',
     "Replace `{sied}` with `{side}`"),
    ("V114",
     'routine "Calf"\n  hold 30s "Lean in {gently"  # c\n',
     'routine "Calf"\n  hold 30s "Lean in {{gently"  # c\n',
     "Write `{{`"),
    ("V117",
     'routine "Calf"\n  sides: right only\n  hold right 45s, left 30s "Lean in"  # c\n',
     'routine "Calf"\n  sides: right only\n  hold 45s "Lean in"  # c\n',
     "Write `45s`"),
    ("P106",
     'routine "Calf"\n  hold 30s \u201cLean in\u201d  # curly\n',
     'routine "Calf"\n  hold 30s "Lean in"  # curly\n',
     "Use straight double quotes"),
]


def _only(code: str) -> Config:
    """The configuration that runs only this rule (syntax codes are always reported)."""
    if code in ("X101", "X102"):  # a suppression is unused only when its rule runs
        return DEFAULT.with_overrides((code, "S106", "V101"))
    return DEFAULT if code.startswith("P") else DEFAULT.with_overrides((code,))


@pytest.mark.parametrize(("code", "bad", "good", "title"), CASES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)])
def test_each_fix_writes_exactly_this(code: str, bad: str, good: str, title: str) -> None:
    config = _only(code)
    parsed = parse(bad)
    found = [d for d in check(parsed, config) if d.code == code]
    assert found, f"{code} is not reported on its case"
    [first, *_] = fixes(parsed, found, config, unsafe=True)
    assert first.fix.title == title
    registered = codes.by_code()[code].fix
    assert registered is not None and first.fix.safety == registered.safety
    result = fix_text(bad, config=config, unsafe=True)
    assert result.text == good
    assert code not in [d.code for d in result.remaining]
    assert fix_text(good, config=config, unsafe=True).fixed == 0  # nothing left to do


def test_every_code_that_can_fix_has_a_case() -> None:
    fixable = {c.code for c in codes.all_codes() if c.fix is not None}
    assert fixable == {case[0] for case in CASES}


def test_the_fixes_are_those_the_issue_names_safe_or_unsafe() -> None:
    safety = {c.code: c.fix.safety for c in codes.all_codes() if c.fix is not None}
    assert {code for code, kind in safety.items() if kind == "unsafe"} == {
        "L101", "L102", "V101", "V106", "T101", "X102", "P104", "V113"}


def test_a_nested_repeat_is_not_lowered() -> None:
    bad = ('routine "PNF"\n  limit cycles 3\n  on pain "x"\n    release\n  repeat 2:\n'
           '    repeat 2:\n      contract 5s gently\n      relax 10s\n')
    assert fix_text(bad, unsafe=True).text == bad


def test_unsafe_fixes_only_when_asked() -> None:
    bad = 'routine "Calf"\n  sides: alternating, right first\n  hold 30s\n'
    assert fix_text(bad).fixed == 0
    assert [d.code for d in fix_text(bad).remaining] == ["V106"]
    assert fix_text(bad, unsafe=True).fixed == 1


def test_a_did_you_mean_with_no_single_word_is_no_fix() -> None:
    result = fix_text('routine "Calf"\n  level: expert\n  hold 30s\n')
    assert result.fixed == 0
    assert [d.code for d in result.remaining] == ["P201"]


def test_a_relaxation_is_not_added_where_it_would_count_against_a_bound() -> None:
    for declared in ("limit cycles 3", "limit total 5m"):
        bad = (f'routine "PNF"\n  {declared}\n  on pain "x"\n    release\n'
               '  contract 6s "Push"\n  deepen "Further"\n')
        assert "S103" in [d.code for d in fix_text(bad).remaining]


def test_a_duplicate_setting_with_a_comment_is_left_alone() -> None:
    bad = 'routine "Calf"\n  level: beginner\n  level: advanced  # which?\n  hold 30s\n'
    assert fix_text(bad).text == bad


def test_line_ends_and_byte_order_mark_are_kept() -> None:
    bad = '\ufeffroutine "Calf"\r\n  hold 30-10s  # why\r\n  hold 5s\r\n'
    assert fix_text(bad, unsafe=True).text == (
        '\ufeffroutine "Calf"\r\n  hold 10-30s  # why\r\n  hold 5s\r\n')
    handler = ('routine "PNF"\r\n  limit cycles 3\r\n  contract 6s "Push"\r\n'
               '  relax 10s\r\n')
    assert fix_text(handler).text == (
        'routine "PNF"\r\n  limit cycles 3\r\n  on pain "Too far"\r\n'
        '    release "Ease off"\r\n    relax 30s\r\n  contract 6s "Push"\r\n  relax 10s\r\n')


def test_added_lines_follow_the_files_indentation() -> None:
    bad = 'routine "PNF"\n    limit cycles 3\n    contract 6s "Push"\n    relax 10s\n'
    assert fix_text(bad).text == (
        'routine "PNF"\n    limit cycles 3\n    on pain "Too far"\n        release "Ease off"\n'
        '        relax 30s\n    contract 6s "Push"\n    relax 10s\n')


def test_a_last_line_without_a_line_end() -> None:
    assert fix_text('routine "Calf"\n  hold 30s\n  level: beginner\n  level: advanced').text \
        == 'routine "Calf"\n  hold 30s\n  level: beginner'
    assert fix_text('routine "PNF"\n  repeat 2:\n    contract 6s').text == (
        'routine "PNF"\n  limit contractions 2\n  on pain "Too far"\n    release "Ease off"\n'
        '    relax 30s\n  repeat 2:\n    contract 6s\n    relax 2 breaths "Let go"')


def test_fixes_that_overlap_wait_for_the_next_round() -> None:
    # S104 and S105 both add lines before the first step: one round each.
    bad = 'routine "PNF"\n  contract 6s "Push"\n  relax 10s\n'
    assert fix_text(bad, rounds=1).fixed == 1
    assert fix_text(bad).fixed == 2


def test_apply_edits_keeps_everything_outside_the_edits() -> None:
    text = "ab\r\ncd\r\nef"
    assert apply_edits(text, [Edit(Span(2, 2, 2, 3), "X"), Edit(Span(1, 1, 1, 1), "1\n")]) \
        == "1\r\nab\r\ncX\r\nef"


def _breaking(context: Context, found: Diagnostic) -> Fix | None:
    return Fix("Break the file", "safe", (Edit(Span(2, 3, 2, 7), "hodl"),))


def test_a_fix_that_would_break_the_file_is_dropped_and_reported(
        monkeypatch: pytest.MonkeyPatch) -> None:
    registry = dict(codes.by_code())
    registry["S106"] = codes.Code(
        "S106", "untimed-hold", "info", "x", "per file", "here", lambda c: iter(()),
        fix=Fixable("safe", "breaks"), fixer=_breaking)
    monkeypatch.setattr(codes, "by_code", lambda: registry)
    bad = 'routine "Calf"\n  hold "Lean in"\n'
    result = fix_text(bad)
    assert result.text == bad
    assert result.fixed == 0
    [dropped] = result.dropped
    assert (dropped.diagnostic.code, dropped.fix.title) == ("S106", "Break the file")
    assert [d.code for d in result.remaining] == ["S106"]
