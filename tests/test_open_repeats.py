"""Open repeats (`repeat at least 4`, `repeat 4 or more, at most 6`): reading, writing back,
capping by `at most` and by the limits, and what the document, the checker, the editor and
the player make of them. The exhaustive check against every run is in
tests/test_exact_figures.py (the generator writes open repeats)."""

from __future__ import annotations

import pytest

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.lsp.words import keyword_doc
from dsl.player.engine import Engine
from dsl.player.live import screen
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.document import Document
from dsl.timeline.expand import expand


def lint(text: str) -> list[Diagnostic]:
    return check(parse(text, "r.stretch"))


def compiled(text: str) -> Document:
    parsed = parse(text, "r.stretch")
    assert parsed.routine is not None and parsed.ok, parsed.diagnostics
    return compile_routine(parsed.routine)


def passes(text: str) -> list[tuple[int, int]]:
    return [(r["passes"]["min"], r["passes"]["max"]) for r in compiled(text)["repeats"]]


RAISES = '''routine "Calf raises"
  limit cycles 6
  on pain "Too far"
    release "Ease off"
  repeat at least 4:
    contract 5s "Rise"
    relax 5s "Lower"
'''


@pytest.mark.parametrize(("written", "least", "most", "form"), [
    ("at least 4", 4, None, "at least"),
    ("at least 4 times", 4, None, "at least"),
    ("4 or more", 4, None, "or more"),
    ("4 or more x", 4, None, "or more"),
    ("at least 4, at most 6", 4, 6, "at least"),
    ("4 or more times, at most 6 times", 4, 6, "or more"),
])
def test_the_open_forms_read_as_one_count(written: str, least: int, most: int | None,
                                          form: str) -> None:
    parsed = parse(f'routine "R"\n  repeat {written}, rest 5s between:\n    hold 5s\n')
    assert parsed.ok, parsed.diagnostics
    assert parsed.routine is not None
    (repeat,) = parsed.routine.body
    assert isinstance(repeat, m.Repeat)
    assert (repeat.count.mode, repeat.count.low, repeat.count.high) == ("at_least", least, most)
    assert repeat.count.written_open == form
    assert repeat.rest is not None


def test_fmt_keeps_the_form_the_author_wrote() -> None:
    text = ('routine "R"\n  repeat 4 or more times, at most 6, rest 5s between:\n    hold 5s\n'
            '  repeat at least 2:\n    hold 5s\n')
    assert format_text(text, "r.stretch").formatted == (
        'routine "R"\n  repeat 4 or more, at most 6, rest 5s between:\n    hold 5s\n'
        '  repeat at least 2:\n    hold 5s\n')


def test_at_most_on_a_closed_repeat_is_p129_with_the_fix() -> None:
    parsed = parse('routine "R"\n  repeat 2-3, at most 6:\n    hold 5s\n', "r.stretch")
    (found,) = parsed.diagnostics
    assert (found.code, found.span.line, found.span.column) == ("P129", 2, 13)
    assert found.message == "`at most` caps an open repeat only"
    assert found.hint == ("write `repeat at least 2, at most 6:` for an open repeat, or "
                          "`repeat 2-6:` for a range")


def test_a_limit_caps_an_open_repeat() -> None:
    assert passes(RAISES) == [(4, 6)]
    document = compiled(RAISES)
    assert document["repeats"][0]["mode"] == "atLeast"
    assert document["repeats"][0]["cap"] == {"by": "limit", "limit": 0}
    assert document["body"][0]["type"] == "repeat"
    assert document["body"][0]["cap"] == {"by": "limit", "limit": 0}
    assert [e["optional"] for e in document["timeline"]] == [False] * 8 + [True] * 4
    assert not lint(RAISES)


def test_at_most_caps_before_the_limits() -> None:
    text = RAISES.replace("at least 4:", "at least 4, at most 5:")
    assert passes(text) == [(4, 5)]
    assert compiled(text)["repeats"][0]["cap"] == {"by": "atMost", "limit": None}


def test_an_at_most_beyond_the_limit_is_l101() -> None:
    text = RAISES.replace("at least 4:", "at least 4, at most 8:")
    (found,) = lint(text)
    assert (found.code, found.message) == (
        "L101", "contract-relax cycle 7 breaks `limit cycles 6`")


def test_per_side_limits_cap_each_side_and_a_total_caps_the_routine() -> None:
    each = RAISES.replace("  limit cycles 6\n", "  sides: each\n  limit cycles 3\n")
    assert passes(each.replace("at least 4", "at least 2")) == [(2, 3)]
    total = ('routine "R"\n  sides: each\n  switch 5s\n  limit total 2m\n'
             '  repeat at least 2:\n    hold 10s\n')
    # Each side: 2 to k passes of 10 s, and 2k * 10 + 5 <= 120.
    assert passes(total) == [(2, 5)]
    per_side = total.replace("limit total 2m", "limit total 35s per side")
    assert passes(per_side) == [(2, 3)]


