"""Hostile and pathological input: broken, odd, binary or huge files get a clear
diagnostic (never a traceback) or correct output, in bounded time and memory.

Sections: bytes, encodings and line ends; paths that are not routine files; nesting;
repeats that would run a million times; numbers; size; NUL characters; every Unicode
category. What reaches a terminal is tests/test_terminal_safety.py; random folders of
odd files under every command, tests/test_fuzz_files.py.

No test asserts a time (``bench/pathological.py`` prints times and peak memory for the
full-size cases); the inputs here are sized so the suite stays fast. Where a bound on the
work matters, it is checked by counting the work done, and memory by ``tracemalloc``.
"""

from __future__ import annotations

import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import FIXTURES

from dsl.diagnostics import Diagnostic
from dsl.format.formatter import format_text
from dsl.lint.checker import check, check_file
from dsl.lint.config import DEFAULT
from dsl.lsp import engine
from dsl.lsp.positions import LineIndex, Position
from dsl.outputs.text import render_text
from dsl.pipeline import compile_file
from dsl.syntax.parser import parse, parse_bytes, parse_file
from dsl.timeline import expand as ex
from dsl.timeline.compiler import RoutineTooLong, compile_routine
from dsl.timeline.contract import validation_errors

HERE = FIXTURES / "pathological"
GOOD = 'routine "Calf"\n  hold 30s "Lean in"\n'


def where(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.code, d.span.line, d.span.column, d.message)


def every_tool(text: str, tmp_path: Path) -> Iterator[tuple[str, list[Diagnostic]]]:
    """What each entry point reports for the text: parse, lint, fmt, the language
    server, and compile (from a file holding the text)."""
    yield "parse", list(parse(text).diagnostics)
    yield "lint", check(parse(text))
    formatted = format_text(text)
    assert formatted.formatted is None
    yield "fmt", list(formatted.diagnostics)
    yield "lsp", engine.diagnose(text, "untitled:Untitled-1")
    path = tmp_path / "routine.stretch"
    path.write_text(text, encoding="utf-8", newline="")
    compiled = compile_file(path)
    assert compiled.text is None
    yield "compile", list(compiled.diagnostics)


def first_problem_everywhere(text: str, tmp_path: Path) -> tuple[str, int, int, str]:
    """The one problem every tool reports first (they must agree)."""
    seen = {tool: where(found[0]) for tool, found in every_tool(text, tmp_path)}
    assert len(set(seen.values())) == 1, seen
    return next(iter(seen.values()))


