"""Input that is broken or odd never produces a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsl.syntax.parser import parse, parse_bytes, parse_file

GOOD = 'routine "Calf"\n  hold 30s "Lean in"\n'


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


def test_binary_file() -> None:
    [problem] = parse_bytes(bytes(range(256))).diagnostics
    assert problem.code == "P122" and "offset 0" in problem.message


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "# only\n# comments\n"])
def test_empty_files(text: str) -> None:
    [problem] = parse(text).diagnostics
    assert problem.code == "P120"


def test_a_line_of_100000_characters() -> None:
    long_text = "x" * 100_000
    assert parse(f'routine "Calf"\n  note "{long_text}"\n').diagnostics == ()
    [problem] = parse(f'routine "Calf"\n  note {long_text}\n').diagnostics
    assert problem.code == "P104" and len(problem.message) < 200


def test_unreadable_path_is_a_diagnostic(tmp_path: Path) -> None:
    [problem] = parse_file(tmp_path / "missing.stretch").diagnostics
    assert problem.code == "P123"
    assert problem.message.startswith("cannot read this file")


def test_a_folder_is_not_readable_as_a_routine(tmp_path: Path) -> None:
    [problem] = parse_file(tmp_path).diagnostics
    assert problem.code == "P123"


@pytest.mark.parametrize(
    "text",
    [
        'routine "x"\n  repeat 3:\n',
        'routine "x"\n  hold 30s "',
        'routine "x"\n  (',
        'routine "x"\n  targets: (a)\n',
        'routine "x"\n\n\n        \n',
        'routine "x"\n  on pain\n',
        '\x0croutine "x"\n',
        'routine "x"\n  hold 1s\n    \u2028\n',
    ],
)
def test_odd_inputs_give_diagnostics_not_exceptions(text: str) -> None:
    parsed = parse(text)
    assert parsed.routine is not None or parsed.diagnostics


def test_nesting_beyond_the_limit_is_a_clear_diagnostic() -> None:
    lines = ['routine "Deep"']
    lines += ["  " * (depth + 1) + "repeat 2:" for depth in range(1000)]
    lines.append("  " * 1001 + "hold 1s")
    [problem] = parse("\n".join(lines) + "\n").diagnostics
    assert (problem.code, problem.span.line, problem.span.column) == ("P117", 52, 1)
    assert problem.message == "blocks are nested more than 50 levels deep"


def test_nesting_up_to_the_limit_parses() -> None:
    lines = ['routine "Deep"']
    lines += ["  " * (depth + 1) + "repeat 2:" for depth in range(49)]
    lines.append("  " * 50 + "hold 1s")
    assert parse("\n".join(lines) + "\n").diagnostics == ()


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