def test_open_repeats_share_the_limits_in_source_order() -> None:
    text = ('routine "R"\n  limit contractions 10 per routine\n  on pain "Stop"\n'
            '    release "Ease off"\n'
            '  repeat at least 2:\n    contract 5s\n    relax 5s\n'
            '  repeat 3 or more:\n    contract 5s\n    relax 5s\n')
    # The first takes all but the second's floor of 3.
    assert passes(text) == [(2, 7), (3, 3)]


def test_a_nested_open_repeat_counts_every_outer_pass() -> None:
    text = ('routine "R"\n  limit contractions 12\n  on pain "Stop"\n    release "Ease off"\n'
            '  repeat 3:\n    repeat at least 2:\n      contract 5s\n      relax 5s\n')
    assert passes(text) == [(3, 3), (2, 4)]


def test_an_alternating_open_repeat_counts_both_sides_of_each_pass() -> None:
    text = ('routine "R"\n  sides: alternating\n  switch 2s\n  limit total 1m\n'
            '  repeat at least 1:\n    hold 10s\n')
    # k passes: 10 + 2 + 10 each, and 2 s back to the first side between passes.
    assert passes(text) == [(1, 2)]


def test_even_the_floor_breaking_a_limit_is_l101_with_its_own_hint() -> None:
    text = RAISES.replace("at least 4", "at least 8")
    assert passes(text) == [(8, 8)]
    (found,) = lint(text)
    assert found.code == "L101"
    assert found.hint == ("an open repeat runs at least its first number of passes, and even "
                          "those break the limit: lower `at least N`, or raise the limit if "
                          "it is too strict")


@pytest.mark.parametrize(("text", "line", "column", "hint"), [
    ('routine "R"\n  repeat 2 or more:\n    hold 5s\n', 2, 10,
     "add `, at most M` (`repeat 2 or more, at most 4`), or a limit that more passes would "
     "break (`limit cycles 6`, `limit contractions 12`, `limit total 10m`)"),
    ('routine "R"\n  limit cycles 3\n  repeat at least 2:\n    hold 5s\n', 3, 10,
     "add `, at most M` (`repeat at least 2, at most 4`), or a limit that more passes would "
     "break (`limit cycles 6`, `limit contractions 12`, `limit total 10m`)"),
    ('routine "R"\n  limit total 5m\n  repeat for 1m:\n    repeat at least 1:\n'
     '      hold 5s\n', 4, 12,
     "inside a time box no limit caps it: add `, at most M` (`repeat at least 1, at most 3`)"),
    ('routine "R"\n  on cramp "Stop"\n    repeat at least 2:\n      release 5s\n'
     '  hold 5s\n', 3, 12,
     "no limit caps a safety handler's steps: add `repeat at least 2, at most 4`"),
])
def test_an_uncapped_open_repeat_is_l106(text: str, line: int, column: int, hint: str) -> None:
    found = [d for d in lint(text) if d.code == "L106"]
    assert len(found) == 1
    assert (found[0].span.line, found[0].span.column, found[0].severity) == (line, column,
                                                                             "error")
    assert found[0].message.endswith(
        "has no cap: nothing says how many passes it may run at most")
    assert found[0].hint == hint


def test_an_uncapped_open_repeat_plans_its_floor() -> None:
    parsed = parse('routine "R"\n  repeat at least 3:\n    hold 5s\n')
    assert parsed.routine is not None
    expansion = expand(parsed.routine)
    (repeat,) = parsed.routine.body
    assert isinstance(repeat, m.Repeat)
    assert expansion.passes(repeat) == (3, 3)
    cap = expansion.cap(repeat)
    assert cap is not None and cap.by is None


def test_the_editor_explains_the_open_words() -> None:
    assert keyword_doc("least", "at", False, "4") == (
        "**least**: `repeat at least 4`: an open repeat, 4 passes or more up to its cap (its "
        "`at most`, or the most that keep the routine's limits)")
    assert keyword_doc("at", ",", False, "most") == (
        "`, at most 6`: the most passes an open repeat may run")
    assert keyword_doc("more", "or", False, ":") is not None


def test_the_player_shows_the_floor_and_the_cap() -> None:
    engine = Engine(compiled(RAISES))
    engine.start()
    assert "pass 1 of 4 or more (up to 6)" in "\n".join(screen(engine, 100))
