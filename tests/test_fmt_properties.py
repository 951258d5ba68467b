"""Property tests: formatting never changes a routine and is stable.

Two generators (in tests/strategies.py): routine *source* in every spelling and layout the
language accepts, and routine *models* with arbitrary values (the printer must find a
spelling that reads back exactly). For both, parse(fmt(x)) equals parse(x), fmt(fmt(x))
equals fmt(x), and every comment is still there.
"""

from __future__ import annotations

import re
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import model_routines, routine_sources

from dsl import model as m
from dsl.format import formatter
from dsl.format.formatter import (
    UnsafeFormatting,
    format_routine,
    format_text,
    reads_the_same,
    same_words,
)
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


# --- the check without a second parse -----------------------------------------------------
#
# A formatted text whose words are those of the source, on the same lines, nested as deep,
# with the same comments, is accepted without parsing it again (``reads_the_same``); these
# properties hold that to the parser, on texts laid out or broken at random.

def _break(text: str, kind: str, where: int) -> str:
    """``text`` with one thing changed, as a faulty printer might change it."""
    lines = text.split("\n")
    number = where % len(lines)
    line = lines[number]
    spot = where % (len(text) + 1)
    if kind == "respace":  # every space one wider, quotes and comments included
        return text.replace(" ", "  ")
    if kind == "tabs":  # every indentation unit a tab
        return re.sub(r"(?m)^((?:  )+)", lambda m: "\t" * (len(m.group(1)) // 2), text)
    if kind == "join":  # one space taken out
        spaces = [i for i, c in enumerate(text) if c == " "]
        return text if not spaces else (
            text[:spaces[where % len(spaces)]] + text[spaces[where % len(spaces)] + 1:])
    if kind == "split":  # a space put in
        return text[:spot] + " " + text[spot:]
    if kind == "comment":  # a word put in a comment (or where a `#` is quoted)
        marks = [i for i, c in enumerate(text) if c == "#"]
        return text if not marks else (
            text[:marks[where % len(marks)] + 1] + "x" + text[marks[where % len(marks)] + 1:])
    if kind == "deeper":
        lines[number] = "  " + line
    elif kind == "shallower":
        lines[number] = line[2:] if line.startswith("  ") else line
    elif kind == "swap" and number + 1 < len(lines):
        lines[number], lines[number + 1] = lines[number + 1], line
    elif kind == "blank":
        lines.insert(number, "")
    elif kind == "drop":
        del lines[number]
    elif kind == "twice":
        lines.insert(number, line)
    elif kind in ("#", '"', "1", ":", "\t", "\r", "\x0c"):
        return text[:spot] + kind + text[spot:]
    elif kind == "delete":
        return text[:spot] + text[spot + 1:]
    return "\n".join(lines)


BREAKAGES = st.sampled_from(["respace", "tabs", "join", "split", "comment", "deeper", "shallower",
                             "swap", "blank", "drop", "twice", "#", '"', "1", ":", "\t",
                             "\r", "\x0c", "delete"])


@SETTINGS
@given(routine_sources(), st.lists(st.tuples(BREAKAGES, st.integers(0, 10_000)),
                                   min_size=1, max_size=3), st.booleans())
def test_text_that_reads_the_same_without_parsing_parses_the_same(
        source: str, breakages: list[tuple[str, int]], from_formatted: bool) -> None:
    parsed = parse(source)
    assert parsed.routine is not None
    text = format_text(source).formatted if from_formatted else parsed.text.text
    assert text is not None
    for kind, where in breakages:
        text = _break(text, kind, where)
    if reads_the_same(parsed, text) is None:
        return  # not shown without the parser: verify() parses it
    again = parse(text)
    assert again.ok, [d.message for d in again.diagnostics]
    assert again.routine == parsed.routine
    assert [c.text for c in again.comments] == [c.text for c in parsed.comments]


@SETTINGS
@given(routine_sources(), BREAKAGES, st.integers(0, 10_000))
def test_a_broken_printer_never_changes_what_a_routine_says(
        source: str, kind: str, where: int) -> None:
    """Whatever a faulty printer writes, ``format_text`` either refuses it or gives a text
    that reads back as the same routine with the same comments and formats to itself."""
    real = formatter.lay_out

    def broken(*args: Any, **kwargs: Any) -> str:
        return _break(real(*args, **kwargs), kind, where)

    parsed = parse(source)
    with patch.object(formatter, "lay_out", broken):
        try:
            result = format_text(source)
        except UnsafeFormatting:
            return
        assert result.formatted is not None
        if result.formatted != source:
            assert format_text(result.formatted).formatted == result.formatted
    again = parse(result.formatted)
    assert again.routine == parsed.routine
    assert [c.text for c in again.comments] == [c.text for c in parsed.comments]


@SETTINGS
@given(routine_sources())
def test_formatted_text_is_accepted_without_a_second_parse_when_only_layout_changed(
        source: str) -> None:
    """The canonical text of any source whose statements keep their words (every generated
    layout does, but for words the printer spells another way) needs one parse."""
    parsed = parse(source)
    assert parsed.routine is not None
    lines = formatter.print_lines(parsed.routine)
    formatted = formatter.lay_out(lines, parsed.comments, parsed.text)
    if reads_the_same(parsed, formatted) is not None:
        assert same_words(parsed, formatted, lines)
