"""Regression tests: each routine that showed a wrong safety or time figure, with the right one.

The exhaustive proof over generated routines is tests/test_exact_figures.py; these are the
routines people actually wrote when the figures were wrong, kept as they were reported.
"""

from __future__ import annotations

from dsl.diagnostics import Diagnostic
from dsl.lint.checker import check
from dsl.player.engine import Engine
from dsl.player.live import screen
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.document import Document


def lint(text: str) -> list[Diagnostic]:
    return check(parse(text, "r.stretch"))


def codes(text: str) -> list[str]:
    return [d.code for d in lint(text)]


def compiled(text: str) -> Document:
    parsed = parse(text, "r.stretch")
    assert parsed.routine is not None and parsed.ok, parsed.diagnostics
    return compile_routine(parsed.routine)


PNF = '''routine "Hamstring PNF"
  limit cycles 2
  on pain "Too far"
    release "Ease off"
  repeat 4:
    contract 10s "Push"
    hold 30s "Stretch"
'''


def test_a_contraction_followed_by_a_hold_is_a_cycle() -> None:
    # Reported: `cycles: {min: 0, max: 0}` and lint exit 0, four contractions passing a
    # limit of two, because only contract -> relax/rest counted as a cycle.
    document = compiled(PNF)
    assert document["summary"]["cycles"] == {"min": 4, "max": 4}
    # S103 warns as well: a hold straight after a contraction is not a relaxation.
    assert codes(PNF) == ["L101", "S103"]
    finding = lint(PNF)[0]
    assert (finding.code, finding.span.line, finding.span.column) == ("L101", 6, 5)
    assert finding.message == "contract-relax cycle 3 breaks `limit cycles 2`"


def test_lone_contractions_in_a_repeat_are_one_cycle_a_pass() -> None:
    text = PNF.replace('    hold 30s "Stretch"\n', "")
    assert compiled(text)["summary"]["cycles"] == {"min": 4, "max": 4}
    assert "L101" in codes(text)


def test_the_seeds_press_then_drag_pair_is_one_cycle() -> None:
    from conftest import ROOT

    text = (ROOT / "examples" / "hip-and-hamstring.stretch").read_text(encoding="utf-8")
    summary = compiled(text)["summary"]
    assert [s["cycles"] for s in summary["perSide"]] == [{"min": 1, "max": 3}] * 2


def test_an_alternating_time_box_never_runs_past_its_bound() -> None:
    # Reported: L101 "runs up to 3m15s" though a time box runs "never longer".
    text = '''routine "Alternating box"
  sides: alternating
  switch 5s
  limit total 3m
  repeat for 3m:
    hold 20s "Hold"
'''
    assert codes(text) == []
    document = compiled(text)
    # A pass is 20 + 5 + 20 s, a later one 5 s more for the switch back: 3 fit in 3m.
    assert document["repeats"][0]["passes"] == {"min": 3, "max": 3}
    assert document["summary"]["duration"] == {"min": 145, "max": 145}


def test_a_time_box_keeps_the_passes_that_always_fit_required() -> None:
    # Reported: passes.min rounded down, so a pass that always runs was optional and
    # summary.duration.min was lower than any real run.
    document = compiled('routine "Box"\n  repeat for 1-2m:\n    hold 30s "Hold"\n')
    assert document["repeats"][0]["passes"] == {"min": 2, "max": 4}
    assert [e["optional"] for e in document["timeline"]] == [False, False, True, True]
    assert document["summary"]["duration"] == {"min": 60, "max": 120}
    assert [e["start"] for e in document["timeline"]] == [
        {"min": 0, "max": 0}, {"min": 30, "max": 30}, {"min": 60, "max": 60},
        {"min": 90, "max": 90}]


def test_a_time_box_counts_the_rest_between_passes() -> None:
    # Reported: passes.max ignored `rest ... between`.
    document = compiled('routine "Box"\n  repeat for 1m, rest 10s between:\n    hold 20s\n')
    assert document["repeats"][0]["passes"] == {"min": 2, "max": 2}
    assert document["summary"]["duration"]["max"] == 50


def test_a_time_box_plans_ranged_steps_at_their_longest() -> None:
    # Reported: `repeat for 1m:` with `hold 20-60s` promised 180 s.
    document = compiled('routine "Box"\n  repeat for 1m:\n    hold 20-60s "Hold"\n')
    assert document["repeats"][0]["passes"] == {"min": 1, "max": 1}
    assert document["summary"]["duration"] == {"min": 20, "max": 60}


def test_alternating_with_nothing_to_alternate_runs_once_and_says_so() -> None:
    text = 'routine "Calf"\n  sides: alternating\n  hold 30s "Lean in"\n'
    assert codes(text) == ["V106"]
    document = compiled(text)
    assert [(e["kind"], e["side"]) for e in document["timeline"]] == [("hold", None)]


def test_a_switch_among_the_steps_is_reported() -> None:
    text = 'routine "Calf"\n  sides: each\n  hold 30s\n  switch 5s\n  hold 10s\n'
    (finding,) = lint(text)
    assert (finding.code, finding.span.line, finding.span.column) == ("V105", 4, 3)