def peak_memory(work: Callable[[], Any]) -> int:
    """Peak bytes allocated while ``work`` runs."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- bytes, encodings and line ends -------------------------------------------------------


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    data = ("\ufeff" + GOOD.replace("\n", "\r\n")).encode("utf-8")
    parsed = parse_bytes(data)
    assert parsed.diagnostics == ()
    assert parsed.routine == parse(GOOD).routine


def test_missing_final_newline() -> None:
    assert parse(GOOD.rstrip("\n")).diagnostics == ()
    assert parse('routine "Calf"').diagnostics == ()


def test_tabs_are_accepted_when_used_consistently() -> None:
    parsed = parse('routine "Calf"\n\trepeat 2:\n\t\thold 30s\n\trelax 5s\n')
    assert parsed.diagnostics == ()


def test_tabs_mixed_with_spaces_are_rejected_clearly() -> None:
    [problem] = parse('routine "Calf"\n  repeat 2:\n\thold 30s\n').diagnostics
    assert (problem.code, problem.span.line, problem.span.column) == ("P114", 3, 1)


def test_invalid_utf8_names_the_byte_offset() -> None:
    [problem] = parse_bytes(b'routine "Caf\xe9"\n').diagnostics
    assert problem.code == "P121"
    assert problem.message == "the file is not valid UTF-8: byte 0xe9 at offset 12"
    assert (problem.span.line, problem.span.column) == (1, 13)


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "# only\n# comments\n"])
def test_empty_files(text: str) -> None:
    [problem] = parse(text).diagnostics
    assert problem.code == "P120"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('routine "x"\n  repeat 3:\n', ("P101", 2, 12)),  # a block with nothing in it
        ('routine "x"\n  hold 30s "', ("P105", 2, 12)),  # a quote never closed
        ('routine "x"\n  (', ("P101", 2, 3)),
        ('routine "x"\n  targets: (a)\n', ("P101", 2, 12)),
        ('routine "x"\n  on pain\n', ("P101", 2, 10)),  # a handler with no steps
        ('\x0croutine "x"\n', ("P116", 1, 1)),  # a form feed
        ('routine "x"\n  hold 1s\n    \u2028\n', ("P116", 3, 5)),  # a Unicode line separator
        ('routine "x"\n\n\n        \n', None),  # blank lines after a title are fine
    ],
)
def test_odd_inputs_give_one_diagnostic_where_they_go_wrong(
    text: str, problem: tuple[str, int, int] | None
) -> None:
    parsed = parse(text)
    found = [(d.code, d.span.line, d.span.column) for d in parsed.diagnostics]
    assert found == ([problem] if problem else [])
    assert (parsed.routine is None) == (problem is not None)


# --- paths that are not routine files -------------------------------------------------------


def test_unreadable_path_is_a_diagnostic(tmp_path: Path) -> None:
    [problem] = parse_file(tmp_path / "missing.stretch").diagnostics
    assert problem.code == "P123"
    assert problem.message.startswith("cannot read this file")


def test_a_folder_is_not_readable_as_a_routine(tmp_path: Path) -> None:
    [problem] = parse_file(tmp_path).diagnostics
    assert problem.code == "P123"


# --- nesting -------------------------------------------------------------------------------


def deep(levels: int, passes: int = 2) -> str:
    lines = ['routine "Deep"']
    lines += ["  " * (depth + 1) + f"repeat {passes}:" for depth in range(levels)]
    lines.append("  " * (levels + 1) + "hold 1s")
    return "\n".join(lines) + "\n"


def test_nesting_a_thousand_levels_deep_is_p117_in_every_tool(tmp_path: Path) -> None:
    assert first_problem_everywhere(deep(1000), tmp_path) == (
        "P117", 52, 1, "blocks are nested more than 50 levels deep")
    [problem] = parse(deep(1000)).diagnostics
    assert problem.hint == (
        "split the routine into simpler repeats; real routines need a few levels")


def test_the_deepest_nesting_allowed_goes_through_every_tool() -> None:
    assert parse(deep(49)).diagnostics == ()  # 2**49 passes: read, though too long to run
    text = deep(49, passes=1)
    assert check(parse(text)) == []
    assert format_text(text).formatted == text
    document = compile_routine(parse(text).routine)  # type: ignore[arg-type]
    assert len(document["timeline"]) == 1 and len(document["repeats"]) == 49
    assert len(document["timeline"][0]["passes"]) == 49


# --- repeat 1000000 --------------------------------------------------------------------------


class _Passes:
    """Counts the blocks the expansion walks (one per pass of a repeat)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = ex._Expander._block

        def counted(expander: Any, *args: Any, **kwargs: Any) -> None:
            self.count += 1
            original(expander, *args, **kwargs)

        monkeypatch.setattr(ex._Expander, "_block", counted)


def test_repeat_a_million_times_stops_at_the_step_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    path = HERE / "repeat-a-million.stretch"
    passes = _Passes(monkeypatch)
    [problem] = check(parse(path.read_text(encoding="utf-8")))
    assert where(problem) == (
        "L103", 1, 1, "the routine expands to more than 10,000 steps")
    assert (problem.span.end_line, problem.span.end_column) == (1, 8)
    assert problem.hint == "a player cannot run that many steps: lower the repeats' upper bounds"
    # Two steps a pass: the expansion stops after 5,000 passes, not a million.
    assert passes.count <= ex.MAX_PERFORMED
    expansion = ex.expand(parse(path.read_text(encoding="utf-8")).routine)  # type: ignore[arg-type]
    assert expansion.truncated and len(expansion.performed) == ex.MAX_PERFORMED


