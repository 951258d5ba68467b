"""Property tests: formatting never changes a routine and is stable.

Two generators (in tests/strategies.py): routine *source* in every spelling and layout the
language accepts, and routine *models* with arbitrary values (the printer must find a
spelling that reads back exactly). For both, parse(fmt(x)) equals parse(x), fmt(fmt(x))
equals fmt(x), and every comment is still there.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from strategies import model_routines, routine_sources

from dsl import model as m
from dsl.format.formatter import format_routine, format_text
from dsl.syntax.parser import parse

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(routine_sources())
def test_formatting_source_keeps_the_routine_and_is_stable(source: str) -> None:
    parsed = parse(source)
    assert parsed.ok and parsed.routine is not None, [d.message for d in parsed.diagnostics]
    result = format_text(source)  # raises UnsafeFormatting if a self-check fails
    assert result.formatted is not None
    again = parse(result.formatted)
    assert again.routine == parsed.routine
    assert [c.text for c in again.comments] == [c.text for c in parsed.comments]
    assert format_text(result.formatted).formatted == result.formatted
    lines = result.formatted.split("\n")
    assert lines[-1] == "" and lines[-2] != ""  # exactly one final line break
    assert all(line == line.rstrip(" \t") for line in lines)
    assert "\r" not in result.formatted and "\n\n\n" not in result.formatted
    for line in lines:  # two spaces a level, never a tab
        indent = len(line) - len(line.lstrip(" \t"))
        assert line[:indent] == " " * indent and indent % 2 == 0


@SETTINGS
@given(model_routines)
def test_every_model_prints_to_text_that_reads_back_the_same(routine: m.Routine) -> None:
    printed = format_routine(routine)
    parsed = parse(printed)
    assert parsed.diagnostics == (), [d.message for d in parsed.diagnostics]
    assert parsed.routine == routine
    assert format_text(printed).formatted == printed