def test_repeat_from_zero_is_reported_and_runs_at_least_once() -> None:
    text = 'routine "r"\n  repeat 0-3:\n    hold 20s\n'
    (finding,) = lint(text)
    assert (finding.code, finding.span.line, finding.span.column) == ("V102", 2, 10)
    assert compiled(text)["repeats"][0]["passes"] == {"min": 1, "max": 3}


def test_every_limit_says_what_the_checker_counts_over() -> None:
    text = '''routine "Scopes"
  limit cycles 3
  limit contractions 6 per routine
  limit total 10m
  limit total 4m per side
  limit hold 60s
  for pregnant clients:
    limit contractions 2 per routine
    limit cycles 1
    limit total 5m
  hold 30s
'''
    pers = [(lim["subject"], lim["group"], lim["per"]) for lim in compiled(text)["limits"]]
    assert pers == [
        ("cycles", None, "side"), ("contractions", None, "routine"),
        ("total", None, "routine"), ("total", None, "side"), ("hold", None, "step"),
        ("contractions", "pregnant clients", "routine"), ("cycles", "pregnant clients", "side"),
        ("total", "pregnant clients", "routine"),
    ]


def test_a_total_written_with_and_without_per_routine_is_a_duplicate() -> None:
    text = 'routine "r"\n  limit total 10m\n  limit total 12m per routine\n  hold 30s\n'
    (finding,) = lint(text)
    assert (finding.code, finding.span.line, finding.message) == (
        "R104", 3, "`limit total` is given twice")


def test_a_total_per_side_counts_each_side() -> None:
    text = ('routine "r"\n  sides: each\n  switch 5s\n  limit total 50s per side\n'
            '  hold 40s\n')
    assert codes(text) == []
    (finding,) = lint(text.replace("50s per side", "50s"))
    assert finding.message == ("the routine runs up to 1m25s, longer than `limit total 50s` "
                               "allows; it passes the limit during this step")
    (finding,) = lint(text.replace("50s per side", "30s per side"))
    assert finding.message == ("the left side runs up to 40s, longer than "
                               "`limit total 30s per side` allows; it passes the limit during "
                               "this step")


def test_a_total_over_untimed_steps_says_it_cannot_be_checked() -> None:
    # Reported: a 10-minute limit played for 13 minutes, and nothing said.
    text = 'routine "r"\n  limit total 10m\n  hold 30s\n  release "Come out"\n'
    (finding,) = lint(text)
    assert (finding.code, finding.severity, finding.span.line) == ("L104", "warning", 2)
    assert finding.message == ("`limit total 10m` cannot be checked: 1 step has no time, and "
                               "the client may take as long as they like on it")
    (related,) = finding.related
    assert (related.message, related.span.line) == ("this step has no time", 4)


def test_a_contraction_in_a_handler_is_an_error() -> None:
    text = ('routine "r"\n  on pain "Ease off"\n    contract 5s "Push"\n    relax 5s\n'
            '  hold 30s\n')
    (finding,) = lint(text)
    assert (finding.code, finding.severity, finding.span.line) == ("S107", "error", 3)


def test_an_untimed_step_in_a_time_box_is_an_error() -> None:
    text = 'routine "r"\n  repeat for 2m:\n    hold 20s\n    rest "Ready?"\n'
    (finding,) = lint(text)
    assert (finding.code, finding.span.line, finding.span.column) == ("V107", 4, 5)
    assert finding.message == ("this step has no time, so the time box `repeat for 2m` "
                               "around it cannot be kept")


def test_the_live_display_shows_every_cue_at_one_offset() -> None:
    document = compiled('routine "r"\n  hold 30s\n    cue "One"\n    cue "Two"\n')
    engine = Engine(document)
    engine.start()
    shown = "\n".join(screen(engine, 100))
    assert "» (cue) One" in shown and "» (cue) Two" in shown


def test_an_open_repeat_whose_passes_perform_nothing_is_reported_not_tried_for_ever() -> None:
    # Found by the variants' property tests: capping an open repeat tried ever more passes
    # while no limit broke, and a pass that performs nothing (a standing cue alone, steps
    # for the side the routine never works) never breaks one: lint and compile never
    # returned. Such a repeat has no cap (L106).
    cue_only = ('routine "r"\n  limit contractions 3\n  repeat at least 2:\n    posture:\n'
                '      "Tall"\n  hold 5s\n')
    (finding,) = lint(cue_only)
    assert (finding.code, finding.span.line, finding.span.column) == ("L106", 3, 10)
    other_side = ('routine "r"\n  sides: right only\n  limit contractions 3\n'
                  '  repeat at least 2:\n    left only:\n      contract 5s\n  hold 5s\n')
    assert "L106" in codes(other_side)
    left_out = ('routine "r"\n  limit contractions 3\n  on pain:\n    release\n'
                '  repeat at least 2:\n    posture:\n      "Tall"\n    contract 5s\n'
                '      variant easier: leave out\n    relax 5s\n      variant easier: leave out\n'
                '  hold 5s\n')
    # A variant that leaves out every step of the repeat leaves the repeat out with them
    # (its standing cue too), so nothing is left to cap.
    assert lint(left_out) == []
    assert compiled(left_out)["repeats"][0]["passes"] == {"min": 2, "max": 3}