def test_repeat_a_million_times_is_not_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    path = HERE / "repeat-a-million.stretch"
    result = compile_file(path)
    assert result.text is None and [d.code for d in result.diagnostics] == ["L103"]
    # With L103 switched off the compiler still refuses, before building a timeline.
    passes = _Passes(monkeypatch)
    result = compile_file(path, config=DEFAULT.with_overrides(None, ("L103",)))
    assert result.text is None
    [problem] = result.diagnostics
    assert where(problem) == ("C001", 1, 1, "the routine has more than 10,000 steps once "
                              "repeats and sides are expanded")
    assert passes.count <= 2 * ex.MAX_PERFORMED  # lint expands once, the compiler once
    with pytest.raises(RoutineTooLong):
        compile_routine(parse(path.read_text(encoding="utf-8")).routine)  # type: ignore[arg-type]


def test_every_way_of_asking_for_a_million_passes_stops_at_the_cap() -> None:
    for header in ("repeat up to 1000000", "repeat 10-1000000 times",
                   "repeat for 999999999m", "repeat 1000000, rest 1s between"):
        text = f'routine "Many"\n  {header}:\n    hold 1s\n'
        assert [d.code for d in check(parse(text))] == ["L103"], header


def test_a_repeat_without_steps_is_not_walked_pass_by_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (HERE / "repeat-without-steps.stretch").read_text(encoding="utf-8")
    passes = _Passes(monkeypatch)
    assert check(parse(text)) == []
    assert passes.count <= ex.MAX_PERFORMED


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "column"), [
    ("9" * 5000 + "s", 8), ("1" + "0" * 400 + ".5s", 8), ("1m" + "9" * 10 + "s", 8),
])
def test_a_number_too_large_is_p118_in_every_tool(
    number: str, column: int, tmp_path: Path
) -> None:
    text = f'routine "Typo"\n  hold {number}\n'
    code, line, col, message = first_problem_everywhere(text, tmp_path)
    assert (code, line, col) == ("P118", 2, column)
    shown = number if len(number) <= 30 else number[:27] + "..."
    assert message == f"`{shown}` is too large a number"


def test_a_number_too_large_names_the_limit() -> None:
    text = (FIXTURES / "syntax" / "P118-number-too-large.stretch").read_text(encoding="utf-8")
    [problem] = parse(text).diagnostics
    assert where(problem) == ("P118", 3, 10, "`10000000000` is too large a number")
    assert problem.hint == "numbers go up to 999,999,999: check for a typo"
    assert (problem.span.end_line, problem.span.end_column) == (3, 21)
    assert render_text(problem, text).splitlines()[4] == "  |          ^^^^^^^^^^^"


def test_the_largest_number_allowed_goes_through_every_tool() -> None:
    text = 'routine "Big"\n  hold 999999999m\n  hold 1s at 000000000999999999.5%\n'
    assert [d.code for d in check(parse(text))] == ["S102"]  # far too long: a warning
    document = compile_routine(parse(text).routine)  # type: ignore[arg-type]
    duration = document["timeline"][0]["duration"]
    assert duration is not None
    assert (duration["min"], duration["max"]) == (59_999_999_940, 59_999_999_940)
    assert validation_errors(document) == []
    assert format_text(text).formatted == (
        'routine "Big"\n  hold 999999999m\n  hold 1s at 999999999.5%\n')


def test_nested_huge_repeats_inside_a_timed_repeat() -> None:
    lines = ['routine "x"', "  repeat for 1m:", "    repeat 0:"]
    lines += ["  " * (depth + 3) + "repeat 999999999:" for depth in range(40)]
    lines += ["  " * 43 + "hold 999999999m", "    hold 1s"]
    found = check(parse("\n".join(lines) + "\n"))
    # `repeat 0` never runs, so its endless inside adds nothing: no NaN, no L103.
    assert [d.code for d in found] == ["V102", "S102"]


def test_a_timed_repeat_of_a_vanishingly_short_step() -> None:
    text = f'routine "x"\n  repeat for 1m:\n    hold 0.{"0" * 320}1s\n'
    assert parse(text).diagnostics == ()
    # Times are kept to the millisecond: this hold rounds to nothing, so V102 says so (and
    # the time box is planned as untimed: one pass).
    assert [d.code for d in check(parse(text))] == ["V102"]


def test_a_tempo_below_a_millisecond_compiles_to_a_valid_document() -> None:
    text = (HERE / "tempo-below-a-millisecond.stretch").read_text(encoding="utf-8")
    parsed = parse(text)
    assert [d.code for d in check(parsed)] == ["V104"]  # a warning: compiling goes on
    assert validation_errors(compile_routine(parsed.routine)) == []  # type: ignore[arg-type]


# --- size ----------------------------------------------------------------------------------

MEGABYTE = 1_000_000


def test_a_megabyte_comment_is_kept() -> None:
    text = GOOD + "  # " + "x" * MEGABYTE + "\n"
    parsed = parse(text)
    assert parsed.diagnostics == () and len(parsed.comments[0].text) == MEGABYTE + 2
    assert format_text(text).formatted == text


def test_a_megabyte_of_unknown_text_stops_after_fifty_errors() -> None:
    text = GOOD + "  blah blah\n" * (MEGABYTE // 12)
    problems = parse(text).diagnostics
    assert [(p.code, p.span.line) for p in problems] == [
        *(("P103", line) for line in range(3, 53)), ("P128", 53)]
    assert problems[0].message == "unknown statement `blah`"
    seen = engine.diagnose(text, "untitled:Untitled-1")
    assert [where(d) for d in seen] == [where(p) for p in problems]


def test_ten_megabytes_are_refused_at_once_in_every_tool(tmp_path: Path) -> None:
    text = GOOD + "  # " + "x" * (10 * MEGABYTE) + "\n"
    expected = ("P124", 1, 1, "the file is too large for a routine (10.0 MB; the most is 4 MB)")
    [problem] = parse(text).diagnostics
    assert where(problem) == expected
    assert problem.hint == "a routine is a few kilobytes: is this the right file?"
    [seen] = engine.diagnose(text, "untitled:Untitled-1")
    assert where(seen) == expected
    assert format_text(text).formatted is None
    big = tmp_path / "big.stretch"
    big.write_text(text, encoding="utf-8")
    assert [where(d) for d in check_file(big)] == [expected]


def test_a_line_of_100000_characters() -> None:
    long_text = "x" * 100_000
    assert parse(f'routine "Calf"\n  note "{long_text}"\n').diagnostics == ()
    [problem] = parse(f'routine "Calf"\n  note {long_text}\n').diagnostics
    assert problem.code == "P104" and len(problem.message) < 200


def test_a_file_over_the_size_limit_is_refused_from_bytes_and_stdin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    data = GOOD.encode() + b"  # " + b"x" * 5_000_000 + b"\n"
    [problem] = parse_bytes(data, "big.stretch").diagnostics
    assert (problem.code, problem.span.line, problem.span.column) == ("P124", 1, 1)
    assert problem.message == "the file is too large for a routine (5.0 MB; the most is 4 MB)"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [problem] = parse_file("-").diagnostics
    assert (problem.code, problem.path) == ("P124", "<stdin>")
    # A stream's size is not known in advance: reading stops just past the limit.
    assert problem.message == ("the file is too large for a routine (more than 4 MB read; "
                               "the most is 4 MB)")


@pytest.mark.slow
def test_a_megabyte_of_steps_is_linted_and_formatted() -> None:
    """About 50,000 steps: parsed, found too long to run, formatted unchanged. The full
    10 MB case runs in bench/pathological.py."""
    text = 'routine "Long"\n' + '  hold 30s "Lean in"\n' * (MEGABYTE // 21)
    found = check(parse(text))
    assert [where(d) for d in found] == [
        ("L103", 1, 1, "the routine expands to more than 10,000 steps")]
    assert format_text(text).formatted == text


def test_ten_thousand_steps_compile_and_one_more_does_not() -> None:
    text = 'routine "Long"\n' + "  hold 1s\n" * ex.MAX_PERFORMED
    document = compile_routine(parse(text).routine)  # type: ignore[arg-type]
    assert len(document["timeline"]) == ex.MAX_PERFORMED
    assert document["summary"]["duration"] == {"min": 10_000, "max": 10_000}
    [problem] = check(parse(text + "  hold 1s\n"))
    assert problem.code == "L103"


def test_a_megabyte_string_goes_through_every_tool() -> None:
    words = "Lean in, breathe out. " * (MEGABYTE // 22)
    text = f'routine "Calf"\n  hold 30s "{words}"\n  note "{words}"\n'
    parsed = parse(text)
    assert check(parsed) == []
    document = compile_routine(parsed.routine)  # type: ignore[arg-type]
    assert document["metadata"]["notes"] == [words]
    assert document["timeline"][0]["text"] == words
    assert format_text(text).formatted == text
    assert engine.diagnose(text, "untitled:Untitled-1") == []


@pytest.mark.parametrize("text", [
    GOOD + '  note "' + "a" * MEGABYTE + '"\n',
    GOOD + "\n" * MEGABYTE,
], ids=["string", "blank-lines"])
def test_parsing_a_megabyte_takes_memory_in_proportion(text: str) -> None:
    assert peak_memory(lambda: parse(text)) < 30 * MEGABYTE


# --- NUL characters ------------------------------------------------------------------------


def test_a_nul_character_outside_quotes_is_p112() -> None:
    [problem] = parse('routine "Calf"\n  hold 30s \0\n').diagnostics
    assert where(problem) == ("P112", 2, 12, "the file contains a NUL character")


@pytest.mark.parametrize(("data", "line", "column", "offset"), [
    (b'routine "Calf"\n  hold 30s "a\0"\n', 2, 14, 28),
    (b'\xef\xbb\xbfroutine "Ca\0lf"\n', 1, 12, 14),  # the byte order mark is not a column
    (b'routine "Calf"\r  hold 30s\0\n', 2, 11, 25),  # a lone CR ends a line
    (b'routine "Calf"\r\n  hold 30s\0\r\n', 2, 11, 26),
    (b"\0" * 1000, 1, 1, 0),
    (bytes(range(256)), 1, 1, 0),  # a binary file
])
def test_a_nul_byte_in_a_file_is_p122_where_the_editor_shows_it(
    data: bytes, line: int, column: int, offset: int
) -> None:
    [problem] = parse_bytes(data).diagnostics
    assert (problem.code, problem.span.line, problem.span.column) == ("P122", line, column)
    assert problem.message == f"this is not a text file (NUL byte at offset {offset})"


def test_a_bad_byte_after_a_byte_order_mark_is_p121_in_its_column() -> None:
    [problem] = parse_bytes(b'\xef\xbb\xbfroutine "Caf\xe9"\n').diagnostics
    assert where(problem) == (
        "P121", 1, 13, "the file is not valid UTF-8: byte 0xe9 at offset 15")
    # The language server shows it on the é, after the byte order mark it counts.
    index = LineIndex('\ufeffroutine "Caf\ufffd"\n')
    assert index.range(problem.span).start == Position(0, 13)


def test_the_language_server_refuses_a_nul_character_in_quotes_as_lint_does() -> None:
    """`stretch lint` reads the saved file's bytes and refuses any NUL (P122); the editor
    must say so while the text is being typed, not only after saving."""
    text = 'routine "Calf"\n  hold 30s "a\0b"\n'
    saved = parse_bytes(text.encode("utf-8"))
    found = engine.diagnose(text, "untitled:Untitled-1")
    assert [where(d) for d in found] == [where(d) for d in saved.diagnostics]
    assert where(found[0]) == ("P122", 2, 14, "this is not a text file (NUL byte at offset 28)")
    assert engine.format_document(text) is None


def test_the_language_server_refuses_a_lone_surrogate() -> None:
    [problem] = engine.diagnose('routine "Calf"\n  hold 30s "\ud83e"\n', "untitled:x")
    assert where(problem) == (
        "P121", 2, 13, "the file is not valid UTF-8: byte 0xed at offset 27")


# --- every Unicode category ---------------------------------------------------------------

CATEGORY_SAMPLES = {
    "Lu": "AÉ", "Ll": "aß", "Lt": "\u01c5", "Lm": "\u02b0", "Lo": "\u05d0\u4e2d",
    "Mn": "\u0301", "Mc": "\u0903", "Me": "\u20dd", "Nd": "\u0663", "Nl": "\u216b",
    "No": "\u00bd", "Pc": "_", "Pd": "-\u2014", "Ps": "(", "Pe": ")", "Pi": "\u00ab",
    "Pf": "\u00bb", "Po": "!\\\"", "Sm": "+", "Sc": "\u20ac", "Sk": "^", "So": "\u00a9\U0001f9d8",
    "Zs": "\u3000\u00a0", "Zl": "\u2028", "Zp": "\u2029",
    "Cc": "\x01\x07\x0b\x0c\x1c\x1d\x1e\x1f\x7f\x85\t", "Cf": "\u200b\u200e\ufeff\u00ad",
    "Co": "\ue000\U0010fffd", "Cn": "\u0378\U000e0080",
}
"""A sample of every Unicode general category that UTF-8 text can hold (all but Cs, the
surrogates); the line breaks of Cc (LF, CR) end a line and cannot be in quotes."""


def test_the_samples_cover_every_category() -> None:
    for category, sample in CATEGORY_SAMPLES.items():
        assert {unicodedata.category(ch) for ch in sample} == {category}, category
    every = {unicodedata.category(chr(c)) for c in range(0, 0x110000, 7)}
    assert every - set(CATEGORY_SAMPLES) == {"Cs"}


@pytest.mark.parametrize("category", sorted(CATEGORY_SAMPLES))
def test_every_unicode_category_in_text_goes_through_every_tool(category: str) -> None:
    raw = CATEGORY_SAMPLES[category]
    quoted = raw.replace("\\", "\\\\").replace('"', '\\"')
    text = (f'routine "{quoted}"\n  hold 30s "x{quoted}y"  # {raw}\n'
            f'    cue at 5s "{quoted}"\n  note "{quoted}"\n')
    parsed = parse(text)
    assert parsed.diagnostics == ()
    assert parsed.routine is not None and parsed.routine.title == raw
    # Control characters in quoted text are legal, but V109 warns about each piece of text.
    flagged = ["V109"] * 4 if category == "Cc" else []
    assert [d.code for d in check(parsed)] == flagged
    document = compile_routine(parsed.routine)
    assert validation_errors(document) == []
    assert orjson.loads(orjson.dumps(document)) == document
    assert document["metadata"]["notes"] == [raw]
    assert document["timeline"][0]["text"] == f"x{raw}y"
    formatted = format_text(text).formatted
    assert formatted is not None and parse(formatted).routine == parsed.routine
    assert [d.code for d in engine.diagnose(text, "untitled:Untitled-1")] == flagged
    saved = parse_bytes(text.encode("utf-8"))
    assert saved.routine == parsed.routine


@pytest.mark.parametrize("category", sorted(CATEGORY_SAMPLES))
def test_every_unicode_category_outside_quotes_is_a_diagnostic(category: str) -> None:
    raw = CATEGORY_SAMPLES[category]
    found = check(parse(f'routine "Calf"\n  hold 30s {raw}\n'))
    if not found:
        # Spaces and invisible format characters between words are fine to ignore only
        # if the parser says nothing at all and reads the step as written.
        assert category in ("Zs", "Cc", "Cf", "Zl", "Zp"), category
        return
    assert found[0].code in ("P101", "P104", "P106", "P112", "P116"), (category, found[0])
    assert found[0].span.line == 2
